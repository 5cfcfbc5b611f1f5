import FlyingFox
import Foundation
import Report
import Runs
import TestSupport
import Testing
import Workflows

@testable import Serving

/// The server's routes, called in process as the server calls them for each request it reads.
@Suite struct RouteTests {
    @Test func indexListsEveryRunNewestFirstWithItsKeyValues() async throws {
        let fixture = try ServeFixture()
        defer { fixture.folder.remove() }
        let page = try await fixture.get("/")
        #expect(page.status == 200)
        #expect(
            page.headers[HTTPHeader("Content-Security-Policy")]?.hasPrefix("default-src 'none'; style-src 'sha256-")
                == true)
        let text = page.text
        let order = ["r3", "r2", "r1"].compactMap { text.range(of: "<code>\($0)</code></a>")?.lowerBound }
        #expect(order.count == 3 && order == order.sorted())
        #expect(text.contains("3 of 3 runs recorded"))
        #expect(text.contains("<td class=\"num\">0.95</td>"))  // eval.accuracy, a key metric
        #expect(text.contains("<td><code>0.01</code></td>"))  // lr differs, a key parameter; seed does not
        #expect(!text.contains(">seed</a>"))
        #expect(text.contains("<td>failed</td>"))
        #expect(!text.contains("<script"))
    }

    @Test(arguments: [
        ("where=eval.accuracy%3E0.9", ["r2"]), ("where=lr%3D0.01", ["r3", "r2"]), ("where=lr=1e-2", ["r3", "r2"]),
        ("status=failed", ["r3"]), ("where=eval.accuracy+%3E+0.5%2C+lr%3D0.1", ["r1"]), ("notebook=other.md", []),
        ("sort=metric:eval.accuracy&order=asc", ["r1", "r2", "r3"]), ("sort=id&order=asc", ["r1", "r2", "r3"]),
    ])
    func indexFilters(query: String, expected: [String]) async throws {
        let fixture = try ServeFixture()
        defer { fixture.folder.remove() }
        let text = try await fixture.get("/?" + query).text
        let shown = ["r1", "r2", "r3"].filter { text.contains("<code>\($0)</code></a>") }
        #expect(Set(shown) == Set(expected))
        let positions = expected.compactMap { text.range(of: "<code>\($0)</code></a>")?.lowerBound }
        #expect(positions == positions.sorted())
    }

    @Test func indexPagesPastAHundredRuns() async throws {
        let fixture = try ServeFixture()
        defer { fixture.folder.remove() }
        let store = try RunStore(path: fixture.project.storePath)
        for minute in 3..<153 {
            try store.save(ServeFixture.run("m\(minute)", minute: minute, lr: "0.5", accuracy: 0.5))
        }
        let first = try await fixture.get("/").text
        #expect(first.contains("153 of 153 runs recorded, page 1 of 2"))
        #expect(first.contains("<code>m152</code>") && !first.contains("<code>r1</code>"))
        #expect(first.contains("href=\"/?page=2\" rel=\"next\""))
        let second = try await fixture.get("/?page=2").text
        #expect(second.contains("<code>r1</code>") && !second.contains("<code>m152</code>"))
        #expect(second.components(separatedBy: "<tr class=\"status-row").count - 1 == 53)
    }

    @Test func indexReflectsRunsRecordedSinceItStarted() async throws {
        let fixture = try ServeFixture()
        defer { fixture.folder.remove() }
        let browser = try fixture.browser()
        func index() async throws -> String {
            let request = HTTPRequest(method: .GET, version: .http11, path: "/", query: [], headers: [:], body: Data())
            return String(decoding: try await browser.handleRequest(request).bodyData, as: UTF8.self)
        }
        #expect(!(try await index()).contains("<code>r9</code>"))
        try RunStore(path: fixture.project.storePath).save(ServeFixture.run("r9", minute: 9, lr: "0.2", accuracy: 0.7))
        #expect(try await index().contains("<code>r9</code>"))
    }

    @Test func runPageIsTheReportRenderWrites() async throws {
        let fixture = try ServeFixture()
        defer { fixture.folder.remove() }
        let console = CapturedConsole()
        let invocation = Invocation(console: console, directory: fixture.folder.url, command: ["athanor"])
        let output = fixture.folder.path("out/r2.html")
        // The first render records where the report went, which the manifest of every later one names.
        #expect(RenderWorkflow(id: "r2", output: output, in: invocation).run() == .success)
        #expect(RenderWorkflow(id: "r2", output: output, in: invocation).run() == .success)
        let page = try await fixture.get("/runs/r2")
        #expect(page.status == 200)
        let written = try String(contentsOfFile: output, encoding: .utf8)
        #expect(page.text == written)
    }

    @Test func apiIsWhatRunsAndShowPrintAsJSON() async throws {
        let fixture = try ServeFixture()
        defer { fixture.folder.remove() }
        let runs = CapturedConsole()
        let show = CapturedConsole()
        _ = ReadWorkflow(in: Invocation(console: runs, directory: fixture.folder.url, command: [])).list(
            notebook: nil, sweep: nil, json: true)
        _ = ReadWorkflow(in: Invocation(console: show, directory: fixture.folder.url, command: [])).show(
            "r2", json: true)
        let list = try await fixture.get("/api/runs")
        #expect(list.status == 200 && list.headers[.contentType] == "application/json")
        #expect(list.text == runs.output)
        #expect(try await fixture.get("/api/runs/r2").text == show.output)
    }

    @Test func sweepPageAndJSON() async throws {
        let fixture = try ServeFixture()
        defer { fixture.folder.remove() }
        let store = try RunStore(path: fixture.project.storePath)
        try store.save(ServeFixture.run("w1", minute: 5, lr: "0.1", accuracy: 0.6, sweep: "s1"))
        try store.save(ServeFixture.run("w2", minute: 5, lr: "0.2", accuracy: 0.7, sweep: "s1"))
        let page = try await fixture.get("/sweeps/s1")
        #expect(page.status == 200 && page.text.contains("href=\"/runs/w1\""))
        let json = try await fixture.get("/api/sweeps/s1")
        let object = try JSONSerialization.jsonObject(with: json.body) as? [String: Any]
        #expect(object?["runs"] as? Int == 2)
        #expect(object?["swept"] as? [String] == ["lr"])
        #expect((object?["members"] as? [[String: Any]])?.compactMap { $0["id"] as? String }.sorted() == ["w1", "w2"])
        #expect(try await fixture.get("/sweeps/s9").status == 404)
        #expect(try await fixture.get("/api/sweeps/r1").status == 404)
    }

    @Test func compareShowsWhatDiffersWithDeltasAndCurves() async throws {
        let fixture = try ServeFixture()
        defer { fixture.folder.remove() }
        let page = try await fixture.get("/compare?runs=r1,r2")
        #expect(page.status == 200)
        let text = page.text
        #expect(
            text.contains("<tr class=\"differs\"><th scope=\"row\"><code>lr</code></th><td>0.1</td><td>0.01</td></tr>"))
        #expect(text.contains("<td class=\"num delta-up\">+0.15</td>"))
        #expect(!text.contains("<code>seed</code>"))  // the same in both
        #expect(text.contains("<svg") && text.contains("model.loss"))
        let all = try await fixture.get("/compare?runs=r1&runs=r2&all=1").text
        #expect(all.contains("<tr><th scope=\"row\"><code>seed</code></th><td>1</td><td>1</td></tr>"))
        #expect(try await fixture.get("/compare?runs=r1").status == 404)
        #expect(try await fixture.get("/compare?runs=r1,nope").status == 404)
    }

    @Test func artifactDownloads() async throws {
        let fixture = try ServeFixture()
        defer { fixture.folder.remove() }
        for target in ["/runs/r2/artifacts/model/weights.bin", "/runs/r2/artifacts/weights.bin"] {
            let answer = try await fixture.get(target)
            #expect(answer.status == 200)
            #expect(answer.text == ServeFixture.artifact)
            #expect(answer.headers[.contentType] == "application/octet-stream")
            #expect(answer.headers[.contentDisposition] == "attachment; filename=\"weights.bin\"")
        }
        #expect(try await fixture.get("/runs/r1/artifacts/weights.bin").status == 404)
    }

    @Test(arguments: [
        "/nope", "/runs/unknown", "/runs/r2/extra", "/api/runs/r2/extra", "/runs/../runs/r2", "/runs/%2e%2e/r2",
        "/runs/r2/artifacts/..%2F..%2Fruns.sqlite", "/runs/r2/artifacts/model/..",
        "/runs/r2/artifacts/%2E%2E/weights.bin",
        "/runs/r2/artifacts/model%2Fweights.bin", "/runs//r2", "/index.html", "/.athanor/runs.sqlite",
        "/runs/r2%00",
    ])
    func outsideTheRoutesIsNotFound(target: String) async throws {
        let fixture = try ServeFixture()
        defer { fixture.folder.remove() }
        #expect(try await fixture.get(target).status == 404)
    }
}

