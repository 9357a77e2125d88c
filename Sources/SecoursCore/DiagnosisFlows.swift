/// The three flows of the seeds, written as data. Texts follow the seeds' wording.
extension DiagnosisFlow {
    typealias A = Answer

    static let sau = "le SAU du CID (09 702 80 100 en DTI, 09 702 80 200 en EDI)"

    static func modeQuestion(_ next: String, dtiPlus: Bool = true) -> Step {
        var answers = [A("dti", "DTI (portail de la douane)", next, mode: .dti)]
        if dtiPlus { answers.append(A("dti-plus", "DTI+ (logiciel qui dépose des fichiers)", next, mode: .dtiPlus)) }
        answers.append(A("edi", "EDI (par un prestataire)", next, mode: .edi))
        return .question(text: "Quel mode de transmission utilisez-vous ?", help: nil, answers: answers)
    }

    static let alertCovers = Conclusion(
        verdict: .authorised, basis: .alert, title: "La procédure de secours est autorisée",
        text: "Une alerte rouge ou noire publiée par le CID couvre votre service et votre mode de transmission : vous pouvez utiliser la procédure de secours sans autre autorisation.",
        actions: ["Obtenez un numéro de secours dans GPS (ou constituez-le à la main si GPS est injoignable).",
                  "Remplissez le formulaire de secours papier (DAA/DAE ou DSA) et reportez-y le numéro.",
                  "Informez votre bureau de douane de rattachement, par tout moyen, pour prouver votre bonne foi.",
                  "Suivez les bulletins d'information (BIP) de l'alerte ; à la fin de l'alerte, réintégrez les documents dans GAMMA."])

    static let useAlternative = Conclusion(
        verdict: .noFallback, basis: nil, title: "Utilisez le moyen d'accès de remplacement",
        text: "Un autre moyen d'accès fonctionne : la procédure de secours ne s'applique pas tant qu'il est possible d'émettre le document.",
        actions: ["Émettez le document par ce moyen (autre connexion Internet, autre poste, mode DTI).",
                  "Faites réparer votre installation ; revenez au diagnostic si le moyen de remplacement cède à son tour."])

    static let otherFunction = Conclusion(
        verdict: .noFallback, basis: nil, title: "Pas de procédure de secours : attendez le rétablissement",
        text: "La procédure de secours ne s'applique qu'à l'impossibilité d'émettre ou d'imprimer un DAE ou un DSA. Lorsqu'une autre fonction est indisponible (par exemple « Établir un certificat de réception »), il faut attendre le rétablissement du système ou de la fonction.",
        actions: ["Consultez la météo des téléservices pour suivre le rétablissement.", "Réessayez la fonction plus tard."])

    // MARK: GAMMA (seeds 001 and 002)

