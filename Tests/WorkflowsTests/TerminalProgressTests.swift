import Engine
import Foundation
import Runs
import TestSupport
import Testing

@testable import Workflows

@Suite struct TerminalProgressTests {
    @Test func showsStepsEpochsAndWhyAStepReran() throws {
        let console = CapturedConsole(isTerminal: true)
        let progress = TerminalProgress(console: console)
        progress.stepStarted(2, of: 5, name: "mlp")
        progress.training(TrainingEvent(epoch: 10, epochs: 20, loss: 0.25))
        progress.stepFinished(
            StepRecord(
                name: "mlp", op: "train", cacheKey: "k", cache: .miss, seconds: 1.5, status: .succeeded,
                explanation: "setting 'lr' changed (0.1 → 0.2)"))
        progress.warning("object abc is damaged; recomputing")
        let text = console.error
        #expect(text.contains("[2/5] mlp …"))
        #expect(text.contains("\r\u{1B}[K[2/5] mlp  ██████████·········· epoch 10/20  loss 0.2500  0s"))
        #expect(text.contains("[2/5] mlp  miss 1.500s  (setting 'lr' changed (0.1 → 0.2))\n"))
        #expect(text.contains("\r\u{1B}[Kathanor: warning: object abc is damaged; recomputing\n"))
    }

    @Test func showsWhatACommandPrintsUnderItsStep() throws {
        let console = CapturedConsole(isTerminal: true)
        let progress = TerminalProgress(console: console)
        progress.stepStarted(1, of: 2, name: "train")
        progress.commandOutput("epoch 1", step: "train")
        progress.commandOutput("epoch 2", step: "train")
        progress.stepFinished(
            StepRecord(name: "train", op: "run", cacheKey: "k", cache: .miss, seconds: 0.5, status: .succeeded))
        let text = console.error
        #expect(text.hasPrefix("[1/2] train …\n  │ epoch 1\n  │ epoch 2\n"))
        #expect(text.hasSuffix("[1/2] train  miss 0.500s\n"))
    }

    @Test func theEpochLineGivesElapsedTimeAndAnEstimate() {
        #expect(TerminalProgress.timing(elapsed: 12.4, done: 10, of: 20) == "12s, about 12s left")
        #expect(TerminalProgress.timing(elapsed: 30, done: 1, of: 11) == "30s, about 5m00s left")
        #expect(TerminalProgress.timing(elapsed: 3, done: 0, of: 20) == "3s")
        #expect(TerminalProgress.timing(elapsed: 3, done: 20, of: 20) == "3s")
        #expect(TerminalProgress.duration(7530) == "2h05m")
        #expect(TerminalProgress.duration(.nan) == "0s")
        #expect(TerminalProgress.duration(1e300) == "277777h46m")
    }

    @Test func warningsWithoutATerminalAreInTheOneMessageStyle() {
        let console = CapturedConsole()
        QuietProgress(console: console, showWarnings: true, label: "ab12cd34 lr=0.1").warning("object is damaged")
        #expect(console.error == "[ab12cd34 lr=0.1] athanor: warning: object is damaged\n")
    }

    /// Boosting counts iterations, not epochs, and its line says so, as the MLP's says epochs.
    @Test func boostingShowsItsIterations() throws {
        let console = CapturedConsole(isTerminal: true)
        let progress = TerminalProgress(console: console)
        let x = (0..<60).map { [Double($0)] }
        let data = Dataset(
            features: Matrix(x), columns: [FeatureColumn(name: "x", kind: .numeric)],
            target: Target(name: "y", values: x.map { $0[0] < 30 ? 0 : 1 }, classNames: nil))
        progress.stepStarted(1, of: 1, name: "boost")
        _ = try Train.run(
            model: "gradient_boosting", settings: Settings(["iterations": .int(4), "min_leaf": .int(2)]), input: data,
            progress: progress.training)
        #expect(console.error.contains("████████████████████ iteration 4/4  loss "))
        #expect(!console.error.contains("epoch"))
    }
}
