import Foundation
import SecoursCore
import SecoursSeal
import Vapor

/// The seal's public endpoints: the signed trust list that offline verifiers load, and a check
/// of a scanned code for anyone without a verifier of their own. Neither needs an account, and
/// neither tells more than a code already holds, save the document's status when the code is
/// valid.
struct SealController {
    /// The longest code accepted (a seal is about 500 characters).
    static let maxCodeLength = 2000

    /// `GET /api/v1/seal/trust-list`: the service's keys, signed by its current key
    /// (`SignedSealTrustList` JSON), kept by browsers and proxies for five minutes.
    func trustList(req: Request) async throws -> Response {
        let seal = req.application.secours.seal
        var headers = HTTPHeaders()
        headers.contentType = .json
        headers.replaceOrAdd(name: .cacheControl, value: "public, max-age=300")
        req.storage[PublicAnswerKey.self] = true
        return Response(status: .ok, headers: headers, body: .init(data: Data(seal.signedTrustList.json())))
    }

    struct VerifyRequest: Content {
        var code: String
        var printed: Printed?

        struct Printed: Content {
            var number: String?
            var type: String?
            var exciseNumber: String?
            var dispatchDate: String?
            var dispatchTime: String?
            var transport: String?
        }
    }

    struct VerifyResponse: Content {
        struct Verdict: Content {
            var code: String
            var message: String
        }

        struct Issuer: Content {
            var kind: String
            var deviceId: String?
            var login: String?
            var deviceName: String?
        }

        struct Document: Content {
            var number: String
            var kind: String
            var type: String
            var exciseNumber: String
            var dispatchDate: String
            var dispatchTime: String
            var transport: String
            var issuer: Issuer
            var issuedAt: Date
        }

        var verdict: Verdict
        var document: Document?
        var status: String?
    }

    /// `POST /api/v1/seal/verify`: `{code, printed?}` → the verdict, what the seal says when its
    /// signature holds, and the document's status when the seal is valid and the service knows
    /// the number.
    func verify(req: Request) async throws -> VerifyResponse {
        let body = try req.content.decode(VerifyRequest.self)
        guard TextInput.isFilledField(body.code, limit: .max) else {
            throw SecoursError.invalid(field: "code", message: localized("Le code lu est vide ou contient un caractère de contrôle.",
                                                                         "The code read is empty or contains a control character."))
        }
        guard TextInput.length(body.code) <= Self.maxCodeLength else {
            throw SecoursError.invalid(field: "code", message: localized("Le code lu est trop long (\(Self.maxCodeLength) caractères au plus).",
                                                                         "The code read is too long (\(Self.maxCodeLength) characters at most)."))
        }
        // The contract's bounds, counted in code points as JSON Schema counts them: a printed
        // field out of them is refused, never compared.
        if let p = body.printed {
            for (field, value, limit) in [("number", p.number, 64), ("type", p.type, 16), ("exciseNumber", p.exciseNumber, 32),
                                          ("dispatchDate", p.dispatchDate, 16), ("dispatchTime", p.dispatchTime, 8), ("transport", p.transport, 64)] {
                guard let value else { continue }
                guard TextInput.isFilledField(value, limit: limit) else {
                    throw SecoursError.invalid(field: "printed.\(field)", message: localized(
                        "Le champ imprimé « \(field) » compte 1 à \(limit) caractères imprimables.",
                        "The printed field “\(field)” has 1 to \(limit) printable characters."))
                }
            }
        }
        let printed = body.printed.map {
            SealPrintedFields(number: $0.number, type: $0.type, exciseNumber: $0.exciseNumber, dispatchDate: $0.dispatchDate,
                              dispatchTime: $0.dispatchTime, transport: $0.transport)
        }
        let result = req.application.secours.seal.verify(body.code, printed: printed)
        var answer = VerifyResponse(verdict: .init(code: result.verdict.code, message: result.verdict.message))
        if let d = result.document {
            let issuer: VerifyResponse.Issuer = switch d.issuer {
            case .service: .init(kind: "service")
            case let .device(id, login, name): .init(kind: "device", deviceId: id.uuidString.lowercased(), login: login, deviceName: name)
            }
            answer.document = .init(number: d.number.value, kind: d.kind.rawValue, type: d.type.rawValue, exciseNumber: d.exciseNumber.value,
                                    dispatchDate: d.dispatch.day.iso, dispatchTime: d.dispatch.time.text, transport: d.transport,
                                    issuer: issuer, issuedAt: d.issueDate)
            if result.verdict.isValid, let doc = try await DocumentStore(db: req.db).document(number: d.number.value),
               doc.exciseNumber == d.exciseNumber.value {
                answer.status = doc.status.rawValue
            }
        }
        return answer
    }
}
