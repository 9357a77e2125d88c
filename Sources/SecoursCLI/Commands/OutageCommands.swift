import ArgumentParser
import Foundation
import SecoursCore

/// `secours outage`: the outage and each attempt to reach the office, with times (proof of good
/// faith, seed 001 step 2; R-DIAG-2).
struct Outage: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "outage",
        abstract: "Note la coupure (début, fin) et chaque tentative de joindre le bureau, avec l'heure : la preuve de votre bonne foi.",
        subcommands: [Start.self, Attempt.self, End.self, Show.self], defaultSubcommand: Show.self)

    /// `--date`/`--time` of an event that happened a little earlier; both absent: now.
    struct When: ParsableArguments {
        @Option(name: .long, help: "Date JJ/MM/AAAA si l'évènement est antérieur (défaut : maintenant).") var date: String?
        @Option(name: .long, help: "Heure HH:MM si l'évènement est antérieur.") var time: String?

        func resolve(now: Date) throws(ToolkitError) -> Date {
            if date == nil && time == nil { return now }
            guard let time else { throw ToolkitError.invalidOption("--time", "Précisez aussi l'heure (HH:MM).") }
            guard let t = ParisTime(text: time) else { throw ToolkitError.invalidOption("--time", "L'heure doit être au format HH:MM.") }
            let day: ParisDay
            if let date {
                guard let d = ParisDay(text: date) else { throw ToolkitError.invalidOption("--date", "La date doit être au format JJ/MM/AAAA.") }
                day = d
            } else { day = ParisDay(now) }
            let moment = DispatchMoment(day: day, time: t)
            guard moment.isNotAfter(now) else { throw ToolkitError.invalidOption(date == nil ? "--time" : "--date", "Le moment ne peut pas être dans le futur.") }
            return moment.date
        }
    }

    static func note(_ text: String?, option: String) throws(ToolkitError) -> String? {
        guard let t = text?.trimmingCharacters(in: .whitespacesAndNewlines), !t.isEmpty else { return nil }
        guard t.count <= 500 else { throw ToolkitError.invalidOption(option, "500 caractères au plus.") }
        guard !t.unicodeScalars.contains(where: { CharacterSet.controlCharacters.contains($0) && $0 != "\n" }) else {
            throw ToolkitError.invalidOption(option, "Le texte contient un caractère de contrôle.")
        }
        return t
    }

    static func describe(_ o: Journal.Outage) -> String {
        var lines = ["Coupure depuis le \(Toolkit.french(o.startedAt)) (\(o.service)) : \(o.reason)"]
        for a in o.attempts { lines.append("  tentative \(Toolkit.french(a.at)) : \(a.channel)\(a.note.map { " — \($0)" } ?? "")") }
        if let end = o.endedAt { lines.append("  fin le \(Toolkit.french(end))\(o.endNote.map { " — \($0)" } ?? "")") }
        return lines.joined(separator: "\n")
    }

    struct Start: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "start", abstract: "Note le début de la coupure.")
        @Option(name: .long, help: "Pourquoi (ce qui ne fonctionne pas).") var reason: String?
        @Option(name: .long, help: "Service indisponible (défaut GAMMA).") var service: String = "GAMMA"
        @OptionGroup var when: When
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await Toolkit.run(output) {
                let now = Date()
                let at = try when.resolve(now: now)
                let why = try Outage.note(reason, option: "--reason") ?? ToolkitText.defaultOutageReason
                guard let service = OnlineService(rawValue: service.uppercased()) ?? OnlineService.allCases.first(where: { $0.rawValue.caseInsensitiveCompare(service) == .orderedSame }) else {
                    throw ToolkitError.invalidOption("--service", "Service « \(service) » inconnu (\(OnlineService.allCases.map(\.rawValue).joined(separator: ", "))).")
                }
                let o = try Journal.open(StateFolder.resolve()).startOutage(at: at, service: service.rawValue, reason: why, now: now)
                return Reply(Outage.describe(o) + "\nNotez chaque tentative de joindre le bureau : « secours outage attempt --channel téléphone --note … ».", o)
            }
        }
    }

    struct Attempt: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "attempt", abstract: "Note une tentative de joindre le bureau (téléphone, courriel…).")
        @Option(name: .long, help: "Moyen : téléphone, courriel, fax, visite…") var channel: String
        @Option(name: .long, help: "Ce qui s'est passé (pas de réponse, occupé, message laissé…).") var note: String?
        @OptionGroup var when: When
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await Toolkit.run(output) {
                let now = Date()
                let at = try when.resolve(now: now)
                guard let channel = try Outage.note(channel, option: "--channel") else { throw ToolkitError.invalidOption("--channel", "Le moyen est obligatoire.") }
                let o = try Journal.open(StateFolder.resolve()).addAttempt(channel: channel, note: try Outage.note(note, option: "--note"), at: at)
                return Reply(Outage.describe(o), o)
            }
        }
    }

    struct End: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "end", abstract: "Note la fin de la coupure.")
        @Option(name: .long, help: "Remarque (par exemple : réseau rétabli).") var note: String?
        @OptionGroup var when: When
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await Toolkit.run(output) {
                let now = Date()
                let at = try when.resolve(now: now)
                let o = try Journal.open(StateFolder.resolve()).endOutage(note: try Outage.note(note, option: "--note"), at: at)
                return Reply(Outage.describe(o) + "\n" + ToolkitText.pushHint, o)
            }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(commandName: "show", abstract: "Montre les coupures notées et les tentatives.")
        @OptionGroup var output: OutputOptions

        func run() async throws {
            try await Toolkit.run(output) {
                let all = try Journal.open(StateFolder.resolve()).outages()
                return Reply(all.isEmpty ? "Aucune coupure notée." : all.map(Outage.describe).joined(separator: "\n"), all)
            }
        }
    }
}

