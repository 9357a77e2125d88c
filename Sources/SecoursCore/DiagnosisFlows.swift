/// The three flows of the seeds, written as data. Texts follow the seeds' wording. They are built
/// in the language of the moment (`Language.current`): `DiagnosisFlow.all` builds them once per
/// language.
extension DiagnosisFlow {
    typealias A = Answer

    public static var gamma: DiagnosisFlow { all[0] }
    public static var gamma2: DiagnosisFlow { all[1] }
    public static var delta: DiagnosisFlow { all[2] }

    static var sau: String { localized("le SAU du CID (09 702 80 100 en DTI, 09 702 80 200 en EDI)",
                                       "the CID's SAU (09 702 80 100 for DTI, 09 702 80 200 for EDI)") }

    static func modeQuestion(_ next: String, dtiPlus: Bool = true) -> Step {
        var answers = [A("dti", localized("DTI (portail de la douane)", "DTI (customs portal)"), next, mode: .dti)]
        if dtiPlus { answers.append(A("dti-plus", localized("DTI+ (logiciel qui dépose des fichiers)", "DTI+ (software that uploads files)"), next, mode: .dtiPlus)) }
        answers.append(A("edi", localized("EDI (par un prestataire)", "EDI (through a provider)"), next, mode: .edi))
        return .question(text: localized("Quel mode de transmission utilisez-vous ?", "Which transmission mode do you use?"), help: nil, answers: answers)
    }

    static var alertCovers: Conclusion { Conclusion(
        verdict: .authorised, basis: .alert, title: localized("La procédure de secours est autorisée", "The fallback procedure is authorised"),
        text: localized("Une alerte rouge ou noire publiée par le CID couvre votre service et votre mode de transmission : vous pouvez utiliser la procédure de secours sans autre autorisation.",
                        "A red or black alert published by the CID covers your service and your transmission mode: you may use the fallback procedure without any other authorisation."),
        actions: [localized("Obtenez un numéro de secours dans GPS (ou constituez-le à la main si GPS est injoignable).",
                            "Obtain a fallback number in GPS (or compose it by hand if GPS cannot be reached)."),
                  localized("Remplissez le formulaire de secours papier (DAA/DAE ou DSA) et reportez-y le numéro.",
                            "Fill in the paper fallback form (DAA/DAE or DSA) and copy the number onto it."),
                  localized("Informez votre bureau de douane de rattachement, par tout moyen, pour prouver votre bonne foi.",
                            "Inform your customs office of attachment, by any means, to prove your good faith."),
                  localized("Suivez les bulletins d'information (BIP) de l'alerte ; à la fin de l'alerte, réintégrez les documents dans GAMMA.",
                            "Follow the alert's information bulletins (BIP); when the alert ends, reintegrate the documents into GAMMA.")]) }

    static var useAlternative: Conclusion { Conclusion(
        verdict: .noFallback, basis: nil, title: localized("Utilisez le moyen d'accès de remplacement", "Use the alternative means of access"),
        text: localized("Un autre moyen d'accès fonctionne : la procédure de secours ne s'applique pas tant qu'il est possible d'émettre le document.",
                        "Another means of access works: the fallback procedure does not apply as long as the document can be issued."),
        actions: [localized("Émettez le document par ce moyen (autre connexion Internet, autre poste, mode DTI).",
                            "Issue the document by that means (another Internet connection, another computer, DTI mode)."),
                  localized("Faites réparer votre installation ; revenez au diagnostic si le moyen de remplacement cède à son tour.",
                            "Have your installation repaired; come back to the diagnosis if the alternative means fails in turn.")]) }

