/// The languages the service speaks: French first, English second (SPEC). Every text a person
/// reads — pages, errors, PDFs — exists in both; the service picks one per request, from the
/// person's own choice (a cookie set by the « English » / « Français » link) or else from the
/// browser's `Accept-Language`, and French when neither names a language it speaks.
///
/// What the service writes to the record — history lines, events, the office's notices — stays
/// in French, the language of the procedure, whoever acted: an officer reads one record.
public enum Language: String, CaseIterable, Sendable, Codable {
    case fr, en

    /// The language of the text being composed: bound per request by the server, French
    /// everywhere else (the record, the command-line toolkit, background work).
    @TaskLocal public static var current: Language = .fr

    /// The language for a request: an explicit choice if it names one we speak, then the
    /// highest-weighted `Accept-Language` entry we speak (RFC 9110 §12.5.4: `q=0` excludes,
    /// `*` means any, so French), then French.
    public static func negotiate(choice: String?, acceptLanguage: String?) -> Language {
        if let choice, let chosen = Language(tag: choice) { return chosen }
        guard let header = acceptLanguage else { return .fr }
        var best: (language: Language, weight: Double, order: Int)?
        for (order, item) in header.split(separator: ",").enumerated() {
            let parts = item.split(separator: ";").map { $0.trimmingCharacters(in: .whitespaces) }
            guard let tag = parts.first, !tag.isEmpty else { continue }
            var weight = 1.0
            for parameter in parts.dropFirst() {
                let pair = parameter.split(separator: "=", maxSplits: 1).map { $0.trimmingCharacters(in: .whitespaces) }
                if pair.count == 2, pair[0].lowercased() == "q" {
                    guard let q = Double(pair[1]), q >= 0, q <= 1 else { weight = 0; break }
                    weight = q
                }
            }
            guard weight > 0 else { continue }
            let language = tag == "*" ? Language.fr : Language(tag: tag)
            guard let language else { continue }
            if best == nil || weight > best!.weight { best = (language, weight, order) }
        }
        return best?.language ?? .fr
    }

    /// `fr`, `fr-FR`, `en-GB`, `EN`… (the primary subtag decides); nil for a language we do not speak.
    public init?(tag: String) {
        let primary = tag.split(separator: "-").first.map { $0.lowercased() } ?? ""
        guard let known = Language(rawValue: primary) else { return nil }
        self = known
    }

    /// The other language, offered by the switch in the footer.
    public var other: Language { self == .fr ? .en : .fr }

    /// The switch's label, in its own language.
    public var name: String { self == .fr ? "Français" : "English" }
}

/// The text in the language of the request (`Language.current`): every text a person reads is
/// written as one pair, French then English, where it is composed.
@inline(__always)
public func localized(_ french: String, _ english: String) -> String {
    Language.current == .en ? english : french
}
