import Engine
import Foundation
import Runs
import TestSupport
import Testing
import Workflows

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
        #expect(text.contains("██████████·········· epoch 10/20  loss 0.2500"))
        #expect(text.contains("[2/5] mlp  miss 1.500s  (setting 'lr' changed (0.1 → 0.2))\n"))
        #expect(text.contains("warning: object abc is damaged; recomputing\n"))
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