    static var otherFunction: Conclusion { Conclusion(
        verdict: .noFallback, basis: nil, title: localized("Pas de procédure de secours : attendez le rétablissement",
                                                           "No fallback procedure: wait for the restoration"),
        text: localized("La procédure de secours ne s'applique qu'à l'impossibilité d'émettre ou d'imprimer un DAE ou un DSA. Lorsqu'une autre fonction est indisponible (par exemple « Établir un certificat de réception »), il faut attendre le rétablissement du système ou de la fonction.",
                        "The fallback procedure applies only when a DAE or a DSA cannot be issued or printed. When another function is unavailable (for example “Draw up a report of receipt”), you must wait until the system or the function is restored."),
        actions: [localized("Consultez la météo des téléservices pour suivre le rétablissement.",
                            "Check the online services weather to follow the restoration."),
                  localized("Réessayez la fonction plus tard.", "Try the function again later.")]) }

    // MARK: GAMMA (seeds 001 and 002)

    static func makeGamma() -> DiagnosisFlow { DiagnosisFlow(id: "gamma", title: localized("GAMMA (DAE et DSA)", "GAMMA (DAE and DSA)"), service: .gamma, start: "scope", steps: [
        "scope": .question(text: localized("Que ne pouvez-vous pas faire ?", "What can you not do?"),
                           help: localized("La procédure de secours ne couvre que l'émission ou l'impression d'un DAE ou d'un DSA.",
                                           "The fallback procedure covers only the issuing or printing of a DAE or a DSA."), answers: [
            A("emit", localized("Émettre ou imprimer un DAE ou un DSA", "Issue or print a DAE or a DSA"), "mode"),
            A("other", localized("Une autre fonction seulement (certificat de réception, consultation…)",
                                 "Another function only (report of receipt, consultation…)"), "other-function"),
        ]),
        "other-function": .conclusion(otherFunction),
        "mode": modeQuestion("alert"),
        "alert": .alertCheck(covered: "alert-covers", notCovered: "internet"),
        "alert-covers": .conclusion(alertCovers),
        "internet": .question(text: localized("Avez-vous accès à Internet et au portail de la douane ?",
                                              "Do you have access to the Internet and to the customs portal?"),
                              help: localized("D'ici ou d'ailleurs (autre connexion, autre site).",
                                              "From here or elsewhere (another connection, another site)."), answers: [
            A("yes", localized("Oui", "Yes"), "origin"),
            A("no", localized("Non, d'aucune façon", "No, in no way"), "alternative"),
        ]),
        "origin": .byMode([.dti: "sau-dti", .dtiPlus: "sau-dti-plus", .edi: "sau-edi"]),
        "sau-dti": .question(text: localized("Qu'a conclu le diagnostic du SAU ?", "What did the SAU's diagnosis conclude?"),
                             help: localized("Appelez \(sau) : lui seul diagnostique une panne qui justifie la procédure de secours.",
                                             "Call \(sau): only the SAU can diagnose an outage that justifies the fallback procedure."), answers: [
            A("gamma", localized("La panne vient de GAMMA (côté douane)", "The outage comes from GAMMA (customs side)"), "sau-gamma"),
            A("mine", localized("La panne vient de mon installation ou de mon accès", "The outage comes from my installation or my access"), "alternative"),
            A("not-yet", localized("Je n'ai pas encore appelé le SAU", "I have not called the SAU yet"), "call-sau"),
        ]),
        "sau-dti-plus": .question(text: localized("D'où vient la panne ?", "Where does the outage come from?"),
                                  help: localized("Au besoin, appelez \(sau).", "If needed, call \(sau)."), answers: [
            A("software", localized("Mon logiciel DTI+ ne dépose plus de fichiers", "My DTI+ software no longer uploads files"), "software-editor"),
            A("gamma", localized("Le SAU a diagnostiqué une panne de GAMMA", "The SAU diagnosed a GAMMA outage"), "sau-gamma"),
            A("mine", localized("Mon installation ou mon accès (selon le SAU)", "My installation or my access (according to the SAU)"), "alternative"),
            A("not-yet", localized("Je ne sais pas : je n'ai pas encore appelé le SAU", "I do not know: I have not called the SAU yet"), "call-sau"),
        ]),
        "sau-edi": .question(text: localized("D'où vient la panne ?", "Where does the outage come from?"),
                             help: localized("Au besoin, appelez \(sau).", "If needed, call \(sau)."), answers: [
            A("provider", localized("Mon prestataire EDI ne peut plus acheminer les messages",
                                    "My EDI provider can no longer route the messages"), "edi-provider"),
            A("gamma", localized("La messagerie ou GAMMA EDI (diagnostic du SAU)", "The messaging system or GAMMA EDI (SAU diagnosis)"), "sau-gamma"),
            A("mine", localized("Ma connexion avec le prestataire ou mon installation", "My connection with the provider or my installation"), "alternative"),
            A("not-yet", localized("Je ne sais pas : je n'ai pas encore appelé le SAU", "I do not know: I have not called the SAU yet"), "call-sau"),
        ]),
        "sau-gamma": .conclusion(Conclusion(
            verdict: .authorised, basis: .sauDiagnosis, title: localized("La procédure de secours est autorisée (diagnostic du SAU)",
                                                                         "The fallback procedure is authorised (SAU diagnosis)"),
            text: localized("Le SAU a constaté que la panne vient de la téléprocédure : il publiera une alerte rouge ou noire. Vous pouvez utiliser la procédure de secours dès maintenant.",
                            "The SAU found that the outage comes from the online procedure: it will publish a red or black alert. You may use the fallback procedure now."),
            actions: [localized("Notez la référence du diagnostic que le SAU vous donne : elle justifie votre recours à la procédure.",
                                "Note the diagnosis reference the SAU gives you: it justifies your use of the procedure."),
                      localized("Obtenez un numéro de secours dans GPS (ou constituez-le à la main) et remplissez le formulaire papier.",
                                "Obtain a fallback number in GPS (or compose it by hand) and fill in the paper form."),
                      localized("Informez votre bureau de douane de rattachement.", "Inform your customs office of attachment."),
                      localized("Réintégrez les documents dans GAMMA dès son rétablissement.",
                                "Reintegrate the documents into GAMMA as soon as it is restored.")])),
        "call-sau": .conclusion(Conclusion(
            verdict: .noFallback, basis: nil, title: localized("Appelez d'abord le SAU", "Call the SAU first"),
            text: localized("Aucune alerte n'est publiée pour votre service et votre mode. Le SAU dira si l'indisponibilité vient de la téléprocédure ou de vos moyens d'accès.",
                            "No alert is published for your service and your mode. The SAU will say whether the unavailability comes from the online procedure or from your means of access."),
            actions: [localized("Appelez \(sau).", "Call \(sau)."),
                      localized("Revenez au diagnostic avec sa conclusion.", "Come back to the diagnosis with its conclusion.")])),
        "software-editor": .conclusion(Conclusion(
            verdict: .noFallback, basis: nil, title: localized("Contactez votre éditeur de logiciel et utilisez le mode DTI",
                                                               "Contact your software vendor and use DTI mode"),
            text: localized("Une panne de votre logiciel DTI+ ne justifie pas la procédure de secours : le portail (mode DTI) reste disponible.",
                            "A fault in your DTI+ software does not justify the fallback procedure: the portal (DTI mode) remains available."),
            actions: [localized("Contactez l'éditeur de votre logiciel DTI+.", "Contact the vendor of your DTI+ software."),
                      localized("Émettez vos documents en mode DTI en attendant la correction.",
                                "Issue your documents in DTI mode until the fault is fixed.")])),
        "edi-provider": .conclusion(Conclusion(
            verdict: .authorised, basis: .ediProviderIncident, title: localized("Contactez votre prestataire EDI", "Contact your EDI provider"),
            text: localized("Quand le prestataire EDI ne peut plus acheminer les messages, il le signale au service d'assistance de la douane ; son incident, une fois confirmé par le SAU, ouvre la procédure de secours pour tous ses clients.",
                            "When the EDI provider can no longer route the messages, it reports this to the customs help desk; its incident, once confirmed by the SAU, opens the fallback procedure for all its clients."),
            actions: [localized("Contactez votre prestataire EDI et demandez-lui la référence de l'incident confirmé par le SAU.",
                                "Contact your EDI provider and ask it for the reference of the incident confirmed by the SAU."),
                      localized("Dès la confirmation, utilisez la procédure de secours, en concertation avec le prestataire pour la réintégration.",
                                "Once it is confirmed, use the fallback procedure, agreeing the reintegration with the provider."),
                      localized("Informez votre bureau de douane de rattachement.", "Inform your customs office of attachment.")])),
        "alternative": .question(text: localized("Pouvez-vous utiliser un autre moyen d'accès ?", "Can you use another means of access?"),
                                 help: localized("Par exemple une autre connexion à Internet, un autre poste, ou le mode DTI.",
                                                 "For example another Internet connection, another computer, or DTI mode."), answers: [
            A("yes", localized("Oui", "Yes"), "use-alternative"),
            A("no", localized("Non, aucun", "No, none"), "ask-office"),
        ]),
        "use-alternative": .conclusion(useAlternative),
        "ask-office": .conclusion(Conclusion(
            verdict: .askOffice, basis: .officeAuthorisation, title: localized("Demandez l'autorisation à votre bureau de rattachement",
                                                                               "Ask your office of attachment for authorisation"),
            text: localized("Signalez à votre service douanier de rattachement l'indisponibilité de vos moyens d'accès et votre intention d'utiliser la procédure de secours. Le service vous autorise ; en l'absence de réponse dans l'heure qui suit, vous êtes autorisé.",
                            "Report to your customs office of attachment that your means of access are unavailable and that you intend to use the fallback procedure. The office authorises you; without an answer within the following hour, you are authorised."),
            actions: [localized("Envoyez la demande d'autorisation à votre bureau (depuis Secours, ou par mél, télécopie, téléphone).",
                                "Send the authorisation request to your office (from Secours, or by email, fax or telephone)."),
                      localized("Attendez sa réponse, une heure au plus.", "Wait for its answer, one hour at most."),
                      localized("Pendant les heures d'ouverture, le bureau peut vous attribuer des numéros ; sinon, constituez-les vous-même.",
                                "During opening hours, the office may assign you numbers; otherwise, compose them yourself.")])),
    ]) }

