import Foundation

extension Messages {
    /// Documents: registration, status moves, inactivation, lookups.
    public enum Documents {
        public static let transportCharacters = "L'immatriculation ne peut contenir que des lettres, des chiffres, des espaces et les signes - . / ' ( ) , « » & + : ° #, avec au moins deux lettres ou chiffres."
        public static func dispatchTooFar(days: Int, latest: String) -> String {
            "La date d'expédition ne peut pas dépasser de plus de \(days) jours la date du jour (au plus tard le \(latest)) : vérifiez l'année."
        }

        // History lines
        public static func inactivated(days: Int) -> String {
            "Non régularisé dans le délai de \(days) jours : le document ne couvre plus le mouvement."
        }
        public static func generated(type: String, dispatch: String, transport: String, alert: String?, episode: String?) -> String {
            "Numéro généré : \(type), départ le \(dispatch), transport \(transport)"
                + (alert.map { " — couvert par l'alerte \($0)" } ?? "")
                + (episode.map { " — couvert par l'épisode de secours \($0)" } ?? "")
        }
        public static let lrnRegistered = "LRN de secours GAMMA 2 enregistré"
        public static let manualRegistered = "Numéro manuel enregistré"
        public static func registeredOffline(device: String) -> String {
            " (fait hors ligne sur le poste « \(device) », enregistré à sa synchronisation)"
        }
        public static func registration(_ what: String, type: String, dispatch: String, transport: String) -> String {
            "\(what) : \(type), parti le \(dispatch), transport \(transport)"
        }
        public static func reason(_ label: String, comment: String?) -> String {
            "Motif : \(label)" + (comment.map { " – \($0)" } ?? "")
        }
        public static func newCoverPeriod(days: Int) -> String {
            ". Nouveau délai de régularisation : \(days) jours."
        }
        public static func reintegrated(arc: String) -> String { "Régularisé dans GAMM@ par l'e-AD \(arc)" }
        public static let episodeByOfficer = "Numéro demandé au bureau et généré par l'agent."

        // Errors
        public static func numberAlreadyKnown(_ number: String) -> String {
            "Le numéro \(number) est déjà connu : un numéro de secours ne peut être utilisé qu'une fois."
        }
        public static func sequenceAlreadyUsed(_ sequence: Int, year: Int, by number: String) -> String {
            "La séquence \(sequence) de \(year) est déjà utilisée par le document \(number) : la séquence annuelle est commune aux numéros générés et manuels."
        }
        public static func lrnSerialAlreadyUsed(_ serial: Int, exciseNumber: String, by number: String) -> String {
            "Le numéro de série \(serial) des LRN de secours de \(exciseNumber) est déjà utilisé par le LRN \(number) : le numéro de série suit une séquence continue propre à l'opérateur, chaque valeur ne sert qu'une fois."
        }
        public static func moveNotAllowed(verb: String) -> String { "Vous n'êtes pas habilité à \(verb) ce document." }
        public static func invalidARC(_ message: String) -> String { "ARC invalide : \(message)" }
        public static let statusChanged = "Le statut de ce document vient de changer : rechargez-le et recommencez."
        public static func unknownExciseNumber(_ number: String) -> String { "Le numéro d'accise \(number) est inconnu." }
        public static func rightMissing(_ right: String, exciseNumber: String) -> String {
            "Vous n'avez pas le droit « \(right) » sur le numéro d'accise \(exciseNumber)."
        }
        public static func exciseNotAllowed(_ number: String) -> String { "Vous n'êtes pas habilité sur le numéro d'accise \(number)." }
        public static let exciseNumberWhat = "Numéro d'accise"
        public static func exciseNumberQuery(_ message: String) -> String { "Numéro d'accise : \(message)" }
        public static let notGenerated = "Le numéro n'a pas été généré : corrigez les champs signalés."
        public static let notRegistered = "Le numéro n'a pas été enregistré : corrigez les champs signalés."
        public static func reserved(_ what: String, exciseNumber: String, device: String, login: String, since: Date) -> String {
            "\(what) de \(exciseNumber) est réservé(e) au poste hors ligne « \(device) » (compte \(login)) "
                + "depuis le \(ParisCalendar.french(since)) : seul ce poste peut l'utiliser tant qu'il ne l'a pas libéré à sa prochaine synchronisation."
        }
        public static func reservedSerial(_ serial: Int) -> String { "Le numéro de série \(serial) des LRN" }
        public static func reservedSequence(_ sequence: Int, year: Int) -> String { "La séquence \(sequence) de \(year)" }

        /// The search's CSV export, column by column.
        public static let csvColumns = ["Numéro", "Type", "Numéro d'accise", "Transport", "Date de départ", "Heure de départ",
                                        "Enregistré le", "Mode d'enregistrement", "Acteur", "Identifiant de l'acteur", "Statut",
                                        "Motif d'annulation", "Motif de réactivation", "ARC", "Nature"]
        /// The DRM report's CSV export: these, then one column per status, then the nature.
        public static let drmColumns = ["Numéro d'accise", "Mois", "Premier numéro", "Dernier numéro", "Total", "DAE", "DSA"]
        public static let natureColumn = "Nature"

        // Page titles and labels
        public static let generateTitle = "Générer un numéro"
        public static let summaryTitle = "Numéro de secours généré"
        public static let homeTitle = "Accueil"
        public static func documentTitle(_ number: String) -> String { "Document \(number)" }
        public static let doneRegistered = "Numéro enregistré. Il suit désormais le même parcours qu'un numéro généré : réintégrez-le dans GAMM@ dès que possible."
        public static let doneCancelled = "Document annulé."
        public static let doneReactivated = "Document réactivé : réintégrez-le dans GAMM@ sans attendre."
        public static let doneInactivated = "Document inactivé."
        public static let doneReintegrated = "Document réintégré : le mouvement est régularisé dans GAMM@."
        /// What to do next with a document in `status`, for the person looking at it.
        public static func nextStep(_ status: Status, canReintegrate: Bool, canReactivate: Bool) -> String? {
            switch status {
            case .active:
                canReintegrate ? "Dès le rétablissement de GAMM@, créez l'e-AD de régularisation puis saisissez son ARC ci-dessous (« Réintégrer »)." : nil
            case .inactive:
                canReactivate
                    ? "Ce document n'a pas été régularisé à temps. Vous pouvez le réactiver ci-dessous, avec le motif."
                    : "Ce document n'a pas été régularisé à temps. Contactez votre bureau de douane de rattachement : lui seul peut le réactiver ; vous pourrez ensuite le réintégrer."
            case .cancelled, .reintegrated: nil
            }
        }
        public static func sameMovement(_ number: String) -> String {
            "Un numéro de secours actif existe déjà pour ce transport, ce type, cette date et cette heure : \(number). Si c'est le même camion, utilisez ce numéro ; s'il s'agit d'un second envoi, confirmez."
        }
        public static let registerTitle = "Enregistrer un numéro manuel"
        public static let followTitle = "Suivre mes procédures de secours"
        public static func dispatch(date: String, time: String) -> String { "\(date) à \(time)" }
    }
}
