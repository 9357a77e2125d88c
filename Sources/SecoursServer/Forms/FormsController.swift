import SecoursCore
import SecoursForms
import Vapor

/// The paper fallback forms as PDF (R-PDF-1, R-GPS-10): blank and fillable, for keeping against
/// the day the network is down, and filled from a document of the caller's scope. The same
/// handlers serve the API (bearer token) and the pages (session).
struct FormsController {
    /// `GET /api/v1/forms/{DAE|DSA}.pdf` and `/formulaires/{DAE|DSA}.pdf`, `?variant=gamma2` for
    /// the GAMMA 2 form (LRN cells). `DAA.pdf` is the DAE's older name.
    func blank(req: Request) async throws -> Response {
        let file = try req.parameters.require("file")
        guard file.hasSuffix(".pdf"), let type = DocumentType(code: String(file.dropLast(4)).uppercased()) else {
            throw SecoursError(kind: .notFound, code: "not_found", message: Messages.Forms.unknownForm(file))
        }
        var variant = FallbackForm.Variant.gamma
        for (_, value) in try req.querySource.read(req.queryPairs, known: ["variant"]) {
            guard let v = FallbackForm.Variant(rawValue: value) else {
                throw SecoursError.invalid(field: "variant", message: Messages.Forms.unknownVariant(value))
            }
            variant = v
        }
        let pdf = try FallbackForm(type: type, variant: variant).pdf()
        let name = "secours-\(type.rawValue)\(variant == .gamma2 ? "-gamma2" : "").pdf"
        return Self.response(pdf, filename: name, disposition: "attachment", cache: "private, max-age=86400")
    }

    /// `GET /api/v1/documents/{number}/form.pdf` and `/documents/{number}/formulaire.pdf`: the
    /// form filled from the document; other boxes may be given as query parameters
    /// (`consignor=…&consignee=…`, names in `FallbackForm.Box`).
    func filled(req: Request) async throws -> Response {
        let (doc, type, _) = try await DocumentService(req).findWithFacts(req.parameters.require("number"))
        // The names are the boxes' to check (all errors at once); the source refuses blank values.
        let pairs = req.queryPairs
        let boxes = try FallbackForm.boxes(req.querySource.read(pairs, known: pairs.map(\.name)))
        guard let day = ParisDay(text: doc.dispatchDate), let time = ParisTime(text: doc.dispatchTime) else {
            throw Abort(.internalServerError, reason: "document \(doc.number) has an unreadable dispatch date")
        }
        let variant: FallbackForm.Variant = doc.kind == .lrn ? .gamma2 : .gamma
        let form = FallbackForm.filled(type: type, reference: doc.number, variant: variant, exciseNumber: doc.exciseNumber,
                                       transport: doc.transport, dispatch: DispatchMoment(day: day, time: time), boxes: boxes,
                                       seal: Self.seal(of: doc, req: req))
        return Self.response(try form.pdf(), filename: "secours-\(doc.number).pdf", disposition: "inline", cache: "no-store")
    }

    /// The document's seal, signed by the service's key, with the line that says where to check
    /// it; nil (and a warning) for a document the seal's rules refuse.
    static func seal(of doc: DocumentModel, req: Request) -> FallbackForm.Seal? {
        guard let code = req.application.secours.seal.code(for: doc) else {
            req.logger.warning("Form printed without a seal: the document is outside the seal's rules", metadata: ["number": .string(doc.number)])
            return nil
        }
        let site = verificationSite(req)
        return FallbackForm.Seal(code: code, caption: localized("Code signé : vérifiable hors ligne sur \(site)/verifier",
                                                                "Signed code: verifiable offline at \(site)/verifier"))
    }

    /// The service's address as printed under the seal: `SECOURS_PUBLIC_URL` without its scheme,
    /// or the host the request named (letters, digits, `.-:[]` only).
    static func verificationSite(_ req: Request) -> String {
        if let url = req.application.secours.settings.publicURL {
            return url.replacingOccurrences(of: "https://", with: "").replacingOccurrences(of: "http://", with: "")
        }
        let host = String((req.headers.first(name: .host) ?? "").filter { $0.isASCII && ($0.isLetter || $0.isNumber || ".-:[]".contains($0)) }.prefix(80))
        return host.isEmpty ? "localhost" : host
    }

    static func response(_ pdf: [UInt8], filename: String, disposition: String, cache: String) -> Response {
        var headers = HTTPHeaders()
        headers.contentType = HTTPMediaType(type: "application", subType: "pdf")
        headers.replaceOrAdd(name: .contentDisposition, value: "\(disposition); filename=\"\(filename)\"")
        headers.replaceOrAdd(name: .cacheControl, value: cache)
        return Response(status: .ok, headers: headers, body: .init(data: Data(pdf)))
    }
}
