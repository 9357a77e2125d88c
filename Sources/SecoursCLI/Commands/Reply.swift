import ArgumentParser
import Foundation
import SecoursCore

/// `--json`, for scripts: one JSON object on standard output, errors included.
struct OutputOptions: ParsableArguments {
    @Flag(name: .long, help: "Répond en JSON (pour les scripts), erreurs comprises.") var json = false
}

/// What a toolkit command answers: text for a person, an object for a script.
struct Reply {
    let text: String
    let object: any Encodable
    /// Printed first; then the command exits with this status (2: done in part, see the text).
    var status: Int32 = 0

    init(_ text: String, _ object: any Encodable, status: Int32 = 0) {
        self.text = text
        self.object = object
        self.status = status
    }
}

enum Toolkit {
    /// Runs a toolkit command: prints its reply, or its error (French text on standard error, or
    /// `{"error": {"code", "message", "fields"}}` with `--json`) and exits 1.
    static func run(_ output: OutputOptions, _ body: () async throws -> Reply) async throws {
        do {
            let reply = try await body()
            if output.json { print(try encode(reply.object)) } else { print(reply.text) }
            if reply.status != 0 { throw ExitCode(reply.status) }
        } catch let error as ToolkitError {
            report(error, output)
            throw ExitCode(1)
        } catch let error as SecoursError {
            report(ToolkitError(code: error.code, message: error.message, fields: error.fields), output)
            throw ExitCode(1)
        }
    }

    private static func report(_ error: ToolkitError, _ output: OutputOptions) {
        if output.json {
            struct Body: Encodable { let error: Inner }
            struct Inner: Encodable { let code: String; let message: String; let fields: [SecoursError.FieldError] }
            print((try? encode(Body(error: Inner(code: error.code, message: error.message, fields: error.fields)))) ?? "{}")
        } else {
            var lines = ["Erreur : \(error.message)"]
            if error.fields.count > 1 || (error.fields.count == 1 && error.fields[0].message != error.message) {
                lines += error.fields.map { "  \($0.field) : \($0.message)" }
            }
            FileHandle.standardError.write(Data((lines.joined(separator: "\n") + "\n").utf8))
        }
    }

    static func encode(_ value: any Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// `jj/mm/aaaa à hh:mm`, Paris time.
    static func french(_ date: Date) -> String {
        DispatchMoment(day: ParisDay(date), time: ParisTime(date)).french
    }
}
