import Engine
import Foundation
import Notebook
import Runs
import Testing

/// Issue 12's newcomer's list: what `check` and a sweep's `--objective` must refuse before anything runs.
@Suite struct NewcomerCheckTests {
    static let source = """
        ```step data
        op: synthetic
        kind: blobs
        ```

        ```step split
        op: split
        input: data
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
        metrics: [accuracy, confusion]
        ```
        """

    static var notebook: Notebook { NotebookChecker.check(source, path: "nb.md").notebook }

    func errors(_ source: String) -> [String] {
        NotebookChecker.check(source, path: "nb.md").diagnostics.filter { $0.severity == .error }.map(\.description)
    }

    @Test func aMatrixIsNoInlineResult() {
        let prose = Self.source + "\n\nThe matrix: `=eval.confusion`, the accuracy: `=eval.accuracy`.\n"
        #expect(
            errors(prose) == [
                "nb.md:24:14: error: inline result `=eval.confusion`: 'confusion' is a matrix, not a number; "
                    + "the report shows it under step 'eval'"
            ])
    }

    @Test func aCommandMustBeText() {
        #expect(errors("```step fetch\nrun: true\n```\n") == ["nb.md:2:6: error: 'run' must be text, not true"])
        #expect(errors("```step fetch\nrun: echo hi\n```\n").isEmpty)
    }

    func objectiveProblem(_ text: String, direction: Bool? = nil) -> String? {
        guard case .failure(let problem) = SweepObjective.parse(text, direction: direction, in: Self.notebook) else {
            return nil
        }
        return problem.description
    }

    @Test func anObjectiveMustNameARecordedNumberAndADirection() {
        #expect(
            objectiveProblem("eval.accuracy:sideways")
                == "athanor: error: '--objective eval.accuracy:sideways': the direction after ':' must be max or min, "
                + "not 'sideways'")
        #expect(
            objectiveProblem("eval.acuracy")
                == "nb.md: error: '--objective eval.acuracy': step 'eval' does not record 'acuracy'; "
                + "it records accuracy, confusion; did you mean 'eval.accuracy'?")
        #expect(
            objectiveProblem("eval.confusion")
                == "nb.md: error: '--objective eval.confusion': 'confusion' is a matrix, not a number a run can be "
                + "chosen by")
        #expect(objectiveProblem("eval.accuracy:max") == nil)
        #expect(objectiveProblem("model.loss") == nil)
    }
}
