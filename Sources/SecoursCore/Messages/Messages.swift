/// Every text the service composes itself — errors, field messages, labels built in code,
/// history and event lines — so that a text is found and changed in one place. A text a person
/// reads exists in French and English (`localized`, the language of the request); a text written
/// to the record (history and event lines, the office's notices and mails) is French only, the
/// language of the procedure. Templates take their page text from `Resources/Text`.
///
/// One namespace per feature, each in its own file (`Messages+Episodes.swift`…): a computed
/// property for a fixed text, a function for a text with values in it.
public enum Messages {
    /// The login written for what the service does by itself (the office's silence, lapses).
    /// Written to the record: kept in French.
    public static let systemLogin = "système"

    /// Composes a text written to the record in French whatever the language of the request: the
    /// vocabularies' labels read inside `text` (a reason's, a service's) are the French ones.
    public static func inFrench(_ text: () -> String) -> String {
        Language.$current.withValue(.fr, operation: text)
    }
}
