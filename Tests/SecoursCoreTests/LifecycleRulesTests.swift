import Foundation
import Testing
@testable import SecoursCore

@Suite("Registration and inactivation rules (R-GPS-2, R-DOC-5)")
struct LifecycleRulesTests {
    /// 22 November 2026, 10:15 in Paris.
    let now = ISO8601DateFormatter().date(from: "2026-11-22T09:15:00Z")!

    func request(number: String = "26FR007328E0001000051", type: String = "DAA", date: String = "2026-11-22", time: String = "10:15") -> RegistrationRequest {
        RegistrationRequest(number: number, type: type, exciseNumber: "FR007328E0001", transport: "AB-123-CD", dispatchDate: date, dispatchTime: time)
    }

    @Test func acceptsAPastDispatch() throws {
        let v = try request().validate(now: now)
        #expect(v.number.sequence == 5 && v.type == .dae && v.year == 2026)
    }

    @Test func refusals() {
        func fields(_ r: RegistrationRequest) -> [String] {
            do { _ = try r.validate(now: now); return [] } catch { return error.fields.map(\.field) }
        }
        #expect(fields(request(time: "10:16")) == ["dispatchDate"])
        #expect(fields(request(type: "DSA")) == ["number"])
        #expect(fields(request(number: "26FR007328E0002000051")) == ["number"])
        #expect(fields(request(number: "26FR007328E0001000053")) == ["number"])
        #expect(fields(request(number: "24FR007328E0001000051")) == ["number"])
        #expect(fields(RegistrationRequest(number: nil, type: nil, exciseNumber: nil, transport: nil, dispatchDate: nil, dispatchTime: nil))
                == ["number", "type", "exciseNumber", "transport", "dispatchDate", "dispatchTime"])
    }

    @Test func coverRunsFromTheParisDispatchTime() {
        let dispatch = DispatchMoment(day: ParisDay(year: 2026, month: 11, day: 23)!, time: ParisTime(hour: 8, minute: 30)!)
        #expect(dispatch.date == ISO8601DateFormatter().date(from: "2026-11-23T07:30:00Z")!)
        let rule = InactivationRule(days: 7)
        #expect(!rule.isOverdue(coverStart: dispatch.date, now: ISO8601DateFormatter().date(from: "2026-11-30T07:30:00Z")!))
        #expect(rule.isOverdue(coverStart: dispatch.date, now: ISO8601DateFormatter().date(from: "2026-11-30T07:30:01Z")!))
    }

    @Test func whoMayMoveADocument() {
        let op = Access.Facts(role: .operator, rights: [.issueDAA], sameOffice: true)
        #expect(Access.allows(.cancel, of: .dae, op) && !Access.allows(.cancel, of: .dsa, op))
        #expect(!Access.allows(.reactivate, of: .dae, op))
        #expect(Access.allows(.reactivate, of: .dae, .init(role: .officer, rights: [], sameOffice: true)))
        #expect(!Access.allows(.reactivate, of: .dae, .init(role: .officer, rights: [], sameOffice: false)))
        let system = Access.Facts(role: .system, rights: [], sameOffice: false)
        #expect(Access.allows(.reintegrate, of: .dsa, system) && !Access.allows(.cancel, of: .dsa, system))
        #expect(Role.allCases.allSatisfy { !Access.allows(.inactivate, of: .dae, .init(role: $0, rights: Set(Right.allCases), sameOffice: true)) })
    }
}
