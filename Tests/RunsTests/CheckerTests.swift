import Notebook
import Runs
import Testing

/// Rules that need the engine's schemas, beyond the invalid corpus.
@Suite struct CheckerTests {
    func errors(_ steps: String, params: String = "seed: 1") -> [Diagnostic] {
        let source = "```params\n\(params)\n```\n\n```step data\nop: synthetic\nkind: blobs\n```\n\n\(steps)"
        return NotebookChecker.check(source, path: "c.md").diagnostics.filter { $0.severity == .error }
    }

    @Test func splitFractionsMustLeaveRowsForTraining() throws {
        let found = errors("```step split\nop: split\ninput: data\ntest: 0.6\nvalidation: 0.5\n```\n")
        let error = try #require(found.first)
        #expect(found.count == 1)
        #expect(error.message.contains("add up to 1.1"))
    }

    @Test func validationOutputExistsOnlyWhenAsked() throws {
        let steps =
            "```step split\nop: split\ninput: data\n```\n\n```step m\nop: train\nmodel: logistic\ninput: split.validation\n```\n"
        let error = try #require(errors(steps).first)
        #expect(error.message.contains("has no output 'validation'"))
        let withValidation = steps.replacingOccurrences(of: "input: data\n", with: "input: data\nvalidation: 0.1\n")
        #expect(errors(withValidation).isEmpty)
    }

    @Test func preprocessOutputsAreNamedByTheKeysOfApply() {
        let steps = """
            ```step scale
            op: preprocess
            fit: data
            apply: {all: data, again: data}
            standardize: all
            ```

            ```step m
            op: train
            model: kmeans
            input: scale.again
            ```
            """
        #expect(errors(steps).isEmpty)
    }

    @Test func preprocessMustDoSomething() throws {
        let error = try #require(errors("```step scale\nop: preprocess\nfit: data\napply: {x: data}\n```\n").first)
        #expect(error.message.contains("does nothing"))
    }

    @Test func interpolatedValuesAreCheckedWithTheirTypes() throws {
        let error = try #require(
            errors("```step m\nop: train\nmodel: mlp\ninput: data\nepochs: ${epochs}\n```\n", params: "epochs: many")
                .first)
        #expect(error.message.contains("'epochs' must be an integer ≥ 1, not 'many'"))
        #expect(error.location?.line == 14)
    }

    @Test func aKeyOfAnotherModelIsNamedAsSuch() throws {
        let error = try #require(errors("```step m\nop: train\nmodel: mlp\ninput: data\nk: 3\n```\n").first)
        #expect(error.message.contains("'k' is a setting of model 'kmeans', not of model 'mlp'"))
    }

    @Test func evaluateDefaultsToTheModelsMetricsForInlineResults() throws {
        let steps = """
            ```step m
            op: train
            model: ridge
            input: data
            ```

            ```step e
            op: evaluate
            model: m
            input: data
            ```

            R² is `=e.r2`, accuracy `=e.accuracy`.
            """
        let found = errors(steps)
        #expect(found.count == 1)
        #expect(found.first?.message.contains("does not record 'accuracy'") == true)
    }

    @Test func commandStepsAcceptTheirOwnKeysAndAnyMetric() throws {
        let steps = """
            ```step ext
            run: python3 train.py
            inputs: [train.py]
            outputs: [model.pkl]
            env: {THREADS: 2}
            timeout: 60
            ```

            Loss `=ext.loss`.
            """
        #expect(errors(steps).isEmpty)
        let error = try #require(errors("```step ext\nrun: x\ntimeout: 0\n```\n").first)
        #expect(error.message.contains("'timeout' must be a number > 0"))
    }

    @Test func aWrongOperationDoesNotCascade() {
        let steps =
            "```step m\nop: trian\nmodel: mlp\ninput: data\n```\n\n```step e\nop: evaluate\nmodel: m\ninput: data\n```\n"
        #expect(errors(steps).count == 1)
    }
}
