import Foundation
import LeafKit
import SecoursCore

/// The text of the pages: every file of `Resources/Text` (one per template, `"key": {"fr": …,
/// "en": …}`), read once at start. A file that is not valid, a text missing in one language or a
/// key given twice stops the start with the file and key named: a page can never show a key
/// instead of its text.
struct TextCatalogue: Sendable {
    struct Entry: Decodable, Sendable {
        let fr: String
        let en: String
        func text(_ language: Language) -> String { language == .en ? en : fr }
    }

    struct Invalid: Error, CustomStringConvertible {
        let description: String
    }

    let entries: [String: Entry]

    init(entries: [String: Entry]) {
        self.entries = entries
    }

    /// Every `.json` file of `directory`.
    static func load(from directory: URL) throws -> TextCatalogue {
        let files = try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "json" }
            .sorted { $0.lastPathComponent < $1.lastPathComponent }
        var entries: [String: Entry] = [:]
        for file in files {
            let read: [String: Entry]
            do {
                read = try JSONDecoder().decode([String: Entry].self, from: Data(contentsOf: file))
            } catch {
                throw Invalid(description: "\(file.lastPathComponent): \(error)")
            }
            for (key, entry) in read {
                guard entries[key] == nil else { throw Invalid(description: "\(file.lastPathComponent): \(key) is defined twice") }
                guard !entry.fr.isEmpty, !entry.en.isEmpty else {
                    throw Invalid(description: "\(file.lastPathComponent): \(key) needs a French and an English text")
                }
                entries[key] = entry
            }
        }
        return TextCatalogue(entries: entries)
    }

    static let directory = Bundle.module.bundleURL.appendingPathComponent("Resources/Text")

    /// `{1}`, `{2}`… replaced by the values, in order.
    func text(_ key: String, _ language: Language, values: [String] = []) -> String? {
        guard let entry = entries[key] else { return nil }
        var text = entry.text(language)
        for (n, value) in values.enumerated().reversed() {
            text = text.replacingOccurrences(of: "{\(n + 1)}", with: value)
        }
        return text
    }
}

/// `#t("key", value…)`: the text of `key` in the page's language (`lang` of the context), its
/// `{n}` replaced by the values, each escaped as `#()` escapes. The catalogue's own text is ours
/// and may hold markup, so it is not escaped.
struct TextTag: UnsafeUnescapedLeafTag {
    let catalogue: TextCatalogue

    func render(_ ctx: LeafContext) throws -> LeafData {
        guard let key = ctx.parameters.first?.string else {
            throw LeafError(.unknownError("#t needs the key of a text as its first parameter"))
        }
        let language = ctx.data["lang"]?.string.flatMap(Language.init(tag:)) ?? .fr
        let values = ctx.parameters.dropFirst().map { $0.isNil ? "" : ($0.string ?? "").htmlEscaped() }
        guard let text = catalogue.text(key, language, values: values) else {
            throw LeafError(.unknownError("#t: no text \(key) in the catalogue"))
        }
        return .string(text)
    }
}
