import Foundation
import Testing

/// `athanor run --sweep` as a user runs it: the runs it records, the comparison it writes, `runs --sweep`,
/// `diff` of a sweep, `render` of a sweep, and the exit codes.
@Suite struct SweepCommandTests {
    typealias Project = RunCommandTests.Project

    /// RunCommandTests' notebook with a model setting to sweep and a command step that fails for one value.
    static let notebook = """
        ---
        title: Sweep test
        ---

        ```params
        seed: 2
        alpha: 1.0
        iterations: 100
        fail_at: 0.0
        ```

        ```step data
        op: load
        path: blobs.csv
        target: label
        ```

        ```step split
        op: split
        input: data
        seed: ${seed}
        ```

        ```step model
        op: train
        model: logistic
        input: split.train
        alpha: ${alpha}
        iterations: ${iterations}
        ```

        ```step eval
        op: evaluate
        model: model
        input: split.test
        metrics: [accuracy, log_loss]
        ```

        ```step guard
        run: test "${alpha}" != "${fail_at}"
        ```
        """

    func sweep(_ project: Project, _ arguments: [String]) throws -> (CheckCommandTests.Output, [String: Any]) {
        let output = try project.athanor(["run", "nb.md"] + arguments + ["--json", "-q"])
        let object = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any] ?? [:]
        return (output, object)
    }

    @Test func aSweepRecordsEveryRunWithItsIdAndWritesTheComparison() throws {
        let project = try Project(notebook: Self.notebook)
        defer { project.remove() }
        let (output, result) = try sweep(
            project, ["--sweep", "alpha=0.01,1.0", "--sweep", "iterations=5,50", "-j", "2", "-p", "seed=3"])
        #expect(output.status == 0, "\(output.stderr)")
        let id = try #require(result["sweep"] as? String)
        #expect(id.count == 8 && id.hasPrefix("s"))
        #expect(result["report"] as? String == "nb-sweep.html")
        let runs = try #require(result["runs"] as? [[String: Any]])
        #expect(runs.count == 4)
        let params = runs.compactMap { $0["params"] as? [String: Any] }
        #expect(
            params.map { "\($0["alpha"] ?? "") \($0["iterations"] ?? "") \($0["seed"] ?? "")" } == [
                "0.01 5 3", "0.01 50 3", "1 5 3", "1 50 3",
            ])
        #expect(runs.allSatisfy { $0["sweep"] as? String == id && $0["status"] as? String == "succeeded" })
        // data and split read no swept parameter: computed by one run, taken from the cache by the others.
        for shared in ["data", "split"] {
            let misses = runs.filter { run in
                (run["steps"] as? [[String: Any]])?.first { $0["name"] as? String == shared }?["cache"] as? String
                    == "miss"
            }
            #expect(misses.count == 1)
        }
        // Each run has its own report in .athanor/reports/, none next to the notebook.
        for run in runs {
            let runID = try #require(run["id"] as? String)
            #expect(run["report"] as? String == ".athanor/reports/\(runID).html")
            #expect(
                FileManager.default.fileExists(
                    atPath: project.directory.appendingPathComponent(".athanor/reports/\(runID).html").path))
        }
        #expect(!FileManager.default.fileExists(atPath: project.directory.appendingPathComponent("nb.html").path))
        // The comparison, beside the notebook and kept beside the runs' reports, links to every run's report.
        let beside = try String(contentsOf: project.directory.appendingPathComponent("nb-sweep.html"), encoding: .utf8)
        let kept = try String(
            contentsOf: project.directory.appendingPathComponent(".athanor/reports/sweep-\(id).html"), encoding: .utf8)
        for run in runs {
            let runID = run["id"] as? String ?? ""
            #expect(beside.contains("href=\".athanor/reports/\(runID).html\""))
            #expect(kept.contains("href=\"\(runID).html\""))
        }
        #expect(beside.contains("<code>eval.accuracy</code>, maximized"))
        #expect(beside.contains("<code>seed = 3</code>"))

        let listed = try project.athanor(["runs", "--sweep", id])
        #expect(listed.status == 0)
        #expect(listed.stdout.contains("PARAMETERS") && listed.stdout.contains("alpha=0.01 iterations=50"))
        #expect(listed.stdout.split(separator: "\n").count == 5)
        let listedJSON = try #require(try project.json(["runs", "--sweep", id, "--json"]) as? [[String: Any]])
        #expect(listedJSON.count == 4)
        #expect(try project.athanor(["runs", "--sweep", "s0000000"]).status == 2)

        let diff = try project.athanor(["diff", id])
        #expect(diff.status == 0, "\(diff.stderr)")
        let header = diff.stdout.split(separator: "\n").first.map(String.init) ?? ""
        #expect(header.hasPrefix("RUN") && header.contains("alpha") && header.contains("iterations"))
        #expect(!header.contains("seed"))
        #expect(diff.stdout.split(separator: "\n").count == 5)

        let rendered = try project.athanor(["render", id, "-o", "again.html"])
        #expect(rendered.status == 0, "\(rendered.stderr)")
        let again = try String(contentsOf: project.directory.appendingPathComponent("again.html"), encoding: .utf8)
        #expect(again.contains("Athanor sweep <code>\(id)</code>"))
    }

    @Test func diffTakesThreeRunsAndKeepsTheTwoRunForm() throws {
        let project = try Project(notebook: Self.notebook)
        defer { project.remove() }
        var ids: [String] = []
        for alpha in ["0.1", "1.0", "10.0"] {
            let output = try project.athanor(["run", "nb.md", "-p", "alpha=\(alpha)", "--json", "-q"])
            let run = try JSONSerialization.jsonObject(with: Data(output.stdout.utf8)) as? [String: Any]
            ids.append(try #require(run?["id"] as? String))
        }
        let three = try project.athanor(["diff"] + ids)
        #expect(three.status == 0)
        let lines = three.stdout.split(separator: "\n").map(String.init)
        #expect(lines.first?.split(separator: " ").first == "RUN")
        #expect(lines.first?.contains("alpha") == true && lines.first?.contains("seed") == false)
        #expect(lines.count == 4)
        let two = try project.athanor(["diff", ids[0], ids[1]])
        #expect(two.stdout.hasPrefix("PARAMETER"))
        #expect(try project.athanor(["diff", ids[0]]).status == 2)
    }

    @Test func aFailedRunDoesNotStopTheOthersAndIsNamed() throws {
        let project = try Project(notebook: Self.notebook)
        defer { project.remove() }
        let output = try project.athanor([
            "run", "nb.md", "--sweep", "alpha=0.5,1.0,2.0", "-p", "fail_at=1.0", "-j", "2",
        ])
        #expect(output.status == 1)
        #expect(output.stderr.contains("1 of 3 runs of sweep"))
        let line = try #require(output.stderr.split(separator: "\n").first { $0.contains("step 'guard' failed") })
        #expect(line.contains("(alpha=1.0)"))
        let runs = try #require(try project.json(["runs", "--json"]) as? [[String: Any]])
        #expect(runs.count == 3)
        #expect(runs.filter { $0["status"] as? String == "failed" }.count == 1)
        let failedID = try #require(runs.first { $0["status"] as? String == "failed" }?["id"] as? String)
        #expect(line.contains(failedID))
        let comparison = try String(
            contentsOf: project.directory.appendingPathComponent("nb-sweep.html"), encoding: .utf8)
        #expect(comparison.contains("1 of 3 runs failed"))
    }

    @Test func badSweepsExitTwoBeforeAnythingRuns() throws {
        let project = try Project(notebook: Self.notebook)
        defer { project.remove() }
        let unknown = try project.athanor(["run", "nb.md", "--sweep", "alhpa=1,2"])
        #expect(unknown.status == 2)
        #expect(unknown.stderr.contains("nb.md: error: '--sweep alhpa': the notebook declares no parameter 'alhpa'"))
        #expect(unknown.stderr.contains("did you mean 'alpha'?"))
        let typed = try project.athanor(["run", "nb.md", "--sweep", "iterations=5,many"])
        #expect(typed.status == 2)
        #expect(typed.stderr.contains("nb.md:8:1: error: '--sweep iterations=many': expected integer"))
        let objective = try project.athanor(["run", "nb.md", "--sweep", "alpha=1,2", "--objective", "evl.accuracy"])
        #expect(objective.status == 2)
        #expect(objective.stderr.contains("did you mean 'eval.accuracy'?"))
        let jobs = try project.athanor(["run", "nb.md", "-j", "2"])
        #expect(jobs.status == 2)
        #expect(
            !FileManager.default.fileExists(
                atPath: project.directory.appendingPathComponent(".athanor/runs.sqlite").path))
    }

    @Test func theObjectiveCanBeChosenAndMinimized() throws {
        let project = try Project(notebook: Self.notebook)
        defer { project.remove() }
        let (output, _) = try sweep(
            project, ["--sweep", "alpha=0.001..10:log3", "--objective", "eval.log_loss", "-o", "out/cmp.html"])
        #expect(output.status == 0, "\(output.stderr)")
        let html = try String(contentsOf: project.directory.appendingPathComponent("out/cmp.html"), encoding: .utf8)
        #expect(html.contains("<code>eval.log_loss</code>, minimized"))
        #expect(html.contains("alpha (log scale)"))
        #expect(html.contains("href=\"../.athanor/reports/"))
        // Rendered again from the store, the comparison keeps the sweep's objective.
        let id = try #require(
            (try project.json(["runs", "--json"]) as? [[String: Any]])?.first?["sweep"] as? String)
        let rendered = try project.athanor(["render", id, "-o", "again.html"])
        #expect(rendered.status == 0, "\(rendered.stderr)")
        let again = try String(contentsOf: project.directory.appendingPathComponent("again.html"), encoding: .utf8)
        #expect(again.contains("<code>eval.log_loss</code>, minimized"))
    }
}
