import Engine
import Foundation
import Notebook
import Runs
import Testing

/// Code steps as a notebook's author relies on them (DESIGN §10): the user's python3 with pandas runs the
/// code in the notebook's folder, parameters are its variables, datasets go in and come back, metrics and
/// output are recorded, and a failure points at the notebook's line.
@Suite struct CodeStepRunTests {
    typealias Fixture = ExternalStepTests.Fixture

    static func step(_ run: RunRecord, _ name: String) -> StepRecord? { run.steps.first { $0.name == name } }

    /// The line of the notebook that holds `text`, counting from 1.
    static func line(of text: String, in notebook: String) -> Int {
        (notebook.components(separatedBy: "\n").firstIndex { $0.contains(text) } ?? -1) + 1
    }

    @Test func parametersAreVariablesOfTheirTypes() throws {
        let notebook = """
            ```params
            threshold: 0.5
            rounds: 3
            label: wine
            strict: true
            sizes: [1, 2]
            ```

            ```python step look
            assert type(threshold) is float and threshold == 0.5, threshold
            assert type(rounds) is int and rounds == 3, rounds
            assert label == "wine" and strict is True and sizes == [1, 2]
            import athanor
            athanor.log("score", threshold * rounds)
            print("label", label)
            ```
            """
        let fixture = try Fixture(notebook)
        defer { fixture.cleanUp() }
        let run = try fixture.run(["rounds=4"])
        let look = try #require(Self.step(run, "look"))
        #expect(look.status == .failed, "rounds=4 must fail the assert")
        let second = try fixture.run()
        #expect(second.status == .succeeded, "\(Self.step(second, "look")?.error ?? "")")
        #expect(second.metrics.map(\.name) == ["look.score"])
        #expect(second.metrics.first?.value == 1.5)
        #expect(Self.step(second, "look")?.log == "label wine\n")
    }

    @Test func datasetsGoInAndComeBackWithMissingValuesAndText() throws {
        let notebook = """
            ```step raw
            op: load
            path: wine.csv
            target: kind
            ```

            ```python step features
            #| reads: [raw]
            #| produces: [table]
            import athanor
            df = athanor.read("raw")
            assert list(df.columns) == ["alcohol", "colour", "kind"], list(df.columns)
            assert int(df["alcohol"].isna().sum()) == 1
            assert str(df["colour"].dtype) == "category", df["colour"].dtype
            df["strong"] = (df["alcohol"] > 12).astype(float)
            athanor.write("table", df, target="kind")
            ```

            ```step filled
            op: preprocess
            fit: features.table
            apply: {all: features.table}
            impute: [alcohol]
            strategy: median
            cache: false
            ```
            """
        let fixture = try Fixture(notebook)
        defer { fixture.cleanUp() }
        try fixture.write(
            "alcohol,colour,kind\n13.2,red,a\n,white,b\n11.0,red,a\n12.5,,b\n14.1,white,a\n", to: "wine.csv")
        let run = try fixture.run()
        #expect(run.status == .succeeded, "\(run.steps.compactMap(\.error))")
        let features = try #require(Self.step(run, "features"))
        let table = try #require(features.previews.first)
        #expect(table.name == "features.table")
        #expect(table.rows == 5)
        #expect(table.columns.map(\.name) == ["alcohol", "colour", "strong", "kind"])
        #expect(table.columns.map(\.missing) == [1, 1, 0, 0])
        let filled = try #require(Self.step(run, "filled")?.previews.first)
        #expect(filled.columns.map(\.missing) == [0, 1, 0, 0])
        // A hit gives a later step that runs again (`cache: false`) the dataset the code produced.
        let again = try fixture.run()
        #expect(Self.step(again, "features")?.cache == .hit)
        #expect(Self.step(again, "filled")?.cache == .miss)
        let refilled = try #require(Self.step(again, "filled")?.previews.first)
        #expect(refilled.columns.map(\.name) == filled.columns.map(\.name))
        #expect(refilled.rows == 5 && refilled.columns.map(\.missing) == [0, 1, 0, 0])
        let mean = try #require(refilled.columns.first?.mean)
        #expect(abs(mean - (13.2 + 12.85 + 11.0 + 12.5 + 14.1) / 5) < 1e-9, "the median of alcohol, 12.85, fills")
    }

