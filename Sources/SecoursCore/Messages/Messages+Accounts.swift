import Foundation

extension Messages {
    /// Sign-in, tokens, the answers every request can get, and the CID's administration.
    public enum Accounts {
        // Every request
        public static var unauthenticated: String {
            localized("Authentification requise : connectez-vous ou fournissez un jeton valide.",
                      "Authentication required: sign in or provide a valid token.")
        }
        public static var forbidden: String {
            localized("Vous n'êtes pas habilité à effectuer cette action.", "You are not authorised to perform this action.")
        }
        public static func notFound(_ what: String) -> String {
            localized("\(what) introuvable ou hors de votre périmètre.", "\(what) not found or outside your scope.")
        }
        public static var unsupportedMediaType: String {
            localized("Type de contenu non pris en charge : envoyez du JSON (Content-Type: application/json).",
                      "Unsupported content type: send JSON (Content-Type: application/json).")
        }
        public static var payloadTooLarge: String {
            localized("Le corps de la requête est trop volumineux.", "The request body is too large.")
        }

        // Sign-in
        public static var invalidCredentials: String {
            localized("Identifiant ou mot de passe incorrect.", "Incorrect login or password.")
        }
        public static func tooManyAttempts(minutes: Int) -> String {
            let n = max(1, minutes)
            return localized("Trop de tentatives de connexion échouées. Réessayez dans \(n) minute(s).",
                             "Too many failed sign-in attempts. Try again in \(n) \(n == 1 ? "minute" : "minutes").")
        }
        public static var hashingBusy: String {
            localized("Trop de connexions en cours : réessayez dans quelques secondes (vous n'avez rien perdu).",
                      "Too many sign-ins in progress: try again in a few seconds (you have lost nothing).")
        }
        public static func signInTooOld(days: Int) -> String {
            localized("Votre connexion date de plus de \(days) jours : reconnectez-vous avec votre mot de passe.",
                      "You signed in more than \(days) days ago: sign in again with your password.")
        }

        public static var signInTitle: String { localized("Connexion", "Sign in") }

        // A sign-in that keeps what the person asked for or typed
        public static var signInToContinue: String {
            localized("Connectez-vous pour accéder à cette page : vous y serez ramené ensuite.",
                      "Sign in to open this page: you will be brought back to it afterwards.")
        }
        public static var sessionEndedFormKept: String {
            localized("Votre session a expiré. Reconnectez-vous : votre saisie est conservée et vous pourrez l'envoyer.",
                      "Your session has expired. Sign in again: what you typed is kept and you will be able to send it.")
        }
        public static var sessionEndedUploadLost: String {
            localized("Votre session a expiré. Reconnectez-vous, puis choisissez à nouveau le fichier à importer.",
                      "Your session has expired. Sign in again, then choose the file to import once more.")
        }
        public static var resumeTitle: String { localized("Envoyer votre saisie", "Send what you typed") }
        public static var resumeAfterSignIn: String {
            localized("Vous êtes connecté. Votre saisie a été conservée : vérifiez-la, puis envoyez-la.",
                      "You are signed in. What you typed has been kept: check it, then send it.")
        }
        public static var resumeStaleForm: String {
            localized("Cette page était restée ouverte trop longtemps. Votre saisie a été conservée : vérifiez-la, puis envoyez-la à nouveau.",
                      "This page had been left open too long. What you typed has been kept: check it, then send it again.")
        }
        /// The names of the fields a kept form shows before it is sent again (the others are sent, not shown).
        public static var keptFieldLabels: [String: String] {
            [
                "type": localized("Type de document", "Document type"),
                "exciseNumber": localized("Numéro d'accise", "Excise number"),
                "transport": localized("Immatriculation du 1er moyen de transport", "Registration plate of the 1st means of transport"),
                "dispatchDate": localized("Date d'expédition", "Dispatch date"),
                "dispatchTime": localized("Heure d'expédition", "Dispatch time"),
                "number": localized("Numéro de secours", "Fallback number"),
                "arc": "ARC",
                "reason": localized("Motif", "Reason"),
                "comment": localized("Commentaire", "Comment"),
                "text": localized("Texte", "Text"),
                "decision": localized("Décision", "Decision"),
                "service": localized("Service en ligne", "Online service"),
                "basis": localized("Fondement", "Basis"),
                "reference": localized("Référence", "Reference"),
                "title": localized("Titre", "Title"),
                "description": "Description",
                "level": localized("Niveau d'alerte", "Alert level"),
                "phone": localized("Téléphone", "Telephone"),
                "address": localized("Adresse", "Address"),
                "companyName": localized("Raison sociale", "Company name"),
                "eori": "EORI",
                "switchDate": localized("Date du passage en secours", "Date of the switch to fallback"),
                "switchTime": localized("Heure du passage en secours", "Time of the switch to fallback"),
                "reasons": localized("Motifs", "Reasons"),
                "month": localized("Mois", "Month"),
            ]
        }

        // Administration
        public static var officeName: String { localized("Le nom du bureau", "The office name") }
        public static var companyName: String { localized("La raison sociale", "The company name") }
        public static var address: String { localized("L'adresse", "The address") }
        public static func officeExists(_ code: String) -> String {
            localized("Le bureau \(code) existe déjà.", "Office \(code) already exists.")
        }
        public static func companyExists(siren: String) -> String {
            localized("Une société de SIREN \(siren) existe déjà.", "A company with SIREN \(siren) already exists.")
        }
        public static func invalidExciseNumber(_ message: String) -> String {
            localized("Numéro d'accise invalide : \(message)", "Invalid excise number: \(message)")
        }
        public static var modeRequired: String {
            localized("Le mode de transmission doit être DTI, DTI+ ou EDI.", "The transmission mode must be DTI, DTI+ or EDI.")
        }
        public static func exciseNumberExists(_ number: String) -> String {
            localized("Le numéro d'accise \(number) existe déjà.", "Excise number \(number) already exists.")
        }
        public static var roleRequired: String {
            localized("Le rôle doit être operator, officer, cid, edi ou system.", "The role must be operator, officer, cid, edi or system.")
        }
        public static var onlyOperatorAdministers: String {
            localized("Seul un compte opérateur peut administrer sa société.", "Only an operator account can administer its company.")
        }
        public static func loginTaken(_ login: String) -> String {
            localized("L'identifiant \(login) est déjà pris.", "The login \(login) is already taken.")
        }
        public static var rightsRequired: String {
            localized("La liste des droits est obligatoire.", "The list of rights is required.")
        }
        public static func unknownRight(_ code: String) -> String {
            let known = Right.allCases.map(\.rawValue).joined(separator: ", ")
            return localized("Droit « \(code) » inconnu. Droits possibles : \(known).",
                             "Unknown right “\(code)”. Possible rights: \(known).")
        }
        public static var account: String { localized("Compte", "Account") }
        public static var rightsNotApplicable: String {
            localized("Les droits par numéro d'accise ne concernent que les comptes opérateur et prestataire EDI.",
                      "Rights per excise number apply only to operator and EDI provider accounts.")
        }
        public static var companyIDRequired: String {
            localized("L'identifiant de société est obligatoire (UUID).", "The company identifier is required (UUID).")
        }
        public static func unknownCompany(_ id: String) -> String { localized("Société \(id) inconnue.", "Unknown company \(id).") }
        public static func unknownOffice(_ code: String) -> String { localized("Bureau \(code) inconnu.", "Unknown office \(code).") }
    }
}
