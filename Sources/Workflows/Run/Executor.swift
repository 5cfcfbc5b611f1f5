import Foundation

/// Where the runs of a `run` command execute: one interface, so that another engine (Ray) can be added
/// beside the two there are. Each run is recorded in the project's store exactly as a local run is.
protocol Executor {
    /// Runs every member of `sweep` (one member for a single run) and returns how each ended, in the grid's
    /// order; nil when the runs were handed over and not waited for (`--detach`).
    func execute(_ sweep: SweepRunner, finished: @escaping @Sendable (RunRecord) -> RunRecord) throws
        -> [SweepRunner.Outcome]?
}

/// `--executor local` (the default): threads of this process, `-j` at a time.
struct LocalExecutor: Executor {
    var console: Console
    var showWarnings: Bool
    /// Which runs are running, at which step and epoch; nil when quiet.
    var progress: SweepProgress?

    func execute(_ sweep: SweepRunner, finished: @escaping @Sendable (RunRecord) -> RunRecord) throws
        -> [SweepRunner.Outcome]?
    {
        let console = self.console
        let (showWarnings, progress) = (self.showWarnings, self.progress)
        let signals = SignalTrap { signal in
            sweep.interrupt()
            console.printError("\nathanor: error: sweep \(sweep.id) interrupted")
            Foundation.exit(128 + signal)
        }
        defer { signals.cancel() }
        return sweep.run(
            observer: { member in
                progress?.member(member.label, showWarnings: showWarnings)
                    ?? QuietProgress(console: console, showWarnings: showWarnings, label: member.label)
            },
            finished: finished)
    }
}

/// The executors `--executor` names.
public enum ExecutorKind: String, Sendable, CaseIterable {
    case local
    case slurm
}
