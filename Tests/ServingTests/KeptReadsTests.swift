import FlyingFox
import Foundation
import Serving
import Testing

@testable import Runs

/// The server keeps what it read (the index's summaries, runs' JSON) while the store's version is unchanged:
/// whatever changes, a reload shows it, on every one of its connections.
@Suite struct KeptReadsTests {
    /// The body of `GET path` from `browser`, asked as many times as the server has connections and checked
    /// to be the same each time, so that every connection answers.
    static func get(_ path: String, from browser: RunBrowser) async throws -> String {
        var bodies: Set<String> = []
        for _ in 0..<16 {
            let request = HTTPRequest(method: .GET, version: .http11, path: path, query: [], headers: [:], body: Data())
            bodies.insert(String(decoding: try await browser.handleRequest(request).bodyData, as: UTF8.self))
        }
        #expect(bodies.count == 1)
        return bodies.first ?? ""
    }

    /// The JSON object of `GET path`, as `get` asks it.
    static func json(_ path: String, from browser: RunBrowser) async throws -> [String: Any] {
        let text = try await get(path, from: browser)
        return try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
    }

    static func accuracy(_ run: [String: Any]) -> Double? {
        (run["metrics"] as? [String: Any])?["eval.accuracy"] as? Double
    }

    @Test func aWriterThatKeepsTheStoreOpenIsSeenAtEachReload() async throws {
        let fixture = try ServeFixture()
        defer { fixture.folder.remove() }
        let writer = try RunStore(path: fixture.project.storePath)
        try writer.save(ServeFixture.run("r4", minute: 4, lr: "0.4", accuracy: 0.4))
        let browser = try fixture.browser()
        #expect(try await Self.get("/", from: browser).contains("<code>r4</code>"))
        #expect(Self.accuracy(try await Self.json("/api/runs/r4", from: browser)) == 0.4)
        #expect(try await Self.json("/api/runs/latest", from: browser)["id"] as? String == "r4")

        try writer.save(ServeFixture.run("r5", minute: 5, lr: "0.5", accuracy: 0.5))
        try writer.save(ServeFixture.run("r4", minute: 4, lr: "0.4", accuracy: 0.25))
        #expect(try await Self.get("/", from: browser).contains("<code>r5</code>"))
        #expect(Self.accuracy(try await Self.json("/api/runs/r4", from: browser)) == 0.25)
        #expect(try await Self.json("/api/runs/latest", from: browser)["id"] as? String == "r5")

        try writer.delete("r5")
        #expect(!(try await Self.get("/", from: browser).contains("<code>r5</code>")))
        #expect(try await Self.json("/api/runs/latest", from: browser)["id"] as? String == "r4")
    }

    @Test func aRunningRunWhoseProcessEndsIsAbandonedAtTheNextReload() async throws {
        let fixture = try ServeFixture()
        defer { fixture.folder.remove() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/sleep")
        process.arguments = ["60"]
        try process.run()
        defer { if process.isRunning { kill(process.processIdentifier, SIGKILL) } }
        let current = try #require(RunOwner.current)
        let start = try #require(RunOwner.startTime(of: process.processIdentifier))
        var running = ServeFixture.run("r6", minute: 6, lr: "0.6", accuracy: nil, status: .running)
        running.finished = nil
        running.owner = RunOwner(
            host: current.host, boot: current.boot, pid: process.processIdentifier, start: start)
        try RunStore(path: fixture.project.storePath).save(running)
        let browser = try fixture.browser()
        #expect(try await Self.get("/", from: browser).contains("<tr class=\"status-row-running\">"))
        #expect(try await Self.json("/api/runs/r6", from: browser)["status"] as? String == "running")

        // SIGKILL: a test runner may leave its children ignoring SIGTERM.
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        let index = try await Self.get("/", from: browser)
        #expect(index.contains("<tr class=\"status-row-abandoned\">"))
        #expect(!index.contains("<tr class=\"status-row-running\">"))
        #expect(try await Self.json("/api/runs/r6", from: browser)["status"] as? String == "abandoned")
    }
}