    public static let gamma = DiagnosisFlow(id: "gamma", title: "GAMMA (DAE et DSA)", service: .gamma, start: "scope", steps: [
        "scope": .question(text: "Que ne pouvez-vous pas faire ?", help: "La procédure de secours ne couvre que l'émission ou l'impression d'un DAE ou d'un DSA.", answers: [
            A("emit", "Émettre ou imprimer un DAE ou un DSA", "mode"),
            A("other", "Une autre fonction seulement (certificat de réception, consultation…)", "other-function"),
        ]),
        "other-function": .conclusion(otherFunction),
        "mode": modeQuestion("alert"),
        "alert": .alertCheck(covered: "alert-covers", notCovered: "internet"),
        "alert-covers": .conclusion(alertCovers),
        "internet": .question(text: "Avez-vous accès à Internet et au portail de la douane ?", help: "D'ici ou d'ailleurs (autre connexion, autre site).", answers: [
            A("yes", "Oui", "origin"),
            A("no", "Non, d'aucune façon", "alternative"),
        ]),
        "origin": .byMode([.dti: "sau-dti", .dtiPlus: "sau-dti-plus", .edi: "sau-edi"]),
        "sau-dti": .question(text: "Qu'a conclu le diagnostic du SAU ?", help: "Appelez \(sau) : lui seul diagnostique une panne qui justifie la procédure de secours.", answers: [
            A("gamma", "La panne vient de GAMMA (côté douane)", "sau-gamma"),
            A("mine", "La panne vient de mon installation ou de mon accès", "alternative"),
            A("not-yet", "Je n'ai pas encore appelé le SAU", "call-sau"),
        ]),
        "sau-dti-plus": .question(text: "D'où vient la panne ?", help: "Au besoin, appelez \(sau).", answers: [
            A("software", "Mon logiciel DTI+ ne dépose plus de fichiers", "software-editor"),
            A("gamma", "Le SAU a diagnostiqué une panne de GAMMA", "sau-gamma"),
            A("mine", "Mon installation ou mon accès (selon le SAU)", "alternative"),
            A("not-yet", "Je ne sais pas : je n'ai pas encore appelé le SAU", "call-sau"),
        ]),
        "sau-edi": .question(text: "D'où vient la panne ?", help: "Au besoin, appelez \(sau).", answers: [
            A("provider", "Mon prestataire EDI ne peut plus acheminer les messages", "edi-provider"),
            A("gamma", "La messagerie ou GAMMA EDI (diagnostic du SAU)", "sau-gamma"),
            A("mine", "Ma connexion avec le prestataire ou mon installation", "alternative"),
            A("not-yet", "Je ne sais pas : je n'ai pas encore appelé le SAU", "call-sau"),
        ]),
        "sau-gamma": .conclusion(Conclusion(
            verdict: .authorised, basis: .sauDiagnosis, title: "La procédure de secours est autorisée (diagnostic du SAU)",
            text: "Le SAU a constaté que la panne vient de la téléprocédure : il publiera une alerte rouge ou noire. Vous pouvez utiliser la procédure de secours dès maintenant.",
            actions: ["Notez la référence du diagnostic que le SAU vous donne : elle justifie votre recours à la procédure.",
                      "Obtenez un numéro de secours dans GPS (ou constituez-le à la main) et remplissez le formulaire papier.",
                      "Informez votre bureau de douane de rattachement.", "Réintégrez les documents dans GAMMA dès son rétablissement."])),
        "call-sau": .conclusion(Conclusion(
            verdict: .noFallback, basis: nil, title: "Appelez d'abord le SAU",
            text: "Aucune alerte n'est publiée pour votre service et votre mode. Le SAU dira si l'indisponibilité vient de la téléprocédure ou de vos moyens d'accès.",
            actions: ["Appelez \(sau).", "Revenez au diagnostic avec sa conclusion."])),
        "software-editor": .conclusion(Conclusion(
            verdict: .noFallback, basis: nil, title: "Contactez votre éditeur de logiciel et utilisez le mode DTI",
            text: "Une panne de votre logiciel DTI+ ne justifie pas la procédure de secours : le portail (mode DTI) reste disponible.",
            actions: ["Contactez l'éditeur de votre logiciel DTI+.", "Émettez vos documents en mode DTI en attendant la correction."])),
        "edi-provider": .conclusion(Conclusion(
            verdict: .authorised, basis: .ediProviderIncident, title: "Contactez votre prestataire EDI",
            text: "Quand le prestataire EDI ne peut plus acheminer les messages, il le signale au service d'assistance de la douane ; son incident, une fois confirmé par le SAU, ouvre la procédure de secours pour tous ses clients.",
            actions: ["Contactez votre prestataire EDI et demandez-lui la référence de l'incident confirmé par le SAU.",
                      "Dès la confirmation, utilisez la procédure de secours, en concertation avec le prestataire pour la réintégration.",
                      "Informez votre bureau de douane de rattachement."])),
        "alternative": .question(text: "Pouvez-vous utiliser un autre moyen d'accès ?", help: "Par exemple une autre connexion à Internet, un autre poste, ou le mode DTI.", answers: [
            A("yes", "Oui", "use-alternative"),
            A("no", "Non, aucun", "ask-office"),
        ]),
        "use-alternative": .conclusion(useAlternative),
        "ask-office": .conclusion(Conclusion(
            verdict: .askOffice, basis: .officeAuthorisation, title: "Demandez l'autorisation à votre bureau de rattachement",
            text: "Signalez à votre service douanier de rattachement l'indisponibilité de vos moyens d'accès et votre intention d'utiliser la procédure de secours. Le service vous autorise ; en l'absence de réponse dans l'heure qui suit, vous êtes autorisé.",
            actions: ["Envoyez la demande d'autorisation à votre bureau (depuis Secours, ou par mél, télécopie, téléphone).",
                      "Attendez sa réponse, une heure au plus.",
                      "Pendant les heures d'ouverture, le bureau peut vous attribuer des numéros ; sinon, constituez-les vous-même."])),
    ])

