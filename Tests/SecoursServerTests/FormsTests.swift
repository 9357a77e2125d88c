import Foundation
import SecoursCore
import Testing
import VaporTesting
@testable import SecoursServer

@Suite("Paper forms as PDF: API and pages (R-PDF-1, R-GPS-10)")
struct FormsTests {
    @Test(arguments: TestDatabase.available)
    func blankFormsForEveryAccount(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            for file in ["DAE.pdf", "DSA.pdf", "daa.pdf"] {
                let r = try await app.api(.GET, "/api/v1/forms/\(file)", token: marie)
                #expect(r.status == .ok, "\(file)")
                #expect(r.headers.contentType == HTTPMediaType(type: "application", subType: "pdf"))
                #expect(r.headers.first(name: .contentDisposition)?.hasPrefix("attachment; filename=\"secours-") == true)
                #expect(r.text.hasPrefix("%PDF-1.7") && r.text.contains("/AcroForm") && r.text.contains("/MaxLen 21"))
            }
            let dsa = try await app.api(.GET, "/api/v1/forms/DSA.pdf", token: marie)
            #expect(dsa.text.contains("(DOCUMENT SIMPLIFI\\311 D'ACCOMPAGNEMENT \\227 DSA)"))
            let lrn = try await app.api(.GET, "/api/v1/forms/DAE.pdf?variant=gamma2", token: marie)
            #expect(lrn.status == .ok && lrn.text.contains("/MaxLen 22") && lrn.headers.first(name: .contentDisposition)?.contains("gamma2") == true)
            // Clear errors.
            let unknown = try await app.api(.GET, "/api/v1/forms/DAD.pdf", token: marie)
            #expect(unknown.status == .notFound && unknown.errorMessage?.contains("DAE.pdf ou DSA.pdf") == true)
            let variant = try await app.api(.GET, "/api/v1/forms/DAE.pdf?variant=gamma3", token: marie)
            #expect(variant.status == .unprocessableEntity && variant.errorFields == ["variant"])
            let extra = try await app.api(.GET, "/api/v1/forms/DAE.pdf?colour=red", token: marie)
            #expect(extra.status == .unprocessableEntity && extra.errorFields == ["colour"])
            #expect(try await app.api(.GET, "/api/v1/forms/DAE.pdf").status == .unauthorized)
        }
    }

    @Test(arguments: TestDatabase.available)
    func filledFormOfADocumentInScope(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let marie = try await app.token("marie.laurent")
            let number = try #require(try await app.generate(marie, transport: "GH-712-XY").object["number"] as? String)
            let r = try await app.api(.GET, "/api/v1/documents/\(number)/form.pdf?consignor=Ch%C3%A2teau%20L%C3%A9v%C3%AAque&cnCode=22042109", token: marie)
            #expect(r.status == .ok)
            #expect(r.headers.first(name: .contentDisposition) == "inline; filename=\"secours-\(number).pdf\"")
            #expect(r.headers.first(name: .cacheControl) == "no-store")
            // Printed on the page: each character of the number in its cell, the excise number,
            // the transport, the dispatch, and the boxes given.
            for ch in number { #expect(r.text.contains("(\(ch)) Tj")) }
            #expect(r.text.contains("(FR007328E0001)"))
            #expect(r.text.contains("(Immatriculation du premier moyen de transport : GH-712-XY)"))
            #expect(r.text.contains("(23/11/2026 \\340 08:30)"))
            #expect(r.text.contains("(Ch\\342teau L\\351v\\352que)") && r.text.contains("(22042109)"))
            #expect(!r.text.contains("numero_secours".utf16.map { String(format: "%04X", $0) }.joined()), "the number cells are printed, not a field")

            // Bad box values change nothing and say why.
            let bad = try await app.api(.GET, "/api/v1/documents/\(number)/form.pdf?colour=red&consignor=\(String(repeating: "x", count: 401))", token: marie)
            #expect(bad.status == .unprocessableEntity && Set(bad.errorFields) == ["colour", "consignor"])

            // The office of attachment sees it; another company and an unknown number get 404.
            #expect(try await app.api(.GET, "/api/v1/documents/\(number)/form.pdf", token: try await app.token("agent.bordeaux")).status == .ok)
            let other = try await app.api(.GET, "/api/v1/documents/\(number)/form.pdf", token: try await app.token("sophie.durand"))
            #expect(other.status == .notFound && !other.text.contains("%PDF"))
            #expect(try await app.api(.GET, "/api/v1/documents/26FR007328E0001099991/form.pdf", token: marie).status == .notFound)
        }
    }

    @Test(arguments: TestDatabase.available)
    func pagesOfferTheForms(_ db: TestDatabase) async throws {
        try await withApp(db) { app in
            let number = try #require(try await app.generate(try await app.token("marie.laurent")).object["number"] as? String)
            let web = WebSession(app)
            _ = try await web.signIn("marie.laurent")
            let home = try await web.get("/accueil")
            #expect(home.html.contains("Formulaires de secours vierges"))
            for path in ["/formulaires/DAE.pdf", "/formulaires/DSA.pdf", "/formulaires/DAE.pdf?variant=gamma2"] {
                #expect(home.html.contains(path.replacingOccurrences(of: "&", with: "&amp;")))
                let pdf = try await web.get(path)
                #expect(pdf.status == .ok && pdf.html.hasPrefix("%PDF-1.7"), "\(path)")
            }
            for page in ["/documents/\(number)", "/documents/\(number)/recapitulatif"] {
                #expect(try await web.get(page).html.contains("/documents/\(number)/formulaire.pdf"), "\(page)")
            }
            let filled = try await web.get("/documents/\(number)/formulaire.pdf")
            #expect(filled.status == .ok && filled.html.contains("(FR007328E0001)"))

            // Another company's account cannot print it; signed out, the page asks to sign in.
            let other = WebSession(app)
            _ = try await other.signIn("sophie.durand")
            let refused = try await other.get("/documents/\(number)/formulaire.pdf")
            #expect(refused.status == .notFound && !refused.html.contains("%PDF"))
            let anonymous = try await WebSession(app).get("/formulaires/DAE.pdf")
            #expect(anonymous.status == .seeOther || anonymous.status == .found)
        }
    }
}
