import Foundation
import Report

/// `--executor slurm`: every run becomes one task of a Slurm job array. The runs are recorded `queued` first;
/// the steps all of them share (same cache key) are computed once here, into the cache; then one `sbatch
/// --array` submits tasks that each run `athanor run … --slurm-run RUN`, which takes the queued run over and
/// runs it as a local run would. Unless detached, this process follows the tasks until all have ended.
final class SlurmExecutor: Executor, @unchecked Sendable {
    // @unchecked: immutable; the collector serialises what the follower and the signal handler share.
    let workflow: RunWorkflow
    let project: Project
    let store: RunStore
    let templates: ReportTemplates
    let client = SlurmClient()
    let collector: SlurmCollector

    init(workflow: RunWorkflow, project: Project, store: RunStore, templates: ReportTemplates) {
        self.workflow = workflow
        self.project = project
        self.store = store
        self.templates = templates
        collector = SlurmCollector(
            project: project, store: store, templates: templates, console: workflow.invocation.console)
    }

    var options: RunWorkflow.Options { workflow.options }
    var console: Console { workflow.invocation.console }

    /// A job submitted: its id, and the queued runs in task order.
    struct Submission {
        var jobID: String
        var runs: [RunRecord]
        var plans: [RunPlan]
    }

    func execute(_ sweep: SweepRunner, finished: @escaping @Sendable (RunRecord) -> RunRecord) throws
        -> [SweepRunner.Outcome]?
    {
        let plans = sweep.members.map(sweep.plan(of:))
        let submission = try submit(plans, sweep: sweep.id, name: sweep.id)
        if options.detach { return nil }
        let records = try follow(submission, finished: finished)
        return zip(sweep.members, records).map { member, record in
            SweepRunner.Outcome(member: member, run: record, error: nil)
        }
    }

    /// Records `plans` as queued runs, computes their shared steps, and submits the array; on a refusal, the
    /// runs are recorded failed with Slurm's words.
    func submit(_ plans: [RunPlan], sweep: String?, name: String) throws -> Submission {
        guard client.find("sbatch") != nil else {
            throw WorkflowFailure(
                .failure,
                [
                    Diagnostics.tool(
                        "--executor slurm: 'sbatch' is not on PATH, so \(what(sweep, plans.count)) cannot be "
                            + "submitted; install Slurm's client (slurm-client) or run where it is")
                ])
        }
        let quiet = options.quiet || options.json
        var executors: [RunExecutor] = []
        for plan in plans {
            do {
                executors.append(
                    try RunExecutor(
                        plan: plan, project: project, store: store, command: workflow.invocation.command,
                        useCache: options.useCache, sweep: sweep))
            } catch {
                throw WorkflowFailure.invalid(error)
            }
        }
        let shared = sharedSteps(executors)
        var runs: [RunRecord] = []
        do {
            for executor in executors { runs.append(try executor.queue()) }
        } catch {
            throw WorkflowFailure.failed(error)
        }
        let ids = runs.map(\.id)
        let signals = SignalTrap { [self] signal in
            markInterrupted(ids, plans: plans, because: "interrupted before the job was submitted")
            console.printError("\nathanor: error: \(what(sweep, plans.count)) interrupted before submission")
            Foundation.exit(128 + signal)
        }
        defer { signals.cancel() }
        if !shared.isEmpty, let first = plans.first {
            if !quiet {
                console.printError("computing the shared steps once: \(shared.sorted().joined(separator: ", "))")
            }
            do {
                let warm = try RunExecutor(
                    plan: first, project: project, store: store, command: [], useCache: true,
                    observer: QuietProgress(console: console, showWarnings: !options.quiet))
                try warm.computeShared(shared)
            } catch {
                // Each task meets the error again and records it under its step.
                console.printError("athanor: warning: the shared steps failed here (\(error)); the tasks try again")
            }
        }
        let folder = project.stateDirectory.appendingPathComponent("slurm").appendingPathComponent(name)
        let script: URL
        do {
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            script = try writeScript(runs: ids, in: folder, single: sweep == nil)
        } catch {
            markFailed(ids, plans: plans, because: "the job script could not be written: \(error)")
            throw WorkflowFailure.failed(error)
        }
        let jobID: String
        do {
            jobID = try client.submit(script: script.path, options: sbatchOptions(plans, count: runs.count, folder))
        } catch {
            let words = (error as? SlurmClient.Failure)?.words ?? "\(error)"
            markFailed(ids, plans: plans, because: "Slurm did not accept the job: \(words)")
            throw WorkflowFailure(
                .failure,
                [
                    Diagnostics.tool(
                        "Slurm did not accept \(what(sweep, plans.count)) (\(ids.joined(separator: ", "))): \(words)")
                ])
        }
        for (index, id) in ids.enumerated() {
            let job = ScheduledJob(
                jobID: jobID, arrayTask: index, state: "PENDING", output: outputPath(folder, jobID, index))
            try? store.saveJob(job, of: id)
            runs[index].job = job
        }
        if options.detach {
            if options.json {
                console.printJSON(["job": jobID, "sweep": sweep ?? NSNull(), "runs": ids] as [String: Any])
            } else {
                console.print(jobID)
            }
            if !options.quiet {
                console.printError(
                    "submitted \(what(sweep, plans.count)) as Slurm job \(jobID); `athanor runs` shows "
                        + (sweep.map { "them, `athanor render \($0)` writes the comparison when all are done" }
                            ?? "it, `athanor render \(ids[0])` its report when it is done"))
            }
        } else if !quiet {
            console.printError("submitted as Slurm job \(jobID)")
        }
        return Submission(jobID: jobID, runs: runs, plans: plans)
    }

    /// The steps whose cache key is the same in every run, when there are several: computed once, here.
    func sharedSteps(_ executors: [RunExecutor]) -> Set<String> {
        guard executors.count > 1, options.useCache else { return [] }
        let keys = executors.map { executor in
            Dictionary(
                executor.dryRun().filter { $0.status == .notRun && !$0.cacheKey.isEmpty }.map {
                    ($0.name, $0.cacheKey)
                },
                uniquingKeysWith: { first, _ in first })
        }
        guard let first = keys.first else { return [] }
        let usesCache = Set(executors[0].plan.steps.filter(\.usesCache).map(\.name))
        return Set(
            first.filter { name, key in usesCache.contains(name) && keys.allSatisfy { $0[name] == key } }.map(\.key))
    }

    /// `sweep s1234567 (4 runs)` or `the run`.
    func what(_ sweep: String?, _ count: Int) -> String {
        sweep.map { "sweep \($0) (\(count) run\(count == 1 ? "" : "s"))" } ?? "the run"
    }

    func outputPath(_ folder: URL, _ job: String, _ task: Int) -> String {
        folder.appendingPathComponent("\(job)_\(task).out").path
    }
}
