/// Checks on what the CID and company administrators type when they set up accounts.
public enum AccountRules {
    /// A customs office reference: two letters and six letters or digits (e.g. FR000690).
    public static func officeCode(_ text: String?, field: String = "code") throws(SecoursError) -> String {
        let t = normalised(text ?? "")
        let chars = Array(t)
        guard chars.count == 8, chars[0].isASCIIUpperLetter, chars[1].isASCIIUpperLetter,
              chars[2...].allSatisfy({ $0.isASCIIUpperLetter || $0.isASCIIDigit }) else {
            throw .invalid(field: field, message: localized("Le code du bureau doit comporter 8 caractères : 2 lettres puis 6 lettres ou chiffres (ex. FR000690).",
                                                            "The office code must have 8 characters: 2 letters then 6 letters or digits (e.g. FR000690)."))
        }
        return t
    }

    /// A SIREN: nine digits whose Luhn sum is a multiple of ten.
    public static func siren(_ text: String?) throws(SecoursError) -> String {
        let t = (text ?? "").filter { !$0.isWhitespace }
        guard t.count == 9, t.allSatisfy(\.isASCIIDigit) else {
            throw .invalid(field: "siren", message: localized("Le SIREN doit comporter 9 chiffres.", "The SIREN must have 9 digits."))
        }
        var sum = 0
        for (i, c) in t.reversed().enumerated() {
            var d = Int(String(c))!
            if i % 2 == 1 { d *= 2; if d > 9 { d -= 9 } }
            sum += d
        }
        guard sum % 10 == 0 else {
            throw .invalid(field: "siren", message: localized("Le SIREN \(t) n'est pas valide (clé de contrôle incorrecte).",
                                                              "The SIREN \(t) is not valid (incorrect check digit)."))
        }
        return t
    }

    /// 3 to 64 lowercase letters, digits, dots, dashes or underscores.
    public static func login(_ text: String?) throws(SecoursError) -> String {
        let t = (text ?? "").trimmingCharacters(in: .whitespaces).lowercased()
        guard (3...64).contains(t.count),
              t.allSatisfy({ $0.isASCIIDigit || ($0.asciiValue.map { (97...122).contains($0) } ?? false) || ".-_".contains($0) }) else {
            throw .invalid(field: "login", message: localized("L'identifiant doit comporter 3 à 64 caractères : lettres minuscules, chiffres, point, tiret ou souligné.",
                                                              "The login must have 3 to 64 characters: lowercase letters, digits, dot, hyphen or underscore."))
        }
        return t
    }

    public static func email(_ text: String?, field: String = "email") throws(SecoursError) -> String {
        let t = (text ?? "").trimmingCharacters(in: .whitespaces)
        let parts = t.split(separator: "@", omittingEmptySubsequences: false)
        guard TextInput.length(t) <= 254, parts.count == 2, !parts[0].isEmpty, parts[1].contains("."),
              !parts[1].hasPrefix("."), !parts[1].hasSuffix("."), !t.contains(where: \.isWhitespace) else {
            throw .invalid(field: field, message: localized("L'adresse électronique « \(t) » n'est pas valide.", "The email address “\(t)” is not valid."))
        }
        return t
    }

    public static let minPasswordLength = 10
    public static let maxPasswordLength = 256

    /// The password policy (R-NF-3, OWASP ASVS 2.1): 10 to 256 characters, every one of which
    /// counts (the service hashes a digest of the whole password); not one of the most common
    /// passwords (`CommonPasswords`), not one character repeated or a run of keyboard or digit
    /// order, not made of fewer than four different characters, and not containing the login.
    /// Each refusal says why, in the language of the request.
    public static func password(_ text: String?, login: String? = nil) throws(SecoursError) -> String {
        let t = text ?? ""
        func refuse(_ why: String) -> SecoursError { .invalid(field: "password", message: why) }
        guard TextInput.length(t) >= minPasswordLength, TextInput.length(t) <= maxPasswordLength else {
            throw refuse(localized("Le mot de passe doit comporter de \(minPasswordLength) à \(maxPasswordLength) caractères.",
                                   "The password must have \(minPasswordLength) to \(maxPasswordLength) characters."))
        }
        guard TextInput.isAcceptable(t) else { throw refuse(localized("Le mot de passe contient un caractère de contrôle.",
                                                                      "The password contains a control character.")) }
        let folded = t.lowercased().folding(options: [.diacriticInsensitive], locale: nil)
        let squeezed = folded.filter { !$0.isWhitespace }
        if squeezed.isEmpty || Set(squeezed).count == 1 {
            throw refuse(localized("Le mot de passe ne doit pas être fait d'un seul caractère répété.",
                                   "The password must not be a single repeated character."))
        }
        if Set(folded).count < 4 {
            throw refuse(localized("Le mot de passe doit comporter au moins quatre caractères différents.",
                                   "The password must have at least four different characters."))
        }
        if CommonPasswords.contains(folded) || CommonPasswords.isRun(squeezed) {
            throw refuse(localized("Ce mot de passe fait partie des plus courants, que les attaquants essaient en premier : choisissez-en un autre, par exemple une phrase de quelques mots.",
                                   "This password is one of the most common, which attackers try first: choose another, for example a phrase of a few words."))
        }
        if let login = login?.trimmingCharacters(in: .whitespaces).lowercased(), login.count >= 3 {
            let parts = [login] + login.split(whereSeparator: { $0 == "." || $0 == "-" || $0 == "_" || $0 == "@" }).map(String.init).filter { $0.count >= 4 }
            if parts.contains(where: { folded.contains($0) }) {
                throw refuse(localized("Le mot de passe ne doit pas contenir l'identifiant ni une partie de celui-ci.",
                                       "The password must not contain the login or any part of it."))
            }
        }
        return t
    }

    /// Non-empty text of at most `max` characters, trimmed.
    public static func text(_ text: String?, field: String, label: String, max: Int = 200) throws(SecoursError) -> String {
        let t = (text ?? "").trimmingCharacters(in: .whitespacesAndNewlines)
        guard !t.isEmpty else { throw .invalid(field: field, message: localized("\(label) est obligatoire.", "\(label) is required.")) }
        guard TextInput.length(t) <= max else { throw .invalid(field: field, message: localized("\(label) ne doit pas dépasser \(max) caractères.",
                                                                                                "\(label) must not exceed \(max) characters.")) }
        return t
    }
}

import Foundation