    // MARK: GAMMA 2 (seed 000)

    static var selfTriggerGamma2: Conclusion { Conclusion(
        verdict: .selfTrigger, basis: .selfTrigger, title: localized("Auto-déclenchez la procédure de secours", "Self-trigger the fallback procedure"),
        text: localized("Aucune solution alternative n'est trouvée : vous pouvez déclencher vous-même la procédure de secours de GAMMA 2.",
                        "No alternative solution has been found: you may self-trigger the GAMMA 2 fallback procedure."),
        actions: [localized("Déposez une demande d'assistance mentionnant « auto-déclenchement de la procédure de secours ».",
                            "File an assistance request stating “auto-déclenchement de la procédure de secours” (self-trigger of the fallback procedure)."),
                  localized("Établissez le document d'accompagnement de secours papier (article 9 du règlement (UE) 2022/1636) avec un LRN de secours.",
                            "Draw up the paper fallback accompanying document (Article 9 of Regulation (EU) 2022/1636) with a fallback LRN."),
                  localized("Transmettez le LRN de secours à votre bureau gestionnaire et archivez-le.",
                            "Send the fallback LRN to your managing office and archive it."),
                  localized("Dès la fin de l'indisponibilité, intégrez immédiatement les données dans GAMMA 2.",
                            "As soon as the unavailability ends, enter the data into GAMMA 2 immediately.")]) }