/// `secours message`: the message to the office of attachment, as text and as an `.eml` draft.
struct Message: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "message",
        abstract: "Rédige le message au bureau de rattachement (procédure de secours, depuis quand, pourquoi, numéros utilisés) en texte et en .eml.")

    @Option(name: .long, parsing: .upToNextOption, help: "Numéros à communiquer (défaut : ceux de la coupure en cours, sinon tous ceux non envoyés).") var number: [String] = []
    @Option(name: .long, help: "Dossier où écrire les fichiers (défaut : le dossier courant).") var outputDir: String?
    @OptionGroup var output: OutputOptions

    func run() async throws {
        try await Toolkit.run(output) {
            let now = Date()
            let journal = try Journal.open(StateFolder.resolve())
            let all = try journal.entries()
            let outage = try journal.currentOrLastOutage()
            var chosen: [Journal.Entry]
            if number.isEmpty {
                let pending = all.filter { $0.syncState == .pending }
                chosen = outage.map { o in pending.filter { $0.createdAt >= o.startedAt } } ?? pending
                if chosen.isEmpty { chosen = pending }
            } else {
                chosen = []
                for n in number {
                    let key = n.trimmingCharacters(in: .whitespaces).uppercased()
                    guard let e = all.first(where: { $0.number == key }) else { throw ToolkitError.entryNotFound(key) }
                    if !chosen.contains(e) { chosen.append(e) }
                }
            }
            guard !chosen.isEmpty else { throw ToolkitError.nothingToCommunicate }
            let excise = try journal.exciseNumbers()
            let sender = try journal.syncInfo()
            let folder = outputDir ?? FileManager.default.currentDirectoryPath
            let stamp = Self.stamp(now)
            // One message per office of attachment.
            let byOffice = Dictionary(grouping: chosen) { e in excise.first { $0.number == e.exciseNumber }?.officeEmail ?? "" }
            var written: [Written] = []
            var texts: [String] = []
            for email in byOffice.keys.sorted() {
                let entries = byOffice[email]!
                guard !email.isEmpty else { throw ToolkitError.officeUnknown(entries.map(\.exciseNumber)) }
                let numbers = Set(entries.map(\.exciseNumber))
                let message = OfficeMessage(excise: excise.filter { numbers.contains($0.number) }, entries: entries, outage: outage, sender: sender, now: now)
                let suffix = byOffice.count > 1 ? "-\(message.excise.first?.officeCode ?? "bureau")" : ""
                let base = "\(folder)/message-bureau-\(stamp)\(suffix)"
                for (path, content) in [(base + ".txt", message.text), (base + ".eml", message.eml)] {
                    do { try Data(content.utf8).write(to: URL(fileURLWithPath: path), options: .atomic) } catch {
                        throw ToolkitError.cannotWrite(path, error.localizedDescription)
                    }
                }
                try journal.recordMessage(officeEmail: email, numbers: entries.map(\.number), textFile: base + ".txt", emlFile: base + ".eml", now: now)
                written.append(Written(to: email, subject: message.subject, text: message.text, textFile: base + ".txt", emlFile: base + ".eml", numbers: entries.map(\.number)))
                texts.append("À : \(email)\nObjet : \(message.subject)\n\n\(message.text)\nÉcrit dans \(base).txt et \(base).eml : ouvrez le .eml avec votre messagerie et envoyez-le dès qu'une connexion existe (ou dictez ce texte au téléphone).")
            }
            return Reply(texts.joined(separator: "\n\n"), written)
        }
    }

    struct Written: Encodable {
        let to: String
        let subject: String
        let text: String
        let textFile: String
        let emlFile: String
        let numbers: [String]
    }

    static func stamp(_ now: Date) -> String {
        let d = ParisDay(now), t = ParisTime(now)
        let seconds = Int(now.timeIntervalSince1970) % 60
        return d.iso.replacingOccurrences(of: "-", with: "") + "-" + t.text.replacingOccurrences(of: ":", with: "") + String(format: "%02d", seconds)
    }
}