    @Test func withoutPandasADatasetIsADictOfNumpyArrays() throws {
        let notebook = """
            ```step raw
            op: synthetic
            kind: blobs
            samples: 12
            ```

            ```python step look
            #| reads: [raw]
            #| produces: [back]
            import athanor
            data = athanor.read("raw")
            assert type(data) is dict, type(data)
            assert sorted(data) == ["target", "x0", "x1"], sorted(data)
            assert data["x0"].shape == (12,) and str(data["x0"].dtype) == "float64"
            athanor.write("back", {"x": data["x0"] * 2, "y": data["target"]}, target="y")
            ```
            """
        let fixture = try Fixture(notebook)
        defer { fixture.cleanUp() }
        // The notebook's folder comes first on the code's path: this pandas cannot be imported.
        try fixture.write("raise ImportError('no pandas here')\n", to: "pandas.py")
        let run = try fixture.run()
        #expect(run.status == .succeeded, "\(run.steps.compactMap(\.error)) \(run.steps.compactMap(\.log))")
        let back = try #require(Self.step(run, "look")?.previews.first)
        #expect(back.columns.map(\.name) == ["x", "y"])
        #expect(back.rows == 12)
    }

    /// Answers the code's first line by writing a file the code waits for: the line must arrive while the
    /// code runs, not when it ends.
    final class Answer: RunObserver, @unchecked Sendable {
        // @unchecked: `path` is set once before the run; the callbacks only read it.
        let path: String
        init(path: String) { self.path = path }
        func stepStarted(_ index: Int, of count: Int, name: String) {}
        func stepFinished(_ record: StepRecord) {}
        func training(_ event: TrainingEvent) {}
        func warning(_ message: String) {}
        func commandOutput(_ line: String, step: String) {
            if line == "waiting" { FileManager.default.createFile(atPath: path, contents: Data()) }
        }
    }

    @Test func whatTheCodePrintsArrivesAsItPrintsIt() throws {
        let notebook = """
            ```python step live
            import os, time
            print("waiting")
            for _ in range(200):
                if os.path.exists("answered"):
                    break
                time.sleep(0.05)
            print("answered" if os.path.exists("answered") else "no answer within 10 s")
            ```
            """
        let fixture = try Fixture(notebook)
        defer { fixture.cleanUp() }
        // Without Athanor's own setting, a python3 writing to a pipe holds its lines until it ends.
        let inherited = ProcessInfo.processInfo.environment["PYTHONUNBUFFERED"]
        unsetenv("PYTHONUNBUFFERED")
        defer { if let inherited { setenv("PYTHONUNBUFFERED", inherited, 1) } }
        let run = try fixture.run(observer: Answer(path: fixture.directory.appendingPathComponent("answered").path))
        #expect(Self.step(run, "live")?.log == "waiting\nanswered\n")
    }