    static func makeGamma2() -> DiagnosisFlow { DiagnosisFlow(id: "gamma2", title: "GAMMA 2", service: .gamma2, start: "hardware", steps: [
        "hardware": .question(text: localized("Avez-vous un problème de matériel ou d'accès à Internet ?",
                                              "Do you have a hardware or Internet access problem?"), help: nil, answers: [
            A("yes", localized("Oui", "Yes"), "fix-own"),
            A("no", localized("Non", "No"), "mode"),
        ]),
        "fix-own": .question(text: localized("Votre bureau de rattachement (ou, s'il est injoignable, une demande d'assistance) vous a-t-il apporté une solution ?",
                                             "Has your office of attachment (or, if it cannot be reached, an assistance request) given you a solution?"),
                             help: localized("Faites d'abord le nécessaire pour résoudre votre problème d'accès ou de matériel.",
                                             "First do what is needed to solve your access or hardware problem."), answers: [
            A("yes", localized("Oui, une solution de remplacement", "Yes, an alternative solution"), "use-alternative"),
            A("no", localized("Non, aucune solution", "No, no solution"), "self-trigger"),
        ]),
        "mode": modeQuestion("alert"),
        "alert": .alertCheck(covered: "alert-covers", notCovered: "origin"),
        "alert-covers": .conclusion(Conclusion(
            verdict: .authorised, basis: .alert, title: localized("La procédure de secours est autorisée", "The fallback procedure is authorised"),
            text: localized("Un dysfonctionnement est signalé pour GAMMA 2 dans votre mode : pas besoin d'avertir le SAU au préalable, la procédure de secours est autorisée.",
                            "A malfunction is reported for GAMMA 2 in your mode: there is no need to notify the SAU beforehand, the fallback procedure is authorised."),
            actions: [localized("Établissez le document d'accompagnement de secours papier avec un LRN de secours (PS + AAMMJJ + 5 derniers caractères du numéro d'accise + n° de série).",
                                "Draw up the paper fallback accompanying document with a fallback LRN (PS + YYMMDD + last 5 characters of the excise number + serial no.)."),
                      localized("Transmettez le LRN de secours à votre bureau gestionnaire et archivez-le.",
                                "Send the fallback LRN to your managing office and archive it."),
                      localized("Dès la fin de l'indisponibilité, intégrez immédiatement les données dans GAMMA 2.",
                                "As soon as the unavailability ends, enter the data into GAMMA 2 immediately.")])),
        "origin": .byMode([.dti: "office", .dtiPlus: "software-editor", .edi: "edi-provider"]),
        "office": .question(text: localized("Votre bureau de douane de rattachement (ou une demande d'assistance) a-t-il apporté une solution ?",
                                            "Has your customs office of attachment (or an assistance request) provided a solution?"),
                            help: localized("Contactez votre bureau ; s'il n'est pas joignable ou n'a pas de solution, déposez une demande d'assistance dans votre espace douane.gouv.fr.",
                                            "Contact your office; if it cannot be reached or has no solution, file an assistance request in your douane.gouv.fr account."), answers: [
            A("yes", localized("Oui", "Yes"), "use-alternative"),
            A("no", localized("Non, aucune solution alternative", "No, no alternative solution"), "self-trigger"),
        ]),
        "self-trigger": .conclusion(selfTriggerGamma2),
        "use-alternative": .conclusion(useAlternative),
        "software-editor": .conclusion(Conclusion(
            verdict: .noFallback, basis: nil, title: localized("Contactez votre éditeur de logiciel DTI+", "Contact your DTI+ software vendor"),
            text: localized("Vous ne pouvez pas créer de fichier : l'éditeur diagnostique la panne du logiciel ; utilisez le mode DTI en attendant sa résolution.",
                            "You cannot create a file: the vendor diagnoses the software fault; use DTI mode until it is resolved."),
            actions: [localized("Contactez l'éditeur de votre logiciel DTI+.", "Contact the vendor of your DTI+ software."),
                      localized("Utilisez le mode DTI (portail) en attendant.", "Use DTI mode (portal) in the meantime.")])),
        "edi-provider": .conclusion(Conclusion(
            verdict: .noFallback, basis: nil, title: localized("Contactez votre prestataire EDI", "Contact your EDI provider"),
            text: localized("Vous ne pouvez pas émettre en EDI : si le prestataire connaît des problèmes techniques, il prend attache auprès du SAU, qui publie une alerte le cas échéant.",
                            "You cannot issue through EDI: if the provider has technical problems, it contacts the SAU, which publishes an alert where appropriate."),
            actions: [localized("Contactez votre prestataire EDI.", "Contact your EDI provider."),
                      localized("Suivez la météo des téléservices : une alerte couvrant GAMMA 2 en EDI vous autorisera.",
                                "Follow the online services weather: an alert covering GAMMA 2 in EDI will authorise you.")])),
    ]) }

