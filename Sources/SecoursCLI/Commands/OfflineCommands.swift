import ArgumentParser
import Foundation
import SecoursCore
import SecoursForms

/// `secours number`: the next manual number (R-NUM-3, seeds 001/002 « Cas B »), with no network.
struct Number: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "number",
        abstract: "Donne le prochain numéro de secours manuel (hors ligne) et l'inscrit au journal avant de l'afficher.")

    @Option(name: .long, help: "DAA (ou DAE) ou DSA.") var type: String
    @Option(name: .long, help: "Numéro d'accise de l'expéditeur (FR…).") var excise: String
    @Option(name: .long, help: "Immatriculation du premier moyen de transport.") var transport: String
    @Option(name: .long, help: "Date d'expédition JJ/MM/AAAA (défaut : maintenant, heure de Paris).") var date: String?
    @Option(name: .long, help: "Heure d'expédition HH:MM (défaut : maintenant).") var time: String?
    @OptionGroup var output: OutputOptions

    /// The command's options, in the words of the domain's field names.
    static let optionNames = ["type": "--type", "exciseNumber": "--excise", "transport": "--transport",
                              "dispatchDate": "--date", "dispatchTime": "--time"]

    func run() async throws {
        try await Toolkit.run(output) {
            let now = Date()
            let valid = try Self.validate(type: type, excise: excise, transport: transport, date: date, time: time, now: now)
            let journal = try Journal.open(StateFolder.resolve())
            let allocation = try journal.recordManualNumber(valid, now: now)
            let sync = try journal.syncInfo()
            return Self.reply(allocation, syncedAt: sync?.syncedAt, openOutage: try journal.openOutage() != nil)
        }
    }

    /// Movement data checked by SecoursCore's rules for a number made before the goods leave
    /// (R-GPS-1: date today or later, time not before now); no date and no time means now.
    static func validate(type: String, excise: String, transport: String, date: String?, time: String?, now: Date) throws(ToolkitError) -> GenerationRequest.Valid {
        let defaulted = date == nil && time == nil
        let request = GenerationRequest(type: type, exciseNumber: excise, transport: transport,
                                        dispatchDate: defaulted ? ParisDay(now).iso : date,
                                        dispatchTime: defaulted ? ParisTime(now).text : time)
        do throws(SecoursError) { return try request.validate(now: now) } catch {
            let fields = error.fields.map { SecoursError.FieldError(field: optionNames[$0.field] ?? $0.field, message: $0.message) }
            let message = fields.count == 1 ? "\(fields[0].field) : \(fields[0].message)" : "\(fields.count) options sont à corriger."
            throw ToolkitError(code: error.code, message: message, fields: fields)
        }
    }

    struct Out: Encodable {
        let number: String
        let kind: String
        let type: String
        let exciseNumber: String
        let year: Int
        let sequence: Int
        let transport: String?
        let dispatchDate: String
        let dispatchTime: String
        let syncState: ToolkitSync.EntryState
        let serverLastSequence: Int
        /// Taken from this device's block (R-NUM-8): nobody else can be given it.
        let reserved: Bool
        let reservedLeft: Int
        let mayCollide: Bool
        let warning: String
    }

    static func reply(_ a: Journal.Allocation, syncedAt: Date?, openOutage: Bool) -> Reply {
        let e = a.entry
        let groups = (try? FallbackNumber(parsing: e.number).groups.joined(separator: " ")) ?? e.number
        let warning = ToolkitText.numberWarning(a, syncedAt: syncedAt)
        var lines = [
            e.number,
            "Numéro de secours manuel \(e.type.label) : \(groups)",
            "Expédition le \(e.dispatch?.french ?? e.dispatchDate), transport \(e.transport ?? "—"). Inscrit au journal : \(ToolkitText.syncLabel(e.syncState)).",
            (a.block == nil ? "Attention : " : "") + warning,
            "Avant le départ des marchandises, communiquez-le à votre bureau (« secours message ») ; formulaire : « secours form \(e.type.rawValue) --number \(e.number) ».",
        ]
        if !openOutage { lines.append(ToolkitText.noOutageHint) }
        return Reply(lines.joined(separator: "\n"),
                     Out(number: e.number, kind: e.kind.rawValue, type: e.type.rawValue, exciseNumber: e.exciseNumber, year: e.year,
                         sequence: e.sequence, transport: e.transport, dispatchDate: e.dispatchDate, dispatchTime: e.dispatchTime,
                         syncState: e.syncState, serverLastSequence: a.serverLast, reserved: a.block != nil,
                         reservedLeft: a.block.map { $0.remaining - 1 } ?? 0, mayCollide: a.block == nil, warning: warning))
    }
}

