import Foundation
import SecoursCore

/// The paper fallback form (R-PDF-1, R-GPS-10), laid out like the accompanying document of the
/// seeds: the numbered boxes with their titles, the "Contrôles" box with one cell per character
/// of the fallback number, and the fallback mentions, in the language of the request (the page
/// drawn once per language).
///
/// Blank, every box is a form field a reader can type into. Filled, the data known to GPS (and the
/// box values given with the request) is printed on the page itself, so that it cannot drift from
/// what was registered; the boxes left empty stay fillable.
public struct FallbackForm: Sendable {
    /// Which system the fallback replaces: GAMMA (a 21-character fallback number) or GAMMA 2 (a
    /// fallback LRN of up to 22 characters, R-NUM-6).
    public enum Variant: String, Sendable, CaseIterable {
        case gamma
        case gamma2

        /// Cells in the "Contrôles" box.
        public var cells: Int { self == .gamma ? FallbackNumber.length : FallbackLRN.maxLength }
    }

    /// The numbered boxes of the accompanying document (seed 004).
    public enum Box: String, Sendable, CaseIterable {
        case consignor, consignorExcise, consigneeExcise, invoiceDate, consignee, deliveryPlace
        case dispatchAuthority, transporter, guarantee, transportDetails, dispatchCountry
        case destinationCountry, taxRepresentative, dispatchPlace, dispatchDate, journeyDuration
        case description, cnCode, quantity, grossWeight, netWeight

        /// The box's number on the form.
        public var code: String {
            switch self {
            case .consignor: "1"
            case .consignorExcise: "2"
            case .consigneeExcise: "4"
            case .invoiceDate: "6"
            case .consignee: "7"
            case .deliveryPlace: "7a"
            case .dispatchAuthority: "8"
            case .transporter: "9"
            case .guarantee: "10"
            case .transportDetails: "11"
            case .dispatchCountry: "12"
            case .destinationCountry: "13"
            case .taxRepresentative: "14"
            case .dispatchPlace: "15"
            case .dispatchDate: "16"
            case .journeyDuration: "17"
            case .description: "18a"
            case .cnCode: "19a"
            case .quantity: "20a"
            case .grossWeight: "21a"
            case .netWeight: "22a"
            }
        }

        public var title: String {
            switch self {
            case .consignor: localized("Expéditeur", "Consignor")
            case .consignorExcise: localized("Numéro d'accise de l'expéditeur", "Consignor's excise number")
            case .consigneeExcise: localized("Numéro d'accise du destinataire", "Consignee's excise number")
            case .invoiceDate: localized("Date de la facture", "Invoice date")
            case .consignee: localized("Destinataire", "Consignee")
            case .deliveryPlace: localized("Lieu de livraison", "Place of delivery")
            case .dispatchAuthority: localized("Autorités compétentes du lieu de départ", "Competent authorities at the place of dispatch")
            case .transporter: localized("Transporteur", "Transporter")
            case .guarantee: localized("Garantie", "Guarantee")
            case .transportDetails: localized("Précisions concernant le transport", "Transport details")
            case .dispatchCountry: localized("Pays d'expédition", "Country of dispatch")
            case .destinationCountry: localized("Pays de destination", "Country of destination")
            case .taxRepresentative: localized("Représentant fiscal", "Tax representative")
            case .dispatchPlace: localized("Lieu d'expédition", "Place of dispatch")
            case .dispatchDate: localized("Date d'expédition", "Dispatch date")
            case .journeyDuration: localized("Durée du transport", "Journey duration")
            case .description: localized("Marque et n° d'identification, nombre et type d'emballages, description des marchandises",
                                         "Marks and identification numbers, number and kind of packages, description of goods")
            case .cnCode: localized("Code produit (code NC)", "Product code (CN code)")
            case .quantity: localized("Quantité", "Quantity")
            case .grossWeight: localized("Poids brut (kg)", "Gross weight (kg)")
            case .netWeight: localized("Poids net (kg)", "Net weight (kg)")
            }
        }

        /// The form field's name.
        public var fieldName: String { "case" + code }

        /// The longest value accepted for the box.
        public var maxLength: Int { [.consignor, .consignee, .deliveryPlace, .transporter, .transportDetails, .description].contains(self) ? 400 : 120 }
    }

