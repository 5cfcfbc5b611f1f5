import Foundation
import Report

extension RunWorkflow {
    /// `athanor run NB.md --slurm-run RUN` (hidden), what a Slurm task runs: takes the queued run `RUN` over,
    /// with the parameters it was queued with, and runs it exactly as a local run would: the same records,
    /// cache and report. A run that is not queued (already run, cancelled) is not run again.
    func runQueued(_ id: String) throws -> CommandStatus {
        let location = invocation.url(options.notebook)
        let project = Project.containing(notebook: location.path)
        let store = try openStore(project)
        guard let queued = try store.run(id) else {
            throw WorkflowFailure.invalid("--slurm-run: no run '\(id)' in \(project.storePath)")
        }
        guard queued.status == .queued else {
            throw WorkflowFailure(
                .failure,
                [Diagnostics.tool("run \(id) is \(queued.status.rawValue), not queued: it is not run again")])
        }
        let plan: RunPlan
        switch Reproduction.plan(of: queued, in: project) {
        case .success(let value): plan = value
        case .failure(let problems): throw WorkflowFailure(.invalid, problems.diagnostics)
        }
        let environment = ProcessInfo.processInfo.environment
        var job = queued.job ?? ScheduledJob(jobID: environment["SLURM_ARRAY_JOB_ID"] ?? "", arrayTask: 0)
        if let task = environment["SLURM_ARRAY_TASK_ID"].flatMap({ Int($0) }) { job.arrayTask = task }
        job.node = environment["SLURMD_NODENAME"] ?? job.node
        job.state = "RUNNING"
        try? store.saveJob(job, of: id)
        let executor: RunExecutor
        do {
            executor = try RunExecutor(
                plan: plan, project: project, store: store, command: queued.command, useCache: options.useCache,
                observer: options.quiet ? nil : PlainProgress(console: console), sweep: queued.sweep, id: id)
        } catch {
            throw WorkflowFailure.invalid(error)
        }
        let console = self.console
        let signals = SignalTrap { signal in
            executor.interrupt()
            console.printError("\nathanor: error: run \(id) interrupted")
            exit(128 + signal)
        }
        defer { signals.cancel() }
        var record: RunRecord
        do {
            record = try executor.run()
        } catch {
            throw WorkflowFailure.failed(error)
        }
        record.job = job
        let templates = try loadTemplates(options.template, in: invocation)
        let output: URL? =
            queued.sweep == nil
            ? options.output.map(invocation.url) ?? ReportFiles.defaultOutput(forNotebook: location.path) : nil
        let reported = publishReport(
            &record, project: project, store: store, templates: templates, output: output, console: console)
        if let failure = RunText.failure(of: record, in: plan.notebook, path: options.notebook) {
            console.printError(failure)
        }
        console.printError(
            "run \(record.id) \(record.status.rawValue)" + (record.report.map { "; report \($0)" } ?? ""))
        return record.status == .succeeded && reported != nil ? .success : .failure
    }
}

extension RunWorkflow {
    /// A single run with `--executor slurm`: an array of one task; unless detached, followed to its end.
    func runOnSlurm(_ plan: RunPlan, project: Project, store: RunStore, templates: ReportTemplates) throws
        -> CommandStatus
    {
        let executor = SlurmExecutor(workflow: self, project: project, store: store, templates: templates)
        let submission = try executor.submit(
            [plan], sweep: nil, name: "run-" + UUID().uuidString.prefix(8).lowercased())
        if options.detach { return .success }
        guard let record = try executor.follow(submission, finished: { $0 }).first else {
            throw WorkflowFailure.invalid("run \(submission.runs.first?.id ?? ""): not recorded")
        }
        if options.json {
            console.printJSON(RunJSON.object(record))
        } else {
            if let failure = RunText.failure(of: record, in: plan.notebook, path: options.notebook) {
                console.printError(failure)
            }
            if record.status != .succeeded, let job = record.job {
                console.printError("athanor: error: run \(record.id) \(record.status.rawValue): \(job.summary)")
            }
            if !options.quiet {
                console.printError(
                    "run \(record.id) \(record.status.rawValue)" + (record.report.map { "; report \($0)" } ?? ""))
            }
        }
        return record.status == .succeeded ? .success : .failure
    }
}
