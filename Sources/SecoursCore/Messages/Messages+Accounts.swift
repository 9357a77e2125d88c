import Foundation

extension Messages {
    /// Sign-in, tokens, the answers every request can get, and the CID's administration.
    public enum Accounts {
        // Every request
        public static let unauthenticated = "Authentification requise : connectez-vous ou fournissez un jeton valide."
        public static let forbidden = "Vous n'êtes pas habilité à effectuer cette action."
        public static func notFound(_ what: String) -> String { "\(what) introuvable ou hors de votre périmètre." }
        public static let unsupportedMediaType = "Type de contenu non pris en charge : envoyez du JSON (Content-Type: application/json)."
        public static let payloadTooLarge = "Le corps de la requête est trop volumineux."

        // Sign-in
        public static let invalidCredentials = "Identifiant ou mot de passe incorrect."
        public static func tooManyAttempts(minutes: Int) -> String {
            "Trop de tentatives de connexion échouées. Réessayez dans \(max(1, minutes)) minute(s)."
        }
        public static let hashingBusy = "Trop de connexions en cours : réessayez dans quelques secondes (vous n'avez rien perdu)."
        public static func signInTooOld(days: Int) -> String {
            "Votre connexion date de plus de \(days) jours : reconnectez-vous avec votre mot de passe."
        }

        public static let signInTitle = "Connexion"

        // A sign-in that keeps what the person asked for or typed
        public static let signInToContinue = "Connectez-vous pour accéder à cette page : vous y serez ramené ensuite."
        public static let sessionEndedFormKept = "Votre session a expiré. Reconnectez-vous : votre saisie est conservée et vous pourrez l'envoyer."
        public static let sessionEndedUploadLost = "Votre session a expiré. Reconnectez-vous, puis choisissez à nouveau le fichier à importer."
        public static let resumeTitle = "Envoyer votre saisie"
        public static let resumeAfterSignIn = "Vous êtes connecté. Votre saisie a été conservée : vérifiez-la, puis envoyez-la."
        public static let resumeStaleForm = "Cette page était restée ouverte trop longtemps. Votre saisie a été conservée : vérifiez-la, puis envoyez-la à nouveau."
        /// The names of the fields a kept form shows before it is sent again (the others are sent, not shown).
        public static let keptFieldLabels: [String: String] = [
            "type": "Type de document", "exciseNumber": "Numéro d'accise", "transport": "Immatriculation du 1er moyen de transport",
            "dispatchDate": "Date d'expédition", "dispatchTime": "Heure d'expédition", "number": "Numéro de secours",
            "arc": "ARC", "reason": "Motif", "comment": "Commentaire", "text": "Texte", "decision": "Décision",
            "service": "Service en ligne", "basis": "Fondement", "reference": "Référence", "title": "Titre",
            "description": "Description", "level": "Niveau d'alerte", "phone": "Téléphone", "address": "Adresse",
            "companyName": "Raison sociale", "eori": "EORI", "switchDate": "Date du passage en secours",
            "switchTime": "Heure du passage en secours", "reasons": "Motifs", "month": "Mois",
        ]

        // Administration
        public static let officeName = "Le nom du bureau"
        public static let companyName = "La raison sociale"
        public static let address = "L'adresse"
        public static func officeExists(_ code: String) -> String { "Le bureau \(code) existe déjà." }
        public static func companyExists(siren: String) -> String { "Une société de SIREN \(siren) existe déjà." }
        public static func invalidExciseNumber(_ message: String) -> String { "Numéro d'accise invalide : \(message)" }
        public static let modeRequired = "Le mode de transmission doit être DTI, DTI+ ou EDI."
        public static func exciseNumberExists(_ number: String) -> String { "Le numéro d'accise \(number) existe déjà." }
        public static let roleRequired = "Le rôle doit être operator, officer, cid, edi ou system."
        public static let onlyOperatorAdministers = "Seul un compte opérateur peut administrer sa société."
        public static func loginTaken(_ login: String) -> String { "L'identifiant \(login) est déjà pris." }
        public static let rightsRequired = "La liste des droits est obligatoire."
        public static func unknownRight(_ code: String) -> String {
            "Droit « \(code) » inconnu. Droits possibles : \(Right.allCases.map(\.rawValue).joined(separator: ", "))."
        }
        public static let account = "Compte"
        public static let rightsNotApplicable = "Les droits par numéro d'accise ne concernent que les comptes opérateur et prestataire EDI."
        public static let companyIDRequired = "L'identifiant de société est obligatoire (UUID)."
        public static func unknownCompany(_ id: String) -> String { "Société \(id) inconnue." }
        public static func unknownOffice(_ code: String) -> String { "Bureau \(code) inconnu." }
    }
}
