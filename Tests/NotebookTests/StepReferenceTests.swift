import Notebook
import Testing

/// `STEP` and `STEP.OUTPUT`, read one way for the checker, the plan and the runner.
@Suite struct StepReferenceTests {
    @Test(arguments: [
        ("data", StepReference(step: "data")),
        ("split.train", StepReference(step: "split", output: "train")),
        ("prep-1.train_x", StepReference(step: "prep-1", output: "train_x")),
    ])
    func readsAStepAndItsOutput(text: String, expected: StepReference) {
        #expect(StepReference(text) == expected)
        #expect(StepReference(text)?.description == text)
    }

    @Test(arguments: ["", ".", "split.", ".train", "a.b.c", "split..train"])
    func refusesWhatIsNotAReference(text: String) {
        #expect(StepReference(text) == nil)
    }
}
