import Foundation
import TestSupport
import Testing

/// `athanor run --executor slurm` against a real single-node Slurm (`SlurmCluster`): a sweep as a job array,
/// a single run, shared steps computed once, resources, a failing task, cancellation, `--detach` and collect.
@Suite(.serialized) struct SlurmCommandTests {
    typealias Project = RunCommandTests.Project

    static func runs(_ text: String) throws -> [[String: Any]] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [[String: Any]] ?? []
    }

    static func object(_ text: String) throws -> [String: Any] {
        try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any] ?? [:]
    }

    @Test func aSweepRunsAsAJobArrayRecordedAsALocalSweepIs() throws {
        let project = try Project(notebook: SweepCommandTests.notebook)
        defer { project.remove() }
        let outputs = try SlurmCluster.run(
            [
                "$ATHANOR run nb.md --sweep alpha=0.5,1.0 --sweep iterations=50,100 --executor slurm",
                "$ATHANOR runs --json",
            ], in: project.directory)
        #expect(outputs[0].status == 0, "\(outputs[0].stderr)")
        #expect(outputs[0].stderr.contains("as a Slurm job array"))
        #expect(outputs[0].stderr.contains("4 of 4 runs succeeded"), "\(outputs[0].stderr)")
        let runs = try Self.runs(outputs[1].stdout)
        #expect(runs.count == 4)
        #expect(runs.allSatisfy { $0["status"] as? String == "succeeded" })
        let sweeps = Set(runs.compactMap { $0["sweep"] as? String })
        #expect(sweeps.count == 1)
        let jobs = runs.compactMap { $0["job"] as? [String: Any] }
        #expect(jobs.count == 4)
        #expect(Set(jobs.compactMap { $0["array_task"] as? Int }) == [0, 1, 2, 3])
        #expect(Set(jobs.compactMap { $0["id"] as? String }).count == 1)
        #expect(jobs.allSatisfy { $0["state"] as? String == "COMPLETED" && $0["exit"] as? String == "0:0" })
        #expect(jobs.allSatisfy { $0["node"] as? String == "localhost" })
        // The comparison, as for a local sweep.
        #expect(FileManager.default.fileExists(atPath: project.directory.appendingPathComponent("nb-sweep.html").path))
    }

    @Test func sharedStepsAreComputedOnceBeforeTheArray() throws {
        let project = try Project(notebook: SweepCommandTests.notebook)
        defer { project.remove() }
        let outputs = try SlurmCluster.run(
            ["$ATHANOR run nb.md --sweep alpha=0.5,1.0,2.0 --executor slurm -q", "$ATHANOR runs --json"],
            in: project.directory)
        #expect(outputs[0].status == 0, "\(outputs[0].stderr)")
        let ids = try Self.runs(outputs[1].stdout).compactMap { $0["id"] as? String }
        #expect(ids.count == 3)
        for id in ids {
            let shown = try project.json(["show", id, "--json"]) as? [String: Any] ?? [:]
            let steps = shown["steps"] as? [[String: Any]] ?? []
            let cache = Dictionary(
                uniqueKeysWithValues: steps.compactMap { step in
                    (step["name"] as? String).map { ($0, step["cache"] as? String ?? "") }
                })
            // Loading and splitting the data are the same in every run: each task takes them from the cache.
            #expect(cache["data"] == "hit" && cache["split"] == "hit", "run \(id): \(cache)")
            #expect(cache["model"] == "miss")
        }
    }

    /// What lets the tasks of an array, each its own process, share a step: a lock per cache key.
    @Test func twoProcessesReachingOneCacheKeyComputeItOnce() throws {
        let project = try Project(notebook: "```step slow\nrun: sleep 2\n```\n")
        defer { project.remove() }
        // The first run makes the project's state, so that the two below start on an existing store.
        try project.athanor(["check", "nb.md"])
        _ = try project.athanor(["runs"])
        let first = try BinaryRunner.start(["run", "nb.md", "-q"], in: project.directory)
        let second = try BinaryRunner.start(["run", "nb.md", "-q"], in: project.directory)
        first.waitUntilExit()
        second.waitUntilExit()
        let runs = try Self.runs(try project.athanor(["runs", "--json"]).stdout)
        #expect(runs.count == 2)
        var caches: [String] = []
        for run in runs {
            let shown = try project.json(["show", run["id"] as? String ?? "", "--json"]) as? [String: Any] ?? [:]
            caches += (shown["steps"] as? [[String: Any]] ?? []).compactMap { $0["cache"] as? String }
        }
        #expect(caches.sorted() == ["hit", "miss"])
    }

    @Test func aSingleRunRunsAsOneTaskAndWritesItsReport() throws {
        let project = try Project()
        defer { project.remove() }
        let outputs = try SlurmCluster.run(["$ATHANOR run nb.md --executor slurm --json"], in: project.directory)
        #expect(outputs[0].status == 0, "\(outputs[0].stderr)")
        let run = try Self.object(outputs[0].stdout)
        #expect(run["status"] as? String == "succeeded")
        #expect(run["sweep"] == nil)
        let job = run["job"] as? [String: Any] ?? [:]
        #expect(job["state"] as? String == "COMPLETED")
        #expect(job["array_task"] as? Int == 0)
        let report = try String(
            contentsOf: project.directory.appendingPathComponent("nb.html"), encoding: .utf8)
        #expect(report.contains("Cluster job"))
        #expect(report.contains("Slurm job \(job["id"] as? String ?? "?")_0 on localhost, COMPLETED"))
    }

    static let resourceNotebook = """
        ---
        title: Resources
        ---

        ```step data
        op: load
        path: blobs.csv
        target: label
        resources: {memory: 300M}
        ```

        ```step model
        op: train
        model: logistic
        input: data
        resources: {cpus: 2, time: 5m}
        ```
        """

    @Test func checkReportsUnknownResourcesAndBadValuesAtTheirPlace() throws {
        let notebook = """
            ```step data
            op: load
            path: blobs.csv
            target: label
            resources: {cpu: 2, memory: lots, time: 0m, gpus: -1}
            ```
            """
        let project = try Project(notebook: notebook)
        defer { project.remove() }
        let output = try project.athanor(["check", "nb.md"])
        #expect(output.status == 2)
        let errors = output.stderr.split(separator: "\n").filter { $0.hasPrefix("nb.md:") }
        #expect(
            errors == [
                "nb.md:5:13: error: unknown key 'cpu' in resources; they are cpus, memory, time, gpus; did you mean 'cpus'?",
                "nb.md:5:29: error: resources: 'memory' must be a size such as 512M, 8G or 1T (a bare number is megabytes), not 'lots'",
                "nb.md:5:41: error: resources: 'time' must be a duration such as 90s, 30m, 2h, 1h30m or 1d (a bare number is minutes), not '0m'",
                "nb.md:5:51: error: resources: 'gpus' must be a whole number of GPUs ≥ 0, not -1",
            ], "\(output.stderr)")
    }

    @Test func theJobAsksForTheLargestResourcesOfTheRunsSteps() throws {
        let project = try Project(notebook: Self.resourceNotebook)
        defer { project.remove() }
        let outputs = try SlurmCluster.run(
            [
                "$ATHANOR run nb.md --executor slurm --detach -q",
                "scontrol show job -o $(cat .cmd0.out)",
            ], in: project.directory)
        #expect(outputs[0].status == 0, "\(outputs[0].stderr)")
        let job = outputs[1].stdout
        #expect(job.contains("CPUs/Task=2"), "\(job)")
        #expect(job.contains("TimeLimit=00:05:00"))
        #expect(job.contains("MinMemoryNode=300M"))
    }

    @Test func aJobSlurmDoesNotAcceptIsAClearErrorAndNoRunSucceeds() throws {
        var notebook = Self.resourceNotebook
        notebook = notebook.replacingOccurrences(of: "time: 5m", with: "time: 2h")
        let project = try Project(notebook: notebook)
        defer { project.remove() }
        let outputs = try SlurmCluster.run(
            [
                "$ATHANOR run nb.md --executor slurm --partition short",
                "$ATHANOR run nb.md --executor slurm --partition nowhere",
                "scontrol shutdown; sleep 2",
                "$ATHANOR run nb.md --executor slurm --partition debug",
                "$ATHANOR runs --json",
            ], in: project.directory)
        #expect(outputs[0].status == 1)
        #expect(outputs[0].stderr.contains("athanor: error: Slurm did not accept the run ("), "\(outputs[0].stderr)")
        #expect(outputs[0].stderr.contains("Requested time limit is invalid"))
        #expect(outputs[1].status == 1)
        #expect(outputs[1].stderr.contains("Invalid partition name specified"), "\(outputs[1].stderr)")
        // A controller that does not answer.
        #expect(outputs[3].status == 1)
        #expect(outputs[3].stderr.contains("Unable to contact slurm controller"), "\(outputs[3].stderr)")
        let runs = try Self.runs(outputs[4].stdout)
        #expect(runs.count == 3)
        #expect(runs.allSatisfy { $0["status"] as? String == "failed" })
    }

    @Test func withoutSbatchOnPathNothingIsQueued() throws {
        let project = try Project()
        defer { project.remove() }
        let output = try BinaryRunner.run(
            ["run", "nb.md", "--executor", "slurm"], in: project.directory, environment: ["PATH": "/nonexistent"])
        #expect(output.status == 1)
        #expect(
            output.stderr.contains(
                "athanor: error: --executor slurm: 'sbatch' is not on PATH, so the run cannot be submitted"),
            "\(output.stderr)")
        let runs = try Self.runs(try project.athanor(["runs", "--json"]).stdout)
        #expect(runs.isEmpty)
    }

    @Test func aFailingTaskShowsSlurmsStateAndItsOutputFile() throws {
        let project = try Project(notebook: SweepCommandTests.notebook)
        defer { project.remove() }
        let outputs = try SlurmCluster.run(
            ["$ATHANOR run nb.md --sweep alpha=0.5,1.0 -p fail_at=0.5 --executor slurm", "$ATHANOR runs --json"],
            in: project.directory)
        #expect(outputs[0].status == 1)
        #expect(outputs[0].stderr.contains("1 of 2 runs succeeded"), "\(outputs[0].stderr)")
        let runs = try Self.runs(outputs[1].stdout)
        let failed = try #require(runs.first { $0["status"] as? String == "failed" })
        let job = failed["job"] as? [String: Any] ?? [:]
        #expect(job["state"] as? String == "FAILED")
        #expect(job["exit"] as? String == "1:0")
        let output = try #require(job["output"] as? String)
        #expect(try String(contentsOfFile: output, encoding: .utf8).contains("guard"))
        let id = try #require(failed["id"] as? String)
        let report = try String(
            contentsOf: project.directory.appendingPathComponent(".athanor/reports/\(id).html"), encoding: .utf8)
        #expect(report.contains("FAILED, exit 1:0"))
        #expect(report.contains(output))
    }

    static let slowNotebook = """
        ```step wait
        run: sleep 30
        ```
        """

    @Test func ctrlCCancelsTheJobAndRecordsTheRunInterrupted() throws {
        let project = try Project(notebook: Self.slowNotebook)
        defer { project.remove() }
        let outputs = try SlurmCluster.run(
            [
                """
                set -m; $ATHANOR run nb.md --executor slurm > run.out 2> run.err & pid=$!
                until squeue -h -t R | grep -q .; do sleep 0.1; done; sleep 1; kill -INT $pid; wait $pid; echo $?
                """,
                "cat run.err", "squeue -h", "$ATHANOR runs --json",
            ], in: project.directory)
        #expect(outputs[0].stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "130", "\(outputs[1].stdout)")
        #expect(outputs[1].stdout.contains("cancelled"), "\(outputs[1].stdout)")
        #expect(outputs[2].stdout.isEmpty, "the job is still queued: \(outputs[2].stdout)")
        let runs = try Self.runs(outputs[3].stdout)
        #expect(runs.count == 1)
        #expect(runs.first?["status"] as? String == "interrupted")
    }

    @Test func aTaskKilledUnderAthanorLeavesItsRunFailedNotRunning() throws {
        let project = try Project(notebook: Self.slowNotebook)
        defer { project.remove() }
        let outputs = try SlurmCluster.run(
            [
                """
                $ATHANOR run nb.md --executor slurm > run.out 2> run.err & pid=$!
                until squeue -h -t R | grep -q .; do sleep 0.1; done; sleep 1
                job=$(squeue -h -o %A | head -1)
                for p in $(scontrol listpids "$job" | awk 'NR > 1 { print $1 }'); do kill -9 "$p"; done
                wait $pid; echo $?
                """,
                "cat run.err", "$ATHANOR runs --json",
            ], in: project.directory)
        #expect(outputs[0].stdout.trimmingCharacters(in: .whitespacesAndNewlines) == "1", "\(outputs[1].stdout)")
        #expect(outputs[1].stdout.contains("athanor: error: run "), "\(outputs[1].stdout)")
        let runs = try Self.runs(outputs[2].stdout)
        #expect(runs.count == 1)
        #expect(runs.first?["status"] as? String == "failed")
        let job = runs.first?["job"] as? [String: Any] ?? [:]
        #expect(job["state"] as? String == "FAILED", "\(job)")
    }

    @Test func detachReturnsTheJobIdAndRenderCollectsTheSweep() throws {
        let project = try Project(notebook: SweepCommandTests.notebook + "\n\n```step pause\nrun: sleep 2\n```\n")
        defer { project.remove() }
        let sweep = "$(sed -n 's/.*\"sweep\" *: *\"\\(s[0-9a-f]*\\)\".*/\\1/p' .cmd0.out)"
        let outputs = try SlurmCluster.run(
            [
                "$ATHANOR run nb.md --sweep alpha=0.5,1.0 --executor slurm --detach --json",
                "$ATHANOR runs",
                "$ATHANOR render \(sweep)",
                "while squeue -h | grep -q .; do sleep 0.1; done",
                "$ATHANOR render \(sweep)",
            ], in: project.directory)
        #expect(outputs[0].status == 0, "\(outputs[0].stderr)")
        let detached = try Self.object(outputs[0].stdout)
        #expect((detached["job"] as? String)?.allSatisfy(\.isNumber) == true)
        #expect((detached["runs"] as? [String])?.count == 2)
        #expect(outputs[1].stdout.contains("queued") || outputs[1].stdout.contains("running"), "\(outputs[1].stdout)")
        // Before the tasks end, render says how many runs still wait, and writes nothing.
        #expect(outputs[2].status == 1)
        #expect(outputs[2].stderr.contains("of 2 runs are still queued or running in Slurm"), "\(outputs[2].stderr)")
        #expect(outputs[4].status == 0, "\(outputs[4].stderr)")
        // render prints the comparison's path from the folder it ran in.
        let written = outputs[4].stdout.trimmingCharacters(in: .whitespacesAndNewlines)
        #expect(written.hasPrefix(".athanor/reports/sweep-"))
        let comparison = try String(
            contentsOf: project.directory.appendingPathComponent(written), encoding: .utf8)
        for id in detached["runs"] as? [String] ?? [] { #expect(comparison.contains(id)) }
    }
}