/// `secours lrn`: the next GAMMA 2 fallback LRN (R-NUM-6, seed 000), with no network.
struct LRN: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lrn",
        abstract: "Donne le prochain LRN de secours GAMMA 2 (hors ligne) : PS + date AAMMJJ + fin du numéro d'accise + numéro de série continu.")

    @Option(name: .long, help: "Numéro d'accise de l'opérateur (FR…).") var excise: String
    @Option(name: .long, help: "DAA (ou DAE) ou DSA (défaut DAA).") var type: String = "DAA"
    @Option(name: .long, help: "Immatriculation du premier moyen de transport (le service la demande pour enregistrer le LRN).") var transport: String
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await Toolkit.run(output) {
            let now = Date()
            let exciseNumber: ExciseNumber
            do throws(NumberError) { exciseNumber = try ExciseNumber(parsing: excise) } catch {
                throw ToolkitError.invalidOption("--excise", "Numéro d'accise invalide : \(error.message)")
            }
            guard let type = DocumentType(code: type) else { throw ToolkitError.invalidOption("--type", "Le type de document doit être DAA (DAE) ou DSA.") }
            let plate: String
            do {
                // The same rule as for a manual number (SecoursCore), read through a full request.
                let probe = GenerationRequest(type: type.rawValue, exciseNumber: exciseNumber.value, transport: transport,
                                              dispatchDate: ParisDay(now).iso, dispatchTime: ParisTime(now).text)
                do throws(SecoursError) { plate = try probe.validate(now: now.addingTimeInterval(-120)).transport } catch {
                    throw ToolkitError.invalidOption("--transport", error.message(for: "transport") ?? error.message)
                }
            }
            let journal = try Journal.open(StateFolder.resolve())
            let (e, block) = try journal.recordLRN(exciseNumber: exciseNumber, type: type, transport: plate, now: now)
            struct Out: Encodable { let lrn: String; let exciseNumber: String; let serial: Int; let day: String; let syncState: ToolkitSync.EntryState; let reserved: Bool; let mayCollide: Bool }
            let origin = block.map { "série réservée à ce poste (\($0.first) à \($0.last), \($0.remaining - 1) restante(s))" }
                ?? "Attention : hors de toute réserve de ce poste, ce numéro de série suit le dernier du journal et peut être le même qu'un LRN d'un autre poste"
            return Reply("""
                \(e.number)
                LRN de secours GAMMA 2 n° \(e.sequence) de \(e.exciseNumber), inscrit au journal : \(ToolkitText.syncLabel(e.syncState)) ; \(origin).
                Transmettez-le à votre bureau avant le départ (« secours message ») ; les données seront intégrées dans GAMMA 2 à son retour.
                """, Out(lrn: e.number, exciseNumber: e.exciseNumber, serial: e.sequence, day: e.dispatchDate, syncState: e.syncState,
                         reserved: block != nil, mayCollide: block == nil))
        }
    }
}

