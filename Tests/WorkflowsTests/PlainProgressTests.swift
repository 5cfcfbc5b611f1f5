import Engine
import Foundation
import TestSupport
import Testing
import Workflows

/// Progress in a log: a plain line per finished step, and one every 10 s while a step runs long.
@Suite struct PlainProgressTests {
    final class Clock: @unchecked Sendable {
        // @unchecked: tests drive it from one thread.
        var now = Date(timeIntervalSinceReferenceDate: 0)
    }

    @Test func aLongStepIsNeverSilentForMoreThanTenSeconds() {
        let console = CapturedConsole()
        let clock = Clock()
        let progress = PlainProgress(console: console, clock: { clock.now }, ticks: false)
        progress.stepStarted(1, of: 2, name: "data")
        clock.now += 0.25
        progress.stepFinished(
            StepRecord(name: "data", op: "load", cacheKey: "k", cache: .hit, seconds: 0.25, status: .succeeded))
        progress.stepStarted(2, of: 2, name: "model")
        clock.now += 4
        progress.training(TrainingEvent(epoch: 3, epochs: 200, loss: 0.5))
        clock.now += 6
        progress.training(TrainingEvent(epoch: 7, epochs: 200, loss: 0.31234))
        clock.now += 9
        progress.heartbeat()
        clock.now += 1
        progress.heartbeat()
        clock.now += 2
        progress.stepFinished(
            StepRecord(name: "model", op: "train", cacheKey: "k", cache: .miss, seconds: 22, status: .succeeded))
        #expect(
            console.error == """
                [1/2] data: cache hit, 0.25s
                [2/2] model: running, 10s, epoch 7/200, loss 0.3123
                [2/2] model: running, 20s, epoch 7/200, loss 0.3123
                [2/2] model: cache miss, 22s

                """)
        #expect(!console.error.contains("\u{1B}"))
    }

    @Test func aRunWithoutATerminalLogsEachStep() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.folder.write(trainingNotebook, to: "nb.md")
        let (invocation, console) = workspace.invocation("run nb.md")
        #expect(
            RunWorkflow(RunWorkflow.Options(notebook: workspace.folder.path("nb.md")), in: invocation).run() == .success
        )
        let lines = console.error.split(separator: "\n").map(String.init)
        let steps = lines.filter { $0.hasPrefix("[") }
        #expect(
            steps.map { $0.components(separatedBy: ", ").first ?? "" } == [
                "[1/4] data: cache miss", "[2/4] split: cache miss", "[3/4] model: cache miss",
                "[4/4] eval: cache miss",
            ], "\(console.error)")
    }
}

/// Issue 19: a sweep says which of its runs are running and their latest epoch.
@Suite struct SweepProgressTests {
    @Test func aSweepNamesItsRunningMembersAndTheirEpochs() {
        let console = CapturedConsole()
        let clock = PlainProgressTests.Clock()
        let board = SweepProgress(console: console, clock: { clock.now }, ticks: false)
        let first = board.member("ab12cd34 lr=0.1", showWarnings: true)
        let second = board.member("cd34ef56 lr=0.2", showWarnings: true)
        first.stepStarted(1, of: 2, name: "data")
        second.stepStarted(1, of: 2, name: "data")
        board.heartbeat()
        #expect(console.error.isEmpty, "nothing before the interval")
        first.stepFinished(
            StepRecord(name: "data", op: "load", cacheKey: "k", cache: .hit, seconds: 0.1, status: .succeeded))
        first.stepStarted(2, of: 2, name: "model")
        first.training(TrainingEvent(epoch: 12, epochs: 50, loss: 0.3))
        second.stepFinished(
            StepRecord(name: "data", op: "load", cacheKey: "k", cache: .miss, seconds: 0.1, status: .failed))
        clock.now += 10
        board.heartbeat()
        first.stepFinished(
            StepRecord(name: "model", op: "train", cacheKey: "k", cache: .miss, seconds: 9, status: .succeeded))
        clock.now += 10
        board.heartbeat()
        second.warning("object is damaged")
        #expect(
            console.error == """
                running: [ab12cd34 lr=0.1] model (2/2) epoch 12/50
                [cd34ef56 lr=0.2] athanor: warning: object is damaged

                """)
    }
}
