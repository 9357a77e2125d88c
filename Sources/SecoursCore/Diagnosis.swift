/// Why an operator may use the fallback procedure (R-DIAG-2): what an episode rests on.
public enum EpisodeBasis: String, Sendable, Codable, CaseIterable {
    /// A red or black alert covering the service and mode.
    case alert
    /// The SAU's diagnosis says the fault is the service's.
    case sauDiagnosis = "sau-diagnosis"
    /// The office of attachment authorised it.
    case officeAuthorisation = "office-authorisation"
    /// The office did not answer within the hour of the request.
    case officeSilence = "office-silence"
    /// The EDI provider's incident, confirmed by the SAU, covers its clients.
    case ediProviderIncident = "edi-provider-incident"
    /// The operator's own assistance request (« auto-déclenchement »).
    case selfTrigger = "self-trigger"
    /// An outage the offline toolkit logged on the operator's laptop, registered a posteriori at
    /// the next sync with its attempts to reach the office as evidence (seed 001, step 2).
    case offlineOutage = "offline-outage"

    public var label: String {
        switch self {
        case .alert: localized("Alerte publiée", "Published alert")
        case .sauDiagnosis: localized("Diagnostic du SAU", "SAU diagnosis")
        case .officeAuthorisation: localized("Autorisation du bureau", "Authorisation by the office")
        case .officeSilence: localized("Sans réponse du bureau dans l'heure", "No answer from the office within the hour")
        case .ediProviderIncident: localized("Incident du prestataire EDI", "EDI provider incident")
        case .selfTrigger: localized("Auto-déclenchement", "Self-trigger")
        case .offlineOutage: localized("Panne consignée hors ligne (journal du poste)", "Outage logged offline (computer's journal)")
        }
    }
}

/// The guided diagnosis « Je diagnostique ma panne » (R-DIAG-1): the decision flows of the seeds
/// (000 GAMMA 2, 001 and 002's annex GAMMA, 003 DELTA) as data, one question per step.
public struct DiagnosisFlow: Sendable {
    public let id: String
    public let title: String
    /// The service the flow is about, when it is fixed (GAMMA, GAMMA 2); DELTA asks which.
    public let service: OnlineService?
    public let start: String
    public let steps: [String: Step]

    public struct Answer: Sendable {
        public let id: String
        public let label: String
        public let next: String
        /// A transmission mode or a service the answer states, for the alert check.
        public let mode: TransmissionMode?
        public let service: OnlineService?

        init(_ id: String, _ label: String, _ next: String, mode: TransmissionMode? = nil, service: OnlineService? = nil) {
            self.id = id
            self.label = label
            self.next = next
            self.mode = mode
            self.service = service
        }
    }

    /// What a diagnosis ends on.
    public enum Verdict: String, Sendable {
        /// The fallback procedure may be used now, on `basis`.
        case authorised
        /// Ask the office of attachment; without an answer within the hour, it is authorised.
        case askOffice = "ask-office"
        /// File an assistance request mentioning the self-trigger; it opens the fallback.
        case selfTrigger = "self-trigger"
        /// No fallback: wait, use the alternative, or have the fault fixed.
        case noFallback = "no-fallback"
    }

    public struct Conclusion: Sendable {
        public let verdict: Verdict
        public let basis: EpisodeBasis?
        public let title: String
        public let text: String
        /// What to do next, in order.
        public let actions: [String]
    }

    public enum Step: Sendable {
        case question(text: String, help: String?, answers: [Answer])
        /// Answered by the service itself: is a current alert covering the service and the mode
        /// stated so far? Then `covered`, else `notCovered`.
        case alertCheck(covered: String, notCovered: String)
        /// Goes on by the mode stated so far.
        case byMode([TransmissionMode: String])
        case conclusion(Conclusion)
    }

    /// The flows in the language of the request. Their texts are read on every diagnosis page, so
    /// they are built once per language, each within its language.
    public static var all: [DiagnosisFlow] { built[Language.current]! }

    private static let built: [Language: [DiagnosisFlow]] = Dictionary(uniqueKeysWithValues: Language.allCases.map { language in
        (language, Language.$current.withValue(language) { [makeGamma(), makeGamma2(), makeDelta()] })
    })

