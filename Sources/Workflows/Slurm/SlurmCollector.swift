import Foundation
import Report

/// Reads back the runs of a Slurm job once their tasks have ended, and records what the tasks could not:
/// the scheduler's state, exit, node and reason, and, for a run its task never finished (never started,
/// killed, cancelled), the run as failed or interrupted, never as running or succeeded. Used by the process
/// that follows the job, and by `render SWEEP` for a job that was detached.
final class SlurmCollector: @unchecked Sendable {
    // @unchecked: `collect` is serialised by `lock` (the follower and the signal handler both call it).
    let project: Project
    let store: RunStore
    let templates: ReportTemplates
    let console: Console
    let client = SlurmClient()
    private let lock = NSLock()

    init(project: Project, store: RunStore, templates: ReportTemplates, console: Console) {
        self.project = project
        self.store = store
        self.templates = templates
        self.console = console
    }

    /// Whether `run` waits on a cluster job: queued or running with a job recorded.
    static func isPending(_ run: RunRecord) -> Bool {
        run.job != nil && [.queued, .running, .abandoned].contains(run.status)
    }

    /// Collects every pending run of `runs` whose task has ended; returns the runs, collected, in order, and
    /// how many still wait.
    func collectEnded(_ runs: [RunRecord]) -> (runs: [RunRecord], waiting: Int) {
        var tasksByJob: [String: [SlurmTask]?] = [:]
        var result: [RunRecord] = []
        var waiting = 0
        for run in runs {
            guard Self.isPending(run), let job = run.job else {
                result.append(run)
                continue
            }
            if tasksByJob[job.jobID] == nil { tasksByJob[job.jobID] = .some((try? client.tasks(of: job.jobID)) ?? nil) }
            let tasks = tasksByJob[job.jobID] ?? nil
            let task = tasks?.first { $0.tasks.contains(job.arrayTask) }
            if tasks == nil || task?.isFinal == true,
                let collected = collect(run.id, plan: nil, task: task, cancelled: false)
            {
                result.append(collected)
                if Self.isPending(collected) { waiting += 1 }
            } else {
                result.append(run)
                waiting += 1
            }
        }
        return (result, waiting)
    }

    /// Reads the run `id` back once its task has ended, and records what the task could not: Slurm's state,
    /// exit, node and reason, and, for a run its task never finished (never started, killed, cancelled), the
    /// run as failed or interrupted, never as running or succeeded.
    @discardableResult
    func collect(_ id: String, plan: RunPlan?, task: SlurmTask?, cancelled: Bool) -> RunRecord? {
        lock.lock()
        defer { lock.unlock() }
        guard let found = try? store.run(id) else { return nil }
        var record = found
        var job = record.job ?? ScheduledJob(jobID: "", arrayTask: 0)
        if let task {
            job.state = task.state
            job.exit = task.exit
            job.reason = task.reason
            if let node = task.node { job.node = node }
        } else if job.state == nil || !(SlurmTask.finalStates.contains(job.state ?? "")) {
            job.state = cancelled ? "CANCELLED" : "UNKNOWN"
            job.reason = job.reason ?? "Slurm no longer knows the job"
        }
        try? store.saveJob(job, of: id)
        record.job = job
        let killedByScheduler: Set<String> = [
            "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY", "PREEMPTED", "BOOT_FAIL", "DEADLINE", "REVOKED",
        ]
        var status = record.status
        switch record.status {
        case .queued, .running, .abandoned:
            status = cancelled || job.state == "CANCELLED" ? .interrupted : .failed
        case .interrupted where killedByScheduler.contains(job.state ?? ""):
            status = .failed
        default:
            break
        }
        if status != record.status {
            record.status = status
            record.finished = record.finished ?? Date()
            let done = Set(record.steps.map(\.name))
            let steps = plan?.steps ?? (try? Reproduction.plan(of: record, in: project).get().steps) ?? []
            for step in steps where !done.contains(step.name) {
                record.steps.append(
                    StepRecord(
                        name: step.name, op: step.op, cacheKey: "", cache: nil, seconds: 0, status: .notRun,
                        configuration: StepConfiguration(step)))
            }
            try? store.save(record)
        }
        // The report the task wrote showed its job running: it is written again, where it went, with how the
        // job ended.
        let output = record.report.map { project.root.appendingPathComponent($0) }
        publishReport(
            &record, project: project, store: store, templates: templates, output: output, console: console)
        return record
    }

}
