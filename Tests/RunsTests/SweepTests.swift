import Engine
import Foundation
import Notebook
import Runs
import Testing
import Workflows

/// Sweeps: the grid from `--sweep` options, the runs it makes in parallel, what they share, and how
/// they are compared.
@Suite struct SweepTests {
    static let listNotebook = """
        ```params
        layers: [8]
        name: adam
        seed: 1
        ```

        ```step data
        op: synthetic
        kind: blobs
        samples: 40
        seed: ${seed}
        ```
        """

    func notebook(_ source: String = ExecutorTests.notebook) -> Notebook {
        let (notebook, diagnostics) = NotebookChecker.check(source, path: "nb.md")
        #expect(!diagnostics.hasErrors, "\(diagnostics)")
        return notebook
    }

    func grid(_ options: [String], fixed: Set<String> = [], source: String = ExecutorTests.notebook) throws
        -> SweepGrid
    {
        switch SweepGrid.parse(options, in: notebook(source), fixed: fixed) {
        case .success(let grid): return grid
        case .failure(let problems): throw EngineError("\(problems.diagnostics.map(\.description))")
        }
    }

    func problems(_ options: [String], fixed: Set<String> = []) -> [Diagnostic] {
        guard case .failure(let problems) = SweepGrid.parse(options, in: notebook(), fixed: fixed) else { return [] }
        return problems.diagnostics
    }

    // MARK: The grid

