import Engine
import Foundation
import Runs
import Testing

@Suite struct TerminalProgressTests {
    @Test func showsStepsEpochsAndWhyAStepReran() throws {
        let pipe = Pipe()
        let progress = TerminalProgress(output: pipe.fileHandleForWriting)
        progress.stepStarted(2, of: 5, name: "mlp")
        progress.training(TrainingEvent(epoch: 10, epochs: 20, loss: 0.25))
        progress.stepFinished(
            StepRecord(
                name: "mlp", op: "train", cacheKey: "k", cache: .miss, seconds: 1.5, status: .succeeded,
                explanation: "setting 'lr' changed (0.1 → 0.2)"))
        progress.warning("object abc is damaged; recomputing")
        try pipe.fileHandleForWriting.close()
        let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        #expect(text.contains("[2/5] mlp …"))
        #expect(text.contains("██████████·········· epoch 10/20  loss 0.2500"))
        #expect(text.contains("[2/5] mlp  miss 1.500s  (setting 'lr' changed (0.1 → 0.2))\n"))
        #expect(text.contains("warning: object abc is damaged; recomputing\n"))
    }
}
