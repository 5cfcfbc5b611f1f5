import Foundation
import GRDB
import TestSupport
import Testing
import Workflows

/// Defects 11 and 12: commands that read create nothing and work on a project they cannot write, and one
/// damaged run costs only itself.
@Suite struct ReadingTests {
    static let notebook = """
        ```step data
        op: synthetic
        kind: blobs
        samples: 60
        ```

        ```step model
        op: train
        model: kmeans
        k: 2
        input: data
        ```
        """

    /// Every file and folder under `url`, with its size and modification time.
    static func listing(_ url: URL) -> [String] {
        let manager = FileManager.default
        return ((try? manager.subpathsOfDirectory(atPath: url.path)) ?? []).sorted().map { path in
            let attributes = (try? manager.attributesOfItem(atPath: url.appendingPathComponent(path).path)) ?? [:]
            return "\(path) \(attributes[.size] ?? "-") \(attributes[.modificationDate] ?? "-")"
        }
    }

    @Test func readingAFolderWithoutAProjectCreatesNothing() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        let reader = ReadWorkflow(in: workspace.invocation("runs").0)
        #expect(reader.list(notebook: nil, sweep: nil, json: false) == .success)
        #expect(reader.show("abc", json: false) == .invalid)
        #expect(reader.diff(["abc", "def"], all: false) == .invalid)
        #expect(CacheWorkflow(in: workspace.invocation("cache gc").0).collect() == .success)
        #expect(CacheWorkflow(in: workspace.invocation("cache stats").0).stats() == .success)
        #expect(try FileManager.default.contentsOfDirectory(atPath: workspace.url.path) == [])
    }

    @Test func readingARecordedProjectChangesNoFile() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.folder.write(Self.notebook, to: "nb.md")
        let (status, ran) = workspace.run("nb.md")
        #expect(status == .success, "\(ran.error)")
        let id = try #require(try Workspace.record(ran)["id"] as? String)
        let before = Self.listing(workspace.url)
        let reader = ReadWorkflow(in: workspace.invocation("show").0)
        #expect(reader.list(notebook: nil, sweep: nil, json: true) == .success)
        #expect(reader.show(id, json: false) == .success)
        #expect(Self.listing(workspace.url) == before)
    }

    @Test func renderWritesTheAskedFileWhenTheKeptCopyCannotBeWritten() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.folder.write(Self.notebook, to: "nb.md")
        let (_, ran) = workspace.run("nb.md")
        let id = try #require(try Workspace.record(ran)["id"] as? String)
        // `.athanor/reports` that cannot take a file, as in an archived project.
        try FileManager.default.removeItem(atPath: workspace.folder.path(".athanor/reports"))
        try workspace.folder.write("", to: ".athanor/reports")
        let (invocation, console) = workspace.invocation("render \(id) -o out.html")
        #expect(RenderWorkflow(id: id, output: "out.html", in: invocation).run() == .success, "\(console.error)")
        #expect(console.output == "out.html\n")
        #expect(console.error.hasPrefix("athanor: warning: "))
        #expect(console.error.hasSuffix("; wrote only the report asked for\n"))
        #expect(FileManager.default.fileExists(atPath: workspace.folder.path("out.html")))
    }

    @Test func aDamagedRunIsNamedAndTheOthersListed() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.folder.write(Self.notebook, to: "nb.md")
        let ids = try (0..<2).map { _ in try #require(try Workspace.record(workspace.run("nb.md").1)["id"] as? String) }
        try DatabaseQueue(path: workspace.folder.path(".athanor/runs.sqlite")).write { db in
            try db.execute(sql: "UPDATE runs SET cores = 'many' WHERE id = ?", arguments: [ids[0]])
        }
        let (invocation, console) = workspace.invocation("runs --json")
        #expect(ReadWorkflow(in: invocation).list(notebook: nil, sweep: nil, json: true) == .success)
        #expect(
            console.error
                == "athanor: warning: run '\(ids[0])' is damaged: its cores holds \"many\", not a whole number\n")
        let listed = try JSONSerialization.jsonObject(with: Data(console.output.utf8)) as? [[String: Any]]
        #expect(listed?.map { $0["id"] as? String } == [ids[1]])
    }
}