    public var type: DocumentType
    public var variant: Variant
    /// The fallback number or LRN printed in the cells; nil leaves the cells fillable.
    public var reference: String?
    /// Values printed in their boxes; boxes without one stay fillable.
    public var values: [Box: String]
    /// The document's seal, printed as a QR code in the « Contrôles » box; nil leaves its frame empty.
    public var seal: Seal?

    /// A seal to print: the `SC1:` text of its QR code, and the line under it that says what it
    /// is for.
    public struct Seal: Sendable, Equatable {
        public var code: String
        public var caption: String

        public init(code: String, caption: String) {
            self.code = code
            self.caption = caption
        }
    }

    public init(type: DocumentType, variant: Variant = .gamma, reference: String? = nil, values: [Box: String] = [:], seal: Seal? = nil) {
        self.type = type
        self.variant = variant
        self.reference = reference
        self.values = values
        self.seal = seal
    }

    /// The form filled from a fallback document: its number (or LRN), consignor excise number,
    /// first means of transport, dispatch date and time, plus any other box values given.
    public static func filled(type: DocumentType, reference: String, variant: Variant, exciseNumber: String, transport: String,
                              dispatch: DispatchMoment, boxes: [Box: String] = [:], seal: Seal? = nil) -> FallbackForm {
        var values = boxes
        values[.consignorExcise] = exciseNumber
        let plate = localized("Immatriculation du premier moyen de transport : \(transport)",
                              "Registration plate of first means of transport: \(transport)")
        values[.transportDetails] = boxes[.transportDetails].map { plate + "\n" + $0 } ?? plate
        values[.dispatchDate] = dispatch.display
        return FallbackForm(type: type, variant: variant, reference: reference, values: values, seal: seal)
    }

    /// Reads box values given by name (`consignor=…`), checking names and lengths.
    public static func boxes(_ pairs: [(name: String, value: String)]) throws(SecoursError) -> [Box: String] {
        var out: [Box: String] = [:]
        var errors: [SecoursError.FieldError] = []
        for (name, raw) in pairs {
            guard let box = Box(rawValue: name) else {
                let known = Box.allCases.map(\.rawValue).joined(separator: ", ")
                errors.append(.init(field: name, message: localized("Case « \(name) » inconnue (possibles : \(known)).",
                                                                    "Unknown box “\(name)” (possible: \(known)).")))
                continue
            }
            let value = raw.trimmingCharacters(in: .whitespacesAndNewlines)
            guard !value.isEmpty else { continue }
            if TextInput.length(value) > box.maxLength {
                errors.append(.init(field: name, message: localized("Case \(box.code) « \(box.title) » : \(box.maxLength) caractères au plus.",
                                                                    "Box \(box.code) “\(box.title)”: \(box.maxLength) characters at most.")))
            } else if !WinAnsi.canEncode(value) {
                errors.append(.init(field: name, message: localized(
                    "Case \(box.code) « \(box.title) » : caractère non imprimable sur le formulaire (alphabet latin seulement).",
                    "Box \(box.code) “\(box.title)”: character that cannot be printed on the form (Latin alphabet only).")))
            } else {
                out[box] = value
            }
        }
        guard errors.isEmpty else { throw .invalid(errors) }
        return out
    }

    public var title: String {
        type == .dae ? localized("DOCUMENT ADMINISTRATIF D'ACCOMPAGNEMENT — DAA / DAE", "ADMINISTRATIVE ACCOMPANYING DOCUMENT — DAA / DAE")
            : localized("DOCUMENT SIMPLIFIÉ D'ACCOMPAGNEMENT — DSA", "SIMPLIFIED ACCOMPANYING DOCUMENT — DSA")
    }

    /// The PDF file.
    public func pdf() throws -> [UInt8] {
        let page = layout()
        let what = reference.map { " \($0)" } ?? ""
        let system = variant == .gamma ? "GAMMA" : "GAMMA 2"
        return try PDFAssembler.document([page], title: localized("Procédure de secours — \(type.label)\(what)", "Fallback procedure — \(type.label)\(what)"),
                                         subject: localized("Formulaire de secours EMCS/GAMM@ (\(system))", "EMCS/GAMM@ fallback form (\(system))"))
    }

