import Foundation

extension Messages {
    /// File imports (R-GPS-6): the file's refusals, each entry's, and the history lines.
    public enum Imports {
        public static var pageTitle: String { localized("Importer", "Import") }
        public static var confirmJumpsValue: String { localized("confirmJumps vaut true ou false.", "confirmJumps is true or false.") }
        public static var chooseFile: String { localized("Choisissez un fichier XML à importer.", "Choose an XML file to import.") }

        // The file
        public static var emptyFile: String { localized("Le fichier est vide.", "The file is empty.") }
        public static var dtdRefused: String {
            localized("Les DTD et déclarations d'entités (<!DOCTYPE>, <!ENTITY>) sont refusées dans un fichier d'import.",
                      "DTDs and entity declarations (<!DOCTYPE>, <!ENTITY>) are refused in an import file.")
        }
        public static var utf8Required: String {
            localized("Un fichier d'import doit être encodé en UTF-8 (déclaration encoding=\"UTF-8\" ou aucune) : enregistrez-le en UTF-8 et renvoyez-le.",
                      "An import file must be encoded in UTF-8 (declaration encoding=\"UTF-8\" or none): save it as UTF-8 and send it again.")
        }
        public static func malformedXML(line: Int, column: Int, detail: String) -> String {
            localized("XML mal formé (ligne \(line), colonne \(column)) : \(detail).",
                      "Malformed XML (line \(line), column \(column)): \(detail).")
        }
        public static var syntaxError: String { localized("erreur de syntaxe", "syntax error") }
        public static func rootRequired(_ root: String) -> String {
            localized("L'élément racine doit être <\(root)>.", "The root element must be <\(root)>.")
        }
        public static func noEntries(_ entry: String) -> String {
            localized("Le fichier ne contient aucun élément <\(entry)>.", "The file contains no <\(entry)> element.")
        }

        // While parsing (after « Ligne n : »)
        public static func atLine(_ line: Int, _ message: String) -> String { localized("Ligne \(line) : \(message)", "Line \(line): \(message)") }
        public static func wrongRoot(_ root: String, found name: String) -> String {
            localized("l'élément racine doit être <\(root)>, pas <\(name)>.", "the root element must be <\(root)>, not <\(name)>.")
        }
        public static func tooManyEntries(_ max: Int) -> String {
            localized("le fichier dépasse \(max) entrées.", "the file has more than \(max) entries.")
        }
        public static func unexpectedElement(_ name: String, in root: String) -> String {
            localized("élément <\(name)> inattendu dans <\(root)>.", "unexpected element <\(name)> in <\(root)>.")
        }
        public static func repeatedField(_ name: String, in entry: String) -> String {
            localized("<\(name)> répété dans un même <\(entry)>.", "<\(name)> repeated within one <\(entry)>.")
        }
        public static func unknownField(_ name: String, expected: [String]) -> String {
            let list = expected.joined(separator: ", ")
            return localized("élément <\(name)> inconnu (attendus : \(list)).", "unknown element <\(name)> (expected: \(list)).")
        }
        public static func tooDeep(_ name: String) -> String {
            localized("élément <\(name)> trop profond.", "element <\(name)> nested too deep.")
        }
        public static var entityDeclarationRefused: String { localized("déclaration d'entité refusée.", "entity declaration refused.") }
        public static var externalEntityRefused: String { localized("entité externe refusée.", "external entity refused.") }

        // Entries
        public static var lrnNotImported: String {
            localized("Un LRN de secours GAMMA 2 ne s'importe pas : enregistrez-le par le formulaire « Enregistrer a posteriori » ou par l'API.",
                      "A GAMMA 2 fallback LRN cannot be imported: register it with the “Register retrospectively” form or through the API.")
        }
        public static func dtiNotAllowed(_ exciseNumber: String) -> String {
            localized("L'import est réservé aux numéros d'accise en mode DTI+ ou EDI (\(exciseNumber) est en DTI).",
                      "Import is reserved for excise numbers in DTI+ or EDI mode (\(exciseNumber) is in DTI).")
        }
        public static var knownWithOtherData: String {
            localized("Ce numéro est déjà connu avec d'autres données : un numéro de secours ne peut être utilisé qu'une fois.",
                      "This number is already known with other data: a fallback number can be used only once.")
        }
        public static func sequenceUsed(_ sequence: Int, year: Int, by holder: String) -> String {
            localized("La séquence \(sequence) de \(year) est déjà utilisée par le document \(holder).",
                      "Sequence \(sequence) of \(year) is already used by document \(holder).")
        }

        // History lines: written to the record, kept in French.
        /// Written to the record: kept in French.
        public static func entry(type: String, dispatch: String, transport: String) -> String {
            "\(type), parti le \(dispatch), transport \(transport)"
        }
        /// Written to the record: kept in French.
        public static func imported(_ what: String) -> String { "Importé : \(what)" }
    }
}
