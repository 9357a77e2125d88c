import Foundation
import SecoursCore

/// What the offline toolkit tells its user when it cannot do what was asked: a stable code for
/// scripts (`--json`) and a French message saying what to do. Every French error text of the
/// toolkit is here.
struct ToolkitError: Error, Equatable, Sendable {
    let code: String
    let message: String
    var fields: [SecoursError.FieldError] = []

    static func stateNotAFolder(_ path: String) -> ToolkitError {
        .init(code: "state_not_a_folder", message: "« \(path) » existe mais n'est pas un dossier : indiquez un autre dossier d'état avec SECOURS_HOME.")
    }

    static func stateFolderUnwritable(_ path: String, _ why: String) -> ToolkitError {
        .init(code: "state_folder_unwritable", message: "Impossible d'utiliser le dossier d'état « \(path) » : \(why).")
    }

    static func notPrepared(_ folder: StateFolder) -> ToolkitError {
        .init(code: "not_prepared", message: """
            Ce poste n'est pas préparé : aucun journal dans « \(folder.path) ». Tant que le réseau est là, lancez \
            « secours login --server URL --login IDENTIFIANT » puis « secours sync ». (Si le journal a été déplacé, \
            indiquez son dossier avec SECOURS_HOME.)
            """)
    }

    static func notSynced(_ folder: StateFolder) -> ToolkitError {
        .init(code: "not_synced", message: """
            Aucune synchronisation n'a encore eu lieu sur ce poste (\(folder.path)) : tant que le réseau est là, lancez « secours sync ».
            """)
    }

    static func journalUnreadable(_ path: String, _ detail: String) -> ToolkitError {
        .init(code: "journal_unreadable", message: """
            Le journal « \(path) » est illisible (\(detail)). Il n'a pas été modifié : ne le supprimez pas, \
            faites-en une copie et demandez de l'aide ; en attendant, notez vos numéros à la main et prévenez votre bureau.
            """)
    }

    static func journalTooNew(_ path: String, _ unknown: [String]) -> ToolkitError {
        .init(code: "journal_too_new", message: """
            Le journal « \(path) » a été écrit par une version plus récente de secours (\(unknown.joined(separator: ", "))) : \
            installez cette version ; le journal n'a pas été modifié.
            """)
    }

    static func journalBusy(_ path: String) -> ToolkitError {
        .init(code: "journal_busy", message: "Le journal « \(path) » est occupé par une autre commande secours depuis trop longtemps : réessayez.")
    }

    static func database(_ path: String, _ detail: String) -> ToolkitError {
        .init(code: "journal_error", message: "Erreur du journal « \(path) » : \(detail). Rien n'a été enregistré.")
    }

    static let notLoggedIn = ToolkitError(code: "not_logged_in", message: """
        Aucune connexion enregistrée sur ce poste : lancez « secours login --server URL --login IDENTIFIANT ».
        """)

    /// The service saw a second journal on this laptop's lease (R-NUM-8): its own words say what
    /// happened and what to do.
    static func duplicateJournal(_ message: String) -> ToolkitError {
        .init(code: "journal_duplicated", message: message)
    }

    static func unsettledJournal(_ numbers: [String]) -> ToolkitError {
        .init(code: "journal_unsettled", message: """
            \(numbers.count) entrée(s) du journal ne sont pas enregistrées au service (\(numbers.prefix(5).joined(separator: ", "))\(numbers.count > 5 ? "…" : "")) : \
            leurs numéros sont peut-être sur papier, la réserve de ce poste ne peut donc pas encore être rendue. Voir « secours journal » ; \
            relancez « secours logout » quand elles sont enregistrées (après le départ, ou une fois le conflit réglé avec le bureau).
            """)
    }

    static func sessionExpired(server: String, login: String) -> ToolkitError {
        .init(code: "session_expired", message: """
            Votre connexion au service a expiré ou a été révoquée : reconnectez-vous avec \
            « secours login --server \(server) --login \(login) », puis relancez « secours sync ».
            """)
    }

    static func unreachable(_ server: String, _ detail: String) -> ToolkitError {
        .init(code: "server_unreachable", message: """
            Impossible de joindre le service \(server) (\(detail)) : vérifiez la connexion réseau. Le journal n'a pas changé ; \
            hors ligne, les commandes number, lrn, form, message et outage fonctionnent avec l'état de la dernière synchronisation.
            """)
    }

    static func server(_ status: Int, _ message: String) -> ToolkitError {
        .init(code: "server_error", message: "Le service a répondu \(status) : \(message)")
    }

    static func badServerAddress(_ text: String) -> ToolkitError {
        .init(code: "bad_server_address", message: "Adresse du service « \(text) » invalide : donnez une adresse http:// ou https://, par exemple https://secours.example.fr.")
    }

    static let noPassword = ToolkitError(code: "no_password", message: """
        Mot de passe introuvable : lancez la commande dans un terminal (le mot de passe est demandé sans être affiché) \
        ou définissez SECOURS_PASSWORD.
        """)

    static func exciseNotSynced(_ number: String, known: [String]) -> ToolkitError {
        let list = known.isEmpty ? "aucun" : known.joined(separator: ", ")
        return .init(code: "excise_number_unknown", message: """
            Le numéro d'accise \(number) n'est pas parmi ceux que votre compte peut utiliser d'après la dernière \
            synchronisation (\(list)). S'il vient de vous être attribué, lancez « secours sync » dès que le réseau revient.
            """)
    }

    static func typeNotAllowed(_ type: DocumentType, _ number: String) -> ToolkitError {
        .init(code: "type_not_allowed", message: "Votre compte n'a pas le droit « Émettre un \(type == .dae ? "DAA" : "DSA") / \(type == .dae ? "DAA" : "DSA") secours » sur \(number) (dernière synchronisation).")
    }

    static func entryNotFound(_ number: String) -> ToolkitError {
        .init(code: "entry_not_found", message: "Le numéro \(number) n'est pas dans le journal de ce poste (voir « secours journal »).")
    }

    static func formTypeMismatch(entry: String, entryType: DocumentType, asked: DocumentType) -> ToolkitError {
        .init(code: "form_type_mismatch", message: "Le numéro \(entry) est un \(entryType.label) : demandez le formulaire \(entryType.rawValue), pas \(asked.rawValue).")
    }

    static func cannotWrite(_ path: String, _ why: String) -> ToolkitError {
        .init(code: "cannot_write_file", message: "Impossible d'écrire « \(path) » : \(why).")
    }

    static func invalidOption(_ option: String, _ message: String) -> ToolkitError {
        .init(code: "validation_failed", message: "\(option) : \(message)", fields: [.init(field: option, message: message)])
    }

    static func outageAlreadyOpen(_ since: Date) -> ToolkitError {
        .init(code: "outage_already_open", message: "Une coupure est déjà notée depuis le \(Toolkit.french(since)) : notez-en la fin (« secours outage end ») avant d'en commencer une autre.")
    }

    static let noOpenOutage = ToolkitError(code: "no_open_outage", message: "Aucune coupure en cours : notez-en d'abord le début (« secours outage start --reason … »).")

    static let nothingToCommunicate = ToolkitError(code: "nothing_to_communicate", message: """
        Aucun numéro à communiquer : le journal n'a pas d'entrée non envoyée (faites « secours number » ou « secours lrn », ou indiquez --number).
        """)

    static func officeUnknown(_ numbers: [String]) -> ToolkitError {
        .init(code: "office_unknown", message: "Bureau de rattachement inconnu pour \(Set(numbers).sorted().joined(separator: ", ")) : lancez « secours sync » dès que le réseau revient.")
    }
}
