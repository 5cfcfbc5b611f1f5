import Engine
import Foundation
// GRDB is used directly only to damage a store the way a crash, a bad copy or a hand edit would.
import GRDB
import Runs
import Testing

/// A damaged run store: one bad row costs its run only; a file that is no store is refused (issue 12, item 11).
/// Reading a store creates and changes nothing (item 12).
@Suite struct RunStoreDamageTests {
    let directory: URL
    var path: String { directory.appendingPathComponent(".athanor/runs.sqlite").path }

    init() throws {
        directory = FileManager.default.temporaryDirectory.appendingPathComponent("athanor-damage-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    }

    /// Removes the directory; Swift Testing makes a new suite value for every test.
    func remove() { try? FileManager.default.removeItem(at: directory) }

    static func run(_ id: String, started: Double) -> RunRecord {
        RunRecord(
            id: id, notebook: "nb.md", notebookSHA256: "00", notebookSource: "# nb\n", title: nil,
            started: Date(timeIntervalSinceReferenceDate: started), finished: nil, status: .succeeded,
            command: ["athanor", "run", "nb.md"],
            parameters: [RecordedParameter(name: "lr", value: "0.1", overridden: false)],
            steps: [StepRecord(name: "data", op: "load", cacheKey: "k", cache: .miss, seconds: 1, status: .succeeded)],
            metrics: [MetricRecord(name: "eval.accuracy", value: 0.9)],
            series: [SeriesRecord(name: "mlp.loss", points: [RecordedPoint(1, 0.5)])],
            environment: EnvironmentRecord(
                toolVersion: "0", engineVersion: "0", os: "", cpuModel: "", cores: 1, gitCommit: nil, gitDirty: nil))
    }

    /// Saves runs a, b, c, d, e (newest last) and damages b, c, d and e, each in another part.
    func damagedStore() throws {
        let store = try RunStore(path: path)
        for (offset, id) in ["a", "b", "c", "d", "e"].enumerated() {
            try store.save(Self.run(id, started: Double(offset)))
        }
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "UPDATE runs SET status = 'paused' WHERE id = 'b'")
            try db.execute(sql: "UPDATE runs SET cores = 'many' WHERE id = 'c'")
            try db.execute(
                sql: "UPDATE steps SET previews = 'not json' WHERE run = (SELECT row FROM runs WHERE id = 'd')")
            try db.execute(
                sql: "UPDATE series SET points = x'0102' WHERE run = (SELECT row FROM runs WHERE id = 'e')")
        }
    }