@Suite struct PathTests {
    @Test(
        arguments: [
            ("/", []), ("/runs/r2", ["runs", "r2"]), ("/runs/a%20b", ["runs", "a b"]),
        ] as [(String, [String])])
    func aPathIsSplitThenDecoded(raw: String, expected: [String]) {
        #expect(RunBrowser.components(raw) == expected)
    }

    @Test(arguments: [
        "/runs/..", "/runs/%2e%2E", "/runs/.", "/runs//x", "/runs/a%2Fb", "/runs/a%5Cb", "/runs/%00", "x",
    ])
    func aPartThatCouldNameAnotherPathIsRefused(raw: String) {
        #expect(RunBrowser.components(raw) == nil)
    }

    @Test func aStoreMadeAfterTheServerStartedShows() async throws {
        let folder = try TemporaryFolder()
        defer { folder.remove() }
        let project = Project(root: folder.url)
        let browser = RunBrowser(project: project, templates: try ReportTemplates.builtIn(), access: Access(token: nil))
        let request = HTTPRequest(method: .GET, version: .http11, path: "/", query: [], headers: [:], body: Data())
        #expect(String(decoding: try await browser.handleRequest(request).bodyData, as: UTF8.self).contains("0 of 0"))
        #expect(!FileManager.default.fileExists(atPath: project.storePath))  // reading made no store
        try RunStore(path: project.storePath).save(ServeFixture.run("r1", minute: 0, lr: "0.1", accuracy: 0.8))
        #expect(
            String(decoding: try await browser.handleRequest(request).bodyData, as: UTF8.self).contains(
                "<code>r1</code>"))
    }
}
