import FlyingFox
import Foundation
import Serving
import Testing

/// The token rule: with a token set, every request shows it (header, cookie or `?token=`), else 401.
@Suite struct TokenTests {
    @Test func withoutATokenEveryRequestIsRefused() async throws {
        let fixture = try ServeFixture()
        defer { fixture.folder.remove() }
        for target in ["/", "/api/runs", "/runs/r2", "/nope", "/?token=wrong"] {
            let answer = try await fixture.get(target, token: "s3cret")
            #expect(answer.status == 401)
            #expect(answer.headers[HTTPHeader("WWW-Authenticate")] == "Bearer")
        }
        let wrong = try await fixture.get("/", headers: [.authorization: "Bearer s3cre"], token: "s3cret")
        #expect(wrong.status == 401)
        let cookie = try await fixture.get("/", headers: [.cookie: "athanor_token=s3cret0"], token: "s3cret")
        #expect(cookie.status == 401)
    }

    @Test func theBearerHeaderLetsARequestIn() async throws {
        let fixture = try ServeFixture()
        defer { fixture.folder.remove() }
        let answer = try await fixture.get("/api/runs", headers: [.authorization: "Bearer s3cret"], token: "s3cret")
        #expect(answer.status == 200)
    }

    @Test func aTokenInTheAddressBecomesAnHttpOnlyCookie() async throws {
        let fixture = try ServeFixture()
        defer { fixture.folder.remove() }
        let answer = try await fixture.get("/?status=failed&token=s%2F3", token: "s/3")
        #expect(answer.status == 303)
        #expect(answer.headers[.location] == "/?status=failed")
        #expect(answer.headers[.setCookie] == "athanor_token=s%2F3; Path=/; HttpOnly; SameSite=Strict")
        let next = try await fixture.get(
            "/?status=failed", headers: [.cookie: "a=b; athanor_token=s%2F3"], token: "s/3")
        #expect(next.status == 200 && next.text.contains("<code>r3</code>"))
    }

    @Test(
        arguments: [
            ("127.0.0.1", nil, true), ("localhost", nil, true), ("::1", nil, true), ("127.0.0.2", nil, false),
            ("0.0.0.0", nil, false), ("10.1.2.3", nil, false), ("0.0.0.0", "t", true), ("127.0.0.1", "", false),
        ] as [(String, String?, Bool)])
    func onlyTheLoopbackDefaultListensWithoutAToken(host: String, token: String?, allowed: Bool) {
        #expect((Access.refusal(host: host, token: token) == nil) == allowed)
    }
}