/// `secours form`: the paper form (R-PDF-1), blank and fillable, or filled from a journal entry.
struct Form: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "form",
        abstract: "Écrit le formulaire de secours en PDF : vierge et remplissable, ou rempli depuis une entrée du journal (--number).")

    @Argument(help: "DAE (ou DAA) ou DSA.") var type: String
    @Option(name: .long, help: "Numéro (ou LRN) du journal dont remplir le formulaire.") var number: String?
    @Option(name: .long, help: "Fichier à écrire (défaut : secours-<numéro ou type>.pdf dans le dossier courant).") var output: String?
    @Flag(name: .long, help: "Formulaire GAMMA 2 (cases du LRN) pour un formulaire vierge.") var gamma2 = false
    @OptionGroup var options: OutputOptions

    func run() async throws {
        try await Toolkit.run(options) {
            guard let type = DocumentType(code: type) else { throw ToolkitError.invalidOption("type", "Formulaire « \(self.type) » inconnu : DAE (DAA) ou DSA.") }
            let form: FallbackForm
            let name: String
            if let number {
                let journal = try Journal.open(StateFolder.resolve())
                let key = number.trimmingCharacters(in: .whitespaces).uppercased()
                guard let entry = try journal.entry(number: key) else { throw ToolkitError.entryNotFound(key) }
                guard entry.type == type else { throw ToolkitError.formTypeMismatch(entry: entry.number, entryType: entry.type, asked: type) }
                let excise = try journal.exciseNumbers().first { $0.number == entry.exciseNumber }
                form = Self.filled(entry, excise: excise)
                name = "secours-\(entry.number).pdf"
            } else {
                form = FallbackForm(type: type, variant: gamma2 ? .gamma2 : .gamma)
                name = "secours-\(type.rawValue)\(gamma2 ? "-gamma2" : "").pdf"
            }
            let path = output ?? FileManager.default.currentDirectoryPath + "/" + name
            let pdf = try form.pdf()
            do { try Data(pdf).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
                throw ToolkitError.cannotWrite(path, error.localizedDescription)
            }
            struct Out: Encodable { let file: String; let bytes: Int; let number: String? }
            return Reply("Formulaire écrit : \(path) (\(pdf.count) octets). Imprimez-le et gardez-en un exemplaire.",
                         Out(file: path, bytes: pdf.count, number: form.reference))
        }
    }

    /// The form the server makes from a document, plus the consignor and the office of attachment
    /// that the last sync gave.
    static func filled(_ e: Journal.Entry, excise: Journal.Excise?) -> FallbackForm {
        var pairs: [(name: String, value: String)] = []
        if let excise {
            pairs.append((FallbackForm.Box.consignor.rawValue, "\(excise.companyName)\n\(excise.companyAddress)"))
            pairs.append((FallbackForm.Box.dispatchAuthority.rawValue, excise.officeName))
        }
        let boxes = (try? FallbackForm.boxes(pairs)) ?? [:]
        let variant: FallbackForm.Variant = e.kind == .lrn ? .gamma2 : .gamma
        let dispatch = e.dispatch ?? DispatchMoment(day: ParisDay(e.createdAt), time: ParisTime(e.createdAt))
        if let transport = e.transport {
            return FallbackForm.filled(type: e.type, reference: e.number, variant: variant, exciseNumber: e.exciseNumber,
                                       transport: transport, dispatch: dispatch, boxes: boxes)
        }
        var values = boxes
        values[.consignorExcise] = e.exciseNumber
        values[.dispatchDate] = dispatch.day.french
        return FallbackForm(type: e.type, variant: variant, reference: e.number, values: values)
    }
}

/// `secours journal`: every entry made on this computer, with its sync state.
struct JournalCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(commandName: "journal", abstract: "Liste les entrées du journal de ce poste et leur état d'envoi.")

    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await Toolkit.run(output) {
            let journal = try Journal.open(StateFolder.resolve())
            let entries = try journal.entries()
            let sync = try journal.syncInfo()
            var lines = ["Journal \(journal.folder.journalPath)",
                         sync.map { "Dernière synchronisation : \(Toolkit.french($0.syncedAt)) (compte \($0.login))." } ?? "Jamais synchronisé."]
            if entries.isEmpty { lines.append("Aucune entrée.") }
            for e in entries {
                let what = e.kind == .lrn ? "LRN GAMMA 2" : "manuel \(e.type.label)"
                lines.append("  \(e.number)  \(what)  \(e.exciseNumber)  expédition \(e.dispatch?.french ?? e.dispatchDate)  \(e.transport ?? "—")  [\(ToolkitText.syncLabel(e.syncState))]")
                if let detail = e.syncDetail, e.syncState != .registered { lines.append("      \(detail)") }
                if let c = e.communicationState, c.hasPrefix("refused") { lines.append("      communication au bureau refusée : \(c.dropFirst("refused: ".count))") }
            }
            let outages = try journal.outages()
            if !outages.isEmpty { lines.append("Coupures notées :") }
            for o in outages { lines.append(Outage.describe(o).split(separator: "\n").map { "  " + $0 }.joined(separator: "\n")) }
            if entries.contains(where: { $0.syncState.isUnsent }) { lines.append(ToolkitText.pushHint) }
            if entries.contains(where: { $0.syncState == .conflict }) { lines.append(ToolkitText.conflictHint) }
            struct Out: Encodable { let journal: String; let syncedAt: Date?; let entries: [Journal.Entry]; let outages: [Journal.Outage] }
            return Reply(lines.joined(separator: "\n"), Out(journal: journal.folder.journalPath, syncedAt: sync?.syncedAt, entries: entries, outages: outages))
        }
    }
}
