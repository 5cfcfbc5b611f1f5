import Foundation

extension SlurmExecutor {
    /// The task script: task N runs the Nth queued run with this very `athanor`, from the folder the user was in.
    func writeScript(runs: [String], in folder: URL, single: Bool) throws -> URL {
        let binary = URL(
            fileURLWithPath: ProcessInfo.processInfo.arguments[0], relativeTo: workflow.invocation.directory
        )
        .standardizedFileURL.path
        let resolvedBinary =
            (try? FileManager.default.destinationOfSymbolicLink(atPath: binary)).map {
                URL(fileURLWithPath: $0, relativeTo: URL(fileURLWithPath: binary).deletingLastPathComponent())
                    .standardizedFileURL.path
            } ?? binary
        var arguments = [resolvedBinary, "run", workflow.invocation.url(options.notebook).path]
        if !options.useCache { arguments.append("--no-cache") }
        if let template = options.template { arguments += ["--template", workflow.invocation.url(template).path] }
        if single, let output = options.output { arguments += ["-o", workflow.invocation.url(output).path] }
        let command = arguments.map(ShellQuote.quoted).joined(separator: " ")
        var lines = [
            "#!/bin/sh", "# Written by athanor run --executor slurm: task N runs the Nth queued run.",
            "case \"${SLURM_ARRAY_TASK_ID:-0}\" in",
        ]
        for (index, id) in runs.enumerated() { lines.append("\(index)) run=\(id) ;;") }
        lines += [
            "*) echo \"athanor: no run for array task ${SLURM_ARRAY_TASK_ID:-}\" >&2; exit 2 ;;", "esac",
            "cd \(ShellQuote.quoted(workflow.invocation.directory.path)) || exit 2",
            "exec \(command) --slurm-run \"$run\"", "",
        ]
        let script = folder.appendingPathComponent("task.sh")
        try Data(lines.joined(separator: "\n").utf8).write(to: script, options: .atomic)
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: script.path)
        return script
    }

    /// The job's request: the array, the largest resources any step of the runs asks for, the partition, and
    /// the user's own `--slurm-option`s last, so that they win.
    func sbatchOptions(_ plans: [RunPlan], count: Int, _ folder: URL) -> [String] {
        var options = [
            "--array=0-\(count - 1)", "--job-name=athanor-\(folder.lastPathComponent)",
            "--output=\(folder.appendingPathComponent("%A_%a.out").path)",
            "--chdir=\(workflow.invocation.directory.path)",
        ]
        let resources = plans.flatMap(\.steps).compactMap(StepResources.of).reduce(StepResources()) { $0.union($1) }
        if let cpus = resources.cpus { options.append("--cpus-per-task=\(cpus)") }
        if let memory = resources.memoryMB { options.append("--mem=\(memory)M") }
        if let minutes = resources.minutes { options.append("--time=\(minutes)") }
        if let gpus = resources.gpus, gpus > 0 { options.append("--gres=gpu:\(gpus)") }
        if let partition = self.options.partition { options.append("--partition=\(partition)") }
        return options + self.options.slurmOptions
    }

    /// Follows the job until every task has ended, showing queued, running, done and failed runs; each run
    /// is collected (`collect`) as its task ends and handed to `finished`. Ctrl-C cancels the job.
    func follow(_ submission: Submission, finished: @escaping @Sendable (RunRecord) -> RunRecord) throws
        -> [RunRecord]
    {
        let ids = submission.runs.map(\.id)
        let job = submission.jobID
        let cancelling = CancelFlag()
        let signals = SignalTrap { [self] signal in
            cancelling.set()
            try? client.cancel(job)
            // The tasks record their runs interrupted as Slurm stops them; what they could not is recorded here.
            for _ in 0..<50 {
                if let tasks = try? client.tasks(of: job), tasks.contains(where: { !$0.isFinal }) {
                    Thread.sleep(forTimeInterval: 0.2)
                } else {
                    break
                }
            }
            let tasks = (try? client.tasks(of: job)) ?? nil
            for (index, id) in ids.enumerated() {
                _ = collector.collect(
                    id, plan: submission.plans[index], task: tasks?.first { $0.tasks.contains(index) }, cancelled: true)
            }
            console.printError("\nathanor: error: Slurm job \(job) cancelled; its unfinished runs are interrupted")
            Foundation.exit(128 + signal)
        }
        defer { signals.cancel() }
        var records: [RunRecord?] = Array(repeating: nil, count: ids.count)
        var lastCounts = ""
        var failures = 0
        while records.contains(where: { $0 == nil }) {
            // Once Ctrl-C cancelled the job, the signal handler records the runs and ends the process.
            if cancelling.isSet {
                Thread.sleep(forTimeInterval: 0.5)
                continue
            }
            let tasks: [SlurmTask]?
            do {
                tasks = try client.tasks(of: job)
                failures = 0
            } catch {
                failures += 1
                // About a minute of silence: the controller is gone; the tasks still record what they run.
                if failures >= 120 {
                    throw WorkflowFailure(
                        .failure,
                        [
                            Diagnostics.tool(
                                "lost contact with Slurm while following job \(job) (runs \(ids.joined(separator: ", "))): "
                                    + "\((error as? SlurmClient.Failure)?.words ?? "\(error)"); the tasks record their "
                                    + "runs as they end, and `athanor render` collects them")
                        ])
                }
                Thread.sleep(forTimeInterval: 0.5)
                continue
            }
            var counts = (queued: 0, running: 0, done: 0, failed: 0)
            for (index, id) in ids.enumerated() {
                if let record = records[index] {
                    if record.status == .succeeded { counts.done += 1 } else { counts.failed += 1 }
                    continue
                }
                let task = tasks?.first { $0.tasks.contains(index) }
                if tasks == nil || task?.isFinal == true {
                    let record = collector.collect(id, plan: submission.plans[index], task: task, cancelled: false)
                    let kept = record.map(finished)
                    records[index] = kept
                    if kept?.status == .succeeded { counts.done += 1 } else { counts.failed += 1 }
                } else if task?.state == "RUNNING" || task?.state == "COMPLETING" {
                    counts.running += 1
                } else {
                    counts.queued += 1
                }
            }
            let text =
                "Slurm job \(job): \(counts.queued) queued, \(counts.running) running, \(counts.done) done, "
                + "\(counts.failed) failed"
            if text != lastCounts, !(options.quiet || options.json) {
                console.printError(text)
                lastCounts = text
            }
            if records.contains(where: { $0 == nil }) { Thread.sleep(forTimeInterval: 0.25) }
        }
        return records.compactMap { $0 }
    }

    func markFailed(_ ids: [String], plans: [RunPlan], because reason: String) {
        mark(ids, plans: plans, status: .failed, reason: reason)
    }

    func markInterrupted(_ ids: [String], plans: [RunPlan], because reason: String) {
        mark(ids, plans: plans, status: .interrupted, reason: reason)
    }

    private func mark(_ ids: [String], plans: [RunPlan], status: RunStatus, reason: String) {
        for (id, plan) in zip(ids, plans) {
            guard var record = try? store.run(id), record.status == .queued else { continue }
            record.status = status
            record.finished = Date()
            record.steps = plan.steps.map { step in
                StepRecord(
                    name: step.name, op: step.op, cacheKey: "", cache: nil, seconds: 0, status: .notRun,
                    configuration: StepConfiguration(step))
            }
            try? store.save(record)
            try? store.saveJob(ScheduledJob(jobID: "-", arrayTask: 0, state: "REFUSED", reason: reason), of: id)
        }
    }
}

/// Set once by the signal handler that cancels a job, read by the loop that follows it.
final class CancelFlag: @unchecked Sendable {
    // @unchecked: `value` is guarded by `lock`.
    private let lock = NSLock()
    private var value = false

    func set() { lock.withLock { value = true } }
    var isSet: Bool { lock.withLock { value } }
}
