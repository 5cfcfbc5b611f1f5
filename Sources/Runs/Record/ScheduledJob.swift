/// Where a run went when a cluster scheduler ran it (`athanor run --executor slurm`): the job and array task
/// that ran it, the node, and how the scheduler says it ended. Kept by the store apart from the run's rows
/// (schema v9), since the task that runs the run and the process that submitted it both write it.
public struct ScheduledJob: Sendable, Hashable, Codable {
    /// `slurm`.
    public var scheduler: String
    /// The array job's id, as `sbatch --parsable` printed it.
    public var jobID: String
    /// The run's task in the array.
    public var arrayTask: Int
    public var node: String?
    /// The scheduler's state of the task: `PENDING`, `RUNNING`, `COMPLETED`, `FAILED`, `TIMEOUT`, `CANCELLED`…
    public var state: String?
    /// The task's exit as the scheduler reports it (`0:0`, `1:0`: code and signal).
    public var exit: String?
    /// The scheduler's reason, in its words (`NonZeroExitCode`, `DUE TO TIME LIMIT`…).
    public var reason: String?
    /// The file the task's output went to.
    public var output: String?

    public init(
        scheduler: String = "slurm", jobID: String, arrayTask: Int, node: String? = nil, state: String? = nil,
        exit: String? = nil, reason: String? = nil, output: String? = nil
    ) {
        self.scheduler = scheduler
        self.jobID = jobID
        self.arrayTask = arrayTask
        self.node = node
        self.state = state
        self.exit = exit
        self.reason = reason
        self.output = output
    }

    /// `12_3`: the task as Slurm's commands name it.
    public var taskName: String { "\(jobID)_\(arrayTask)" }

    /// One line for a report or a terminal: `Slurm job 12_3 on node1, COMPLETED, exit 0:0`.
    public var summary: String {
        var text = "\(scheduler == "slurm" ? "Slurm" : scheduler) job \(taskName)"
        if let node, !node.isEmpty { text += " on \(node)" }
        if let state { text += ", \(state)" }
        if let exit { text += ", exit \(exit)" }
        if let reason, !reason.isEmpty, reason != "None" { text += " (\(reason))" }
        if let output { text += "; output \(output)" }
        return text
    }
}