    // MARK: - Layout (points, from the top-left corner of an A4 page)

    static let left = 28.0
    static let right = Canvas.a4.width - 28
    static let middle = 298.0
    static var quarter: Double { (right - middle) / 2 }

    /// Where each box sits.
    static let frames: [Box: Rect] = {
        let l = left, m = middle, r = right, q = quarter
        let lw = m - l, rw = r - m
        return [
            .consignor: Rect(x: l, y: 100, width: lw, height: 96),
            .consignorExcise: Rect(x: m, y: 100, width: rw, height: 32),
            .consigneeExcise: Rect(x: m, y: 132, width: rw, height: 32),
            .invoiceDate: Rect(x: m, y: 164, width: rw, height: 32),
            .consignee: Rect(x: l, y: 196, width: lw, height: 64),
            .dispatchAuthority: Rect(x: m, y: 196, width: rw, height: 64),
            .deliveryPlace: Rect(x: l, y: 260, width: lw, height: 52),
            .guarantee: Rect(x: m, y: 260, width: rw, height: 52),
            .transporter: Rect(x: l, y: 312, width: lw, height: 52),
            .dispatchCountry: Rect(x: m, y: 312, width: q, height: 52),
            .destinationCountry: Rect(x: m + q, y: 312, width: q, height: 52),
            .transportDetails: Rect(x: l, y: 364, width: lw, height: 52),
            .taxRepresentative: Rect(x: m, y: 364, width: rw, height: 52),
            .dispatchPlace: Rect(x: l, y: 416, width: lw, height: 40),
            .dispatchDate: Rect(x: m, y: 416, width: q, height: 40),
            .journeyDuration: Rect(x: m + q, y: 416, width: q, height: 40),
            .description: Rect(x: l, y: 456, width: lw, height: 120),
            .cnCode: Rect(x: m, y: 456, width: q, height: 40),
            .quantity: Rect(x: m + q, y: 456, width: q, height: 40),
            .grossWeight: Rect(x: m, y: 496, width: rw, height: 40),
            .netWeight: Rect(x: m, y: 536, width: rw, height: 40),
        ]
    }()

    /// The area of each box below its title, where its value goes (the title's length, and so
    /// the area, depends on the language).
    static var valueAreas: [Box: Rect] { Language.current == .en ? englishValueAreas : frenchValueAreas }
    static let frenchValueAreas = Language.$current.withValue(.fr) { valueAreasOfCurrentLanguage() }
    static let englishValueAreas = Language.$current.withValue(.en) { valueAreasOfCurrentLanguage() }

    static func valueAreasOfCurrentLanguage() -> [Box: Rect] {
        Dictionary(uniqueKeysWithValues: Box.allCases.map { box in
            let f = frames[box]!
            let titleLines = Canvas.wrap(box.code + " " + box.title, width: f.width - 6, font: .helvetica, size: 6.5).count
            let top = 3 + Double(titleLines) * 7.5
            return (box, Rect(x: f.x + 3, y: f.y + top, width: f.width - 6, height: f.height - top - 2))
        })
    }

    static let cell = 18.0, cellTop = 620.0, cellHeight = 26.0

    /// The square of the seal's QR code, quiet zone included, at the right of the « Contrôles »
    /// box: 88 points (31 mm), so that a phone reads a version 12 symbol from arm's length.
    static let sealFrame = Rect(x: right - 4 - 88, y: 592, width: 88, height: 88)
    /// The « Contrôles » box's width left of the seal.
    static var checksWidth: Double { sealFrame.x - 8 - left }

    static func cellsLeft(_ variant: Variant) -> Double { left + (checksWidth - Double(variant.cells) * cell) / 2 }

    static func numberLabel(_ variant: Variant) -> String {
        variant == .gamma
            ? localized("Numéro de procédure de secours (GPS ou constitué manuellement) — 21 caractères",
                        "Fallback procedure number (from GPS or composed manually) — 21 characters")
            : localized("LRN de secours GAMMA 2 — 22 caractères au plus", "GAMMA 2 fallback LRN — 22 characters at most")
    }

