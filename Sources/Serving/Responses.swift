import FlyingFox
import Foundation

/// The answers the server gives, each with the headers every answer carries: no caching (the store changes),
/// no sniffing of types, no referrer (an address may hold the token).
enum Responses {
    static func common(_ type: String) -> HTTPHeaders {
        [
            .contentType: type, .cacheControl: "no-store", HTTPHeader("X-Content-Type-Options"): "nosniff",
            HTTPHeader("Referrer-Policy"): "no-referrer",
        ]
    }

    static func html(_ html: String, policy: String, status: HTTPStatusCode = .ok) -> HTTPResponse {
        var headers = common("text/html; charset=utf-8")
        headers[HTTPHeader("Content-Security-Policy")] = policy
        return HTTPResponse(statusCode: status, headers: headers, body: Data(html.utf8))
    }

    static func json(_ text: String) -> HTTPResponse {
        HTTPResponse(statusCode: .ok, headers: jsonHeaders, body: Data((text + "\n").utf8))
    }

    /// Made once: a header's name hashes and compares without case, which costs more than the JSON it sends.
    private static let jsonHeaders = {
        var headers = common("application/json")
        headers[HTTPHeader("Content-Security-Policy")] = "default-src 'none'; frame-ancestors 'none'"
        return headers
    }()

    static func text(_ status: HTTPStatusCode, _ text: String, headers extra: HTTPHeaders = [:]) -> HTTPResponse {
        var headers = common("text/plain; charset=utf-8")
        headers[HTTPHeader("Content-Security-Policy")] = "default-src 'none'; frame-ancestors 'none'"
        for (header, value) in extra { headers[header] = value }
        return HTTPResponse(statusCode: status, headers: headers, body: Data(text.utf8))
    }

    static let notFound = text(.notFound, "404 not found\n")

    /// A file to save, never shown in the page's origin: whatever it holds, it is served as bytes.
    static func download(_ bytes: [UInt8], name: String) -> HTTPResponse {
        var headers = common("application/octet-stream")
        let safe = String(name.unicodeScalars.filter { $0.isASCII && $0.value >= 0x20 && $0 != "\"" && $0 != "\\" })
        headers[.contentDisposition] = "attachment; filename=\"\(safe)\""
        headers[HTTPHeader("Content-Security-Policy")] = "default-src 'none'; sandbox"
        return HTTPResponse(statusCode: .ok, headers: headers, body: Data(bytes))
    }
}
