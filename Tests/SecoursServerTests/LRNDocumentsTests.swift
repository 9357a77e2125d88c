import Fluent
import Foundation
import SecoursCore
import SQLKit
import Testing
import VaporTesting
@testable import SecoursServer

/// GAMMA 2 fallback LRNs (R-NUM-6, R-DOC-1) as documents of the service: registered a posteriori,
/// communicated, followed, searched, in the DRM and the office console, moved like CRAPS documents,
/// within scope in every format.
@Suite("GAMMA 2 fallback LRNs as documents")
struct LRNDocumentsTests {
    // The reference clock is 22/11/2026 10:15 in Paris.
    static let lrn = "PS261121E00010001"

    func register(_ app: Application, _ token: String, number: String, type: String = "DSA", excise: String = "FR007328E0001",
                  date: String = "2026-11-21", time: String = "16:00", confirmJump: Bool = false) async throws -> APIResponse {
        try await app.api(.POST, "/api/v1/documents/registrations", token: token, body: [
            "number": number, "type": type, "exciseNumber": excise, "transport": "AB-123-CD", "dispatchDate": date, "dispatchTime": time,
            "confirmJump": confirmJump,
        ])
    }

    @Test(arguments: TestDatabase.available)
    func registeredFollowedAndSearched(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            // setup
            let marie = try await app.token("marie.laurent")
            // act
            let r = try await register(app, marie, number: Self.lrn)
            // check
            #expect(r.status == .created, "\(r.text)")
            #expect(r.object["number"] as? String == Self.lrn && r.object["kind"] as? String == "lrn")
            #expect(r.object["type"] as? String == "DSA" && r.object["registrationMode"] as? String == "a-posteriori")
            #expect(r.object["status"] as? String == "active" && r.object["dispatchDate"] as? String == "2026-11-21")
            #expect(r.headers.first(name: .location) == "/api/v1/documents/\(Self.lrn)")
            let stored = try #require(try await DocumentModel.query(on: app.db).filter(\.$number == Self.lrn).first())
            #expect(stored.kind == .lrn && stored.sequence == 1 && stored.year == 2026)
            // The CRAPS annual sequence is not touched: the next generated number is still 00001.
            #expect(try await SequenceStore(db: app.db).last(exciseNumber: "FR007328E0001", year: 2026) == 0)
            #expect((try await app.generate(marie).object["number"] as? String)?.hasPrefix("26FR007328E000100001") == true)

            let read = try await app.api(.GET, "/api/v1/documents/\(Self.lrn.lowercased())", token: marie)
            #expect(read.status == .ok && read.object["kind"] as? String == "lrn")
            let history = try await app.api(.GET, "/api/v1/documents/\(Self.lrn)/history", token: marie)
            #expect(history.array.count == 1 && history.array.first?["action"] as? String == "registration")
            #expect((history.array.first?["details"] as? String)?.contains("LRN de secours GAMMA 2") == true)

            let byKind = try await app.api(.GET, "/api/v1/documents?kind=eq:lrn", token: marie)
            #expect(byKind.status == .ok && byKind.object["total"] as? Int == 1, "\(byKind.text)")
            #expect(((byKind.object["items"] as? [[String: Any]])?.first?["number"] as? String) == Self.lrn)
            let crapsOnly = try await app.api(.GET, "/api/v1/documents?kind=craps&exciseNumber=FR007328E0001", token: marie)
            #expect(!((crapsOnly.object["items"] as? [[String: Any]]) ?? []).contains { $0["number"] as? String == Self.lrn })
            #expect(try await app.api(.GET, "/api/v1/documents?kind=eq:gamma", token: marie).errorFields == ["kind"])
            let byNumber = try await app.api(.GET, "/api/v1/documents?number=starts:ps2611", token: marie)
            #expect(byNumber.object["total"] as? Int == 1)
            let csv = try await app.api(.GET, "/api/v1/documents?kind=lrn&format=csv", token: marie)
            #expect(csv.status == .ok && csv.text.contains("\"\(Self.lrn)\";\"DSA\";\"FR007328E0001\"") && csv.text.contains("\"\(DocumentKind.lrn.label)\"\r\n"))
            let follow = try await app.api(.GET, "/api/v1/excise-numbers/FR007328E0001/documents", token: marie)
            #expect(((follow.object["items"] as? [[String: Any]]) ?? []).contains { $0["number"] as? String == Self.lrn })

            // Its filled form is the GAMMA 2 one (22 cells for the LRN).
            let pdf = try await app.api(.GET, "/api/v1/documents/\(Self.lrn)/form.pdf", token: marie)
            #expect(pdf.status == .ok && pdf.text.hasPrefix("%PDF") && pdf.text.contains("LRN de secours GAMMA 2"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func duplicatesAreRefused(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            #expect(try await register(app, marie, number: Self.lrn).status == .created)
            let before = try await DocumentModel.query(on: app.db).count()
            let again = try await register(app, marie, number: Self.lrn.lowercased(), type: "DAE")
            #expect(again.status == .conflict && again.errorCode == "number_already_known", "\(again.text)")
            // The same serial on another day: the serial is the operator's, whatever the date.
            let sameSerial = try await register(app, marie, number: "PS261122E00010001", date: "2026-11-22", time: "09:00")
            #expect(sameSerial.status == .conflict && sameSerial.errorCode == "lrn_serial_already_used", "\(sameSerial.text)")
            #expect(sameSerial.errorMessage?.contains("numéro de série 1") == true && sameSerial.errorMessage?.contains(Self.lrn) == true)
            #expect(try await DocumentModel.query(on: app.db).count() == before)
            // Another excise number has its own serials.
            #expect(try await register(app, marie, number: "PS261121E00020001", excise: "FR007328E0002").status == .created)
            #expect(try await register(app, marie, number: "PS261121E00010002").status == .created)

            // The database itself refuses a second LRN with a serial already used, whatever writes.
            let copy: SQLQueryString = """
                INSERT INTO documents (id, number, kind, type, excise_number, year, sequence, transport, dispatch_date, dispatch_time,
                                       registered_at, registration_date, registration_mode, actor_type, actor_login, status)
                SELECT \(bind: UUID()), 'PS261120E00010001', kind, type, excise_number, year, sequence, transport, dispatch_date, dispatch_time,
                       registered_at, registration_date, registration_mode, actor_type, actor_login, status
                FROM documents WHERE number = \(bind: Self.lrn)
                """
            await #expect(throws: (any Error).self) { try await (app.db as! SQLDatabase).raw(copy).run() }
            #expect(try await DocumentModel.query(on: app.db).filter(\.$kind == .lrn).count() == 3)
        }
    }

    @Test(arguments: TestDatabase.available)
    func badLRNsAreExplainedAndChangeNothing(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            let before = try await DocumentModel.query(on: app.db).count()
            let cases: [(number: String, excise: String, date: String, field: String, says: String)] = [
                ("PS261121E00020001", "FR007328E0001", "2026-11-21", "number", "cinq derniers caractères du numéro d'accise"),
                ("PS261123E00010001", "FR007328E0001", "2026-11-21", "number", "dans le futur"),
                ("PS261121E00010000", "FR007328E0001", "2026-11-21", "number", "LRN de secours invalide"),
                ("PS261121E0001000000001", "FR007328E0001", "2026-11-21", "number", "LRN de secours invalide"),
                ("PS261121E00010000000001", "FR007328E0001", "2026-11-21", "number", "22"),
                ("PS261131E00010001", "FR007328E0001", "2026-11-21", "number", "LRN de secours invalide"),
                ("PS261121E0001A001", "FR007328E0001", "2026-11-21", "number", "position 14"),
                ("PS261120E00010001", "FR007328E0001", "2026-11-21", "dispatchDate", "doit être celle du LRN"),
            ]
            for c in cases {
                let r = try await register(app, marie, number: c.number, excise: c.excise, date: c.date)
                if c.number == "PS261121E0001000000001" {
                    // 22 characters, serial 1 written with padding: a valid LRN.
                    #expect(r.status == .created, "\(r.text)")
                    continue
                }
                #expect(r.status == .unprocessableEntity && r.errorCode == "validation_failed", "\(c.number): \(r.text)")
                #expect(r.errorFields == [c.field], "\(c.number): \(r.text)")
                #expect(r.text.contains(c.says), "\(c.number): \(r.text)")
            }
            #expect(try await DocumentModel.query(on: app.db).count() == before + 1)
            // Lowercase and surrounding spaces are normalised, nothing else.
            let lower = try await register(app, marie, number: "  ps261121e00010007 ")
            #expect(lower.status == .created && lower.object["number"] as? String == "PS261121E00010007", "\(lower.text)")
            // An LRN carries no type: a DAE right is needed for a DAE, whatever the number.
            let paul = try await register(app, try await app.token("paul.martin"), number: "PS261121E00010008", type: "DSA")
            #expect(paul.status == .forbidden && paul.errorCode == "right_missing")
            // Another company may not register on this excise number.
            let sophie = try await register(app, try await app.token("sophie.durand"), number: "PS261121E00010009")
            #expect(sophie.status == .forbidden && sophie.errorCode == "excise_number_not_allowed")
            #expect(try await DocumentModel.query(on: app.db).count() == before + 2)
        }
    }

    @Test(arguments: TestDatabase.available)
    func cancelledReactivatedReintegrated(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            let agent = try await app.token("agent.bordeaux")
            #expect(try await register(app, marie, number: "PS261112E00010001", date: "2026-11-12").status == .created)
            #expect(try await register(app, marie, number: "PS261121E00010002").status == .created)
            #expect(try await register(app, marie, number: "PS261122E00010003", date: "2026-11-22", time: "08:00").status == .created)
            _ = try await Inactivator(db: app.db, rule: InactivationRule(days: 7)).run(now: referenceNow)
            #expect(try await app.api(.GET, "/api/v1/documents/PS261112E00010001", token: marie).object["status"] as? String == "inactive")
            let reactivated = try await app.api(.POST, "/api/v1/documents/PS261112E00010001/reactivation", token: agent, body: ["reason": "operator-oversight"])
            #expect(reactivated.status == .ok && reactivated.object["status"] as? String == "active", "\(reactivated.text)")
            let reintegrated = try await app.api(.POST, "/api/v1/documents/PS261112E00010001/reintegration", token: marie, body: ["arc": "23DKLAWWKM7TCWAKL2B09"])
            #expect(reintegrated.status == .ok && reintegrated.object["status"] as? String == "reintegrated" && reintegrated.object["arc"] as? String == "23DKLAWWKM7TCWAKL2B09")
            let cancelled = try await app.api(.POST, "/api/v1/documents/PS261121E00010002/cancellation", token: marie, body: ["reason": "document-error"])
            #expect(cancelled.status == .ok && cancelled.object["status"] as? String == "cancelled")
            #expect(try await app.api(.POST, "/api/v1/documents/PS261121E00010002/reintegration", token: marie, body: ["arc": "23DKLAWWKM7TCWAKL2B09"]).status == .conflict)
            let history = try await app.api(.GET, "/api/v1/documents/PS261112E00010001/history", token: marie)
            #expect(history.array.map { $0["action"] as? String } == ["registration", "inactivation", "reactivation", "reintegration"])
            // A cancelled LRN stays known: its number and its serial are never used again.
            #expect(try await register(app, marie, number: "PS261121E00010002").errorCode == "number_already_known")
            #expect(try await register(app, marie, number: "PS261122E00010002", date: "2026-11-22", time: "08:00").errorCode == "lrn_serial_already_used")
        }
    }

    @Test(arguments: TestDatabase.available)
    func communicatedAndShownInTheConsole(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            let sent = try await app.api(.POST, "/api/v1/communications", token: marie, body: [
                "number": "ps261122e00010005", "type": "DAE", "exciseNumber": "FR007328E0001", "transport": "AB-123-CD",
                "dispatchDate": "2026-11-22", "dispatchTime": "14:00"])
            #expect(sent.status == .created && sent.object["number"] as? String == "PS261122E00010005", "\(sent.text)")
            // An LRN of another operator, or dated another day than the departure, is refused.
            let wrong = try await app.api(.POST, "/api/v1/communications", token: marie, body: [
                "number": "PS261122F00050006", "type": "DAE", "exciseNumber": "FR007328E0001", "transport": "AB-123-CD",
                "dispatchDate": "2026-11-22", "dispatchTime": "14:00"])
            #expect(wrong.status == .unprocessableEntity && wrong.errorFields == ["number"])
            let tomorrow = try await app.api(.POST, "/api/v1/communications", token: marie, body: [
                "number": "PS261122E00010006", "type": "DAE", "exciseNumber": "FR007328E0001", "transport": "AB-123-CD",
                "dispatchDate": "2026-11-23", "dispatchTime": "08:00"])
            #expect(tomorrow.status == .unprocessableEntity && tomorrow.errorFields == ["dispatchDate"])
            let listed = try await app.api(.GET, "/api/v1/communications", token: marie).array.compactMap { $0["number"] as? String }
            #expect(listed.contains("PS261122E00010005") && !listed.contains("PS261122E00010006"))
            #expect(try await register(app, marie, number: Self.lrn).status == .created)

            let web = WebSession(app)
            _ = try await web.signIn("agent.bordeaux")
            let page = try await web.get("/bureau")
            #expect(page.status == .ok && page.html.contains("PS261122E00010005</td><td>LRN GAMMA 2</td>"), "\(page.html)")
            #expect(page.html.contains("DAA / DAE – LRN de secours GAMMA 2 n° PS261122E00010005"))
            #expect(page.html.contains("LRN de secours GAMMA 2 enregistrés") && page.html.contains(">\(Self.lrn)</a>"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func drmListsLRNsApart(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            #expect(try await app.api(.POST, "/api/v1/documents/registrations", token: marie, body: [
                "number": "26FR007328E0001000041", "type": "DAE", "exciseNumber": "FR007328E0001", "transport": "AB-1",
                "dispatchDate": "2026-11-02", "dispatchTime": "08:00"]).status == .created)
            // Serial 9999 then 10000 the same day: as text the later would sort first.
            #expect(try await register(app, marie, number: "PS261121E00019999", confirmJump: true).status == .created)
            #expect(try await register(app, marie, number: "PS261121E000110000", type: "DAE").status == .created)
            #expect(try await register(app, marie, number: "PS261121E00020003", excise: "FR007328E0002").status == .created)

            let json = try await app.api(.GET, "/api/v1/reports/drm?month=2026-11", token: marie)
            #expect(json.status == .ok && json.array.count == 3, "\(json.text)")
            let craps = try #require(json.array.first)
            #expect(craps["exciseNumber"] as? String == "FR007328E0001" && craps["kind"] as? String == "craps")
            #expect(craps["first"] as? String == "26FR007328E0001000041" && craps["last"] as? String == "26FR007328E0001000041" && craps["total"] as? Int == 1)
            let lrns = json.array[1]
            #expect(lrns["exciseNumber"] as? String == "FR007328E0001" && lrns["kind"] as? String == "lrn")
            #expect(lrns["first"] as? String == "PS261121E00019999" && lrns["last"] as? String == "PS261121E000110000" && lrns["total"] as? Int == 2)
            #expect((lrns["byType"] as? [String: Int]) == ["DAE": 1, "DSA": 1])
            #expect(lrns["kindLabel"] == nil)
            #expect(json.array[2]["exciseNumber"] as? String == "FR007328E0002" && json.array[2]["first"] as? String == "PS261121E00020003")

            let csv = try await app.api(.GET, "/api/v1/reports/drm?month=2026-11&format=csv", token: marie)
            #expect(csv.text.contains("\"FR007328E0001\";\"2026-11\";\"PS261121E00019999\";\"PS261121E000110000\";\"2\""))
            #expect(csv.text.contains("\"\(DocumentKind.lrn.label)\"\r\n") && csv.text.contains("\"\(DocumentKind.craps.label)\"\r\n"))
            let pdf = try await app.api(.GET, "/api/v1/reports/drm?month=2026-11&format=pdf", token: marie)
            #expect(pdf.text.hasPrefix("%PDF") && pdf.text.contains("(PS261121E000110000)") && pdf.text.contains("(LRN GAMMA 2)"))
            let web = WebSession(app)
            _ = try await web.signIn("marie.laurent")
            let page = try await web.get("/drm?month=2026-11")
            #expect(page.html.contains("<td>LRN GAMMA 2</td><td class=\"mono\">PS261121E00019999</td><td class=\"mono\">PS261121E000110000</td>"), "\(page.html)")
        }
    }

    @Test(arguments: TestDatabase.available)
    func anotherCompanySeesNothing(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            #expect(try await register(app, marie, number: Self.lrn).status == .created)
            let sophie = try await app.token("sophie.durand")
            #expect(try await app.api(.GET, "/api/v1/documents/\(Self.lrn)", token: sophie).status == .notFound)
            #expect(try await app.api(.GET, "/api/v1/documents/\(Self.lrn)/history", token: sophie).status == .notFound)
            #expect(try await app.api(.GET, "/api/v1/documents/\(Self.lrn)/form.pdf", token: sophie).status == .notFound)
            #expect(try await app.api(.POST, "/api/v1/documents/\(Self.lrn)/cancellation", token: sophie, body: ["reason": "document-error"]).status == .notFound)
            let search = try await app.api(.GET, "/api/v1/documents?kind=eq:lrn", token: sophie)
            #expect(search.status == .ok && search.object["total"] as? Int == 0)
            let csv = try await app.api(.GET, "/api/v1/documents?number=starts:PS&format=csv", token: sophie)
            #expect(csv.status == .ok && !csv.text.contains(Self.lrn))
            #expect(try await app.api(.GET, "/api/v1/excise-numbers/FR007328E0001/documents", token: sophie).status == .notFound)
            let drm = try await app.api(.GET, "/api/v1/reports/drm?month=2026-11", token: sophie)
            #expect(!drm.text.contains(Self.lrn) && !drm.text.contains("FR007328E0001"))
            let drmCSV = try await app.api(.GET, "/api/v1/reports/drm?month=2026-11&format=csv", token: sophie)
            #expect(!drmCSV.text.contains(Self.lrn))
            // The same LRN for her own excise number is another document; its suffix must be hers.
            #expect(try await register(app, sophie, number: "PS261121F00050001", excise: "FR009990F0005").status == .created)
            #expect(try await app.api(.GET, "/api/v1/documents?kind=eq:lrn", token: marie).object["total"] as? Int == 1)

            let web = WebSession(app)
            _ = try await web.signIn("sophie.durand")
            #expect(try await web.get("/documents/\(Self.lrn)").status == .notFound)
            let page = try await web.get("/rechercher?_go=1&_op_kind=eq&kind=lrn")
            #expect(page.status == .ok && !page.html.contains(Self.lrn) && page.html.contains("PS261121F00050001"))
            #expect(!(try await web.get("/rechercher?kind=eq:lrn&format=csv")).html.contains(Self.lrn))
            #expect(!(try await web.get("/drm?month=2026-11")).html.contains(Self.lrn))
        }
    }

    @Test(arguments: TestDatabase.available)
    func registeredAndCommunicatedThroughThePages(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let web = WebSession(app)
            _ = try await web.signIn("marie.laurent")
            _ = try await web.get("/enregistrer")
            let wrong = try await web.post("/enregistrer", ["number": "PS261121E00020001", "type": "DSA", "exciseNumber": "FR007328E0001",
                                                            "transport": "AB-1", "dispatchDate": "2026-11-21", "dispatchTime": "09:00"])
            #expect(wrong.status == .unprocessableEntity && wrong.html.contains(#"id="number-error""#))
            #expect(try await DocumentModel.query(on: app.db).filter(\.$kind == .lrn).count() == 0)
            let ok = try await web.post("/enregistrer", ["number": Self.lrn, "type": "DSA", "exciseNumber": "FR007328E0001",
                                                         "transport": "AB-1", "dispatchDate": "2026-11-21", "dispatchTime": "09:00"])
            #expect(ok.status == .seeOther && ok.location == "/documents/\(Self.lrn)?fait=enregistre")
            let detail = try await web.get("/documents/\(Self.lrn)")
            #expect(detail.status == .ok && detail.html.contains("LRN de secours GAMMA 2") && detail.html.contains("Annuler ce document"))
            let search = try await web.get("/rechercher?_go=1&_op_kind=eq&kind=lrn")
            #expect(search.status == .ok && search.html.contains(">\(Self.lrn)</a>") && search.html.contains("Nature du numéro"))

            _ = try await web.get("/communiquer")
            let sent = try await web.post("/communiquer", ["number": "PS261122E00010002", "type": "DAE", "exciseNumber": "FR007328E0001",
                                                           "transport": "AB-1", "dispatchDate": "2026-11-22", "dispatchTime": "15:00"])
            #expect(sent.status == .seeOther || sent.status == .ok, "\(sent.status) \(sent.html)")
            #expect(try await web.get("/communiquer").html.contains("PS261122E00010002"))
        }
    }

    @Test(arguments: TestDatabase.available)
    func importLeavesLRNsToTheForm(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let edi = try await app.token("edi.transvin")
            let xml = """
                <?xml version="1.0" encoding="UTF-8"?>
                <importGPS>
                  <document>
                    <numero>PS261121F00050001</numero>
                    <type>DSA</type>
                    <numeroAccise>FR009990F0005</numeroAccise>
                    <immatriculation>AB-1</immatriculation>
                    <dateExpedition>2026-11-21</dateExpedition>
                    <heureExpedition>09:00</heureExpedition>
                  </document>
                </importGPS>
                """
            let r = try await app.api(.POST, "/api/v1/imports", token: edi, body: xml, headers: [("Content-Type", "application/xml")])
            #expect(r.status == .ok, "\(r.text)")
            #expect(r.object["refused"] as? Int == 1 && r.text.contains("ne s'importe pas"), "\(r.text)")
            #expect(try await DocumentModel.query(on: app.db).filter(\.$kind == .lrn).count() == 0)
        }
    }
}