    /// What every form of a type and variant shares (headings, boxes, cells, notes), drawn once
    /// per language, the first time a form of that language is made.
    static var backgrounds: [String: Canvas] { Language.current == .en ? englishBackgrounds : frenchBackgrounds }
    static let frenchBackgrounds = Language.$current.withValue(.fr) { backgroundsOfCurrentLanguage() }
    static let englishBackgrounds = Language.$current.withValue(.en) { backgroundsOfCurrentLanguage() }

    static func backgroundsOfCurrentLanguage() -> [String: Canvas] {
        var out: [String: Canvas] = [:]
        for type in DocumentType.allCases {
            for variant in Variant.allCases { out[type.rawValue + variant.rawValue] = background(type, variant) }
        }
        return out
    }

    static func background(_ type: DocumentType, _ variant: Variant) -> Canvas {
        var c = Canvas()
        let l = left, r = right, width = r - l

        // Heading
        c.text(localized("PROCÉDURE DE SECOURS", "FALLBACK PROCEDURE"), x: l, y: 46, font: .helveticaBold, size: 16)
        let headRight = Rect(x: l, y: 0, width: width, height: 0)
        c.text(localized("COMMUNAUTÉ EUROPÉENNE", "EUROPEAN COMMUNITY"), in: headRight, y: 38, align: .right, font: .helveticaBold, size: 9)
        c.text(localized("PRODUITS SOUMIS AUX DROITS D'ACCISES", "PRODUCTS SUBJECT TO EXCISE DUTIES"), in: headRight, y: 49, align: .right, size: 8)
        c.text(FallbackForm(type: type).title, in: headRight, y: 72, align: .center, font: .helveticaBold, size: 11)
        c.text("Procédure de secours - Fallback procedure - EMCS/GAMM@", in: headRight, y: 89, align: .center, font: .helveticaBold, size: 10, color: .red)
        c.verticalText(localized("Formulaire de secours — à utiliser seulement lorsque GAMMA ne peut émettre le document",
                                 "Fallback form — to be used only when GAMMA cannot issue the document"), x: 20, y: 560, size: 6.5, color: .gray)

        // The numbered boxes
        c.lineWidth(0.6)
        for box in Box.allCases {
            let f = frames[box]!
            c.rect(f)
            var y = f.y + 8
            for line in Canvas.wrap(box.code + " " + box.title, width: f.width - 6, font: .helvetica, size: 6.5) {
                c.text(line, x: f.x + 3, y: y, size: 6.5, color: .gray)
                y += 7.5
            }
            c.text(box.code, x: f.x + 3, y: f.y + 8, font: .helveticaBold, size: 6.5)
        }

        // Contrôles: one cell per character of the fallback number
        c.rect(Rect(x: l, y: 588, width: width, height: 124))
        c.text(localized("Contrôles", "Checks"), x: l + 4, y: 600, font: .helveticaBold, size: 9)
        c.text(localized("Mention de la procédure P.S. : PROCÉDURE DE SECOURS", "Procedure mention P.S.: FALLBACK PROCEDURE"),
               in: Rect(x: l, y: 0, width: checksWidth, height: 0), y: 600, align: .right, font: .helveticaBold, size: 8)
        c.text(numberLabel(variant), x: l + 4, y: 614, size: 7.5)
        let x0 = cellsLeft(variant)
        for i in 0..<variant.cells {
            c.rect(Rect(x: x0 + Double(i) * cell, y: cellTop, width: cell, height: cellHeight), fill: i % 2 == 0 ? .shade : nil)
        }
        let groups: [(count: Int, caption: String)] = variant == .gamma
            ? [(2, localized("Année", "Year")), (13, localized("Numéro d'accise de l'expéditeur", "Consignor's excise number")),
               (5, localized("N° d'ordre", "Sequence no.")), (1, "Type")]
            : [(2, "PS"), (6, localized("Date AAMMJJ", "Date YYMMDD")), (5, localized("Accise (5 derniers)", "Excise (last 5)")),
               (9, localized("N° de série", "Serial no."))]
        var at = 0
        c.lineWidth(1.6)
        for (count, caption) in groups {
            let a = x0 + Double(at) * cell, b = a + Double(count) * cell
            c.line(from: (a, cellTop), to: (a, cellTop + cellHeight))
            c.text(caption, in: Rect(x: a, y: 0, width: b - a, height: 0), y: cellTop + cellHeight + 9, align: .center, size: 6, color: .gray)
            at += count
        }
        c.line(from: (x0 + Double(at) * cell, cellTop), to: (x0 + Double(at) * cell, cellTop + cellHeight))
        c.lineWidth(0.6)
        c.text(localized("Service des douanes informé :", "Customs office informed:"), x: l + 4, y: 676, size: 7.5)
        c.text(localized("Date et heure de l'information :", "Date and time informed:"), x: l + 292, y: 676, size: 7.5)
        // Where the seal goes: an empty frame on a blank form.
        c.lineWidth(0.3)
        c.rect(sealFrame, stroke: .gray)
        c.lineWidth(0.6)

        // Declarant
        c.rect(Rect(x: l, y: 718, width: width, height: 60))
        c.text(localized("Lieu, date, nom et signature du déclarant", "Place, date, name and signature of the declarant"), x: l + 3, y: 726, size: 6.5, color: .gray)

        // Footer
        let note = localized(
            "À n'utiliser qu'en cas d'indisponibilité de GAMMA (alerte rouge ou noire) ou avec l'autorisation du service des douanes. "
                + "Le numéro de secours est obtenu dans GPS ou constitué à la main hors ligne ; le service des douanes est informé, "
                + "puis le mouvement est réintégré dans GAMMA dès que possible.",
            "To be used only when GAMMA is unavailable (red or black alert) or with the authorisation of the customs office. "
                + "The fallback number is obtained from GPS or composed by hand offline; the customs office is informed, "
                + "then the movement is reintegrated into GAMMA as soon as possible.")
        c.paragraph(note, in: Rect(x: l, y: 784, width: width, height: 30), size: 6.5, leading: 8)
        return c
    }

