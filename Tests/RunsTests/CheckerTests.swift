import Engine
import Foundation
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

    @Test func aYAMLErrorInAStepIsTheOnlyErrorItCauses() throws {
        let steps = """
            ```step model
            op: train
            model: [logistic
            input: data
            ```

            ```step eval
            op: evaluate
            model: model
            input: data
            metrics: [accuracy]
            ```

            Accuracy `=model.loss`.
            """
        let found = errors(steps)
        #expect(found.count == 1, "\(found)")
        #expect((found.first?.location?.line ?? 0) >= 11, "\(found)")
        #expect(found.allSatisfy { !$0.message.contains("unknown step") })
        // A step that is not there at all is still an unknown step.
        let missing = errors(steps.replacingOccurrences(of: "```step model\n", with: "```step modle\n"))
        #expect(missing.contains { $0.message.contains("unknown step 'model'") })
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

    /// The error lines of a preprocess step (from line 10) with these lines after `impute: all`.
    func imputeErrors(_ lines: String, impute: String = "impute: all\n") -> [String] {
        errors("```step prep\nop: preprocess\nfit: data\napply: {x: data}\n\(impute)\(lines)```\n").map(\.description)
    }

    @Test func imputeStrategiesAndFillAreCheckedTogether() {
        #expect(imputeErrors("strategy: median\n") == [])
        #expect(imputeErrors("strategy: constant\nfill: 0\n") == [])
        #expect(imputeErrors("strategy: constant\nfill: unknown\n") == [])
        #expect(
            imputeErrors("strategy: medain\n") == [
                "c.md:15:11: error: 'strategy' must be one of mean, median, most_frequent, constant, not 'medain'; "
                    + "did you mean 'median'?"
            ])
        #expect(
            imputeErrors("strategy: constant\n") == [
                "c.md:15:11: error: strategy 'constant' needs 'fill' in step 'prep' (op: preprocess)"
            ])
        #expect(
            imputeErrors("fill: 0\n") == [
                "c.md:15:1: error: 'fill' goes with strategy 'constant'; add 'strategy: constant' in step 'prep' "
                    + "(op: preprocess)"
            ])
        #expect(
            imputeErrors("strategy: median\nfill: 0\n") == [
                "c.md:16:1: error: 'fill' goes with strategy 'constant', not 'median', in step 'prep' (op: preprocess)"
            ])
        // A misspelt strategy is reported once, not again beside `fill`.
        #expect(imputeErrors("strategy: constnat\nfill: 0\n").count == 1)
        #expect(
            imputeErrors("strategy: mean\n", impute: "standardize: all\n") == [
                "c.md:15:1: error: 'strategy' does nothing without 'impute' in step 'prep' (op: preprocess)"
            ])
    }

    @Test func aWrongOperationDoesNotCascade() {
        let steps =
            "```step m\nop: trian\nmodel: mlp\ninput: data\n```\n\n```step e\nop: evaluate\nmodel: m\ninput: data\n```\n"
        #expect(errors(steps).count == 1)
    }
}

/// `check` reads the header of each file a `load` step names, so that a missing file or a misspelt
/// column is an error before anything runs.
@Suite struct DataCheckTests {
    let directory: CacheTestDirectory
    let notebook: String

    init() throws {
        directory = try CacheTestDirectory()
        notebook = directory.file("nb.md")
        try FileManager.default.createDirectory(atPath: directory.file("data"), withIntermediateDirectories: true)
        // A byte order mark, a quoted name holding the delimiter, a CRLF line end.
        try write("\u{FEFF}sepal_length,\"petal, length\",species\r\n5.1,1.4,setosa\r\n", to: "data/iris.csv")
        try write("a\tb c\tlabel\n1\t2\tx\n", to: "data/tabs.tsv")
        try write("a;b;label\n1;2;x\n", to: "data/semicolons.txt")
    }

