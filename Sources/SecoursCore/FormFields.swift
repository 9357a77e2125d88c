import Foundation

/// Reads the fields of the service's forms, collecting each field's error so that a form shows all
/// of them at once.
struct FormFields {
    private(set) var errors: [SecoursError.FieldError] = []

    mutating func fail(_ field: String, _ message: String) { errors.append(.init(field: field, message: message)) }

    func present(_ s: String?) -> String? {
        guard let t = s?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty else { return nil }
        return t
    }

    mutating func type(_ text: String?) -> DocumentType? {
        guard let t = present(text) else {
            fail("type", localized("Le type de document est obligatoire (DAA ou DSA).", "The document type is required (DAA or DSA)."))
            return nil
        }
        guard let type = DocumentType(code: t) else {
            fail("type", localized("Le type de document doit être DAA (DAE) ou DSA.", "The document type must be DAA (DAE) or DSA."))
            return nil
        }
        return type
    }

    mutating func exciseNumber(_ text: String?, missing: String = localized("Le numéro d'accise de l'expéditeur est obligatoire.",
                                                                            "The consignor's excise number is required.")) -> ExciseNumber? {
        guard let e = present(text) else {
            fail("exciseNumber", missing)
            return nil
        }
        do { return try ExciseNumber(parsing: e) } catch {
            fail("exciseNumber", localized("Numéro d'accise invalide : \(error.message)", "Invalid excise number: \(error.message)"))
            return nil
        }
    }

    /// Free text, trimmed (empty when absent): `missing` is the error when it is required and left
    /// empty; at most `max` characters.
    mutating func text(_ value: String?, field: String, max: Int, missing: String? = nil, tooLong: String) -> String {
        let t = present(value) ?? ""
        if t.isEmpty, let missing { fail(field, missing) }
        if TextInput.length(t) > max { fail(field, tooLong) }
        return t
    }

    /// One free-text field on its own (a note, a comment, a bulletin): nil when empty and not
    /// required; otherwise the trimmed text, or the error.
    static func note(_ value: String?, field: String, max: Int, required: Bool, missing: String, tooLong: String) throws(SecoursError) -> String? {
        var f = FormFields()
        let t = f.text(value, field: field, max: max, missing: required ? missing : nil, tooLong: tooLong)
        guard f.errors.isEmpty else { throw .invalid(f.errors) }
        return t.isEmpty ? nil : t
    }

    /// The registration of the first means of transport: free text, but printable and short
    /// enough to fit the paper form's box.
    mutating func transport(_ text: String?) -> String? {
        guard let t = present(text) else {
            fail("transport", localized("L'immatriculation du premier moyen de transport est obligatoire.",
                                        "The registration plate of the first means of transport is required."))
            return nil
        }
        if TextInput.length(t) > GenerationRequest.maxTransportLength {
            fail("transport", localized("L'immatriculation ne doit pas dépasser \(GenerationRequest.maxTransportLength) caractères.",
                                        "The registration plate must not exceed \(GenerationRequest.maxTransportLength) characters."))
            return nil
        }
        if t.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) }) {
            fail("transport", localized("L'immatriculation contient des caractères de contrôle.", "The registration plate contains control characters."))
            return nil
        }
        if !TransportIdentification.isPlausible(t) {
            fail("transport", Messages.Documents.transportCharacters)
            return nil
        }
        return t
    }

    mutating func day(_ text: String?) -> ParisDay? {
        guard let d = present(text) else {
            fail("dispatchDate", localized("La date d'expédition est obligatoire.", "The dispatch date is required."))
            return nil
        }
        guard let day = ParisDay(text: d) else {
            fail("dispatchDate", localized("La date d'expédition doit être une date valide au format jj/mm/aaaa.",
                                           "The dispatch date must be a valid date in the format dd/mm/yyyy."))
            return nil
        }
        return day
    }

    mutating func time(_ text: String?) -> ParisTime? {
        guard let t = present(text) else {
            fail("dispatchTime", localized("L'heure d'expédition est obligatoire.", "The dispatch time is required."))
            return nil
        }
        guard let time = ParisTime(text: t) else {
            fail("dispatchTime", localized("L'heure d'expédition doit être une heure valide au format hh:mm.",
                                           "The dispatch time must be a valid time in the format hh:mm."))
            return nil
        }
        return time
    }
}

/// What identifies a means of transport on the paper form: a plate (« AB-123-CD », « 457TY24 »),
/// two plates (« AB-123-CD / XY-456-ZZ »), a barge, a train or a container number. Letters,
/// digits, spaces and the signs `- . / ' ’ ( ) , « » " & + : ° #`, with at least two letters or
/// digits: markup, semicolons and question marks are typing accidents, not a vehicle.
public enum TransportIdentification {
    static let signs = Set("-./'’(),«»\"&+:°# ".unicodeScalars)

    public static func isPlausible(_ text: String) -> Bool {
        var alphanumerics = 0
        for scalar in text.unicodeScalars {
            if CharacterSet.alphanumerics.contains(scalar) { alphanumerics += 1 }
            else if CharacterSet.nonBaseCharacters.contains(scalar) || signs.contains(scalar) { continue }
            else { return false }
        }
        return alphanumerics >= 2
    }

    /// Whether two identifications name the same vehicle: letters and digits only, case aside
    /// (« ab 123 cd » is « AB-123-CD »).
    public static func sameVehicle(_ a: String, _ b: String) -> Bool {
        func key(_ s: String) -> String {
            String(String.UnicodeScalarView(s.uppercased().unicodeScalars.filter { CharacterSet.alphanumerics.contains($0) }))
        }
        return key(a) == key(b)
    }
}
