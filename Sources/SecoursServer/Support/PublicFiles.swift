import Foundation
import Vapor

/// Serves the files of `Resources/Public` (style sheet, script) and nothing else: only a GET or
/// HEAD for one of the paths listed at start reaches the file middleware. Any other path goes
/// straight to the routes, so that no request turns into a file-system call (an unknown path of
/// any length is a 404 from the router, never a file-system error).
struct PublicFilesMiddleware: AsyncMiddleware {
    let files: FileMiddleware
    let paths: Set<String>

    init(publicDirectory: String) {
        files = FileMiddleware(publicDirectory: publicDirectory)
        var paths: Set<String> = []
        let root = URL(fileURLWithPath: publicDirectory).standardizedFileURL.path
        if let walker = FileManager.default.enumerator(atPath: root) {
            for case let relative as String in walker {
                var isDirectory: ObjCBool = false
                if FileManager.default.fileExists(atPath: root + "/" + relative, isDirectory: &isDirectory), !isDirectory.boolValue {
                    paths.insert("/" + relative)
                }
            }
        }
        self.paths = paths
    }

    func respond(to request: Request, chainingTo next: AsyncResponder) async throws -> Response {
        guard request.method == .GET || request.method == .HEAD, paths.contains(request.url.path) else {
            return try await next.respond(to: request)
        }
        return try await files.respond(to: request, chainingTo: next)
    }
}
