import Foundation
import Testing

/// `athanor run`, `runs`, `show`, `diff`, `reproduce` and `cache` as a user runs them, each test in
/// a project directory of its own.
@Suite struct RunCommandTests {
    static let notebook = """
        ```params
        seed: 2
        samples: 300
        ```

        ```step data
        op: load
        path: blobs.csv
        target: label
        ```

        ```step split
        op: split
        input: data
        seed: ${seed}
        ```

        ```step model
        op: train
        model: logistic
        input: split.train
        ```

        ```step eval
        op: evaluate
        model: model
        input: split.test
        metrics: [accuracy]
        ```
        """

    static let slow = """
        ```step data
        op: synthetic
        kind: classification
        samples: 40000
        features: 40
        classes: 4
        ```

        ```step net
        op: train
        model: mlp
        input: data
        hidden: [256, 256]
        epochs: 200
        lr: 0.0001
        ```
        """

    struct Project {
        let directory: URL

        init(notebook: String = RunCommandTests.notebook) throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "athanor-cli-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try notebook.write(to: directory.appendingPathComponent("nb.md"), atomically: true, encoding: .utf8)
            try writeData(0)
        }

        func writeData(_ shift: Int) throws {
            var lines = ["a,b,label"]
            for i in 0..<80 { lines.append("\(i % 9 + shift),\(i % 2 * 5 + i % 3),\(i % 2 == 0 ? "left" : "right")") }
            try (lines.joined(separator: "\n") + "\n").write(
                to: directory.appendingPathComponent("blobs.csv"), atomically: true, encoding: .utf8)
        }

        func remove() { try? FileManager.default.removeItem(at: directory) }

        @discardableResult
        func athanor(_ arguments: [String]) throws -> CheckCommandTests.Output {
            try CheckCommandTests().run(arguments, in: directory)
        }

