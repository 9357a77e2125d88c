/// Every French text the service composes itself — errors, field messages, history and event
/// lines, labels built in code — so that a text is found and changed in one place, and a
/// translation has one catalogue to follow. Templates hold their own page text.
///
/// One namespace per feature, each in its own file (`Messages+Episodes.swift`…): a constant for a
/// fixed text, a function for a text with values in it.
public enum Messages {
    /// The login written for what the service does by itself (the office's silence, lapses).
    public static let systemLogin = "système"
}
