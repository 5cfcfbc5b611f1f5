import Foundation
// GRDB is used directly only to read what the store keeps and to doctor it as an older Athanor left it.
import GRDB
import Testing
import Workflows

@testable import Runs

/// A run whose process was killed (SIGKILL, a crash) can never record its end: the store tells it from a live
/// one by the process that owns it, and `cache gc` removes the scratch directories such runs leave.
@Suite struct AbandonedRunTests {
    /// A directory of its own, removed afterwards.
    struct Directory {
        let url: URL
        var path: String { url.path }
        var storePath: String { url.appendingPathComponent(".athanor/runs.sqlite").path }

        init() throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("athanor-owner-\(UUID())")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }

        func remove() { try? FileManager.default.removeItem(at: url) }
    }

    static func run(_ id: String, status: RunStatus = .running, owner: RunOwner?) -> RunRecord {
        RunRecord(
            id: id, notebook: "nb.md", notebookSHA256: String(repeating: "0", count: 64), notebookSource: "",
            title: nil, started: Date(timeIntervalSinceReferenceDate: 800_000_000), status: status,
            command: ["athanor", "run", "nb.md"], parameters: [],
            environment: EnvironmentRecord(
                toolVersion: "0", engineVersion: "1", os: "Linux", cpuModel: "cpu", cores: 2, gitCommit: nil,
                gitDirty: nil),
            owner: owner)
    }

    /// The id of a process that has ended: a `true` that was started and waited for.
    static func endedProcess() throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/bin/true")
        try process.run()
        process.waitUntilExit()
        return process.processIdentifier
    }

    static var current: RunOwner { get throws { try #require(RunOwner.current) } }

    @Test func aRunWhoseProcessIsGoneReadsAsAbandonedEverywhere() throws {
        let directory = try Directory()
        defer { directory.remove() }
        let current = try Self.current
        let gone = RunOwner(host: current.host, boot: current.boot, pid: try Self.endedProcess(), start: current.start)
        let store = try RunStore(path: directory.storePath)
        try store.save(Self.run("dead0001", owner: gone))

        let loaded = try #require(try store.run("dead0001"))
        #expect(loaded.status == .abandoned)
        #expect(loaded.owner == gone)
        #expect(try store.runs().map(\.status) == [.abandoned])
        #expect(RunJSON.object(loaded)["status"] as? String == "abandoned")
        #expect(RunJSON.summary(loaded)["status"] as? String == "abandoned")
        #expect(RunText.show(loaded).split(separator: "\n").first == "run dead0001  abandoned")
        #expect(
            RunText.list([loaded]).split(separator: "\n").last
                == "dead0001  \(RunText.date(loaded.started))  abandoned  -      nb.md     ")
        // The store keeps the fact it saw, so that an older Athanor still reads the row.
        let stored = try DatabaseQueue(path: directory.storePath).read { db in
            try String.fetchOne(db, sql: "SELECT status FROM runs WHERE id = 'dead0001'")
        }
        #expect(stored == "running")
        // Saved again as read (a `render` does), it stays what it was.
        try store.save(loaded)
        #expect(try store.run("dead0001")?.status == .abandoned)
    }

    @Test func aLiveRunStaysRunningAndOnlyARunningOneIsAbandoned() throws {
        let directory = try Directory()
        defer { directory.remove() }
        let current = try Self.current
        let store = try RunStore(path: directory.storePath)
        var reused = current
        reused.start += 1
        var rebooted = current
        rebooted.boot = "00000000-0000-0000-0000-000000000000"
        var elsewhere = current
        elsewhere.host = current.host + "-another-machine"
        elsewhere.pid = try Self.endedProcess()
        let cases: [(String, RunStatus, RunOwner?, RunStatus)] = [
            ("live0001", .running, current, .running),
            ("reused01", .running, reused, .abandoned),
            ("reboot01", .running, rebooted, .abandoned),
            // A process of another machine cannot be looked up: its run may well be going.
            ("remote01", .running, elsewhere, .running),
            // Recorded before owners were: nothing to tell.
            ("old00001", .running, nil, .running),
            ("done0001", .succeeded, reused, .succeeded),
        ]
        for (id, status, owner, _) in cases { try store.save(Self.run(id, status: status, owner: owner)) }
        for (id, _, owner, expected) in cases {
            let loaded = try #require(try store.run(id))
            #expect(loaded.status == expected, "\(id)")
            #expect(loaded.owner == owner, "\(id)")
        }
    }

    @Test func theOwnerIsThisProcessAndItsStartTime() throws {
        let current = try Self.current
        #expect(current.pid == getpid())
        #expect(current.liveness == .alive)
        #expect(RunOwner.startTime(of: current.pid) == current.start)
        #expect(RunOwner.startTime(of: try Self.endedProcess()) == nil)
    }

    @Test func aStoreOfTheVersionBeforeOwnersLoadsAndKeepsThemAfter() throws {
        let directory = try Directory()
        defer { directory.remove() }
        try RunStore(path: directory.storePath).save(Self.run("before01", owner: try Self.current))
        // What the previous version left: the store before migration v5, its run without an owner.
        let queue = try DatabaseQueue(path: directory.storePath)
        try queue.write { db in
            try db.execute(
                sql: """
                    ALTER TABLE runs DROP COLUMN owner_host;
                    ALTER TABLE runs DROP COLUMN owner_boot;
                    ALTER TABLE runs DROP COLUMN owner_pid;
                    ALTER TABLE runs DROP COLUMN owner_start;
                    DELETE FROM grdb_migrations WHERE identifier = 'v5';
                    """)
        }
        let store = try RunStore(path: directory.storePath)
        #expect(try store.run("before01") == Self.run("before01", owner: nil))
        try store.save(Self.run("after001", owner: try Self.current))
        #expect(try store.run("after001")?.owner == (try Self.current))
    }

    // MARK: Scratch directories

    /// A scratch directory in `tmp` as a command step makes it, with `owner` recorded (none when nil), last
    /// changed `age` seconds ago.
    static func scratch(_ name: String, in tmp: String, owner: RunOwner?, age: TimeInterval = 0) throws -> String {
        let path = tmp + "/" + name
        try FileManager.default.createDirectory(atPath: path + "/output", withIntermediateDirectories: true)
        if let owner { try JSONEncoder().encode(owner).write(to: URL(fileURLWithPath: path + "/owner.json")) }
        try Data("{}".utf8).write(to: URL(fileURLWithPath: path + "/params.json"))
        let date = Date(timeIntervalSinceNow: -age)
        for item in ["", "/output", "/params.json"] + (owner == nil ? [] : ["/owner.json"]) {
            try FileManager.default.setAttributes([.modificationDate: date], ofItemAtPath: path + item)
        }
        return path
    }

    @Test func gcRemovesTheScratchOfAKilledRunAndKeepsALiveOne() throws {
        let directory = try Directory()
        defer { directory.remove() }
        let project = Project(root: directory.url)
        let tmp = project.temporaryDirectory.path
        let current = try Self.current
        var gone = current
        gone.pid = try Self.endedProcess()
        var elsewhere = gone
        elsewhere.host += "-another-machine"
        let week: TimeInterval = 7 * 24 * 3_600
        let kept = [
            try Self.scratch("aaaa0001-train-live", in: tmp, owner: current, age: 30 * 24 * 3_600),
            try Self.scratch("aaaa0002-train-remote", in: tmp, owner: elsewhere, age: week - 3_600),
            try Self.scratch("aaaa0003-train-unowned", in: tmp, owner: nil, age: week - 3_600),
        ]
        let removed = [
            try Self.scratch("bbbb0001-train-killed", in: tmp, owner: gone),
            try Self.scratch("bbbb0002-train-remote", in: tmp, owner: elsewhere, age: week + 3_600),
            try Self.scratch("bbbb0003-train-unowned", in: tmp, owner: nil, age: week + 3_600),
        ]
        let collected = try CacheCollector.collect(in: project, keepingStepsWithKeys: [])
        #expect(collected == CacheCollector.Collected(removed: 0, bytes: 0, temporaries: 3))
        #expect(kept.filter { !FileManager.default.fileExists(atPath: $0) } == [])
        #expect(removed.filter { FileManager.default.fileExists(atPath: $0) } == [])
    }

    @Test func aCommandStepsScratchIsOwnedByItsRunAndGone() throws {
        let fixture = try ExternalStepTests.Fixture(
            """
            ```step look
            run: ls "$(dirname "$ATHANOR_OUTPUT")"; cat "$(dirname "$ATHANOR_OUTPUT")/owner.json"
            ```
            """)
        defer { fixture.cleanUp() }
        let run = try fixture.run()
        #expect(run.status == .succeeded, "\(run.steps)")
        let lines = (run.steps.first?.log ?? "").split(separator: "\n")
        #expect(lines.prefix(4) == ["metrics.jsonl", "output", "owner.json", "params.json"])
        let owner = try JSONDecoder().decode(RunOwner.self, from: Data(lines.dropFirst(4).joined().utf8))
        #expect(owner == (try Self.current))
        let tmp = fixture.project.temporaryDirectory.path
        #expect(try FileManager.default.contentsOfDirectory(atPath: tmp) == [])
    }
}
