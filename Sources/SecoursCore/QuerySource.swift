import Foundation

/// Where the parameters of an address come from, which decides how a blank or unexpected one
/// reads (R-NF-3: every bad input is answered with a clear error, never silently dropped).
public enum QuerySource: Sendable {
    /// A page's form sends every field, filled or not: a blank one means "not given", and names
    /// starting with `_` belong to the form itself (comparators, buttons) and are skipped.
    case form
    /// The API carries only what the caller wrote: a blank value or a name the operation does not
    /// know is an error, as the OpenAPI document says.
    case api

    /// The pairs an operation reads, each name among `known`. Refuses every other name, and for
    /// the API every blank value, all at once, each error naming its parameter.
    public func read(_ pairs: [(name: String, value: String)], known: [String]) throws(SecoursError) -> [(name: String, value: String)] {
        var kept: [(name: String, value: String)] = []
        var errors: [SecoursError.FieldError] = []
        for (name, value) in pairs {
            if self == .form, name.hasPrefix("_") { continue }
            guard known.contains(name) else {
                let names = known.joined(separator: ", ")
                let list = known.isEmpty ? localized("aucun paramètre n'est admis ici", "no parameter is allowed here")
                    : localized("possibles : \(names)", "possible: \(names)")
                errors.append(.init(field: name, message: localized("Paramètre « \(name) » inconnu (\(list)).", "Unknown parameter “\(name)” (\(list)).")))
                continue
            }
            if value.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty {
                if self == .form { continue }
                errors.append(.init(field: name, message: localized("Le paramètre « \(name) » est vide : donnez-lui une valeur ou retirez-le.",
                                                                    "The parameter “\(name)” is empty: give it a value or remove it.")))
                continue
            }
            kept.append((name, value))
        }
        guard errors.isEmpty else { throw .invalid(errors) }
        return kept
    }
}