    func write(_ text: String, to name: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: directory.file(name)))
    }

    /// The error lines `check` prints for `steps` after a params block (lines 1–3).
    func errors(_ steps: String, params: String = "seed: 1") throws -> [String] {
        try write("```params\n\(params)\n```\n\n\(steps)", to: "nb.md")
        return FileCheck(path: notebook).diagnostics.filter { $0.severity == .error }.map(\.description)
    }

    @Test func aMissingFileIsAnErrorAtItsPathWithTheClosestName() throws {
        let found = try errors("```step data\nop: load\npath: data/irsi.csv\ntarget: species\n```\n")
        #expect(
            found == [
                "\(notebook):7:7: error: `path` names no file 'data/irsi.csv' (paths are relative to the "
                    + "notebook's directory); did you mean 'data/iris.csv'?"
            ])
    }

    @Test func columnsTheHeaderLacksAreErrorsAtEachName() throws {
        let steps = """
            ```step data
            op: load
            path: data/iris.csv
            target: specis
            columns: [sepal_length, "petal, lenght"]
            drop: [colour]
            ```

            """
        #expect(
            try errors(steps) == [
                "\(notebook):8:9: error: data/iris.csv: `target` names no column 'specis'; did you mean 'species'?",
                "\(notebook):9:25: error: data/iris.csv: `columns` names no column 'petal, lenght'; "
                    + "did you mean 'petal, length'?",
                "\(notebook):10:8: error: data/iris.csv: `drop` names no column 'colour'; the columns are "
                    + "'sepal_length', 'petal, length', 'species'",
            ])
        let fixed = steps.replacingOccurrences(of: "specis", with: "species")
            .replacingOccurrences(of: "lenght", with: "length").replacingOccurrences(of: "drop: [colour]\n", with: "")
        #expect(try errors(fixed) == [])
    }

    @Test func interpolatedPathsUseTheParameterDefaults() throws {
        let steps = "```step data\nop: load\npath: data/${name}.csv\ntarget: species\n```\n"
        #expect(try errors(steps, params: "name: iris") == [])
        #expect(
            try errors(steps, params: "name: irsi") == [
                "\(notebook):7:7: error: `path` names no file 'data/irsi.csv' (paths are relative to the "
                    + "notebook's directory); did you mean 'data/iris.csv'?"
            ])
    }

    @Test func theHeaderIsSplitAtTheDelimiterLoadUses() throws {
        #expect(try errors("```step data\nop: load\npath: data/tabs.tsv\ntarget: label\ncolumns: [b c]\n```\n") == [])
        let semicolons = "```step data\nop: load\npath: data/semicolons.txt\ntarget: label\ndelimiter: \";\"\n```\n"
        #expect(try errors(semicolons) == [])
        #expect(
            try errors(semicolons.replacingOccurrences(of: "delimiter: \";\"\n", with: "")) == [
                "\(notebook):8:9: error: data/semicolons.txt: `target` names no column 'label'; the columns are "
                    + "'a;b;label'"
            ])
    }

    @Test func aDirectoryOrAnEmptyFileIsAnErrorAtThePath() throws {
        try write("", to: "data/empty.csv")
        #expect(
            try errors("```step data\nop: load\npath: data\n```\n") == [
                "\(notebook):7:7: error: data: this is a directory; `path` must name a CSV file"
            ])
        #expect(
            try errors("```step data\nop: load\npath: data/empty.csv\n```\n") == [
                "\(notebook):7:7: error: data/empty.csv: the file is empty; a CSV file needs a header row and at "
                    + "least one row of data"
            ])
    }

    @Test func aFileAnEarlierCommandWritesNeedNotExistYet() throws {
        let steps = """
            ```step make
            run: python3 make.py
            outputs: [build/train.csv, "made/*.csv"]
            ```

            ```step train
            op: load
            path: build/train.csv
            target: label
            ```

            ```step other
            op: load
            path: made/other.csv
            ```

            ```step test
            op: load
            path: build/test.csv
            ```

            """
        #expect(
            try errors(steps) == [
                "\(notebook):23:7: error: `path` names no file 'build/test.csv' (paths are relative to the "
                    + "notebook's directory)"
            ])
    }

    @Test func aNotebookReadBackFromARecordIsNotCheckedAgainstItsData() throws {
        let source = "```step data\nop: load\npath: data/gone.csv\ntarget: label\n```\n"
        #expect(NotebookChecker.check(source, path: "nb.md").diagnostics == [])
    }
}

/// The header reader `check` uses, beside the CSV reader `load` uses.
@Suite struct CSVHeaderTests {
    let directory: CacheTestDirectory

    init() throws {
        directory = try CacheTestDirectory()
    }

    func header(_ bytes: [UInt8], name: String = "h.csv", delimiter: Character? = nil) throws -> [String]? {
        let path = directory.file(name)
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        return try Load.header(of: Load.Options(path: path, delimiter: delimiter))
    }

    @Test(arguments: [
        ("a,b,c\n1,2,3\n", ["a", "b", "c"]),
        ("\u{FEFF}a,b\r\n1,2\r\n", ["a", "b"]),
        ("\n\r\n a , b \n1,2\n", ["a", "b"]),
        ("\"x, y\",\"say \"\"hi\"\"\",\"two\nlines\"\n1,2,3\n", ["x, y", "say \"hi\"", "two\nlines"]),
        ("only", ["only"]),
    ])
    func headersReadAsTheCSVReaderReadsThem(text: String, expected: [String]) throws {
        #expect(try header(Array(text.utf8)) == expected)
        let loaded = try Load.run(
            Load.Options(path: "h.csv"), data: Data((text.utf8.last == 0x0A ? text : text + "\n1\n").utf8))
        #expect(loaded.columns.map(\.name) == expected)
    }

    @Test func aHeaderLongerThanTheLimitIsNotGuessed() throws {
        let long = Array(repeating: UInt8(ascii: "a"), count: (1 << 20) + 10) + Array(",b\n1,2\n".utf8)
        #expect(try header(long) == nil)
        let fits =
            Array(repeating: UInt8(ascii: "a"), count: 100) + Array(",b\n".utf8)
            + Array(repeating: UInt8(ascii: "1"), count: 2 << 20)
        #expect(try header(fits) == [String(repeating: "a", count: 100), "b"])
    }
}