    @Test func aProducedDatasetLeftUnwrittenFailsTheStep() throws {
        let notebook = """
            ```python step features
            #| produces: [table, extra]
            import athanor
            athanor.write("table", {"x": [1.0, 2.0]})
            ```
            """
        let fixture = try Fixture(notebook)
        defer { fixture.cleanUp() }
        let run = try fixture.run()
        #expect(
            Self.step(run, "features")?.error
                == "the code did not write 'extra', listed in produces: of step 'features'; call athanor.write(\"extra\", frame)"
        )
    }

    @Test func anExceptionNamesTheNotebookLineWithTheTracebackInTheLog() throws {
        let notebook = """
            # A failing step

            ```python step broken
            import athanor
            def ratio(a, b):
                return a / b
            athanor.log("r", ratio(1, 0))
            ```
            """
        let fixture = try Fixture(notebook)
        defer { fixture.cleanUp() }
        let run = try fixture.run()
        let broken = try #require(Self.step(run, "broken"))
        let line = Self.line(of: "return a / b", in: notebook)
        #expect(
            broken.error
                == "\(fixture.notebookPath):\(line): ZeroDivisionError: division by zero (the traceback is in the step's log)"
        )
        let log = try #require(broken.log)
        #expect(
            log.contains("File \"nb.md\", line \(Self.line(of: "ratio(1, 0)", in: notebook)), in <module>"), "\(log)")
        #expect(log.contains("    return a / b\n"), "the traceback quotes the notebook's line: \(log)")
        #expect(!log.contains("athanor.py"), "the module's own frames are left out: \(log)")
    }

    @Test func writingADatasetNotListedIsAnErrorAtItsLine() throws {
        let notebook = """
            ```python step features
            #| produces: [table]
            import athanor
            athanor.write("tabel", {"x": [1.0]})
            ```
            """
        let fixture = try Fixture(notebook)
        defer { fixture.cleanUp() }
        let run = try fixture.run()
        #expect(
            Self.step(run, "features")?.error
                == "\(fixture.notebookPath):4: KeyError: \"athanor.write('tabel'): the step's produces: lists [table]\" "
                + "(the traceback is in the step's log)")
    }

    @Test func theCacheKeyHoldsTheCodeTheReadsAndTheInputs() throws {
        let code = """
            ```params
            n: 30
            ```

            ```step data
            op: synthetic
            kind: blobs
            samples: ${n}
            ```

            ```python step count
            #| reads: [data]
            #| inputs: [helper.py]
            import athanor, helper
            athanor.log("rows", len(athanor.read("data")) * helper.FACTOR)
            ```
            """
        let fixture = try Fixture(code)
        defer { fixture.cleanUp() }
        try fixture.write("FACTOR = 1\n", to: "helper.py")
        let first = try fixture.run()
        #expect(first.metrics.first { $0.name == "count.rows" }?.value == 30, "\(first.steps.compactMap(\.error))")
        #expect(Self.step(try fixture.run(), "count")?.cache == .hit)
        // The data it reads changes.
        let more = try fixture.run(["n=40"])
        #expect(Self.step(more, "count")?.cache == .miss)
        #expect(more.metrics.first { $0.name == "count.rows" }?.value == 40)
        // A file of inputs: changes.
        try fixture.write("FACTOR = 2\n", to: "helper.py")
        let doubled = try fixture.run()
        #expect(Self.step(doubled, "count")?.cache == .miss)
        #expect(doubled.metrics.first { $0.name == "count.rows" }?.value == 60)
        // The code's text changes, by one comment.
        try fixture.write(
            code.replacingOccurrences(of: "import athanor, helper", with: "import athanor, helper  # n"), to: "nb.md")
        #expect(Self.step(try fixture.run(), "count")?.cache == .miss)
    }

    @Test func aShellStepSeesParametersAsVariablesAndFailsAtItsLine() throws {
        let notebook = """
            ```params
            lr: 0.01
            name: first run
            ```

            ```sh step greet
            echo "lr=$lr name=$name"
            printf '{"name": "seen", "value": 1}\\n' >> "$ATHANOR_METRICS"
            ```

            ```bash step fails
            echo before
            no_such_command_here
            echo after
            ```
            """
        let fixture = try Fixture(notebook)
        defer { fixture.cleanUp() }
        let run = try fixture.run()
        #expect(Self.step(run, "greet")?.log == "lr=0.01 name=first run\n")
        #expect(run.metrics.map(\.name) == ["greet.seen"])
        let fails = try #require(Self.step(run, "fails"))
        #expect(fails.status == .failed)
        let line = Self.line(of: "no_such_command_here", in: notebook)
        #expect(
            fails.log == "before\nnb.md: line \(line): no_such_command_here: command not found\n", "set -e stops it")
    }
}