    // MARK: GAMMA 2 (seed 000)

    static let selfTriggerGamma2 = Conclusion(
        verdict: .selfTrigger, basis: .selfTrigger, title: "Auto-déclenchez la procédure de secours",
        text: "Aucune solution alternative n'est trouvée : vous pouvez déclencher vous-même la procédure de secours de GAMMA 2.",
        actions: ["Déposez une demande d'assistance mentionnant « auto-déclenchement de la procédure de secours ».",
                  "Établissez le document d'accompagnement de secours papier (article 9 du règlement (UE) 2022/1636) avec un LRN de secours.",
                  "Transmettez le LRN de secours à votre bureau gestionnaire et archivez-le.",
                  "Dès la fin de l'indisponibilité, intégrez immédiatement les données dans GAMMA 2."])

    public static let gamma2 = DiagnosisFlow(id: "gamma2", title: "GAMMA 2", service: .gamma2, start: "hardware", steps: [
        "hardware": .question(text: "Avez-vous un problème de matériel ou d'accès à Internet ?", help: nil, answers: [
            A("yes", "Oui", "fix-own"),
            A("no", "Non", "mode"),
        ]),
        "fix-own": .question(text: "Votre bureau de rattachement (ou, s'il est injoignable, une demande d'assistance) vous a-t-il apporté une solution ?",
                             help: "Faites d'abord le nécessaire pour résoudre votre problème d'accès ou de matériel.", answers: [
            A("yes", "Oui, une solution de remplacement", "use-alternative"),
            A("no", "Non, aucune solution", "self-trigger"),
        ]),
        "mode": modeQuestion("alert"),
        "alert": .alertCheck(covered: "alert-covers", notCovered: "origin"),
        "alert-covers": .conclusion(Conclusion(
            verdict: .authorised, basis: .alert, title: "La procédure de secours est autorisée",
            text: "Un dysfonctionnement est signalé pour GAMMA 2 dans votre mode : pas besoin d'avertir le SAU au préalable, la procédure de secours est autorisée.",
            actions: ["Établissez le document d'accompagnement de secours papier avec un LRN de secours (PS + AAMMJJ + 5 derniers caractères du numéro d'accise + n° de série).",
                      "Transmettez le LRN de secours à votre bureau gestionnaire et archivez-le.",
                      "Dès la fin de l'indisponibilité, intégrez immédiatement les données dans GAMMA 2."])),
        "origin": .byMode([.dti: "office", .dtiPlus: "software-editor", .edi: "edi-provider"]),
        "office": .question(text: "Votre bureau de douane de rattachement (ou une demande d'assistance) a-t-il apporté une solution ?",
                            help: "Contactez votre bureau ; s'il n'est pas joignable ou n'a pas de solution, déposez une demande d'assistance dans votre espace douane.gouv.fr.", answers: [
            A("yes", "Oui", "use-alternative"),
            A("no", "Non, aucune solution alternative", "self-trigger"),
        ]),
        "self-trigger": .conclusion(selfTriggerGamma2),
        "use-alternative": .conclusion(useAlternative),
        "software-editor": .conclusion(Conclusion(
            verdict: .noFallback, basis: nil, title: "Contactez votre éditeur de logiciel DTI+",
            text: "Vous ne pouvez pas créer de fichier : l'éditeur diagnostique la panne du logiciel ; utilisez le mode DTI en attendant sa résolution.",
            actions: ["Contactez l'éditeur de votre logiciel DTI+.", "Utilisez le mode DTI (portail) en attendant."])),
        "edi-provider": .conclusion(Conclusion(
            verdict: .noFallback, basis: nil, title: "Contactez votre prestataire EDI",
            text: "Vous ne pouvez pas émettre en EDI : si le prestataire connaît des problèmes techniques, il prend attache auprès du SAU, qui publie une alerte le cas échéant.",
            actions: ["Contactez votre prestataire EDI.", "Suivez la météo des téléservices : une alerte couvrant GAMMA 2 en EDI vous autorisera."])),
    ])

    // MARK: DELTA (seed 003)

