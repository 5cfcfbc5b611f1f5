import Foundation
import TestSupport
import Testing
import Workflows

/// Issue 19: `cache stats` in human units, per notebook, with what `cache gc` frees, and as JSON.
@Suite struct CacheStatsTests {
    static func notebook(samples: Int) -> String {
        """
        ```step data
        op: synthetic
        kind: blobs
        samples: \(samples)
        ```

        ```step model
        op: train
        model: kmeans
        k: 2
        input: data
        ```
        """
    }

    @Test func statsBreakDownTheCacheByNotebookAndNameWhatGCFrees() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.folder.write(Self.notebook(samples: 60), to: "small.md")
        try workspace.folder.write(Self.notebook(samples: 3000), to: "large.md")
        for notebook in ["small.md", "large.md", "large.md"] {
            let (status, ran) = workspace.run(notebook)
            #expect(status == .success, "\(ran.error)")
        }
        // An object that no run needs, as a removed run leaves behind.
        let cache = ObjectStore(directory: workspace.url.appendingPathComponent(".athanor/cache"))
        _ = try cache.put(Array(repeating: 7, count: 2500))

        let (invocation, console) = workspace.invocation("cache stats --json")
        #expect(CacheWorkflow(in: invocation).stats(json: true) == .success, "\(console.error)")
        let object = try #require(try JSONSerialization.jsonObject(with: Data(console.output.utf8)) as? [String: Any])
        let total = try cache.stats()
        #expect(object["cache"] as? String == ".athanor/cache")
        #expect(object["objects"] as? Int == total.objects)
        #expect(object["bytes"] as? Int == total.bytes)
        let unused = try #require(object["unused"] as? [String: Int])
        #expect(unused == ["objects": 1, "bytes": 2500])
        let notebooks = try #require(object["notebooks"] as? [[String: Any]])
        #expect(notebooks.map { $0["notebook"] as? String } == ["large.md", "small.md"])
        #expect(notebooks.map { $0["runs"] as? Int } == [2, 1])
        let sizes = notebooks.compactMap { $0["bytes"] as? Int }
        #expect(sizes.count == 2 && sizes[0] > sizes[1] && sizes[1] > 0)
        // Nothing is shared here, so the notebooks and the unused object make up the whole cache.
        #expect(sizes.reduce(0, +) + 2500 == total.bytes)

        let (textInvocation, text) = workspace.invocation("cache stats")
        #expect(CacheWorkflow(in: textInvocation).stats() == .success)
        let lines = text.output.split(separator: "\n").map(String.init)
        #expect(lines.first?.hasPrefix(".athanor/cache: \(total.objects) objects, ") == true)
        #expect(lines.first?.hasSuffix(" kB") == true || lines.first?.hasSuffix(" MB") == true)
        #expect(lines.contains { $0.hasPrefix("  large.md  ") && $0.hasSuffix(", for 2 runs") })
        #expect(lines.contains { $0.hasPrefix("  small.md  ") && $0.hasSuffix(", for 1 run") })
        #expect(lines.contains("  no recorded run needs 2.5 kB in 1 object: 'athanor cache gc' frees it"))
        #expect(!lines.contains { $0.contains("counts for each") }, "no object is shared")
    }

    @Test func pathsArePrintedFromTheWorkingFolder() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let (invocation, _) = workspace.invocation("runs", in: workspace.url.appendingPathComponent("notebooks"))
        #expect(invocation.relativePath(workspace.url.appendingPathComponent("notebooks/a.md")) == "a.md")
        #expect(invocation.relativePath(workspace.url.appendingPathComponent(".athanor")) == "../.athanor")
        #expect(invocation.relativePath(workspace.url.appendingPathComponent("notebooks")) == ".")
        #expect(invocation.relativePath(URL(fileURLWithPath: "/")) == "/")
    }

    @Test func runsFromAboveTheProjectFindTheOneBelowOrNameThem() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.folder.write(Self.notebook(samples: 60), to: "notebooks/a.md")
        let (status, ran) = workspace.run("notebooks/a.md")
        #expect(status == .success, "\(ran.error)")
        let id = try #require(try Workspace.record(ran)["id"] as? String)

        let (invocation, console) = workspace.invocation("runs")
        #expect(invocation.project.root.path == workspace.url.appendingPathComponent("notebooks").path)
        #expect(ReadWorkflow(in: invocation).list(notebook: nil, sweep: nil, json: false) == .success)
        #expect(console.output.contains(id))

        try workspace.folder.write(Self.notebook(samples: 60), to: "other/b.md")
        #expect(workspace.run("other/b.md").0 == .success)
        let (both, listed) = workspace.invocation("runs")
        #expect(ReadWorkflow(in: both).list(notebook: nil, sweep: nil, json: false) == .success)
        #expect(
            listed.output
                == "no runs recorded here; the projects below are notebooks/.athanor, other/.athanor: run from one of them\n"
        )
    }

    @Test func completionOffersTheRunsSweepsAndReportsOfTheProjectHere() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        #expect(Completion.candidates(.runsOrSweeps, prefix: "", in: workspace.url).isEmpty)
        try workspace.folder.write(Self.notebook(samples: 60), to: "nb.md")
        let (_, ran) = workspace.run("nb.md")
        let id = try #require(try Workspace.record(ran)["id"] as? String)
        try workspace.folder.write("<html></html>", to: "reports/shared.html")
        try workspace.folder.write("", to: "reports/notes.txt")

        #expect(Completion.candidates(.runs, prefix: "", in: workspace.url) == ["latest", id])
        #expect(Completion.candidates(.runs, prefix: String(id.prefix(3)), in: workspace.url) == [id])
        #expect(Completion.candidates(.runs, prefix: "zz", in: workspace.url).isEmpty)
        let reports = Completion.candidates(.runsOrReports, prefix: "rep", in: workspace.url)
        #expect(reports == ["reports/"])
        let inside = Completion.candidates(.runsOrReports, prefix: "reports/", in: workspace.url)
        #expect(inside == ["reports/shared.html"])
    }
}
