import Foundation
import HTTPTypes
import OpenAPIAsyncHTTPClient
import OpenAPIRuntime
import SecoursAPIClient
import SecoursCore
import Testing
import VaporTesting
@testable import SecoursServer

/// A client generated from the OpenAPI document (target SecoursAPIClient) calls every operation of
/// the real server over a socket, and each answer decodes as the documented case: the document is
/// usable as a contract, not only readable (R-API-1).
@Suite("Generated OpenAPI client (R-API-1)")
struct GeneratedClientTests {
    /// Every operation of the document, each by its `operationId`, called at least once below.
    static let called = Locked<Set<String>>([])

    /// Counts the operations called, and keeps no connection open between requests: servers of
    /// other tests may later have this port (as `LiveServer.send` does).
    struct Counting: ClientMiddleware {
        func intercept(_ request: HTTPRequest, body: HTTPBody?, baseURL: URL, operationID: String,
                       next: @Sendable (HTTPRequest, HTTPBody?, URL) async throws -> (HTTPResponse, HTTPBody?)) async throws -> (HTTPResponse, HTTPBody?) {
            GeneratedClientTests.called.update { $0.insert(operationID) }
            var request = request
            request.headerFields[.connection] = "close"
            return try await next(request, body, baseURL)
        }
    }

    static func client(_ server: LiveServer, token: String? = nil) -> SecoursAPIClient.Client {
        let transport = AsyncHTTPClientTransport(configuration: .init(client: LiveServer.client, timeout: .seconds(600)))
        let middlewares: [any ClientMiddleware] = [Counting()] + (token.map { [BearerToken($0)] } ?? [])
        return SecoursAPIClient.Client(serverURL: URL(string: server.base)!, transport: transport, middlewares: middlewares)
    }

    static func token(_ client: SecoursAPIClient.Client, _ login: String, password: String = DemoData.password) async throws -> String {
        try await client.createToken(body: .json(.init(login: login, password: password))).ok.body.json.token
    }

    static func operationIDs() throws -> Set<String> {
        let document = try JSONSerialization.jsonObject(with: Data(contentsOf: OpenAPIDocument.url)) as! [String: Any]
        var ids: Set<String> = []
        for (_, ops) in document["paths"] as! [String: [String: Any]] {
            for (_, op) in ops { if let id = (op as? [String: Any])?["operationId"] as? String { ids.insert(id) } }
        }
        return ids
    }

