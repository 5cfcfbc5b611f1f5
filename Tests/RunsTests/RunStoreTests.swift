import Engine
import Foundation
// GRDB is used directly only to doctor a store the way a newer Athanor would.
import GRDB
import Runs
import Synchronization
import Testing
import Workflows

@Suite struct RunStoreTests {
    @Test func aFullRecordComesBackEqual() throws {
        try withStore { store in
            let run = fullRun(id: "3f9a7c21e8b04d55")
            try store.save(run)
            let loaded = try store.run(run.id)
            #expect(loaded == run)
            // Dates come back bit for bit, not merely to the millisecond.
            #expect(loaded?.started.timeIntervalSinceReferenceDate == run.started.timeIntervalSinceReferenceDate)
            #expect(try store.run("3f9a") == nil)
        }
    }

    @Test func notANumberComesBackAsNotANumber() throws {
        try withStore { store in
            var run = fullRun(id: "nan")
            run.series = [SeriesRecord(name: "mlp.loss", points: [RecordedPoint(0, 2.3), RecordedPoint(1, .nan)])]
            run.metrics = [
                MetricRecord(name: "eval.roc_auc", value: .nan),
                MetricRecord(name: "eval.confusion", value: nil, json: #"{"labels":[],"matrix":[]}"#),
            ]
            run.steps[0].seconds = .nan
            try store.save(run)
            let loaded = try #require(try store.run("nan"))
            #expect(loaded.series[0].points.map(\.index) == [0, 1])
            #expect(loaded.series[0].points[1].value.isNaN)
            #expect(loaded.metrics[0].value?.isNaN == true)
            #expect(loaded.metrics[1].value == nil)
            #expect(loaded.steps[0].seconds.isNaN)
        }
    }

    @Test func savingAgainReplacesTheWholeRecord() throws {
        try withStore { store in
            var run = fullRun(id: "a1b2c3d4")
            run.status = .running
            run.finished = nil
            try store.save(run)

            var finished = run
            finished.status = .failed
            finished.finished = run.started.addingTimeInterval(12.5)
            finished.steps = [
                StepRecord(
                    name: "data", op: "load", cacheKey: "k", cache: .hit, seconds: 0.1, status: .failed, error: "boom")
            ]
            finished.series = [SeriesRecord(name: "mlp.loss", points: [RecordedPoint(7, 0.5)])]
            finished.artifacts = []
            finished.parameters.removeLast()
            try store.save(finished)

            #expect(try store.run(run.id) == finished)
            #expect(try store.runs().map(\.id) == [run.id])
        }
    }

    @Test func savingTheReportChangesTheReportAlone() throws {
        try withStore { store in
            var run = fullRun(id: "r1")
            run.report = nil
            try store.save(run)
            // A copy taken before the run's last step, as a `render` while the run goes on holds it.
            var earlier = run
            earlier.steps.removeLast()
            earlier.report = ".athanor/reports/r1.html"
            try store.saveReport(of: earlier)
            var expected = run
            expected.report = ".athanor/reports/r1.html"
            #expect(try store.run("r1") == expected)

            // A run not recorded yet is recorded whole.
            var other = fullRun(id: "r2")
            other.report = "r2.html"
            try store.saveReport(of: other)
            #expect(try store.run("r2") == other)
        }
    }

    @Test func aPrefixResolvesAsInGit() throws {
        try withStore { store in
            let ids = ["ab12cd34", "ab9f0e11", "cd07aa00", "e1", "e2", "e3", "e4", "e5", "e6", "e7", "f0", "f0a"]
            for id in ids {
                try store.save(fullRun(id: id))
            }
            #expect(try store.resolve("cd") == "cd07aa00")
            #expect(try store.resolve("ab1") == "ab12cd34")
            #expect(try store.resolve("ab9f0e11") == "ab9f0e11")
            // A full id wins over the longer ids it abbreviates.
            #expect(try store.resolve("f0") == "f0")

            #expect(throws: RunStoreError.unknownRun("abc")) { try store.resolve("abc") }
            #expect(throws: RunStoreError.emptyPrefix) { try store.resolve("") }
            let ambiguous = #expect(throws: RunStoreError.self) { try store.resolve("ab") }
            #expect(ambiguous?.description == "run prefix 'ab' is ambiguous: ab12cd34, ab9f0e11")
            let many = #expect(throws: RunStoreError.self) { try store.resolve("e") }
            #expect(many?.description == "run prefix 'e' is ambiguous: e1, e2, e3, e4, e5 and 2 more")
            #expect(RunStoreError.unknownRun("abc").description == "no run 'abc'")
        }
    }

    @Test func runsAreListedNewestFirstAndFiltered() throws {
        try withStore { store in
            let start = Date(timeIntervalSinceReferenceDate: 790_000_000)
            for number in 0..<6 {
                var run = fullRun(id: "run\(number)")
                run.started = start.addingTimeInterval(Double(number))
                run.notebook = number.isMultiple(of: 2) ? "digits.md" : "iris.md"
                run.sweep = number >= 3 ? "sweep1" : nil
                try store.save(run)
            }
            #expect(try store.runs().map(\.id) == ["run5", "run4", "run3", "run2", "run1", "run0"])
            #expect(try store.runs(notebook: "digits.md").map(\.id) == ["run4", "run2", "run0"])
            #expect(try store.runs(sweep: "sweep1").map(\.id) == ["run5", "run4", "run3"])
            #expect(try store.runs(notebook: "iris.md", sweep: "sweep1").map(\.id) == ["run5", "run3"])
            #expect(try store.runs(notebook: "none.md").isEmpty)
            // Listing returns the same full records as fetching one by one.
            #expect(try store.runs() == ["run5", "run4", "run3", "run2", "run1", "run0"].map { try store.run($0) })
        }
    }

    @Test func deletingARunForgetsAllOfIt() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent(".athanor/runs.sqlite").path
            let store = try RunStore(path: path)
            try store.save(fullRun(id: "keep"))
            try store.save(fullRun(id: "drop"))
            try store.save(fullRun(id: "drop"))
            try store.delete("drop")
            try store.delete("never-was")
            #expect(try store.run("drop") == nil)
            #expect(try store.runs().map(\.id) == ["keep"])
            #expect(try store.run("keep") == fullRun(id: "keep"))

            // Nothing of the replaced or deleted run is left behind. Points are in `series` since schema v4;
            // `series_points` holds only those of runs saved before (see SeriesAtScaleTests).
            let tables = [
                "runs", "parameters", "steps", "datasets", "metrics", "series", "series_points", "artifacts",
            ]
            let counts = try DatabaseQueue(path: path).read { db in
                try tables.map { try Int.fetchOne(db, sql: "SELECT count(*) FROM \($0)") ?? -1 }
            }
            #expect(counts == [1, 3, 3, 1, 3, 3, 0, 2])
        }
    }

    @Test func aRunRecordedBeforeTheBLASKernelWasLoadsWithoutOne() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent(".athanor/runs.sqlite").path
            var run = fullRun(id: "old")
            try RunStore(path: path).save(run)
            // What the previous version left: the store before migration v3, the run without a kernel.
            do {
                let queue = try DatabaseQueue(path: path)
                try queue.write { db in
                    try db.execute(
                        sql: """
                            ALTER TABLE runs DROP COLUMN blas_kernel;
                            ALTER TABLE runs DROP COLUMN blas_kernel_source;
                            DELETE FROM grdb_migrations WHERE identifier = 'v3';
                            """)
                }
            }
            run.environment.blasKernel = nil
            #expect(try RunStore(path: path).run("old") == run)
        }
    }

    @Test(arguments: [BLASKernelRecord.Source.athanor, .user, .blis])
    func theBLASKernelAndWhoChoseItComeBack(source: BLASKernelRecord.Source) throws {
        try withStore { store in
            var run = fullRun(id: "k")
            run.environment.blasKernel = BLASKernelRecord(name: "zen3", source: source)
            try store.save(run)
            #expect(try store.run("k")?.environment.blasKernel == BLASKernelRecord(name: "zen3", source: source))
        }
    }

    @Test func theJSONEnvironmentHoldsTheBLASKernel() throws {
        let environment = try #require(RunJSON.object(fullRun(id: "j"))["environment"])
        #expect(
            RunJSON.text(environment) == """
                {
                  "blas_kernel" : {
                    "chosen_by" : "athanor",
                    "name" : "skx"
                  },
                  "cores" : 2,
                  "cpu_model" : "Intel Xeon",
                  "engine_version" : "1",
                  "git_commit" : "0123456789abcdef0123456789abcdef01234567",
                  "git_dirty" : true,
                  "os" : "Debian GNU/Linux 12",
                  "tool_version" : "0.1.0"
                }
                """)
        var old = fullRun(id: "o")
        old.environment.blasKernel = nil
        let oldEnvironment = try #require(RunJSON.object(old)["environment"] as? [String: Any])
        #expect(oldEnvironment["blas_kernel"] is NSNull)
    }

    @Test func aReproductionOnAnotherKernelSaysSoAfterItsDifferences() {
        let original = fullRun(id: "a")
        var reproduced = fullRun(id: "b")
        reproduced.environment.blasKernel = BLASKernelRecord(name: "zen3", source: .athanor)
        // The same results: nothing to explain.
        #expect(Reproduction.differences(original, reproduced, tolerance: nil) == [])
        reproduced.metrics[0].value = 0.972_222_222_222_222_3
        #expect(
            Reproduction.differences(original, reproduced, tolerance: nil) == [
                "metric eval.accuracy: 0.9722222222222222 → 0.9722222222222223 (difference 1.1102230246251565e-16)",
                "different BLAS kernel (recorded skx, now zen3)",
            ])
        // The same kernel, or a run recorded before kernels were: no note.
        reproduced.environment.blasKernel = BLASKernelRecord(name: "skx", source: .user)
        #expect(Reproduction.differences(original, reproduced, tolerance: nil).count == 1)
        var old = original
        old.environment.blasKernel = nil
        #expect(Reproduction.differences(old, reproduced, tolerance: nil).count == 1)
    }

    @Test func aStoreOfANewerVersionIsRefusedAndLeftAlone() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent(".athanor/runs.sqlite").path
            try RunStore(path: path).save(fullRun(id: "old"))
            // What a newer Athanor leaves: a migration this version has never heard of.
            do {
                let queue = try DatabaseQueue(path: path)
                try queue.write { db in
                    try db.execute(sql: "INSERT INTO grdb_migrations (identifier) VALUES ('v999')")
                }
            }
            let before = try Data(contentsOf: URL(fileURLWithPath: path))

            let error = #expect(throws: RunStoreError.newerVersion(path: path)) { try RunStore(path: path) }
            #expect(
                error?.description
                    == "\(path) was written by a newer version of Athanor; upgrade athanor to read it")
            #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
        }
    }

    @Test func aCorruptedFileIsReportedWithItsPath() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent("runs.sqlite").path
            let garbage = Data((0..<8192).map { UInt8(truncatingIfNeeded: $0 &* 37 &+ 11) })
            try garbage.write(to: URL(fileURLWithPath: path))

            let error = #expect(throws: RunStoreError.self) { try RunStore(path: path) }
            guard case .corrupted(let named, _) = error else {
                Issue.record("expected a corrupted store, got \(String(describing: error))")
                return
            }
            #expect(named == path)
            #expect(error?.description.hasPrefix("\(path) is not a readable run store") == true)
        }
    }

    @Test func aFileInPlaceOfTheDirectoryIsReported() throws {
        try withTemporaryDirectory { directory in
            let athanor = directory.appendingPathComponent(".athanor")
            try Data("not a directory".utf8).write(to: athanor)
            let path = athanor.appendingPathComponent("runs.sqlite").path

            let error = #expect(throws: RunStoreError.self) { try RunStore(path: path) }
            #expect(
                error?.description
                    == "cannot create the directory '\(athanor.path)' for the run store: "
                    + "'\(athanor.path)' is a file, not a directory")
        }
    }

    // Root writes through any permission bits, so chmod cannot make a directory read-only for it: this test
    // only means something, and only runs, as an ordinary user.
    @Test(.enabled(if: getuid() != 0, "root ignores permission bits"))
    func aReadOnlyDirectoryOrFileIsReportedWithItsPath() throws {
        try withTemporaryDirectory { directory in
            let files = FileManager.default
            let locked = directory.appendingPathComponent("locked")
            try files.createDirectory(at: locked, withIntermediateDirectories: true)
            try files.setAttributes([.posixPermissions: 0o555], ofItemAtPath: locked.path)
            defer { try? files.setAttributes([.posixPermissions: 0o755], ofItemAtPath: locked.path) }

            let fresh = locked.appendingPathComponent(".athanor/runs.sqlite").path
            #expect(throws: RunStoreError.readOnly(path: locked.path)) { try RunStore(path: fresh) }

            let existing = directory.appendingPathComponent("runs.sqlite").path
            try RunStore(path: existing).save(fullRun(id: "saved"))
            try files.setAttributes([.posixPermissions: 0o444], ofItemAtPath: existing)
            let error = #expect(throws: RunStoreError.readOnly(path: existing)) { try RunStore(path: existing) }
            #expect(error?.description == "cannot write the run store: '\(existing)' is read-only")
        }
    }

    @Test func severalStoresSaveIntoOneFileAtOnce() throws {
        try withTemporaryDirectory { directory in
            let path = directory.appendingPathComponent(".athanor/runs.sqlite").path
            let failures = Mutex<[String]>([])
            // Each worker opens its own store, as a separate process would, on a file that does not exist yet.
            DispatchQueue.concurrentPerform(iterations: 4) { worker in
                do {
                    let store = try RunStore(path: path)
                    for number in 0..<25 {
                        try store.save(fullRun(id: "w\(worker)-\(number)"))
                    }
                } catch {
                    failures.withLock { $0.append("worker \(worker): \(error)") }
                }
            }
            #expect(failures.withLock { $0 } == [])
            let runs = try RunStore(path: path).runs()
            #expect(runs.count == 100)
            #expect(runs.allSatisfy { $0 == fullRun(id: $0.id) })
        }
    }

    @Test func aHundredThousandPointsComeBackEqual() throws {
        try withStore { store in
            var run = RunRecord.minimal(id: "long")
            run.series = [
                SeriesRecord(
                    name: "mlp.loss", points: (0..<60_000).map { RecordedPoint($0, 1 / Double($0 + 1)) }),
                SeriesRecord(
                    name: "mlp.val_loss", points: (0..<40_000).map { RecordedPoint($0 / 2, sin(Double($0))) }),
            ]
            try store.save(run)
            #expect(try store.run("long") == run)
            run.series[1].points.removeLast(20_000)
            try store.save(run)
            #expect(try store.run("long") == run)
        }
    }
}

