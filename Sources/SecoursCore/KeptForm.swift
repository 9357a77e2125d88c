import Foundation

/// Where a person goes back to after signing in, and the form they were sending when their
/// session ended: nothing they asked for or typed is lost to a sign-in.
public enum ReturnPath {
    /// `text` when it is a path of this site (`/…`, never `//host`, a scheme, a backslash or a
    /// control character), so a link cannot send a person elsewhere after signing in.
    public static func safe(_ text: String?) -> String? {
        guard let text, text.hasPrefix("/"), !text.hasPrefix("//"), text.count <= 2_048,
              !text.contains("\\"), !text.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F })
        else { return nil }
        return text
    }
}

/// The fields of a form post (`application/x-www-form-urlencoded`), in their order, kept to be
/// sent again once the person has signed in or the page's token is renewed. The CSRF token is
/// dropped (a new one is given) and so is every password.
public struct KeptForm: Sendable, Equatable {
    public var fields: [(name: String, value: String)]

    public init(fields: [(name: String, value: String)]) {
        self.fields = fields.filter { !Self.dropped($0.name) }
    }

    public static func == (a: KeptForm, b: KeptForm) -> Bool {
        a.fields.map(\.name) == b.fields.map(\.name) && a.fields.map(\.value) == b.fields.map(\.value)
    }

    static func dropped(_ name: String) -> Bool {
        name == "_csrf" || name == "_kept" || name == "suite" || name.lowercased().contains("password")
    }

    /// Reads a url-encoded body; nil when it is not one (a part is not `name=value` text).
    public init?(urlEncoded body: String) {
        var fields: [(String, String)] = []
        for part in body.split(separator: "&", omittingEmptySubsequences: true) {
            let pair = part.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            guard let name = Self.decode(pair[0]), !name.isEmpty,
                  let value = pair.count > 1 ? Self.decode(pair[1]) : "" else { return nil }
            fields.append((name, value))
        }
        self.init(fields: fields)
    }

    /// The same fields, url-encoded (what the sign-in page carries in one hidden field).
    public var urlEncoded: String {
        fields.map { Self.encode($0.name) + "=" + Self.encode($0.value) }.joined(separator: "&")
    }

    public var isEmpty: Bool { fields.isEmpty }

    /// The fields as one hidden value of the sign-in form: base64url of the url-encoded text, so
    /// that the browser sends it back without encoding it again.
    public var carried: String {
        Data(urlEncoded.utf8).base64EncodedString()
            .replacingOccurrences(of: "+", with: "-").replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    public init?(carried: String) {
        var text = carried.replacingOccurrences(of: "-", with: "+").replacingOccurrences(of: "_", with: "/")
        while text.count % 4 != 0 { text += "=" }
        guard let data = Data(base64Encoded: text), let body = String(data: data, encoding: .utf8) else { return nil }
        self.init(urlEncoded: body)
    }

    private static func decode(_ s: Substring) -> String? {
        s.replacingOccurrences(of: "+", with: " ").removingPercentEncoding
    }

    private static let unreserved = CharacterSet(charactersIn: "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~")

    private static func encode(_ s: String) -> String {
        s.addingPercentEncoding(withAllowedCharacters: unreserved) ?? ""
    }
}
