import FlyingFox
import Foundation

/// Who may read the store through the server: anyone who can reach a server on the loopback address, and
/// only those who show the token when one is set (`--token`, `ATHANOR_TOKEN`), which any other address needs.
public struct Access: Sendable {
    /// The secret each request must carry, as `Authorization: Bearer T`, the cookie a `?token=T` sets, or
    /// `?token=T` itself; nil lets every request in.
    public var token: String?

    public init(token: String?) {
        self.token = token
    }

    static let cookieName = "athanor_token"

    /// The hosts a server may listen on without a token: the loopback address a default server takes.
    static let openHosts: Set<String> = ["127.0.0.1", "localhost", "::1"]

    /// Why a server may not listen on `host` with `token`, or nil when it may.
    public static func refusal(host: String, token: String?) -> String? {
        if let token, token.isEmpty { return "the token is empty" }
        if token == nil && !openHosts.contains(host) {
            return "listening on \(host) needs a token: give --token T or set ATHANOR_TOKEN, "
                + "and open the pages with ?token=T or 'Authorization: Bearer T'"
        }
        return nil
    }

    /// Whether `request` may be answered: nil when it may, else the answer to give (401, or the redirect that
    /// turns `?token=` into a cookie).
    func check(_ request: HTTPRequest) -> HTTPResponse? {
        guard let token else { return nil }
        if let header = request.headers[.authorization], header.hasPrefix("Bearer "),
            Self.same(String(header.dropFirst("Bearer ".count)), token)
        {
            return nil
        }
        if let cookies = request.headers[.cookie], Self.cookie(in: cookies).map({ Self.same($0, token) }) == true {
            return nil
        }
        if let given = request.query.first(where: { $0.name == "token" })?.value, Self.same(given, token) {
            // The token leaves the address (and so the history and any link copied from it) for a cookie.
            let rest = request.query.filter { $0.name != "token" }
            var components = URLComponents()
            components.path = request.path
            if !rest.isEmpty { components.queryItems = rest.map { URLQueryItem(name: $0.name, value: $0.value) } }
            let encoded = token.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? ""
            return HTTPResponse(
                statusCode: .seeOther,
                headers: [
                    .location: components.string ?? "/",
                    .setCookie: "\(Self.cookieName)=\(encoded); Path=/; HttpOnly; SameSite=Strict",
                    .cacheControl: "no-store", HTTPHeader("Referrer-Policy"): "no-referrer",
                ])
        }
        return Responses.text(
            .unauthorized, "401 unauthorized: this server needs its token, as ?token=T or 'Authorization: Bearer T'\n",
            headers: [HTTPHeader("WWW-Authenticate"): "Bearer"])
    }

    /// The value of the token cookie in a `Cookie` header, percent-decoded.
    static func cookie(in header: String) -> String? {
        for part in header.split(separator: ";") {
            let pair = part.trimmingCharacters(in: .whitespaces)
            guard pair.hasPrefix(cookieName + "=") else { continue }
            return String(pair.dropFirst(cookieName.count + 1)).removingPercentEncoding
        }
        return nil
    }

    /// Whether two secrets are equal, in a time that does not depend on where they first differ.
    static func same(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        var difference = UInt8(truncatingIfNeeded: x.count ^ y.count)
        for index in 0..<max(x.count, y.count) {
            difference |= (index < x.count ? x[index] : 0) ^ (index < y.count ? y[index] : 0)
        }
        return difference == 0 && x.count == y.count
    }
}