/// Runs `body` with a store in a directory of its own, removed afterwards.
private func withStore(_ body: (RunStore) throws -> Void) throws {
    try withTemporaryDirectory { directory in
        try body(try RunStore(path: directory.appendingPathComponent(".athanor/runs.sqlite").path))
    }
}

private func withTemporaryDirectory(_ body: (URL) throws -> Void) throws {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("athanor-store-\(UUID())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: directory) }
    try body(directory)
}

/// A run with every field set, fractions of a second in its dates and a NUL in its notebook.
private func fullRun(id: String) -> RunRecord {
    let started = Date(timeIntervalSinceReferenceDate: 791_234_567.123_456_7)
    return RunRecord(
        id: id, notebook: "notebooks/digits.md", notebookSHA256: String(repeating: "ab", count: 32),
        notebookSource: "---\ntitle: Digits\n---\n\nA NUL \u{0} and é, 数字.\n", title: "Digits — MLP",
        started: started, finished: started.addingTimeInterval(83.004_2), status: .succeeded,
        command: ["athanor", "run", "digits.md", "-p", "lr=0.1", "name with spaces \"quoted\""],
        parameters: [
            RecordedParameter(name: "lr", value: "0.1", overridden: true),
            RecordedParameter(name: "hidden", value: "[64, 32]", overridden: false),
            RecordedParameter(name: "optimizer", value: #""adam""#, overridden: false),
        ],
        steps: [
            StepRecord(name: "data", op: "load", cacheKey: "c0ffee", cache: .hit, seconds: 0.012, status: .succeeded),
            StepRecord(
                name: "mlp", op: "train", cacheKey: "beef", cache: .miss, seconds: 41.5, status: .succeeded,
                explanation: "parameter 'lr' changed (0.05 → 0.1)"),
            StepRecord(
                name: "script", op: "run", cacheKey: "f00d", cache: nil, seconds: 0, status: .notRun,
                error: "exit status 1\nTraceback…"),
        ],
        datasets: [
            DatasetRecord(
                step: "data", path: "data/digits.csv", sha256: "12ab", rows: 1797, columns: 65, bytes: 264_000)
        ],
        metrics: [
            MetricRecord(name: "eval.accuracy", value: 0.972_222_222_222_222_2),
            MetricRecord(name: "eval.log_loss", value: .infinity),
            MetricRecord(
                name: "eval.confusion", value: nil, json: #"{"labels": ["0", "1"], "matrix": [[35, 1], [0, 36]]}"#),
        ],
        series: [
            SeriesRecord(
                name: "mlp.loss", points: [RecordedPoint(0, 2.302_585), RecordedPoint(1, 0.91), RecordedPoint(2, 0.4)]),
            SeriesRecord(
                name: "mlp.val_accuracy", points: [RecordedPoint(0, 0.5), RecordedPoint(0, 0.6), RecordedPoint(5, 1)]),
            SeriesRecord(name: "mlp.empty", points: []),
        ],
        artifacts: [
            ArtifactRecord(step: "predict", name: "predictions.csv", sha256: "99ff", size: 4096),
            ArtifactRecord(step: "script", name: "model.pt", sha256: "77ee", size: 1 << 33),
        ],
        environment: EnvironmentRecord(
            toolVersion: "0.1.0", engineVersion: "1", os: "Debian GNU/Linux 12", cpuModel: "Intel Xeon", cores: 2,
            gitCommit: "0123456789abcdef0123456789abcdef01234567", gitDirty: true,
            blasKernel: BLASKernelRecord(name: "skx", source: .athanor)),
        report: ".athanor/reports/\(id).html", sweep: "sweep-7")
}

extension RunRecord {
    /// A run with only what is required, and every optional left out.
    fileprivate static func minimal(id: String) -> RunRecord {
        RunRecord(
            id: id, notebook: "nb.md", notebookSHA256: "00", notebookSource: "", title: nil,
            started: Date(timeIntervalSinceReferenceDate: 0), command: [], parameters: [],
            environment: EnvironmentRecord(
                toolVersion: "0", engineVersion: "0", os: "", cpuModel: "", cores: 1, gitCommit: nil, gitDirty: nil))
    }
}