        func json(_ arguments: [String]) throws -> Any {
            let output = try athanor(arguments)
            return try JSONSerialization.jsonObject(with: Data(output.stdout.utf8))
        }
    }

    @Test func runRecordsAndTheReadCommandsShowIt() throws {
        let project = try Project()
        defer { project.remove() }
        let first = try project.athanor(["run", "nb.md", "--json", "-q"])
        #expect(first.status == 0, "\(first.stderr)")
        let run = try #require(try JSONSerialization.jsonObject(with: Data(first.stdout.utf8)) as? [String: Any])
        let id = try #require(run["id"] as? String)
        #expect(run["status"] as? String == "succeeded")
        #expect((run["params"] as? [String: Any])?["seed"] as? Int == 2)
        #expect((run["metrics"] as? [String: Any])?["eval.accuracy"] is Double)
        let steps = try #require(run["steps"] as? [[String: Any]])
        #expect(steps.map { $0["cache"] as? String } == ["miss", "miss", "miss", "miss"])
        let datasets = try #require(run["datasets"] as? [[String: Any]])
        #expect(datasets.first?["rows"] as? Int == 80)
        #expect((datasets.first?["sha256"] as? String)?.count == 64)
        #expect(run["environment"] is [String: Any])
        // DESIGN §7: the fields a run as JSON has at least.
        for key in [
            "id", "notebook", "status", "params", "metrics", "series", "datasets", "steps", "report", "environment",
        ] {
            #expect(run[key] != nil, "missing \(key)")
        }
        let series = try #require(run["series"] as? [String: Any])
        let loss = try #require(series["model.loss"] as? [[Double]])
        #expect(loss.first?.count == 2)
        #expect(
            steps.allSatisfy {
                $0["name"] is String && $0["op"] is String && $0["seconds"] is Double && $0["status"] is String
            })

        let list = try #require(try project.json(["runs", "--json"]) as? [[String: Any]])
        #expect(list.map { $0["id"] as? String } == [id])
        for key in ["id", "notebook", "status", "started", "params", "metrics"] {
            #expect(list.first?[key] != nil, "runs --json lacks \(key)")
        }
        let table = try project.athanor(["runs"])
        #expect(table.stdout.contains(id) && table.stdout.contains("succeeded"))
        let shown = try project.athanor(["show", String(id.prefix(4))])
        #expect(shown.status == 0)
        #expect(shown.stdout.contains("run \(id)  succeeded"))
        #expect(shown.stdout.contains("eval.accuracy"))
    }

    @Test func runReportsTheDataErrorsCheckFindsBeforeAnyStepRuns() throws {
        let project = try Project(
            notebook: RunCommandTests.notebook.replacingOccurrences(of: "target: label", with: "target: lable"))
        defer { project.remove() }
        let checked = try project.athanor(["check", "nb.md"])
        let expected = "nb.md:9:9: error: blobs.csv: `target` names no column 'lable'; did you mean 'label'?\n"
        #expect(checked.stderr == expected)
        let run = try project.athanor(["run", "nb.md"])
        #expect(run.status == 2)
        #expect(run.stderr == expected)
        // Nothing ran: no state, no report.
        #expect(!FileManager.default.fileExists(atPath: project.directory.appendingPathComponent(".athanor").path))
    }

    @Test func aCachedRerunHitsAndDiffShowsOnlyWhatChanged() throws {
        let project = try Project()
        defer { project.remove() }
        let a = try #require(try project.json(["run", "nb.md", "--json", "-q"]) as? [String: Any])
        let b = try #require(try project.json(["run", "nb.md", "--json", "-q", "-p", "seed=5"]) as? [String: Any])
        let steps = try #require(b["steps"] as? [[String: Any]])
        #expect(steps.map { $0["cache"] as? String } == ["hit", "miss", "miss", "miss"])
        let explained = try project.athanor(["run", "nb.md", "-q", "--explain", "-p", "seed=6"])
        // Explained against the latest earlier run of the notebook, which had seed 5.
        #expect(explained.stdout.contains("split: re-ran because setting 'seed' changed (5 → 6)"))
        let diff = try project.athanor(["diff", a["id"] as? String ?? "", b["id"] as? String ?? ""])
        #expect(diff.status == 0)
        #expect(diff.stdout.contains("seed"))
        #expect(!diff.stdout.contains("samples"))
        let everything = try project.athanor(["diff", "--all", a["id"] as? String ?? "", b["id"] as? String ?? ""])
        #expect(everything.stdout.contains("samples"))
    }

    @Test func aRunStartedElsewhereNamesItsReportFromTheCurrentFolder() throws {
        let project = try Project()
        defer { project.remove() }
        let parent = project.directory.deletingLastPathComponent()
        let folder = project.directory.lastPathComponent
        let ran = try CheckCommandTests().run(["run", "\(folder)/nb.md"], in: parent)
        #expect(ran.status == 0, "\(ran.stderr)")
        #expect(ran.stderr.hasSuffix(" succeeded; report \(folder)/nb.html\n"), "\(ran.stderr)")
    }

    @Test func reproduceProvesEqualityAndNamesAChangedFile() throws {
        let project = try Project()
        defer { project.remove() }
        let run = try #require(try project.json(["run", "nb.md", "--json", "-q"]) as? [String: Any])
        let id = try #require(run["id"] as? String)
        let same = try project.athanor(["reproduce", id, "-q"])
        #expect(same.status == 0, "\(same.stdout) \(same.stderr)")
        #expect(same.stdout.contains("reproduced"))
        // `runs` marks the reproduction and names the run it re-ran.
        let runs = try #require(try project.json(["runs", "--json"]) as? [[String: Any]])
        #expect(runs.map { $0["reproduces"] as? String } == [id, nil])
        let table = try project.athanor(["runs"]).stdout
        #expect(table.contains("nb.md (reproduces \(id))"))
        try project.writeData(1)
        let changed = try project.athanor(["reproduce", id, "-q"])
        #expect(changed.status == 1)
        #expect(changed.stdout.contains("data file 'blobs.csv' (step 'data') changed content"))
    }

    @Test func badInputGetsTheDesignedExitCodes() throws {
        let project = try Project()
        defer { project.remove() }
        #expect(try project.athanor(["show", "nosuchrun"]).status == 2)
        let badParameter = try project.athanor(["run", "nb.md", "-p", "sede=1"])
        #expect(badParameter.status == 2)
        #expect(badParameter.stderr.contains("did you mean 'seed'?"))
        #expect(try project.athanor(["run", "nb.md", "-p", "seed=abc"]).status == 2)
        // A data file that is not there is a notebook error, found before anything runs.
        try FileManager.default.removeItem(at: project.directory.appendingPathComponent("blobs.csv"))
        #expect(try project.athanor(["run", "nb.md", "-q"]).status == 2)
        // One whose header is right but whose rows are not fails its step.
        try "a,b,label\n1,2\n".write(
            to: project.directory.appendingPathComponent("blobs.csv"), atomically: true, encoding: .utf8)
        let broken = try project.athanor(["run", "nb.md", "-q"])
        #expect(broken.status == 1)
        let list = try #require(try project.json(["runs", "--json"]) as? [[String: Any]])
        #expect(list.first?["status"] as? String == "failed")
    }

    @Test func twoRunsAtOnceAreBothRecorded() throws {
        let project = try Project()
        defer { project.remove() }
        let first = try CheckCommandTests().start(["run", "nb.md", "-q"], in: project.directory)
        let second = try CheckCommandTests().start(["run", "nb.md", "-q", "-p", "seed=9"], in: project.directory)
        first.waitUntilExit()
        second.waitUntilExit()
        #expect(first.terminationStatus == 0)
        #expect(second.terminationStatus == 0)
        let list = try #require(try project.json(["runs", "--json"]) as? [[String: Any]])
        #expect(list.count == 2)
        #expect(list.allSatisfy { $0["status"] as? String == "succeeded" })
    }

    @Test func anInterruptedRunIsRecordedAndTheCacheStaysUsable() throws {
        let project = try Project(notebook: Self.slow)
        defer { project.remove() }
        let process = try CheckCommandTests().start(["run", "nb.md", "-q"], in: project.directory)
        // Wait until the data step is cached (its reference written last), then stop the run while
        // the network trains.
        let references = project.directory.appendingPathComponent(".athanor/cache/refs").path
        for _ in 0..<600 where ((try? FileManager.default.contentsOfDirectory(atPath: references)) ?? []).isEmpty {
            Thread.sleep(forTimeInterval: 0.05)
        }
        Thread.sleep(forTimeInterval: 0.3)
        process.terminate()
        process.waitUntilExit()
        #expect(process.terminationStatus == 128 + SIGTERM)
        let list = try #require(try project.json(["runs", "--json"]) as? [[String: Any]])
        #expect(list.first?["status"] as? String == "interrupted")
        let stats = try project.athanor(["cache", "stats"])
        #expect(stats.status == 0)
        // Nothing half-written under a final name: every object still hashes to its name.
        let objects = project.directory.appendingPathComponent(".athanor/cache/objects")
        var checked = 0
        for path in (try? FileManager.default.subpathsOfDirectory(atPath: objects.path)) ?? [] {
            let parts = path.split(separator: "/")
            guard parts.count == 2, parts[0].count == 2, parts[0] != "tmp" else { continue }
            let sum = try CheckCommandTests().run(
                ["-c", "sha256sum \(objects.appendingPathComponent(path).path) | cut -c1-64"],
                executable: URL(fileURLWithPath: "/bin/sh"))
            #expect(sum.stdout.trimmingCharacters(in: .whitespacesAndNewlines) == String(parts[0] + parts[1]))
            checked += 1
        }
        #expect(checked > 0, "the data step should have been cached before the interruption")
    }
}

