import Engine
import Foundation
import Notebook
import Runs
import Synchronization
import Testing

/// What a run does when the cache is damaged or cannot be written: it recomputes, warns and succeeds
/// (issue 12, items 9 and 10), and a model too large to train fails its step with the sizes (item 8).
@Suite struct CacheDamageTests {
    /// Keeps every warning a run gives.
    final class Warnings: RunObserver {
        let messages = Mutex<[String]>([])
        func stepStarted(_ index: Int, of count: Int, name: String) {}
        func stepFinished(_ record: StepRecord) {}
        func training(_ event: TrainingEvent) {}
        func warning(_ message: String) { messages.withLock { $0.append(message) } }
        var all: [String] { messages.withLock { $0 } }
    }

    /// Runs the fixture's notebook with an observer, as `ExecutorTests.Fixture.run` does without one.
    static func run(_ fixture: ExecutorTests.Fixture, observer: Warnings) throws -> RunRecord {
        let source = try String(contentsOfFile: fixture.notebookPath, encoding: .utf8)
        let (notebook, diagnostics) = NotebookChecker.check(source, path: fixture.notebookPath)
        #expect(!diagnostics.hasErrors, "\(diagnostics)")
        guard case .success(let resolved) = ParameterOverrides.resolve([], in: notebook) else {
            throw EngineError("bad overrides")
        }
        let executor = try RunExecutor(
            plan: RunPlan(notebook: notebook, parameters: resolved.values, overridden: resolved.overridden),
            project: fixture.project, store: try RunStore(path: fixture.project.storePath),
            command: ["test"], observer: observer)
        return try executor.run()
    }

    func cacheDirectory(_ fixture: ExecutorTests.Fixture) -> String { fixture.project.cacheDirectory.path }

    @Test func aReferenceCopiedOverAnotherIsAMissWithAWarning() throws {
        let fixture = try ExecutorTests.Fixture()
        defer { fixture.remove() }
        let first = try fixture.run()
        let key = { (run: RunRecord, step: String) in run.steps.first { $0.name == step }?.cacheKey ?? "" }
        let linear = key(first, "linear")
        let mlp = key(first, "mlp")
        // The logistic model's entry now stands under the MLP's key.
        let references = cacheDirectory(fixture) + "/refs/"
        try FileManager.default.removeItem(atPath: references + mlp)
        try FileManager.default.copyItem(atPath: references + linear, toPath: references + mlp)

        let warnings = Warnings()
        let second = try Self.run(fixture, observer: warnings)
        #expect(
            warnings.all == [
                "the cache entry that key \(mlp.prefix(12)) names was made for key \(linear.prefix(12)), "
                    + "not for step 'mlp'; recomputing"
            ])
        #expect(fixture.cache(second) == ["data": .hit, "split": .hit, "linear": .hit, "mlp": .miss, "eval": .hit])
        #expect(second.metrics == first.metrics)
        #expect(second.series == first.series)
        // Recomputing put the right entry back.
        #expect(fixture.cache(try fixture.run())["mlp"] == .hit)
    }

    @Test func aCacheThatCannotBeWrittenRunsUncachedWithAWarning() throws {
        let fixture = try ExecutorTests.Fixture()
        defer { fixture.remove() }
        let expected = try ExecutorTests.Fixture()
        defer { expected.remove() }
        let normal = try expected.run()
        // A file where the objects' directory should be: no object can be stored (root ignores permissions).
        let objects = cacheDirectory(fixture) + "/objects"
        try FileManager.default.createDirectory(atPath: cacheDirectory(fixture), withIntermediateDirectories: true)
        try Data("not a directory".utf8).write(to: URL(fileURLWithPath: objects))

        for reason in ["no earlier run of this step", "its cache entry was missing or damaged"] {
            let warnings = Warnings()
            let run = try Self.run(fixture, observer: warnings)
            #expect(run.status == .succeeded)
            #expect(run.steps.allSatisfy { $0.cache == .miss && $0.status == .succeeded })
            let problem = "cannot write to \(objects): Not a directory"
            #expect(warnings.all == run.steps.map { "\(problem); step '\($0.name)' runs without the cache" })
            #expect(
                run.steps.first?.explanation
                    == "\(reason); its results were not cached (\(problem))")
            #expect(run.metrics == normal.metrics)
            #expect(run.datasets == normal.datasets)
            #expect(run.series == normal.series)
        }
    }

    @Test func anObjectReplacedByADirectoryIsRecomputedAndHealed() throws {
        let fixture = try ExecutorTests.Fixture()
        defer { fixture.remove() }
        let first = try fixture.run()
        let mlp = try #require(first.steps.first { $0.name == "mlp" }?.cacheKey)
        let objects = ObjectStore(directory: fixture.project.cacheDirectory)
        let entry = try #require(try objects.reference(mlp))
        let path = try objects.path(of: entry)
        try FileManager.default.removeItem(atPath: path)
        try FileManager.default.createDirectory(atPath: path + "/stray", withIntermediateDirectories: true)

        let warnings = Warnings()
        let second = try Self.run(fixture, observer: warnings)
        #expect(second.status == .succeeded)
        #expect(warnings.all == ["cannot read \(path): Is a directory; recomputing"])
        #expect(fixture.cache(second)["mlp"] == .miss)
        #expect(second.metrics == first.metrics)
        let third = try Self.run(fixture, observer: Warnings())
        #expect(third.steps.allSatisfy { $0.cache == .hit })
    }

    @Test(.enabled(if: MemoryEstimate.limit < 320_800_156_848, "the machine has memory for the model"))
    func aHundredMillionHiddenUnitsFailTheStepWithTheSizes() throws {
        let fixture = try ExecutorTests.Fixture()
        defer { fixture.remove() }
        try """
        ```step data
        op: synthetic
        kind: blobs
        samples: 200
        features: 64
        seed: 1
        ```

        ```step mlp
        op: train
        model: mlp
        input: data
        hidden: [100000000]
        ```
        """.write(to: URL(fileURLWithPath: fixture.notebookPath), atomically: true, encoding: .utf8)
        let run = try fixture.run()
        #expect(run.status == .failed)
        #expect(
            run.steps.last?.error
                == "an MLP with layers 64 → 100000000 → 2 needs about 320.8 GB (weights, gradients and optimizer "
                + "state 160.8 GB; activations for a batch of 200 rows 160.0 GB; the training data in single "
                + "precision 102.4 kB), more than this machine's \(MemoryEstimate.text(MemoryEstimate.limit)) of "
                + "memory; use smaller 'hidden' layers or a smaller 'batch'")
    }
}