    @Test func everyOperationThroughTheGeneratedClient() async throws {
        let clock = TestClock(referenceNow) // Sunday 22 November 2026, 10:15 in Paris
        try await withApp(.sqlite, clock: clock) { app in
            try await withLiveServer(app) { server in
                let anonymous = Self.client(server)

                // open: the document, the weather, sign-in
                #expect(try await anonymous.getOpenAPIDocument().ok.body.json.openapi == "3.1.0")
                let board = try await anonymous.getAlertBoard().ok.body.json
                #expect(board.current.count == 1 && board.weather.contains { $0.service == .gamma && $0.mode == .dti && $0.state == .red })
                guard case let .unauthorized(refused) = try await anonymous.createToken(body: .json(.init(login: "marie.laurent", password: "pas le bon mot de passe"))) else {
                    Issue.record("a wrong password is not a documented 401"); return
                }
                #expect(try refused.body.json.error.code == "invalid_credentials")
                guard case let .unauthorized(noToken) = try await anonymous.listExciseNumbers() else {
                    Issue.record("no token is not a documented 401"); return
                }
                #expect(try noToken.body.json.error.code == "unauthenticated")

                let cid = Self.client(server, token: try await Self.token(anonymous, "cid.admin"))
                let marie = Self.client(server, token: try await Self.token(anonymous, "marie.laurent"))
                let agent = Self.client(server, token: try await Self.token(anonymous, "agent.bordeaux"))

                // one alert (where publishing's Location points), and the toolkit's offline state
                let current = try #require(board.current.first)
                #expect(try await anonymous.getAlert(path: .init(reference: current.reference)).ok.body.json.reference == current.reference)
                guard case .notFound = try await anonymous.getAlert(path: .init(reference: "AL000101-01")) else {
                    Issue.record("an unknown alert is not a documented 404"); return
                }
                let state = try await marie.getToolkitState().ok.body.json
                #expect(state.account.login == "marie.laurent" && state.exciseNumbers.contains { $0.number == "FR007328E0001" })
                guard case .unauthorized = try await anonymous.getToolkitState() else {
                    Issue.record("the toolkit state without a token is not a documented 401"); return
                }
                // the toolkit's sync: reserve, push, read the reservations' log
                let laptop = Components.Schemas.ToolkitDevice(id: UUID().uuidString, name: "portable-chai")
                let reserved = try await marie.reserveToolkitNumbers(body: .json(.init(
                    device: laptop, lease: .init(counter: 0, attempt: UUID().uuidString), size: 5, used: [], release: []))).ok.body.json
                #expect(reserved.lease.counter == 1)
                let block = try #require(reserved.open.first { $0.kind == .craps && $0.exciseNumber == "FR007328E0001" })
                #expect(block.last - block.first == 4 && block.event == .reserved)
                let manual = try FallbackNumber.manual(year: 2026, exciseNumber: ExciseNumber(parsing: "FR007328E0001"), sequence: block.first, type: .dae).value
                let pushed = try await marie.pushToolkitJournal(body: .json(.init(device: laptop, lease: .init(counter: 1), entries: [
                    .init(number: manual, _type: "DAE", exciseNumber: "FR007328E0001", transport: "AB-123-CD", dispatchDate: "2026-11-22",
                          dispatchTime: "08:00", madeAt: referenceNow.addingTimeInterval(-7200))], outages: []))).ok.body.json
                #expect(pushed.entries.map(\.outcome) == [.registered] && pushed.duplicateJournal == nil)
                guard case .unprocessableContent = try await marie.pushToolkitJournal(body: .json(.init(device: .init(id: laptop.id, name: " "), lease: .init(counter: 1),
                                                                                                            entries: [], outages: []))) else {
                    Issue.record("a blank device name is not a documented 422"); return
                }
                let log = try await agent.listToolkitReservations(query: .init(exciseNumber: "FR007328E0001")).ok.body.json
                #expect(log.contains { $0.id == block.id && $0.deviceName == "portable-chai" })
                // the office's list of laptops; a second laptop retired (its lease given back), the first revoked
                #expect(try await agent.listToolkitDevices().ok.body.json.contains { $0.id == laptop.id && $0.status == .active })
                let other = Components.Schemas.ToolkitDevice(id: UUID().uuidString, name: "portable-bureau")
                _ = try await marie.reserveToolkitNumbers(body: .json(.init(device: other, lease: .init(counter: 0, attempt: UUID().uuidString),
                                                                            size: 3, used: [], release: []))).ok.body.json
                let retired = try await marie.retireToolkitDevice(body: .json(.init(device: other, lease: .init(counter: 1)))).ok.body.json
                #expect(!retired.released.isEmpty && retired.released.allSatisfy { $0.ended == .retired && $0.returned == 3 })
                let revoked = try await agent.revokeToolkitDevice(path: .init(id: laptop.id), body: .json(.init(reason: "Poste volé dans le camion"))).ok.body.json
                #expect(revoked.status == .revoked && revoked.statusReason == "Poste volé dans le camion")
                guard case .forbidden = try await marie.pushToolkitJournal(body: .json(.init(device: laptop, lease: .init(counter: 1), entries: [], outages: []))) else {
                    Issue.record("a revoked laptop's push is not a documented 403"); return
                }

                // administration (CID)
                let office = try await cid.createOffice(body: .json(.init(code: "FR000700", name: "Bureau de Libourne", email: "bureau.libourne@douane.invalid"))).created.body.json
                #expect(office.code == "FR000700")
                guard case let .conflict(twice) = try await cid.createOffice(body: .json(.init(code: "FR000700", name: "Bureau", email: "b@douane.invalid"))) else {
                    Issue.record("a second office FR000700 is not a documented 409"); return
                }
                #expect(try twice.body.json.error.code == "office_exists")
                let company = try await cid.createCompany(body: .json(.init(siren: "443061841", name: "SARL Vignobles du Fronsac", address: "2 route de Fronsac, 33500 Libourne"))).created.body.json
                guard case let .unprocessableContent(badSiren) = try await cid.createCompany(body: .json(.init(siren: "443061842", name: "S", address: "A"))) else {
                    Issue.record("a SIREN with a wrong key is not a documented 422"); return
                }
                #expect(try badSiren.body.json.error.fields?.map(\.field) == ["siren"])
                let excise = try await cid.createExciseNumber(body: .json(.init(number: "FR012345A0001", companyId: company.id, officeCode: "FR000700", mode: .dtiPlus))).created.body.json
                #expect(excise.number == "FR012345A0001" && excise.mode == .dtiPlus)
                let user = try await cid.createUser(body: .json(.init(login: "jean.dupont", email: "jean.dupont@exemple.invalid", password: "Vendanges tardives en 1987 !",
                                                                      role: ._operator, companyId: company.id))).created.body.json
                #expect(user.login == "jean.dupont" && user.companyId == company.id)
                let rights = try await cid.setRights(path: .init(number: "FR012345A0001", login: "jean.dupont"), body: .json(.init(rights: [.issueDaa, .searchDaa]))).ok.body.json
                #expect(rights.rights == [.issueDaa, .searchDaa])
                guard case .forbidden = try await marie.createOffice(body: .json(.init(code: "FR000701", name: "B", email: "b@douane.invalid"))) else {
                    Issue.record("an operator creating an office is not a documented 403"); return
                }
                let visible = try await marie.listExciseNumbers().ok.body.json
                #expect(Set(visible.map(\.number)) == ["FR007328E0001", "FR007328E0002"])

                // fallback documents
                let generated = try await marie.generateDocument(body: .json(.init(_type: .dae, exciseNumber: "FR007328E0001", transport: "AB-123-CD",
                                                                                   dispatchDate: "2026-11-23", dispatchTime: "08:30"))).created.body.json
                #expect(generated.status == .active && generated.kind == .craps)
                guard case let .unprocessableContent(past) = try await marie.generateDocument(body: .json(.init(_type: .dae, exciseNumber: "FR007328E0001", transport: "AB",
                                                                                                                  dispatchDate: "2026-11-21", dispatchTime: "08:30"))) else {
                    Issue.record("a dispatch in the past is not a documented 422"); return
                }
                #expect(try past.body.json.error.fields?.map(\.field) == ["dispatchDate"])
                let number = generated.number
                #expect(try await marie.getDocument(path: .init(number: number)).ok.body.json.number == number)

                // the seal: the public trust list, and the form's code checked by the service
                let trust = try await anonymous.getSealTrustList().ok.body.json
                #expect(trust.kid == app.secours.seal.signer.keyID.base64url)
                let stored = try #require(try await DocumentStore(db: app.db).document(number: number))
                let code = try #require(app.secours.seal.code(for: stored))
                let checked = try await anonymous.verifySeal(body: .json(.init(code: code))).ok.body.json
                #expect(checked.verdict.code == .valid && checked.status == .active && checked.document?.number == number)
                guard case .unprocessableContent = try await anonymous.verifySeal(body: .json(.init(code: "SC1:" + String(repeating: "A", count: 2001)))) else {
                    Issue.record("a code too long is not a documented 422"); return
                }
                guard case .notFound = try await marie.getDocument(path: .init(number: "26FR007328E0001999990")) else {
                    Issue.record("an unknown number is not a documented 404"); return
                }
                #expect(try await marie.getDocumentHistory(path: .init(number: number)).ok.body.json.map(\.action) == ["creation"])
                let found = try await marie.searchDocuments(query: .init(number: "eq:\(number)", sort: ._hyphen_registeredAt, page: 1, perPage: 10, format: .json)).ok.body.json
                #expect(found.items.map(\.number) == [number] && found.total == 1 && !found.totalCapped)
                guard case let .unprocessableContent(badCriterion) = try await marie.searchDocuments(query: .init(status: "eq:lost")) else {
                    Issue.record("an unknown status is not a documented 422"); return
                }
                #expect(try badCriterion.body.json.error.fields?.map(\.field) == ["status"])
                let csv = try await marie.searchDocuments(query: .init(number: "eq:\(number)", format: .csv)).ok.body.csv
                #expect(try await String(collecting: csv, upTo: 1 << 20).contains(number))
                let followed = try await marie.followExciseNumber(path: .init(number: "FR007328E0001"), query: .init(perPage: 5)).ok.body.json
                #expect(followed.items.first?.number == number && followed.perPage == 5)
                let filled = try await marie.getFilledForm(path: .init(number: number), query: .init(consignee: "Cave des Remparts")).ok.body.pdf
                #expect(try await Data(collecting: filled, upTo: 1 << 22).starts(with: Data("%PDF".utf8)))
                let blank = try await marie.getBlankForm(path: .init(file: .dsaPdf), query: .init(variant: .gamma2)).ok.body.pdf
                #expect(try await Data(collecting: blank, upTo: 1 << 22).starts(with: Data("%PDF".utf8)))

                let cancelled = try await marie.cancelDocument(path: .init(number: number), body: .json(.init(reason: .documentError))).ok.body.json
                #expect(cancelled.status == .cancelled && cancelled.cancellationReason == .documentError)
                guard case let .conflict(final) = try await marie.cancelDocument(path: .init(number: number), body: .json(.init(reason: .documentError))) else {
                    Issue.record("cancelling twice is not a documented 409"); return
                }
                #expect(try final.body.json.error.code == "status_move_refused")

                let second = try await marie.generateDocument(body: .json(.init(_type: .dsa, exciseNumber: "FR007328E0001", transport: "EF-456-GH",
                                                                                dispatchDate: "2026-11-23", dispatchTime: "09:00"))).created.body.json
                let reintegrated = try await marie.reintegrateDocument(path: .init(number: second.number), body: .json(.init(arc: "23DKLAWWKM7TCWAKL2B09"))).ok.body.json
                #expect(reintegrated.status == .reintegrated && reintegrated.arc == "23DKLAWWKM7TCWAKL2B09")

                // R-NUM-9: far beyond the last number used, a documented 409 until confirmed
                guard case let .conflict(jump) = try await marie.registerDocument(body: .json(.init(
                    number: "26FR007328E0001005001", _type: .dae, exciseNumber: "FR007328E0001", transport: "IJ-789-KL",
                    dispatchDate: "2026-11-22", dispatchTime: "08:00"))), try jump.body.json.error.code == "sequence_jump_unconfirmed" else {
                    Issue.record("a jump in the sequence is not a documented 409"); return
                }
                let registered = try await marie.registerDocument(body: .json(.init(number: "26FR007328E0001005001", _type: .dae, exciseNumber: "FR007328E0001",
                                                                                    transport: "IJ-789-KL", dispatchDate: "2026-11-22", dispatchTime: "08:00",
                                                                                    confirmJump: true))).created.body.json
                #expect(registered.registrationMode == .aPosteriori)
                let communicated = try await marie.communicateNumber(body: .json(.init(number: "26FR007328E0001006001", _type: .dae, exciseNumber: "FR007328E0001",
                                                                                       transport: "MN-012-OP", dispatchDate: "2026-11-22", dispatchTime: "11:00"))).created.body.json
                #expect(communicated.communicatedBy == "marie.laurent")
                #expect(try await marie.listCommunications().ok.body.json.map(\.number) == ["26FR007328E0001006001"])

                let xml = try String(contentsOf: URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                    .deletingLastPathComponent().appendingPathComponent("docs/import-example.xml"), encoding: .utf8)
                let report = try await marie.importDocuments(body: .xml(HTTPBody(xml))).ok.body.json
                #expect(report.accepted == 2 && report.refused == 0 && report.entries.map(\.result) == [.accepted, .accepted])

                let third = try await marie.generateDocument(body: .json(.init(_type: .dae, exciseNumber: "FR007328E0001", transport: "QR-345-ST",
                                                                               dispatchDate: "2026-11-22", dispatchTime: "11:00"))).created.body.json

                // alerts (CID)
                let alert = try await cid.publishAlert(body: .json(.init(level: .black, services: [.gps], modes: [.edi], title: "GPS indisponible",
                                                                         description: "Plus aucune réponse de GPS en EDI."))).created.body.json
                #expect(alert.level == .black && alert.endedAt == nil)
                let bulletin = try await cid.addAlertBulletin(path: .init(reference: alert.reference), body: .json(.init(text: "Rétablissement prévu à midi."))).created.body.json
                #expect(bulletin.bulletins.map(\.text) == ["Rétablissement prévu à midi."])
                let ended = try await cid.endAlert(path: .init(reference: alert.reference), body: .json(.init(text: "Service rétabli."))).ok.body.json
                #expect(ended.endedAt != nil)
                guard case .notFound = try await cid.endAlert(path: .init(reference: "AL000101-01")) else {
                    Issue.record("an unknown alert is not a documented 404"); return
                }

                // fallback episodes
                let episode = try await marie.createEpisode(body: .json(.init(exciseNumber: "FR007328E0002", service: .gps, basis: .officeAuthorisation,
                                                                              reason: "Plus d'accès à GPS depuis ce matin."))).created.body.json
                #expect(episode.status == .requested && episode.deadline != nil)
                guard case let .conflict(again) = try await marie.createEpisode(body: .json(.init(exciseNumber: "FR007328E0002", service: .gps, basis: .officeAuthorisation,
                                                                                                  reason: "Encore."))) else {
                    Issue.record("a second active episode is not a documented 409"); return
                }
                #expect(try again.body.json.error.code == "episode_active")
                #expect(try await marie.listEpisodes(query: .init(status: .requested, exciseNumber: "FR007328E0002")).ok.body.json.map(\.id) == [episode.id])
                #expect(try await marie.getEpisode(path: .init(id: episode.id)).ok.body.json.events?.count == 1)
                let decided = try await agent.decideEpisode(path: .init(id: episode.id), body: .json(.init(decision: .authorise))).ok.body.json
                #expect(decided.status == .open)
                let evidence = try await marie.addEpisodeEvidence(path: .init(id: episode.id), body: .json(.init(text: "Capture de l'écran d'erreur."))).created.body.json
                #expect(evidence.events?.last?.kind == .evidence)
                let closed = try await marie.endEpisode(path: .init(id: episode.id), body: .json(.init(comment: "GPS répond de nouveau."))).ok.body.json
                #expect(closed.status == .closed)

                // assistance requests (self-trigger)
                let request = try await marie.createAssistanceRequest(body: .json(.init(exciseNumber: "FR007328E0001", eori: "FR73282932000074", companyName: "SCEA Château Les Graves",
                                                                                        address: "12 chemin des Vignes, 33720 Podensac", phone: "05 56 00 00 00", service: .deltaG,
                                                                                        switchDate: "2026-11-22", switchTime: "09:50", reasons: "DELTA G ne répond plus."))).created.body.json
                #expect(request.closedAt == nil && request.mention == AssistanceRequest.mention)
                #expect(try await marie.listAssistanceRequests().ok.body.json.map(\.id) == [request.id])
                #expect(try await marie.getAssistanceRequest(path: .init(id: request.id)).ok.body.json.reference == request.reference)
                let closedRequest = try await marie.closeAssistanceRequest(path: .init(id: request.id)).ok.body.json
                #expect(closedRequest.closedAt != nil)
                guard case .conflict = try await marie.closeAssistanceRequest(path: .init(id: request.id), body: .json(.init(comment: "Encore."))) else {
                    Issue.record("closing twice is not a documented 409"); return
                }

                // DRM report
                let drm = try await marie.getDRMReport(query: .init(month: "2026-11", exciseNumber: "FR007328E0001")).ok.body.json
                #expect(drm.map(\.exciseNumber) == ["FR007328E0001"] && (drm.first?.total ?? 0) >= 4)
                guard case let .unprocessableContent(badMonth) = try await marie.getDRMReport(query: .init(month: "1999-13")) else {
                    Issue.record("a bad month is not a documented 422"); return
                }
                #expect(try badMonth.body.json.error.fields?.map(\.field) == ["month"])

                // The third document lapses after the delay; only the office brings it back.
                clock.set(ISO8601DateFormatter().date(from: "2026-12-02T09:00:00Z")!)
                try await Inactivator(db: app.db, rule: InactivationRule(days: 7)).run(now: clock.now)
                guard case .forbidden = try await marie.reactivateDocument(path: .init(number: third.number), body: .json(.init(reason: .operatorOversight))) else {
                    Issue.record("an operator reactivating is not a documented 403"); return
                }
                let reactivated = try await agent.reactivateDocument(path: .init(number: third.number), body: .json(.init(reason: .operatorOversight))).ok.body.json
                #expect(reactivated.status == .active && reactivated.reactivationReason == .operatorOversight)

                // signing out of the API
                let token = try await Self.token(anonymous, "paul.martin")
                let paul = Self.client(server, token: token)
                // renewing it without the password: the old one is no longer good
                let renewed = try await paul.refreshToken().ok.body.json
                #expect(renewed.token != token)
                guard case .unauthorized = try await paul.refreshToken() else { Issue.record("a renewed token is not a documented 401"); return }
                let paulAgain = Self.client(server, token: renewed.token)
                guard case .noContent = try await paulAgain.revokeToken() else { Issue.record("revocation is not a documented 204"); return }
                guard case .unauthorized = try await paulAgain.revokeToken() else { Issue.record("a revoked token is not a documented 401"); return }
            }
        }
        let documented = try Self.operationIDs()
        #expect(documented.count == 49 && Self.called.value == documented, "not called: \(documented.subtracting(Self.called.value))")
    }
}

/// A value shared by the concurrent parts of a test.
final class Locked<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value { lock.withLock { stored } }
    func update(_ change: (inout Value) -> Void) { lock.withLock { change(&stored) } }
}