    /// The page: the shared background, then this form's values and fields.
    func layout() -> FormPage {
        var c = Self.backgrounds[type.rawValue + variant.rawValue]!
        var fields: [TextField] = []
        let l = Self.left, width = Self.right - Self.left
        let areas = Self.valueAreas
        for box in Box.allCases {
            let area = areas[box]!
            if let value = values[box] {
                c.paragraph(value, in: area, size: area.height < 24 ? 9 : 8.5)
            } else {
                fields.append(TextField(name: box.fieldName, tooltip: "\(box.code) \(box.title)", rect: area,
                                        multiline: area.height >= 24, fontSize: area.height >= 24 ? 8.5 : 9))
            }
        }
        let x0 = Self.cellsLeft(variant)
        if let reference {
            for (i, ch) in reference.prefix(variant.cells).enumerated() {
                c.text(String(ch), in: Rect(x: x0 + Double(i) * Self.cell, y: 0, width: Self.cell, height: 0), y: Self.cellTop + 18,
                       align: .center, font: .helveticaBold, size: 14)
            }
        } else {
            fields.append(TextField(name: variant == .gamma ? "numero_secours" : "lrn_secours", tooltip: Self.numberLabel(variant),
                                    rect: Rect(x: x0, y: Self.cellTop, width: Double(variant.cells) * Self.cell, height: Self.cellHeight),
                                    cells: variant.cells, fontSize: 14))
        }
        fields.append(TextField(name: "bureau_informe", tooltip: localized("Service des douanes informé", "Customs office informed"),
                                rect: Rect(x: l + 4, y: 680, width: 270, height: 16)))
        fields.append(TextField(name: "date_information",
                                tooltip: localized("Date et heure de l'information du service des douanes", "Date and time the customs office was informed"),
                                rect: Rect(x: l + 292, y: 680, width: Self.sealFrame.x - 8 - (l + 292), height: 16)))
        fields.append(TextField(name: "signature",
                                tooltip: localized("Lieu, date, nom et signature du déclarant", "Place, date, name and signature of the declarant"),
                                rect: Rect(x: l + 3, y: 730, width: width - 6, height: 46), multiline: true))
        if let seal, let code = try? QRCode(text: seal.code, minimumLevel: .medium) {
            let f = Self.sealFrame
            c.qrCode(code, x: f.x, y: f.y, width: f.width)
            _ = c.paragraph(seal.caption, in: Rect(x: f.x - 6, y: f.maxY + 3, width: f.width + 8, height: 712 - f.maxY - 4), size: 5.5, leading: 6.5)
        }
        return FormPage(canvas: c, fields: fields)
    }
}
