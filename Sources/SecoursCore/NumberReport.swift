/// What a typed number is, in French, for the command line and the pages: tries every kind of
/// number and explains the first rule that fails.
public struct NumberReport: Sendable, Equatable {
    public let valid: Bool
    public let text: String

    public static func describe(_ input: String) -> NumberReport {
        let t = input.trimmingCharacters(in: .whitespacesAndNewlines).uppercased()
        if t.hasPrefix(FallbackLRN.prefix) {
            do {
                let lrn = try FallbackLRN(parsing: t)
                return .init(valid: true, text: "LRN de secours GAMMA 2 valide : date \(lrn.day.french), opérateur …\(lrn.operatorSuffix), série \(lrn.serial).")
            } catch { return .init(valid: false, text: "LRN de secours invalide : \(error.message)") }
        }
        switch t.count {
        case ExciseNumber.length:
            do {
                _ = try ExciseNumber(parsing: t)
                return .init(valid: true, text: "Numéro d'accise valide.")
            } catch { return .init(valid: false, text: "Numéro d'accise invalide : \(error.message)") }
        case FallbackNumber.length:
            let number: FallbackNumber
            do { number = try FallbackNumber(parsing: t) } catch {
                return .init(valid: false, text: "Numéro de secours invalide : \(error.message)")
            }
            var kinds: [String] = []
            if number.hasValidCheckDigit { kinds.append("numéro généré par GPS (caractère de contrôle correct)") }
            if let type = number.manualType { kinds.append("numéro manuel de \(type.label)") }
            guard !kinds.isEmpty else {
                let expected = CheckDigit.compute(t.prefix(20))
                return .init(valid: false, text: "Numéro de secours invalide : le 21e caractère n'est ni le caractère de contrôle (« \(expected) » attendu) ni un type de document manuel (1 = DAA, 2 = DSA).")
            }
            return .init(valid: true, text: "Numéro de secours valide : \(kinds.joined(separator: " ou ")). Année 20\(t.prefix(2)), numéro d'accise \(number.exciseNumber), séquence \(number.sequence).")
        default:
            return .init(valid: false, text: "Longueur inattendue (\(t.count) caractères) : un numéro de secours en compte 21, un numéro d'accise 13, un LRN de secours 22 au plus et commence par PS.")
        }
    }
}

import Foundation
