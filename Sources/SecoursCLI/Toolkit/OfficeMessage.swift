import Foundation
import SecoursCore

/// The message to the office of attachment (seeds 001 and 002: the numbers are communicated
/// « avant le départ des marchandises »): plain text, and an RFC 5322 `.eml` draft addressed to
/// the office that any mail client sends once some connection exists.
struct OfficeMessage {
    let excise: [Journal.Excise]
    let entries: [Journal.Entry]
    let outage: Journal.Outage?
    let sender: Journal.SyncInfo?
    let now: Date

    var officeEmail: String { excise.first?.officeEmail ?? "" }
    var officeName: String { excise.first?.officeName ?? "" }

    var subject: String {
        let company = excise.first?.companyName ?? ""
        return "Procédure de secours – \(company) – \(Set(entries.map(\.exciseNumber)).sorted().joined(separator: ", "))"
    }

    var text: String {
        let company = excise.first
        var lines = ["Madame, Monsieur,", ""]
        let who = company.map { "\($0.companyName) (\($0.companyAddress.replacingOccurrences(of: "\n", with: ", ")))" } ?? "Notre société"
        let numbers = excise.map(\.number).joined(separator: ", ")
        if let outage {
            lines.append("\(who), numéro(s) d'accise \(numbers), utilise la procédure de secours EMCS/GAMM@ depuis le \(Toolkit.french(outage.startedAt)) (heure de Paris), service \(outage.service) indisponible.")
            lines.append("Motif : \(outage.reason).")
            if outage.attempts.isEmpty {
                lines.append("Nous n'avons pas encore pu joindre le service.")
            } else {
                lines.append("Tentatives pour joindre le service :")
                for a in outage.attempts { lines.append("- \(Toolkit.french(a.at)) : \(a.channel)\(a.note.map { " — \($0)" } ?? "")") }
            }
            if let end = outage.endedAt { lines.append("Fin de la coupure constatée le \(Toolkit.french(end)).") }
        } else {
            lines.append("\(who), numéro(s) d'accise \(numbers), utilise la procédure de secours EMCS/GAMM@ depuis le \(Toolkit.french(entries.map(\.createdAt).min() ?? now)) (heure de Paris), les services en ligne étant indisponibles.")
        }
        lines.append("")
        lines.append("Numéros de secours utilisés avant le départ des marchandises :")
        for e in entries {
            let what = e.kind == .lrn ? "LRN GAMMA 2, \(e.type.label)" : e.type.label
            lines.append("- \(e.number) (\(what)) : expédition le \(e.dispatch?.french ?? e.dispatchDate), premier moyen de transport \(e.transport ?? "non précisé")")
        }
        lines.append("")
        lines.append("Ces documents seront enregistrés a posteriori dans GPS (ou intégrés dans GAMMA 2 pour les LRN) dès le rétablissement du service.")
        lines.append("")
        lines.append("Veuillez agréer, Madame, Monsieur, nos salutations distinguées.")
        if let sender { lines.append("\(sender.login) <\(sender.email)>") }
        if let company { lines.append(company.companyName) }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The `.eml` draft: UTF-8 text in base64, subject encoded (RFC 2047), `X-Unsent` so that
    /// mail clients open it as a message to send.
    var eml: String {
        let formatter = DateFormatter()
        formatter.locale = Locale(identifier: "en_US_POSIX")
        formatter.dateFormat = "EEE, dd MMM yyyy HH:mm:ss Z"
        formatter.timeZone = ParisCalendar.timeZone
        var headers = ["To: \(officeName.isEmpty ? "" : "\"\(officeName.replacingOccurrences(of: "\"", with: ""))\" ")<\(officeEmail)>"]
        if let sender, !sender.email.isEmpty { headers.append("From: <\(sender.email)>") }
        headers += [
            "Subject: =?UTF-8?B?\(Data(subject.utf8).base64EncodedString())?=",
            "Date: \(formatter.string(from: now))",
            "X-Unsent: 1",
            "MIME-Version: 1.0",
            "Content-Type: text/plain; charset=utf-8",
            "Content-Transfer-Encoding: base64",
        ]
        let body = Data(text.replacingOccurrences(of: "\n", with: "\r\n").utf8).base64EncodedString(options: [.lineLength76Characters, .endLineWithCarriageReturn, .endLineWithLineFeed])
        return headers.joined(separator: "\r\n") + "\r\n\r\n" + body + "\r\n"
    }
}