    @Test func theGridHoldsEveryCombinationTheFirstAxisSlowest() throws {
        let grid = try grid(["test=0.2,0.3", "hidden=4,8,16"])
        #expect(grid.memberCount == 6)
        #expect(
            grid.members.map(\.label) == [
                "test=0.2 hidden=4", "test=0.2 hidden=8", "test=0.2 hidden=16",
                "test=0.3 hidden=4", "test=0.3 hidden=8", "test=0.3 hidden=16",
            ])
    }

    @Test func valuesTakeEachParametersDeclaredType() throws {
        let grid = try grid(["test=1, 0.5", "hidden=8"])
        #expect(grid.axes[0].values == [.double(1), .double(0.5)])
        #expect(grid.axes[1].values == [.int(8)])
        // As a run records them: a float stays a float.
        #expect(grid.axes[0].swept.values == ["1.0", "0.5"])
    }

    @Test func listValuesAreSeparatedByTheCommasOutsideBrackets() throws {
        let grid = try grid(["layers=[8],[16, 8]", "name=adam,sgd"], source: Self.listNotebook)
        #expect(grid.axes[0].values == [.list([.int(8)]), .list([.int(16), .int(8)])])
        #expect(grid.axes[1].values == [.string("adam"), .string("sgd")])
    }

    @Test func rangesAreLogOrEvenlySpaced() throws {
        let grid = try grid(["test=0.001..0.1:log5", "hidden=16..64:lin4"])
        #expect(grid.axes[0].values == [0.001, 0.00316228, 0.01, 0.0316228, 0.1].map(ParameterValue.double))
        #expect(grid.axes[0].logarithmic)
        #expect(grid.axes[1].values == [16, 32, 48, 64].map(ParameterValue.int))
        #expect(!grid.axes[1].logarithmic)
        let powers = try self.grid(["hidden=16..256:log5"])
        #expect(powers.axes[0].values == [16, 32, 64, 128, 256].map(ParameterValue.int))
    }

    @Test(arguments: [
        ("hiden=4,8", "declares no parameter 'hiden'"),
        ("hidden=4,x", "expected integer, the type of 'hidden', not 'x'"),
        ("hidden", "must be name=value"),
        ("hidden=4,,8", "expected values separated by commas"),
        ("hidden=4,8,4", "the value '4' is given twice"),
        ("hidden=1..3:lin5", "only 3 different whole numbers"),
        ("test=0..1:log3", "bounds above zero"),
        ("test=0.1..0.5:lin1", "at least 2"),
        ("test=a..b:lin3", "expected two numbers"),
        // A range without its spacing gets the one it most likely means.
        ("hidden=1..5", "a range needs its spacing and number of values, such as hidden=1..5:lin5"),
        ("test=0.01..0.5", "such as test=0.01..0.5:lin5 or test=0.01..0.5:log5"),
    ])
    func badSweepsAreClearErrors(option: String, message: String) {
        let found = problems([option])
        #expect(found.count == 1)
        #expect(found.first?.message.contains(message) == true, "\(found)")
    }

    @Test func anUnknownNameGetsADidYouMeanAndEveryProblemIsReported() {
        let found = problems(["hiden=4,8", "seed=x", "test=0.1", "test=0.2"])
        #expect(found.count == 3)
        #expect(found[0].suggestion == "hidden")
        #expect(found[0].description.hasPrefix("nb.md: error: '--sweep hiden'"))
        // An ill-typed value points at the parameter's declaration, FILE:LINE:COL.
        #expect(found[1].location?.line == 8)
        #expect(found[2].message.contains("given twice"))
    }

    @Test func aParameterCannotBeBothFixedAndSwept() {
        let found = problems(["hidden=4,8"], fixed: ["hidden"])
        #expect(found.first?.message.contains("both fixed by -p and swept") == true)
    }

    @Test func anAbsurdlyLargeGridIsRefused() {
        let found = problems(["test=0.1..0.9:lin50", "hidden=1..100:lin50"])
        #expect(found.first?.message.contains("2500 runs") == true)
    }

    // MARK: Running

    func run(_ fixture: ExecutorTests.Fixture, _ options: [String], jobs: Int) throws -> (
        SweepRunner, [SweepRunner.Outcome]
    ) {
        let source = try String(contentsOfFile: fixture.notebookPath, encoding: .utf8)
        let (notebook, _) = NotebookChecker.check(source, path: fixture.notebookPath)
        guard case .success(let grid) = SweepGrid.parse(options, in: notebook),
            case .success(let fixed) = ParameterOverrides.resolve([], in: notebook)
        else { throw EngineError("bad sweep") }
        let runner = try SweepRunner(
            notebook: notebook, fixed: fixed, grid: grid, project: fixture.project,
            store: try RunStore(path: fixture.project.storePath), command: ["test"], jobs: jobs)
        return (runner, runner.run())
    }

    @Test func stepsTheRunsShareAreComputedOnceAndEveryRunIsRecordedWithTheSweep() throws {
        let fixture = try ExecutorTests.Fixture()
        defer { fixture.remove() }
        let (runner, outcomes) = try run(fixture, ["hidden=4,8,16"], jobs: 3)
        #expect(runner.id.count == 8 && runner.id.hasPrefix("s"))
        let runs = outcomes.compactMap(\.run)
        #expect(runs.count == 3)
        #expect(runs.allSatisfy { $0.status == .succeeded && $0.sweep == runner.id })
        // data, split and linear read no swept parameter: one run computes each, the others wait and hit.
        for shared in ["data", "split", "linear"] {
            let misses = runs.filter { run in run.steps.first { $0.name == shared }?.cache == .miss }
            #expect(misses.count == 1, "\(shared) computed \(misses.count) times")
        }
        for own in ["mlp", "eval"] {
            #expect(runs.allSatisfy { run in run.steps.first { $0.name == own }?.cache == .miss })
        }
        #expect(runs.map { $0.parameters.first { $0.name == "hidden" }?.value } == ["4", "8", "16"])
        #expect(runs.allSatisfy { $0.parameters.first { $0.name == "hidden" }?.overridden == true })
        let stored = try RunStore(path: fixture.project.storePath).runs(sweep: runner.id)
        #expect(Set(stored.map(\.id)) == Set(runs.map(\.id)))
        #expect(stored.allSatisfy { $0.status == .succeeded })
    }

    @Test func aSweepGivesTheSameResultsAsRunningEachMemberAlone() throws {
        let fixture = try ExecutorTests.Fixture()
        defer { fixture.remove() }
        let (_, outcomes) = try run(fixture, ["hidden=4,8"], jobs: 2)
        let alone = try fixture.run(["hidden=8"], useCache: false)
        let member = try #require(outcomes.last?.run)
        #expect(Reproduction.differences(member, alone, tolerance: nil).isEmpty)
    }

    @Test func aFailedRunDoesNotStopTheOthers() throws {
        let fixture = try ExecutorTests.Fixture()
        defer { fixture.remove() }
        let source =
            ExecutorTests.notebook + """


                ```step check
                run: test ${hidden} -ne 8
                ```
                """
        try source.write(toFile: fixture.notebookPath, atomically: true, encoding: .utf8)
        let (_, outcomes) = try run(fixture, ["hidden=4,8,16"], jobs: 2)
        #expect(outcomes.map(\.succeeded) == [true, false, true])
        let failed = try #require(outcomes[1].run)
        #expect(failed.status == .failed)
        #expect(failed.steps.last?.name == "check" && failed.steps.last?.status == .failed)
        #expect(outcomes.compactMap(\.run).count == 3)
    }

    // MARK: Comparing

    @Test(arguments: [
        ("eval.accuracy", true), ("mlp.val_accuracy", true), ("eval.f1_macro", true), ("eval.r2", true),
        ("eval.log_loss", false), ("eval.rmse", false), ("mlp.loss", false), ("eval.mae", false),
    ])
    func theObjectivesDirectionFollowsItsName(metric: String, maximize: Bool) {
        #expect(SweepObjective.maximizes(metric) == maximize)
    }

    func record(_ id: String, hidden: Int, accuracy: Double, loss: Double) -> RunRecord {
        RunRecord(
            id: id, notebook: "nb.md", notebookSHA256: "x", notebookSource: "", title: nil, started: Date(),
            status: .succeeded, command: [],
            parameters: [
                RecordedParameter(name: "hidden", value: "\(hidden)", overridden: true),
                RecordedParameter(name: "seed", value: "1", overridden: false),
            ],
            metrics: [
                MetricRecord(name: "base.accuracy", value: 0.5), MetricRecord(name: "eval.accuracy", value: accuracy),
                MetricRecord(name: "eval.log_loss", value: loss),
            ],
            environment: EnvironmentRecord(
                toolVersion: "1", engineVersion: "1", os: "", cpuModel: "", cores: 1, gitCommit: nil, gitDirty: nil))
    }

    @Test func theDefaultObjectiveIsTheFirstMetricThatTellsTheRunsApart() throws {
        let runs = [
            record("a", hidden: 4, accuracy: 0.8, loss: 0.3), record("b", hidden: 8, accuracy: 0.9, loss: 0.4),
            record("c", hidden: 16, accuracy: 0.7, loss: 0.2),
        ]
        let objective = try #require(SweepObjective.chosen(for: runs))
        #expect(objective.metric == "eval.accuracy" && objective.maximize)
        #expect(objective.best(of: runs)?.id == "b")
        let scored = notebook(
            ExecutorTests.notebook.replacingOccurrences(of: "[accuracy, confusion]", with: "[accuracy, log_loss]"))
        guard case .success(let loss) = SweepObjective.parse("eval.log_loss", direction: nil, in: scored) else {
            Issue.record("eval.log_loss refused")
            return
        }
        #expect(!loss.maximize)
        #expect(loss.best(of: runs)?.id == "c")
        guard case .success(let forced) = SweepObjective.parse("eval.log_loss:max", direction: nil, in: scored)
        else {
            Issue.record("eval.log_loss:max refused")
            return
        }
        #expect(forced.best(of: runs)?.id == "b")
        guard case .failure(let problem) = SweepObjective.parse("evl.accuracy", direction: nil, in: notebook()) else {
            Issue.record("an unknown step was accepted")
            return
        }
        #expect(problem.suggestion == "eval.accuracy")
    }

    @Test func diffOfSeveralRunsShowsOnlyWhatDiffers() {
        let runs = [
            record("a", hidden: 4, accuracy: 0.8, loss: 0.3), record("b", hidden: 8, accuracy: 0.9, loss: 0.3),
            record("c", hidden: 16, accuracy: 0.7, loss: 0.3),
        ]
        let text = RunText.diff(runs, all: false)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(
            lines.first?.split(separator: " ", omittingEmptySubsequences: true) == ["RUN", "hidden", "eval.accuracy"])
        #expect(lines.count == 4)
        #expect(lines[2].split(separator: " ", omittingEmptySubsequences: true) == ["b", "8", "0.9"])
        #expect(!text.contains("seed") && !text.contains("log_loss") && !text.contains("base.accuracy"))
        #expect(RunText.diff(runs, all: true).contains("log_loss"))
    }

    @Test func sweptParametersAreFoundAgainInRecordedRuns() {
        let runs = [
            record("a", hidden: 64, accuracy: 0.8, loss: 0.3), record("b", hidden: 2, accuracy: 0.9, loss: 0.3),
            record("c", hidden: 64, accuracy: 0.7, loss: 0.3),
        ]
        let swept = SweptParameter.differing(in: runs)
        #expect(swept == [SweptParameter(name: "hidden", values: ["2", "64"], logarithmic: true)])
    }
}