    // MARK: DELTA (seed 003)

    static func makeDelta() -> DiagnosisFlow { DiagnosisFlow(id: "delta", title: "DELTA (G, X, H7)", service: nil, start: "service", steps: [
        "service": .question(text: localized("Quel service de dédouanement utilisez-vous ?",
                                             "Which customs clearance service do you use?"), help: nil, answers: [
            A("delta-g", "DELTA G", "mode", service: .deltaG),
            A("delta-x", localized("DELTA X (import ou export)", "DELTA X (import or export)"), "mode", service: .deltaX),
            A("delta-h7", "DELTA H7", "mode", service: .deltaH7),
        ]),
        "mode": modeQuestion("alert", dtiPlus: false),
        "alert": .alertCheck(covered: "same-fault", notCovered: "origin"),
        "same-fault": .question(text: localized("Les dysfonctionnements décrits dans le message d'alerte sont-ils ceux que vous rencontrez ?",
                                                "Are the malfunctions described in the alert message the ones you are experiencing?"),
                                help: localized("Même service en ligne, même mode de transmission, mêmes symptômes.",
                                                "Same online service, same transmission mode, same symptoms."), answers: [
            A("yes", localized("Oui", "Yes"), "alert-covers"),
            A("no", localized("Non, ils sont différents", "No, they are different"), "origin"),
        ]),
        "alert-covers": .conclusion(Conclusion(
            verdict: .authorised, basis: .alert, title: localized("Reportez-vous à la procédure de secours", "Refer to the fallback procedure"),
            text: localized("L'alerte publiée par le CID couvre votre service, votre mode et vos symptômes.",
                            "The alert published by the CID covers your service, your mode and your symptoms."),
            actions: [localized("Appliquez la procédure de secours qui vous concerne.", "Apply the fallback procedure that concerns you."),
                      localized("Tenez-vous informé des bulletins d'information périodiques (BIP) du SAU dans la météo des services en ligne.",
                                "Keep up with the SAU's periodic information bulletins (BIP) in the online services weather."),
                      localized("À la fin de l'alerte, appliquez les consignes du bulletin de fin.",
                                "When the alert ends, follow the instructions of the end bulletin.")])),
        "origin": .byMode([.dti: "bae", .dtiPlus: "bae", .edi: "edi-platform"]),
        "edi-platform": .question(text: localized("Votre prestataire de connexion confirme-t-il un dysfonctionnement de sa plateforme de transmission ?",
                                                  "Does your connection provider confirm a malfunction of its transmission platform?"), help: nil, answers: [
            A("yes", localized("Oui", "Yes"), "edi-provider"),
            A("no", localized("Non", "No"), "bae"),
        ]),
        "edi-provider": .conclusion(Conclusion(
            verdict: .noFallback, basis: nil, title: localized("Attendez l'alerte relayée par votre prestataire",
                                                               "Wait for the alert relayed by your provider"),
            text: localized("Le prestataire signale le dysfonctionnement au CID, qui publie un message d'alerte ; reportez-vous ensuite à la procédure de secours qui vous concerne.",
                            "The provider reports the malfunction to the CID, which publishes an alert message; then refer to the fallback procedure that concerns you."),
            actions: [localized("Attendez que le prestataire signale le dysfonctionnement au CID.",
                                "Wait for the provider to report the malfunction to the CID."),
                      localized("Consultez le message d'alerte publié par le SAU et relayé par votre prestataire.",
                                "Read the alert message published by the SAU and relayed by your provider."),
                      localized("Suivez les bulletins d'information relayés par votre prestataire.",
                                "Follow the information bulletins relayed by your provider.")])),
        "bae": .question(text: localized("Votre déclaration a-t-elle obtenu l'état « BAE » ?",
                                         "Has your declaration reached the status “BAE” (release for removal)?"),
                         help: localized("Consultez-la dans le service en ligne Aubette.", "Check it in the Aubette online service."), answers: [
            A("yes", localized("Oui, elle est « BAE »", "Yes, it is “BAE”"), "no-need"),
            A("no", localized("Non, ou Aubette est inaccessible", "No, or Aubette cannot be reached"), "status"),
        ]),
        "no-need": .conclusion(Conclusion(
            verdict: .noFallback, basis: nil, title: localized("Le passage en procédure de secours n'est pas nécessaire",
                                                               "Switching to the fallback procedure is not necessary"),
            text: localized("Votre déclaration a obtenu le bon à enlever.", "Your declaration has obtained release for removal."), actions: [localized("Poursuivez l'opération normalement.", "Continue the operation normally.")])),
        "status": .question(text: localized("Le service indique-t-il que la déclaration est « sous contrôle », « crédit en attente » ou « paiement comptant » ?",
                                            "Does the service show the declaration as “sous contrôle” (under control), “crédit en attente” (credit pending) or “paiement comptant” (cash payment)?"),
                            help: localized("Pendant les heures d'ouverture ou de présence, renseignez-vous auprès du service.",
                                            "During opening or attendance hours, ask the office."), answers: [
            A("yes", localized("Oui", "Yes"), "not-technical"),
            A("no", localized("Non, aucun de ces états", "No, none of these statuses"), "self-trigger"),
        ]),
        "not-technical": .conclusion(Conclusion(
            verdict: .noFallback, basis: nil, title: localized("Le blocage n'est pas technique", "The blockage is not technical"),
            text: localized("La déclaration attend une action du service ou un paiement : la procédure de secours ne s'applique pas.",
                            "The declaration is awaiting action by the office or a payment: the fallback procedure does not apply."),
            actions: [localized("Suivez les indications du service des douanes.", "Follow the instructions of the customs office.")])),
        "self-trigger": .conclusion(Conclusion(
            verdict: .selfTrigger, basis: .selfTrigger, title: localized("Auto-déclenchez la procédure de secours", "Self-trigger the fallback procedure"),
            text: localized("Le blocage est technique : le dysfonctionnement de votre système privatif est confirmé. Vous pouvez auto-déclencher la procédure de secours, 24 heures sur 24, 7 jours sur 7 ; elle n'est pas conditionnée à l'autorisation du bureau.",
                            "The blockage is technical: the malfunction of your private system is confirmed. You may self-trigger the fallback procedure, 24 hours a day, 7 days a week; it does not depend on the office's authorisation."),
            actions: [localized("Déposez une demande d'assistance (DA) mentionnant « auto-déclenchement de la procédure de secours », avec votre numéro EORI, raison sociale, adresse, téléphone, le service en ligne, la date et l'heure du passage en alerte et les raisons ; une demande par service en ligne.",
                                "File an assistance request (DA) stating “auto-déclenchement de la procédure de secours” (self-trigger of the fallback procedure), with your EORI number, company name, address, telephone, the online service, the date and time of the switch to alert and the reasons; one request per online service."),
                      localized("Informez le bureau de douane en lui transférant l'accusé de réception de la DA : l'heure d'enregistrement de la DA est le début de la procédure de secours.",
                                "Inform the customs office by forwarding it the acknowledgement of receipt of the DA: the time the DA is registered is the start of the fallback procedure."),
                      localized("En dehors des heures d'ouverture, appelez le SAU du CID (09 702 80 100).",
                                "Outside opening hours, call the CID's SAU (09 702 80 100)."),
                      localized("Quand votre système est réparé, faites clore la DA par le SAU (cid-sau@douane.finances.gouv.fr) et informez votre bureau.",
                                "When your system is repaired, have the SAU close the DA (cid-sau@douane.finances.gouv.fr) and inform your office.")])),
    ]) }
}