    public static let delta = DiagnosisFlow(id: "delta", title: "DELTA (G, X, H7)", service: nil, start: "service", steps: [
        "service": .question(text: "Quel service de dédouanement utilisez-vous ?", help: nil, answers: [
            A("delta-g", "DELTA G", "mode", service: .deltaG),
            A("delta-x", "DELTA X (import ou export)", "mode", service: .deltaX),
            A("delta-h7", "DELTA H7", "mode", service: .deltaH7),
        ]),
        "mode": modeQuestion("alert", dtiPlus: false),
        "alert": .alertCheck(covered: "same-fault", notCovered: "origin"),
        "same-fault": .question(text: "Les dysfonctionnements décrits dans le message d'alerte sont-ils ceux que vous rencontrez ?",
                                help: "Même service en ligne, même mode de transmission, mêmes symptômes.", answers: [
            A("yes", "Oui", "alert-covers"),
            A("no", "Non, ils sont différents", "origin"),
        ]),
        "alert-covers": .conclusion(Conclusion(
            verdict: .authorised, basis: .alert, title: "Reportez-vous à la procédure de secours",
            text: "L'alerte publiée par le CID couvre votre service, votre mode et vos symptômes.",
            actions: ["Appliquez la procédure de secours qui vous concerne.",
                      "Tenez-vous informé des bulletins d'information périodiques (BIP) du SAU dans la météo des services en ligne.",
                      "À la fin de l'alerte, appliquez les consignes du bulletin de fin."])),
        "origin": .byMode([.dti: "bae", .dtiPlus: "bae", .edi: "edi-platform"]),
        "edi-platform": .question(text: "Votre prestataire de connexion confirme-t-il un dysfonctionnement de sa plateforme de transmission ?", help: nil, answers: [
            A("yes", "Oui", "edi-provider"),
            A("no", "Non", "bae"),
        ]),
        "edi-provider": .conclusion(Conclusion(
            verdict: .noFallback, basis: nil, title: "Attendez l'alerte relayée par votre prestataire",
            text: "Le prestataire signale le dysfonctionnement au CID, qui publie un message d'alerte ; reportez-vous ensuite à la procédure de secours qui vous concerne.",
            actions: ["Attendez que le prestataire signale le dysfonctionnement au CID.",
                      "Consultez le message d'alerte publié par le SAU et relayé par votre prestataire.",
                      "Suivez les bulletins d'information relayés par votre prestataire."])),
        "bae": .question(text: "Votre déclaration a-t-elle obtenu l'état « BAE » ?", help: "Consultez-la dans le service en ligne Aubette.", answers: [
            A("yes", "Oui, elle est « BAE »", "no-need"),
            A("no", "Non, ou Aubette est inaccessible", "status"),
        ]),
        "no-need": .conclusion(Conclusion(
            verdict: .noFallback, basis: nil, title: "Le passage en procédure de secours n'est pas nécessaire",
            text: "Votre déclaration a obtenu le bon à enlever.", actions: ["Poursuivez l'opération normalement."])),
        "status": .question(text: "Le service indique-t-il que la déclaration est « sous contrôle », « crédit en attente » ou « paiement comptant » ?",
                            help: "Pendant les heures d'ouverture ou de présence, renseignez-vous auprès du service.", answers: [
            A("yes", "Oui", "not-technical"),
            A("no", "Non, aucun de ces états", "self-trigger"),
        ]),
        "not-technical": .conclusion(Conclusion(
            verdict: .noFallback, basis: nil, title: "Le blocage n'est pas technique",
            text: "La déclaration attend une action du service ou un paiement : la procédure de secours ne s'applique pas.",
            actions: ["Suivez les indications du service des douanes."])),
        "self-trigger": .conclusion(Conclusion(
            verdict: .selfTrigger, basis: .selfTrigger, title: "Auto-déclenchez la procédure de secours",
            text: "Le blocage est technique : le dysfonctionnement de votre système privatif est confirmé. Vous pouvez auto-déclencher la procédure de secours, 24 heures sur 24, 7 jours sur 7 ; elle n'est pas conditionnée à l'autorisation du bureau.",
            actions: ["Déposez une demande d'assistance (DA) mentionnant « auto-déclenchement de la procédure de secours », avec votre numéro EORI, raison sociale, adresse, téléphone, le service en ligne, la date et l'heure du passage en alerte et les raisons ; une demande par service en ligne.",
                      "Informez le bureau de douane en lui transférant l'accusé de réception de la DA : l'heure d'enregistrement de la DA est le début de la procédure de secours.",
                      "En dehors des heures d'ouverture, appelez le SAU du CID (09 702 80 100).",
                      "Quand votre système est réparé, faites clore la DA par le SAU (cid-sau@douane.finances.gouv.fr) et informez votre bureau."])),
    ])
}
