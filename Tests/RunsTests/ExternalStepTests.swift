import Engine
import Foundation
import Notebook
import Runs
import Testing

#if canImport(Glibc)
    import Glibc
#endif

/// Command steps (`run:`) as a notebook's author relies on them: parameters in, metrics, series
/// and artifacts out, the cache keyed on inputs and command text, and failures that say why.
/// The commands are plain `sh`, so that these tests need no Python.
@Suite struct ExternalStepTests {
    /// A temporary project holding one notebook.
    struct Fixture {
        let directory: URL
        var project: Project { Project(root: directory) }
        var notebookPath: String { directory.appendingPathComponent("nb.md").path }

        init(_ notebook: String) throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent(
                "athanor-external-\(UUID().uuidString)")
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            try write(notebook, to: "nb.md")
        }

        func write(_ text: String, to path: String) throws {
            let url = directory.appendingPathComponent(path)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: true, encoding: .utf8)
        }

        func read(_ path: String) -> String? {
            try? String(contentsOf: directory.appendingPathComponent(path), encoding: .utf8)
        }

        func remove(_ path: String) throws {
            try FileManager.default.removeItem(at: directory.appendingPathComponent(path))
        }

        func run(_ overrides: [String] = [], observer: RunObserver? = nil) throws -> RunRecord {
            let source = try String(contentsOfFile: notebookPath, encoding: .utf8)
            let (notebook, diagnostics) = NotebookChecker.check(source, path: notebookPath)
            #expect(!diagnostics.hasErrors, "\(diagnostics)")
            guard case .success(let resolved) = ParameterOverrides.resolve(overrides, in: notebook) else {
                throw EngineError("bad overrides")
            }
            let plan = RunPlan(notebook: notebook, parameters: resolved.values, overridden: resolved.overridden)
            let executor = try RunExecutor(
                plan: plan, project: project, store: try RunStore(path: project.storePath), command: ["test"],
                observer: observer)
            return try executor.run()
        }

        func cleanUp() {
            try? FileManager.default.removeItem(at: directory)
        }
    }

    /// Collects the lines commands print, as the terminal would show them.
    final class Lines: RunObserver, @unchecked Sendable {
        // @unchecked: `lines` is only touched while holding `lock`.
        private let lock = NSLock()
        private var collected: [String] = []
        var lines: [String] { lock.withLock { collected } }

        func stepStarted(_ index: Int, of count: Int, name: String) {}
        func stepFinished(_ record: StepRecord) {}
        func training(_ event: TrainingEvent) {}
        func warning(_ message: String) {}
        func commandOutput(_ line: String, step: String) { lock.withLock { collected.append("\(step): \(line)") } }
    }

    static func step(_ run: RunRecord, _ name: String) -> StepRecord? {
        run.steps.first { $0.name == name }
    }

    // MARK: What goes in

    @Test func theCommandGetsTheParametersAsJSONAndItsEnvironment() throws {
        let fixture = try Fixture(
            """
            ```params
            lr: 0.05
            epochs: 3
            name: "a b"
            hidden: [8, 4]
            fast: true
            ```

            ```step train
            run: cp "$ATHANOR_PARAMS" params.json; echo "$ATHANOR_RUN_ID $ATHANOR_STEP $GREETING $(pwd)" > env.txt
            env: {GREETING: hello}
            ```
            """)
        defer { fixture.cleanUp() }
        let run = try fixture.run(["epochs=5"])
        #expect(run.status == .succeeded, "\(run.steps)")
        let text = try #require(fixture.read("params.json"))
        let parameters = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(parameters["lr"] as? Double == 0.05)
        #expect(parameters["epochs"] as? Int == 5)
        #expect(parameters["name"] as? String == "a b")
        #expect(parameters["hidden"] as? [Int] == [8, 4])
        #expect(parameters["fast"] as? Bool == true)
        let directory = fixture.directory.standardizedFileURL.path
        #expect(fixture.read("env.txt") == "\(run.id) train hello \(directory)\n")
    }

    // MARK: What comes out

    @Test func metricsAndSeriesAreRecordedUnderTheStepsName() throws {
        let fixture = try Fixture(
            #"""
            ```step fit
            run: |
              for i in 0 1 2; do echo "{\"name\": \"loss\", \"value\": 0.$((9 - i)), \"step\": $i}" >> "$ATHANOR_METRICS"; done
              echo '{"name": "accuracy", "value": 0.5}' >> "$ATHANOR_METRICS"
              echo '{"name": "accuracy", "value": 0.75, "note": "last one wins"}' >> "$ATHANOR_METRICS"
              echo training done
            ```
            """#)
        defer { fixture.cleanUp() }
        let lines = Lines()
        let run = try fixture.run(observer: lines)
        #expect(run.status == .succeeded, "\(run.steps)")
        #expect(run.metrics == [MetricRecord(name: "fit.accuracy", value: 0.75)])
        #expect(
            run.series == [
                SeriesRecord(
                    name: "fit.loss", points: [RecordedPoint(0, 0.9), RecordedPoint(1, 0.8), RecordedPoint(2, 0.7)])
            ])
        #expect(Self.step(run, "fit")?.log == "training done\n")
        #expect(lines.lines == ["fit: training done"])
        let second = try fixture.run()
        #expect(second.steps.map(\.cache) == [.hit])
        #expect(second.metrics == run.metrics)
        #expect(second.series == run.series)
        #expect(Self.step(second, "fit")?.log == "training done\n")
    }

    @Test func aMillionPointSeriesIsRecordedCompletelyAndExactly() throws {
        let fixture = try Fixture(
            #"""
            ```step fit
            run: |
              awk 'BEGIN{for(i=0;i<1000000;i++) printf "{\"name\":\"loss\",\"value\":%d.5,\"step\":%d}\n", i, i}' >> "$ATHANOR_METRICS"
            ```
            """#)
        defer { fixture.cleanUp() }
        let expected = SeriesRecord(
            name: "fit.loss", points: (0..<1_000_000).map { RecordedPoint($0, Double($0) + 0.5) })
        let run = try fixture.run()
        #expect(run.status == .succeeded, "\(run.steps)")
        #expect(run.series.map(\.name) == ["fit.loss"])
        #expect(run.series.first?.points.first == RecordedPoint(0, 0.5))
        #expect(run.series.first?.points.last == RecordedPoint(999_999, 999_999.5))
        // SHA-256 of the points packed as Python's struct.pack("<qd", index, value) packs them.
        #expect(
            run.series.map(SeriesDigest.init) == [
                SeriesDigest(
                    name: "fit.loss", count: 1_000_000, last: RecordedPoint(999_999, 999_999.5),
                    sha256: "c53a216a8417f540ddd93c9c241d78af098c8e38b52cc7ac87e4c7edf2877ac6")
            ])
        #expect(run.series == [expected])

        // As the store keeps it, and as the cache gives it back.
        let stored = try #require(try RunStore(path: fixture.project.storePath).run(run.id))
        #expect(stored.series == [expected])
        let second = try fixture.run()
        #expect(second.steps.map(\.cache) == [.hit])
        #expect(second.series == [expected])
    }

    @Test func artifactsRoundTripThroughTheCache() throws {
        let fixture = try Fixture(
            """
            ```step train
            run: echo ran >> count.txt; mkdir -p out; echo weights > out/model.bin; echo curve > "$ATHANOR_OUTPUT/plot.svg"
            outputs: [out/model.bin]
            ```

            ```step use
            run: cat out/model.bin > copy.txt
            inputs: [out/model.bin]
            ```
            """)
        defer { fixture.cleanUp() }
        let first = try fixture.run()
        #expect(first.status == .succeeded, "\(first.steps)")
        #expect(first.artifacts.map(\.name) == ["out/model.bin", "plot.svg"])
        #expect(first.artifacts.first?.size == 8)
        // ATHANOR_OUTPUT was the run's own directory: its file lives on in the cache, and nothing is left.
        let objects = ObjectStore(directory: fixture.project.cacheDirectory)
        let plot = try #require(first.artifacts.last)
        #expect(try objects.get(plot.sha256) == Array("curve\n".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: fixture.project.temporaryDirectory.path) == [])
        #expect(
            !FileManager.default.fileExists(atPath: fixture.directory.appendingPathComponent(".athanor/outputs").path))

        try fixture.remove("out")
        let second = try fixture.run()
        #expect(second.steps.map(\.cache) == [.hit, .hit])
        #expect(fixture.read("count.txt") == "ran\n", "the command ran again")
        #expect(fixture.read("out/model.bin") == "weights\n")
        #expect(second.artifacts == first.artifacts)
    }

    @Test func aMissingOutputFailsTheStep() throws {
        let fixture = try Fixture(
            """
            ```step train
            run: "true"
            outputs: [model.bin]
            ```
            """)
        defer { fixture.cleanUp() }
        let run = try fixture.run()
        #expect(run.status == .failed)
        #expect(Self.step(run, "train")?.error == "outputs: the command did not write 'model.bin'")
    }

    // MARK: Cache keys

    @Test func theKeyChangesWithInputContentCommandTextAndParameters() throws {
        let notebook = """
            ```params
            seed: 1
            ```

            ```step count
            run: cat data/*.csv | wc -l
            inputs: [data/*.csv]
            timeout: 30
            ```
            """
        let fixture = try Fixture(notebook)
        defer { fixture.cleanUp() }
        try fixture.write("a\n", to: "data/a.csv")
        try fixture.write("b\n", to: "data/b.csv")
        let first = try fixture.run()
        #expect(first.status == .succeeded, "\(first.steps)")
        #expect(try fixture.run().steps.first?.cache == .hit)

        try fixture.write("b\nb\n", to: "data/b.csv")
        let changed = try #require(try fixture.run().steps.first)
        #expect(changed.cache == .miss)
        #expect(changed.explanation == "file 'data/b.csv' changed content")

        try fixture.write("c\n", to: "data/c.csv")
        #expect(try fixture.run().steps.first?.explanation == "it now reads file 'data/c.csv'")

        try fixture.write(notebook.replacingOccurrences(of: "wc -l", with: "wc -c"), to: "nb.md")
        let edited = try #require(try fixture.run().steps.first)
        #expect(edited.cache == .miss)
        #expect(edited.explanation?.hasPrefix("setting 'run' changed") == true)

        // The script reads every parameter from ATHANOR_PARAMS, named in its body or not.
        let reseeded = try #require(try fixture.run(["seed=2"]).steps.first)
        #expect(reseeded.cache == .miss)
        #expect(reseeded.explanation == "parameter 'seed' changed (1 → 2)")

        // How long the command may take does not change what it computes.
        try fixture.write(
            notebook.replacingOccurrences(of: "wc -l", with: "wc -c").replacingOccurrences(
                of: "timeout: 30", with: "timeout: 60"), to: "nb.md")
        #expect(try fixture.run(["seed=2"]).steps.first?.cache == .hit)
    }

    @Test func anInputThatMatchesNothingFailsTheStep() throws {
        let fixture = try Fixture(
            """
            ```step count
            run: "true"
            inputs: [data/*.csv, "scripts/**/*.py"]
            ```
            """)
        defer { fixture.cleanUp() }
        try fixture.write("x\n", to: "scripts/lib/a.py")
        let run = try fixture.run()
        #expect(run.status == .failed)
        #expect(Self.step(run, "count")?.error == "inputs: 'data/*.csv' matches no file")
    }

    @Test func globsMatchNestedFilesButNotHiddenOnes() throws {
        let fixture = try Fixture(
            """
            ```step count
            run: "true"
            inputs: ["src/**/*.py", config]
            ```
            """)
        defer { fixture.cleanUp() }
        try fixture.write("1", to: "src/main.py")
        try fixture.write("2", to: "src/lib/util.py")
        try fixture.write("3", to: "src/.hidden/skip.py")
        try fixture.write("4", to: "src/notes.txt")
        try fixture.write("5", to: "config/a.yaml")
        try fixture.write("6", to: "config/deep/b.yaml")
        _ = try fixture.run()
        // Every file the key holds shows in the explanation when all of them are new.
        let key = try #require(try fixture.run().steps.first?.cacheKey)
        try fixture.write("3!", to: "src/.hidden/skip.py")
        try fixture.write("4!", to: "src/notes.txt")
        #expect(try fixture.run().steps.first?.cacheKey == key)
        for path in ["src/main.py", "src/lib/util.py", "config/deep/b.yaml"] {
            try fixture.write("changed", to: path)
            let step = try #require(try fixture.run().steps.first)
            #expect(step.explanation == "file '\(path)' changed content")
        }
    }

    // MARK: Failures

    @Test func aFailingCommandStopsTheRunWithTheEndOfItsStandardError() throws {
        let fixture = try Fixture(
            """
            ```step train
            run: |
              echo starting
              for i in $(seq 1 30); do echo "trace $i" >&2; done
              echo "ValueError: bad shape" >&2
              exit 3
            ```

            ```step after
            run: touch after.txt
            ```
            """)
        defer { fixture.cleanUp() }
        let run = try fixture.run()
        #expect(run.status == .failed)
        let train = try #require(Self.step(run, "train"))
        let error = try #require(train.error)
        #expect(error.hasPrefix("the command exited with status 3; the end of its standard error:\n"))
        #expect(error.hasSuffix("trace 30\nValueError: bad shape"))
        #expect(!error.contains("trace 10\n"), "only the last lines")
        #expect(train.log?.hasPrefix("starting\ntrace 1\n") == true)
        #expect(Self.step(run, "after")?.status == .notRun)
        #expect(fixture.read("after.txt") == nil)
    }

    @Test func aCommandKilledByASignalFails() throws {
        let fixture = try Fixture(
            """
            ```step train
            run: kill -9 $$
            ```
            """)
        defer { fixture.cleanUp() }
        let run = try fixture.run()
        #expect(Self.step(run, "train")?.error?.hasPrefix("the command was killed by signal 9") == true)
    }

    @Test func theTimeoutKillsTheWholeProcessGroup() throws {
        let fixture = try Fixture(
            """
            ```step slow
            run: sleep 120 & echo $! > child.pid; sleep 120
            timeout: 0.5
            ```
            """)
        defer { fixture.cleanUp() }
        let started = Date()
        let run = try fixture.run()
        #expect(Date().timeIntervalSince(started) < 60, "the run waited for the command")
        #expect(run.status == .failed)
        #expect(
            Self.step(run, "slow")?.error
                == "the command timed out after 0.5 s; its process group was killed (nothing on standard error)")
        let pid = try #require(fixture.read("child.pid").flatMap { Int32($0.trimmingCharacters(in: .newlines)) })
        #expect(Self.isGone(pid), "the background child survived the timeout")
    }

    /// Whether `pid` has ended (a zombie awaiting its new parent's wait counts as ended).
    static func isGone(_ pid: Int32) -> Bool {
        for _ in 0..<100 {
            guard let stat = try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8) else { return true }
            // The state follows the command's name in parentheses: "123 (sleep) Z ...".
            if let close = stat.lastIndex(of: ")"), stat[stat.index(after: close)...].hasPrefix(" Z") { return true }
            usleep(50_000)
        }
        return false
    }

    @Test(arguments: [
        ("not json", "ATHANOR_METRICS:2: not valid JSON"),
        (#"{"value": 1}"#, #"ATHANOR_METRICS:2: "name" is missing"#),
        (#"{"name": "loss"}"#, #"ATHANOR_METRICS:2: "value" is missing"#),
        (#"{"name": "loss", "value": "high"}"#, #"ATHANOR_METRICS:2: "value" must be a number"#),
        (#"{"name": "loss", "value": 1, "step": 1.5}"#, #"ATHANOR_METRICS:2: "step" must be an integer"#),
        (#"{"name": "my loss", "value": 1}"#, "ATHANOR_METRICS:2: metric name 'my loss' must be"),
        ("[1, 2]", "ATHANOR_METRICS:2: not a JSON object"),
    ])
    func aMalformedMetricsLineIsAnErrorWithItsLineNumber(line: String, message: String) throws {
        let fixture = try Fixture(
            """
            ```step fit
            run: cat lines.jsonl >> "$ATHANOR_METRICS"
            ```
            """)
        try fixture.write(#"{"name": "ok", "value": 1}"# + "\n" + line + "\n", to: "lines.jsonl")
        defer { fixture.cleanUp() }
        let run = try fixture.run()
        #expect(run.status == .failed)
        let error = try #require(Self.step(run, "fit")?.error)
        #expect(error.hasPrefix(message), "\(error)")
        #expect(run.metrics.isEmpty)
    }

    // MARK: The log

    @Test func aHugeOutputKeepsItsHeadAndTail() throws {
        let fixture = try Fixture(
            """
            ```step chatty
            run: seq 1 200000
            ```
            """)
        defer { fixture.cleanUp() }
        let run = try fixture.run()
        #expect(run.status == .succeeded)
        let log = try #require(Self.step(run, "chatty")?.log)
        #expect(log.hasPrefix("1\n2\n3\n"))
        #expect(log.hasSuffix("199999\n200000\n"))
        #expect(log.contains("bytes of output cut …]\n"))
        #expect(log.utf8.count < 70_000)
    }
}
