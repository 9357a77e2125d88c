extension Messages {
    /// The seal printed as a QR code on the forms: what checking it concludes.
    public enum Seal {
        public static var valid: String {
            localized("Sceau valide : le document est celui qui a été émis, sans modification.",
                      "Valid seal: the document is the one that was issued, unchanged.")
        }
        public static var signatureBroken: String {
            localized("Sceau invalide : la signature ne correspond pas au contenu. Le code a été modifié ou recomposé.",
                      "Invalid seal: the signature does not match the content. The code was altered or assembled from pieces.")
        }
        public static func unknownKey(_ kid: String) -> String {
            localized("Sceau non reconnu : la clé \(kid) qui l'a signé n'est pas dans la liste de confiance. Mettez la liste à jour, puis recommencez.",
                      "Unrecognised seal: the key \(kid) that signed it is not in the trust list. Update the list, then try again.")
        }
        public static func keyRevoked(_ kid: String) -> String {
            localized("Sceau refusé : la clé \(kid) qui l'a signé a été révoquée.",
                      "Seal refused: the key \(kid) that signed it has been revoked.")
        }
        public static func keyExpired(_ kid: String) -> String {
            localized("Sceau refusé : le document a été émis en dehors de la période de validité de la clé \(kid).",
                      "Seal refused: the document was issued outside the validity period of the key \(kid).")
        }
        public static func outOfScope(_ excise: String) -> String {
            localized("Sceau refusé : la clé qui l'a signé n'est pas habilitée pour le numéro d'accise \(excise).",
                      "Seal refused: the key that signed it is not authorised for excise number \(excise).")
        }
        public static var notASecoursCode: String {
            localized("Ce code n'est pas un sceau de document de secours (il doit commencer par « SC1: »).",
                      "This code is not a fallback document seal (it must start with “SC1:”).")
        }
        public static func mismatch(_ fields: [String]) -> String {
            localized("Le sceau est valide, mais ces mentions imprimées ne correspondent pas : \(fields.joined(separator: ", ")).",
                      "The seal is valid, but these printed entries do not match it: \(fields.joined(separator: ", ")).")
        }

        public static func fieldLabel(_ field: SealedDocument.Field) -> String {
            switch field {
            case .number: localized("numéro du document", "document number")
            case .kind: localized("nature du numéro", "kind of number")
            case .type: localized("type de document", "document type")
            case .exciseNumber: localized("numéro d'accise de l'expéditeur", "consignor's excise number")
            case .dispatchDate: localized("date d'expédition", "dispatch date")
            case .dispatchTime: localized("heure d'expédition", "dispatch time")
            case .transport: localized("immatriculation du premier moyen de transport", "registration of the first means of transport")
            case .issuer: localized("émetteur", "issuer")
            case .issuedAt: localized("date d'émission", "issue time")
            case .keyID: localized("clé de signature", "signing key")
            }
        }
    }
}
