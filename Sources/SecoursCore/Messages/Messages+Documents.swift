import Foundation

extension Messages {
    /// Documents: registration, status moves, inactivation, lookups.
    public enum Documents {
        /// The rights column of an account that holds every right by its role.
        public static func allRights(role: String) -> String { localized("Tous (\(role))", "All (\(role))") }
        public static var transportCharacters: String {
            localized("L'immatriculation ne peut contenir que des lettres, des chiffres, des espaces et les signes - . / ' ( ) , « » & + : ° #, avec au moins deux lettres ou chiffres.",
                      "The registration plate may contain only letters, digits, spaces and the signs - . / ' ( ) , « » & + : ° #, with at least two letters or digits.")
        }
        public static func dispatchTooFar(days: Int, latest: String) -> String {
            localized("La date d'expédition ne peut pas dépasser de plus de \(days) jours la date du jour (au plus tard le \(latest)) : vérifiez l'année.",
                      "The dispatch date cannot be more than \(days) days after today (\(latest) at the latest): check the year.")
        }

        // History lines
        /// Written to the record: kept in French.
        public static func inactivated(days: Int) -> String {
            "Non régularisé dans le délai de \(days) jours : le document ne couvre plus le mouvement."
        }
        /// Written to the record: kept in French.
        public static func generated(type: String, dispatch: String, transport: String, alert: String?, episode: String?) -> String {
            "Numéro généré : \(type), départ le \(dispatch), transport \(transport)"
                + (alert.map { " — couvert par l'alerte \($0)" } ?? "")
                + (episode.map { " — couvert par l'épisode de secours \($0)" } ?? "")
        }
        /// Written to the record: kept in French.
        public static let lrnRegistered = "LRN de secours GAMMA 2 enregistré"
        /// Written to the record: kept in French.
        public static let manualRegistered = "Numéro manuel enregistré"
        /// Written to the record: kept in French.
        public static func registeredOffline(device: String) -> String {
            " (fait hors ligne sur le poste « \(device) », enregistré à sa synchronisation)"
        }
        /// Written to the record: kept in French.
        public static func registration(_ what: String, type: String, dispatch: String, transport: String) -> String {
            "\(what) : \(type), parti le \(dispatch), transport \(transport)"
        }
        /// Written to the record: kept in French.
        public static func reason(_ label: String, comment: String?) -> String {
            "Motif : \(label)" + (comment.map { " – \($0)" } ?? "")
        }
        /// Written to the record: kept in French.
        public static func newCoverPeriod(days: Int) -> String {
            ". Nouveau délai de régularisation : \(days) jours."
        }
        /// Written to the record: kept in French.
        public static func reintegrated(arc: String) -> String { "Régularisé dans GAMM@ par l'e-AD \(arc)" }
        /// The reason of the episode an officer's generation opens, and its first event line.
        /// Written to the record: kept in French.
        public static let episodeByOfficer = "Numéro demandé au bureau et généré par l'agent."

        // Errors
        public static func numberAlreadyKnown(_ number: String) -> String {
            localized("Le numéro \(number) est déjà connu : un numéro de secours ne peut être utilisé qu'une fois.",
                      "Number \(number) is already known: a fallback number can be used only once.")
        }
        public static func sequenceAlreadyUsed(_ sequence: Int, year: Int, by number: String) -> String {
            localized("La séquence \(sequence) de \(year) est déjà utilisée par le document \(number) : la séquence annuelle est commune aux numéros générés et manuels.",
                      "Sequence \(sequence) of \(year) is already used by document \(number): the annual sequence is shared by generated and manual numbers.")
        }
        public static func lrnSerialAlreadyUsed(_ serial: Int, exciseNumber: String, by number: String) -> String {
            localized("Le numéro de série \(serial) des LRN de secours de \(exciseNumber) est déjà utilisé par le LRN \(number) : le numéro de série suit une séquence continue propre à l'opérateur, chaque valeur ne sert qu'une fois.",
                      "Serial number \(serial) of the fallback LRNs of \(exciseNumber) is already used by LRN \(number): the serial number follows a continuous sequence of the operator's own, and each value is used only once.")
        }
        public static func moveNotAllowed(verb: String) -> String {
            localized("Vous n'êtes pas habilité à \(verb) ce document.", "You are not authorised to \(verb) this document.")
        }
        public static func invalidARC(_ message: String) -> String { localized("ARC invalide : \(message)", "Invalid ARC: \(message)") }
        public static var statusChanged: String {
            localized("Le statut de ce document vient de changer : rechargez-le et recommencez.",
                      "The status of this document has just changed: reload it and try again.")
        }
        public static func unknownExciseNumber(_ number: String) -> String {
            localized("Le numéro d'accise \(number) est inconnu.", "Excise number \(number) is unknown.")
        }
        public static func rightMissing(_ right: String, exciseNumber: String) -> String {
            localized("Vous n'avez pas le droit « \(right) » sur le numéro d'accise \(exciseNumber).",
                      "You do not have the right “\(right)” on excise number \(exciseNumber).")
        }
        public static func exciseNotAllowed(_ number: String) -> String {
            localized("Vous n'êtes pas habilité sur le numéro d'accise \(number).", "You are not authorised on excise number \(number).")
        }
        public static var exciseNumberWhat: String { localized("Numéro d'accise", "Excise number") }
        public static func exciseNumberQuery(_ message: String) -> String {
            localized("Numéro d'accise : \(message)", "Excise number: \(message)")
        }
        public static var notGenerated: String {
            localized("Le numéro n'a pas été généré : corrigez les champs signalés.",
                      "The number was not generated: correct the fields indicated.")
        }
        public static var notRegistered: String {
            localized("Le numéro n'a pas été enregistré : corrigez les champs signalés.",
                      "The number was not registered: correct the fields indicated.")
        }
        public static func reserved(_ what: String, exciseNumber: String, device: String, login: String, since: Date) -> String {
            localized("\(what) de \(exciseNumber) est réservé(e) au poste hors ligne « \(device) » (compte \(login)) "
                          + "depuis le \(ParisCalendar.french(since)) : seul ce poste peut l'utiliser tant qu'il ne l'a pas libéré à sa prochaine synchronisation.",
                      "\(what) of \(exciseNumber) has been reserved for the offline computer “\(device)” (account \(login)) "
                          + "since \(ParisCalendar.display(since)): only that computer may use it until it releases it at its next synchronisation.")
        }
        public static func reservedSerial(_ serial: Int) -> String {
            localized("Le numéro de série \(serial) des LRN", "LRN serial number \(serial)")
        }
        public static func reservedSequence(_ sequence: Int, year: Int) -> String {
            localized("La séquence \(sequence) de \(year)", "Sequence \(sequence) of \(year)")
        }

