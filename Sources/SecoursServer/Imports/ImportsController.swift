import Foundation
import SecoursCore
import Vapor

/// `POST /api/v1/imports` (XML body) and the upload page.
struct ImportsController {
    /// The report is written straight into the response body: a large file's report never exists
    /// twice (as values and as an encoder's tree).
    func importFile(req: Request) async throws -> Response {
        var confirmJumps = false
        for (_, value) in try QuerySource.api.read(req.queryPairs, known: ["confirmJumps"]) {
            guard let b = Bool(value) else {
                throw SecoursError.invalid(field: "confirmJumps", message: Messages.Imports.confirmJumpsValue)
            }
            confirmJumps = b
        }
        guard let body = req.body.data else { throw ImportParser.invalid(Messages.Imports.emptyFile) }
        let report = try await run(req, entries: try Self.parse(req, body), confirmJumps: confirmJumps)
        var headers = HTTPHeaders()
        headers.contentType = .json
        return Response(status: .ok, headers: headers, body: .init(buffer: report.json(allocator: req.byteBufferAllocator)))
    }

    /// The entries; the file's copy for the parser lives only while it parses.
    private static func parse(_ req: Request, _ buffer: ByteBuffer) throws -> [ImportParser.Entry] {
        do {
            return try ImportParser.parse(Data(buffer.readableBytesView), maxEntries: req.application.secours.settings.maxImportEntries)
        } catch {
            req.application.metrics.importFile(outcome: "refused")
            throw error
        }
    }

    private func run(_ req: Request, entries: [ImportParser.Entry], confirmJumps: Bool) async throws -> ImportService.Report {
        let state = req.application.secours
        let report = try await ImportService(service: DocumentService(req), confirmJumps: confirmJumps).run(entries, now: state.now())
        req.application.metrics.importFile(outcome: "done")
        let login = try req.principal().login
        req.logger.info("import", metadata: ["login": .string(login), "accepted": .stringConvertible(report.accepted),
                                              "already": .stringConvertible(report.alreadyRegistered), "refused": .stringConvertible(report.refused)])
        return report
    }

    struct UploadContent: Encodable {
        let report: ImportService.Report?
        let error: String?
        let maxMB: Int
    }

    func uploadPage(req: Request) async throws -> View {
        try await req.view.render("import", Page(req, title: Messages.Imports.pageTitle, content: UploadContent(report: nil, error: nil, maxMB: maxMB(req))))
    }

    struct UploadForm: Content {
        let file: File?
        /// R-NUM-9: the box « je confirme les numéros qui laissent des numéros inutilisés ».
        let confirmJumps: String?
    }

    func upload(req: Request) async throws -> Response {
        let form = try req.content.decode(UploadForm.self)
        var report: ImportService.Report?
        var error: String?
        var status = HTTPResponseStatus.ok
        if let file = form.file, file.data.readableBytes > 0 {
            do { report = try await run(req, entries: try Self.parse(req, file.data), confirmJumps: form.confirmJumps == "true") } catch let e as SecoursError {
                error = e.message
                status = SecoursErrorMiddleware.status(e.kind)
            }
        } else {
            error = Messages.Imports.chooseFile
            status = .unprocessableEntity
        }
        let response = try await req.view.render("import", Page(req, title: Messages.Imports.pageTitle, content: UploadContent(report: report, error: error, maxMB: maxMB(req))))
            .encodeResponse(for: req)
        response.status = status
        return response
    }

    private func maxMB(_ req: Request) -> Int { req.application.secours.settings.maxImportSize / (1024 * 1024) }
}