    @Test func aDamagedRowCostsItsRunOnlyAndIsNamed() throws {
        defer { remove() }
        try damagedStore()
        for store in [try RunStore(path: path), try RunStore(readingAt: path)] {
            let list = try store.list()
            #expect(list.runs == [Self.run("a", started: 0)])
            #expect(
                list.damaged.map(\.description) == [
                    "run 'e' is damaged: the points of series 'mlp.loss' are not a whole number of 16-byte points",
                    "run 'd' is damaged: the data previews of step 'data' are not readable JSON",
                    "run 'c' is damaged: its cores holds \"many\", not a whole number",
                    "run 'b' is damaged: unknown run status 'paused'",
                ])
            #expect(try store.runs().map(\.id) == ["a"])
            #expect(try store.run("a") == Self.run("a", started: 0))
            let error = #expect(throws: RunStoreError.self) { try store.run("c") }
            #expect(error?.description == "run 'c' is damaged: its cores holds \"many\", not a whole number")
        }
    }

    @Test(arguments: [
        (Data(), "the file is empty"),
        (Data("id,notebook\n1,nb.md\n".utf8), "the file is not an SQLite database"),
    ])
    func aFileThatIsNoStoreIsRefusedAndLeftAlone(content: Data, reason: String) throws {
        defer { remove() }
        try FileManager.default.createDirectory(
            atPath: (path as NSString).deletingLastPathComponent, withIntermediateDirectories: true)
        try content.write(to: URL(fileURLWithPath: path))
        let expected =
            "\(path) is not a readable run store (\(reason)); it is corrupted or not an Athanor run store. "
            + "Move it aside to start a new run history: mv '\(path)' '\(path).damaged'"
        let writing = #expect(throws: RunStoreError.self) { try RunStore(path: path) }
        #expect(writing?.description == expected)
        let reading = #expect(throws: RunStoreError.self) { try RunStore(readingAt: path) }
        #expect(reading?.description == expected)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == content)
    }

    // MARK: Reading creates and changes nothing

    /// Every entry under the directory with its size and modification time, to compare before and after.
    func snapshot() throws -> [String: [Int]] {
        var entries: [String: [Int]] = [:]
        let files = FileManager.default
        let names = (files.enumerator(atPath: directory.path)?.allObjects ?? []).compactMap { $0 as? String }
        for name in names {
            let attributes = try files.attributesOfItem(atPath: directory.appendingPathComponent(name).path)
            let modified = (attributes[.modificationDate] as? Date)?.timeIntervalSince1970 ?? 0
            entries[name] = [(attributes[.size] as? Int) ?? -1, Int(modified * 1_000_000_000)]
        }
        return entries
    }

    @Test func readingWhereNoStoreIsCreatesNothingAndFindsNoRuns() throws {
        defer { remove() }
        let store = try RunStore(readingAt: path)
        #expect(store.isOpenForReading)
        #expect(try !RunStore(path: directory.appendingPathComponent("other/runs.sqlite").path).isOpenForReading)
        try FileManager.default.removeItem(at: directory.appendingPathComponent("other"))
        #expect(try store.runs() == [])
        #expect(try store.list() == RunList(runs: [], damaged: []))
        #expect(try store.run("a") == nil)
        #expect(throws: RunStoreError.unknownRun("a")) { try store.resolve("a") }
        #expect(try snapshot() == [:])
        #expect(throws: RunStoreError.openedForReading(path: path)) { try store.save(Self.run("a", started: 0)) }
        #expect(try snapshot() == [:])
    }

    @Test func readingAStoreLeavesItsFileAndFolderExactlyAsTheyWere() throws {
        defer { remove() }
        do {
            let store = try RunStore(path: path)
            try store.save(Self.run("a", started: 0))
            try store.save(Self.run("b", started: 1))
        }
        let before = try snapshot()
        let bytes = try Data(contentsOf: URL(fileURLWithPath: path))
        #expect(!before.keys.contains(".athanor/runs.sqlite-wal"))

        let store = try RunStore(readingAt: path)
        #expect(try store.runs().map(\.id) == ["b", "a"])
        #expect(try store.resolve("a") == "a")
        #expect(try store.run("b") == Self.run("b", started: 1))
        #expect(throws: RunStoreError.openedForReading(path: path)) { try store.delete("a") }
        #expect(try snapshot() == before)
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == bytes)
    }

    @Test func aReaderSeesWhatAWriterSavesWhileItRuns() throws {
        defer { remove() }
        let writer = try RunStore(path: path)
        try writer.save(Self.run("a", started: 0))
        let reader = try RunStore(readingAt: path)
        #expect(try reader.runs().map(\.id) == ["a"])
        try writer.save(Self.run("b", started: 1))
        #expect(try reader.runs().map(\.id) == ["b", "a"])
    }

    @Test func aStoreThatNeedsAMigrationIsNotMigratedByReading() throws {
        defer { remove() }
        try RunStore(path: path).save(Self.run("a", started: 0))
        // What the version before schema v4 left.
        try DatabaseQueue(path: path).write { db in
            try db.execute(
                sql: """
                    ALTER TABLE series DROP COLUMN points;
                    DELETE FROM grdb_migrations WHERE identifier = 'v4';
                    """)
        }
        let before = try snapshot()
        let error = #expect(throws: RunStoreError.self) { try RunStore(readingAt: path) }
        #expect(
            error?.description
                == "\(path) was written by an older version of Athanor; run any command that records a run "
                + "(athanor run) in this project to upgrade it, then read it again")
        #expect(try snapshot() == before)
        // A command that writes upgrades it; reading works after.
        _ = try RunStore(path: path)
        #expect(try RunStore(readingAt: path).runs().map(\.id) == ["a"])
    }

    @Test func aStoreOfANewerVersionIsRefusedByReadingToo() throws {
        defer { remove() }
        try RunStore(path: path).save(Self.run("a", started: 0))
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v999')")
        }
        #expect(throws: RunStoreError.newerVersion(path: path)) { try RunStore(readingAt: path) }
    }
}