        /// The search's CSV export, column by column.
        public static var csvColumns: [String] {
            [localized("Numéro", "Number"), "Type", localized("Numéro d'accise", "Excise number"), "Transport",
             localized("Date de départ", "Dispatch date"), localized("Heure de départ", "Dispatch time"),
             localized("Enregistré le", "Registered on"), localized("Mode d'enregistrement", "Registration mode"),
             localized("Acteur", "Actor"), localized("Identifiant de l'acteur", "Actor's login"), localized("Statut", "Status"),
             localized("Motif d'annulation", "Cancellation reason"), localized("Motif de réactivation", "Reactivation reason"),
             "ARC", "Nature"]
        }
        /// The DRM report's CSV export: these, then one column per status, then the nature.
        public static var drmColumns: [String] {
            [localized("Numéro d'accise", "Excise number"), localized("Mois", "Month"), localized("Premier numéro", "First number"),
             localized("Dernier numéro", "Last number"), "Total", "DAE", "DSA"]
        }
        public static var natureColumn: String { "Nature" }

        // Page titles and labels
        public static var generateTitle: String { localized("Générer un numéro", "Generate a number") }
        public static var summaryTitle: String { localized("Numéro de secours généré", "Fallback number generated") }
        public static var homeTitle: String { localized("Accueil", "Home") }
        public static func documentTitle(_ number: String) -> String { localized("Document \(number)", "Document \(number)") }
        public static var doneRegistered: String {
            localized("Numéro enregistré. Il suit désormais le même parcours qu'un numéro généré : réintégrez-le dans GAMM@ dès que possible.",
                      "Number registered. It now follows the same course as a generated number: reintegrate it into GAMM@ as soon as possible.")
        }
        public static var doneCancelled: String { localized("Document annulé.", "Document cancelled.") }
        public static var doneReactivated: String {
            localized("Document réactivé : réintégrez-le dans GAMM@ sans attendre.", "Document reactivated: reintegrate it into GAMM@ without delay.")
        }
        public static var doneInactivated: String { localized("Document inactivé.", "Document inactivated.") }
        public static var doneReintegrated: String {
            localized("Document réintégré : le mouvement est régularisé dans GAMM@.", "Document reintegrated: the movement is regularised in GAMM@.")
        }
        /// What to do next with a document in `status`, for the person looking at it.
        public static func nextStep(_ status: Status, canReintegrate: Bool, canReactivate: Bool) -> String? {
            switch status {
            case .active:
                canReintegrate
                    ? localized("Dès le rétablissement de GAMM@, créez l'e-AD de régularisation puis saisissez son ARC ci-dessous (« Réintégrer »).",
                                "As soon as GAMM@ is back, create the regularisation e-AD, then enter its ARC below (“Reintegrate”).")
                    : nil
            case .inactive:
                canReactivate
                    ? localized("Ce document n'a pas été régularisé à temps. Vous pouvez le réactiver ci-dessous, avec le motif.",
                                "This document was not regularised in time. You can reactivate it below, giving the reason.")
                    : localized("Ce document n'a pas été régularisé à temps. Contactez votre bureau de douane de rattachement : lui seul peut le réactiver ; vous pourrez ensuite le réintégrer.",
                                "This document was not regularised in time. Contact your customs office of attachment: only that office can reactivate it; you will then be able to reintegrate it.")
            case .cancelled, .reintegrated: nil
            }
        }
        public static func sameMovement(_ number: String) -> String {
            localized("Un numéro de secours actif existe déjà pour ce transport, ce type, cette date et cette heure : \(number). Si c'est le même camion, utilisez ce numéro ; s'il s'agit d'un second envoi, confirmez.",
                      "An active fallback number already exists for this means of transport, type, date and time: \(number). If it is the same lorry, use that number; if it is a second consignment, confirm.")
        }
        public static var registerTitle: String { localized("Enregistrer un numéro manuel", "Register a manual number") }
        public static var followTitle: String { localized("Suivre mes procédures de secours", "Follow my fallback procedures") }
        public static func dispatch(date: String, time: String) -> String { localized("\(date) à \(time)", "\(date) at \(time)") }
    }
}
