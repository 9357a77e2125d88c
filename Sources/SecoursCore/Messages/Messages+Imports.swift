import Foundation

extension Messages {
    /// File imports (R-GPS-6): the file's refusals, each entry's, and the history lines.
    public enum Imports {
        public static let pageTitle = "Importer"
        public static let chooseFile = "Choisissez un fichier XML à importer."

        // The file
        public static let emptyFile = "Le fichier est vide."
        public static let dtdRefused = "Les DTD et déclarations d'entités (<!DOCTYPE>, <!ENTITY>) sont refusées dans un fichier d'import."
        public static let utf8Required =
            "Un fichier d'import doit être encodé en UTF-8 (déclaration encoding=\"UTF-8\" ou aucune) : enregistrez-le en UTF-8 et renvoyez-le."
        public static func malformedXML(line: Int, column: Int, detail: String) -> String {
            "XML mal formé (ligne \(line), colonne \(column)) : \(detail)."
        }
        public static let syntaxError = "erreur de syntaxe"
        public static func rootRequired(_ root: String) -> String { "L'élément racine doit être <\(root)>." }
        public static func noEntries(_ entry: String) -> String { "Le fichier ne contient aucun élément <\(entry)>." }

        // While parsing (after « Ligne n : »)
        public static func atLine(_ line: Int, _ message: String) -> String { "Ligne \(line) : \(message)" }
        public static func wrongRoot(_ root: String, found name: String) -> String { "l'élément racine doit être <\(root)>, pas <\(name)>." }
        public static func tooManyEntries(_ max: Int) -> String { "le fichier dépasse \(max) entrées." }
        public static func unexpectedElement(_ name: String, in root: String) -> String { "élément <\(name)> inattendu dans <\(root)>." }
        public static func repeatedField(_ name: String, in entry: String) -> String { "<\(name)> répété dans un même <\(entry)>." }
        public static func unknownField(_ name: String, expected: [String]) -> String {
            "élément <\(name)> inconnu (attendus : \(expected.joined(separator: ", ")))."
        }
        public static func tooDeep(_ name: String) -> String { "élément <\(name)> trop profond." }
        public static let entityDeclarationRefused = "déclaration d'entité refusée."
        public static let externalEntityRefused = "entité externe refusée."

        // Entries
        public static let lrnNotImported =
            "Un LRN de secours GAMMA 2 ne s'importe pas : enregistrez-le par le formulaire « Enregistrer a posteriori » ou par l'API."
        public static func dtiNotAllowed(_ exciseNumber: String) -> String {
            "L'import est réservé aux numéros d'accise en mode DTI+ ou EDI (\(exciseNumber) est en DTI)."
        }
        public static let knownWithOtherData = "Ce numéro est déjà connu avec d'autres données : un numéro de secours ne peut être utilisé qu'une fois."
        public static func sequenceUsed(_ sequence: Int, year: Int, by holder: String) -> String {
            "La séquence \(sequence) de \(year) est déjà utilisée par le document \(holder)."
        }

        // History lines
        public static func entry(type: String, dispatch: String, transport: String) -> String {
            "\(type), parti le \(dispatch), transport \(transport)"
        }
        public static func imported(_ what: String) -> String { "Importé : \(what)" }
        public static func registeredOffline(device: String, _ what: String) -> String {
            "Numéro manuel fait hors ligne sur le poste « \(device) », enregistré à sa synchronisation : \(what)"
        }
    }
}