extension RunCommandTests {
    @Test func cacheCommandsReportCollectAndClear() throws {
        let project = try Project()
        defer { project.remove() }
        try project.athanor(["run", "nb.md", "-q"])
        let stats = try project.athanor(["cache", "stats"])
        #expect(stats.status == 0)
        let objects = try #require(
            stats.stdout.split(separator: " ").firstIndex(of: "objects,").map {
                Int(stats.stdout.split(separator: " ")[$0 - 1])
            })
        #expect((objects ?? 0) > 0)
        // A run that is forgotten leaves entries that gc removes; recorded runs keep theirs.
        let kept = try project.athanor(["cache", "gc"])
        #expect(kept.stdout.hasPrefix("removed 0 objects"))
        let again = try project.athanor(["run", "nb.md", "-q", "--json"])
        #expect(again.stdout.contains("\"hit\""))
        let cleared = try project.athanor(["cache", "clear"])
        #expect(cleared.status == 0)
        #expect(try project.athanor(["cache", "stats"]).stdout.contains(": 0 objects"))
        let rerun = try #require(try project.json(["run", "nb.md", "-q", "--json"]) as? [String: Any])
        let steps = try #require(rerun["steps"] as? [[String: Any]])
        #expect(steps.allSatisfy { $0["cache"] as? String == "miss" })
    }
}