    public static func named(_ id: String) -> DiagnosisFlow? { all.first { $0.id == id } }
}

// MARK: - Running a flow

extension DiagnosisFlow {
    /// Where a sequence of answers leads.
    public struct Outcome: Sendable {
        public struct Trail: Sendable {
            public let question: String
            public let answer: String
        }
        /// The questions asked and the answers given (alert checks included, answered by the service).
        public let trail: [Trail]
        /// The question to ask now, or nil when the flow is concluded.
        public let question: (id: String, text: String, help: String?, answers: [Answer])?
        public let conclusion: Conclusion?
        public let service: OnlineService?
        public let mode: TransmissionMode?
        /// The references of the alerts that covered the service and mode, when checked.
        public let alerts: [String]
    }

    public enum RunError: Error, Equatable, Sendable {
        case unknownAnswer(position: Int, answer: String)
        case tooManyAnswers
    }

    /// Follows `answers` (answer ids) from the start. `alerts(service, mode)` gives the references
    /// of the current alerts covering them.
    public func run(_ answers: [String], alerts: (OnlineService, TransmissionMode) -> [String]) throws(RunError) -> Outcome {
        var trail: [Outcome.Trail] = []
        var service = self.service
        var mode: TransmissionMode?
        var covering: [String] = []
        var current = start
        var given = answers[...]
        var position = 0
        for _ in 0..<64 {
            switch steps[current]! {
            case let .question(text, help, options):
                guard let id = given.first else {
                    return Outcome(trail: trail, question: (current, text, help, options), conclusion: nil, service: service, mode: mode, alerts: covering)
                }
                position += 1
                guard let chosen = options.first(where: { $0.id == id }) else { throw .unknownAnswer(position: position, answer: id) }
                given = given.dropFirst()
                trail.append(.init(question: text, answer: chosen.label))
                service = chosen.service ?? service
                mode = chosen.mode ?? mode
                current = chosen.next
            case let .alertCheck(covered, notCovered):
                let refs = (service.flatMap { s in mode.map { alerts(s, $0) } }) ?? []
                covering = refs
                let what = service?.label ?? localized("votre service", "your service")
                let how = mode?.rawValue ?? "?"
                trail.append(.init(question: localized("Une alerte en cours couvre-t-elle \(what) en mode \(how) ?",
                                                       "Does a current alert cover \(what) in \(how) mode?"),
                                   answer: refs.isEmpty ? localized("Non, aucune alerte publiée", "No, no alert published")
                                       : localized("Oui : ", "Yes: ") + refs.joined(separator: ", ")))
                current = refs.isEmpty ? notCovered : covered
            case let .byMode(next):
                current = mode.flatMap { next[$0] } ?? next.values.sorted().first!
            case let .conclusion(c):
                guard given.isEmpty else { throw .tooManyAnswers }
                return Outcome(trail: trail, question: nil, conclusion: c, service: service, mode: mode, alerts: covering)
            }
        }
        throw .tooManyAnswers
    }

    /// Every step refers to existing steps, every step is reachable, and no step comes back to
    /// one before it: the flow always ends.
    public func check() -> [String] {
        var problems: [String] = []
        func nexts(_ step: Step) -> [String] {
            switch step {
            case let .question(_, _, answers): answers.map(\.next)
            case let .alertCheck(a, b): [a, b]
            case let .byMode(m): Array(m.values)
            case .conclusion: []
            }
        }
        for (id, step) in steps {
            for n in nexts(step) where steps[n] == nil { problems.append("\(self.id).\(id) → \(n) n'existe pas") }
            if case let .question(_, _, answers) = step, Set(answers.map(\.id)).count != answers.count { problems.append("\(self.id).\(id) : réponses en double") }
        }
        var seen: Set<String> = []
        func walk(_ id: String, _ path: [String]) {
            if path.contains(id) { problems.append("\(self.id) : boucle par \(id)"); return }
            seen.insert(id)
            guard let step = steps[id] else { return }
            for n in nexts(step) { walk(n, path + [id]) }
        }
        walk(start, [])
        for id in steps.keys where !seen.contains(id) { problems.append("\(self.id).\(id) n'est jamais atteint") }
        return problems
    }
}
