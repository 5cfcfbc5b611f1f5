import Engine
import Foundation

/// A sweep's progress: which of its runs are running, at which step and epoch, in one line every
/// `interval` seconds while any runs (the members' own lines would interleave), beside the line each run
/// prints when it ends.
public final class SweepProgress: @unchecked Sendable {
    // @unchecked: `lock` guards the members' state and the last line's time.
    private let console: Console
    private let interval: TimeInterval
    private let clock: @Sendable () -> Date
    private let lock = NSLock()
    /// Each running member's label, in the order they started, and where it is.
    private var running: [(label: String, step: String, isLast: Bool, epoch: TrainingEvent?)] = []
    private var lastLine: Date
    private var timer: DispatchSourceTimer?

    /// - Parameters:
    ///   - clock: the time now; tests pass their own, and call `heartbeat()` themselves.
    ///   - ticks: whether a timer calls `heartbeat()` every second (off in tests).
    public init(
        console: Console, interval: TimeInterval = 10, clock: @escaping @Sendable () -> Date = { Date() },
        ticks: Bool = true
    ) {
        self.console = console
        self.interval = interval
        self.clock = clock
        lastLine = clock()
        if ticks { timer = PlainProgress.everySecond { [weak self] in self?.heartbeat() } }
    }

    deinit { timer?.cancel() }

    /// The observer of the member `label`: its warnings and command output as `QuietProgress` prints them,
    /// its steps and epochs to this board.
    public func member(_ label: String, showWarnings: Bool) -> RunObserver {
        Member(
            board: self, label: label, quiet: QuietProgress(console: console, showWarnings: showWarnings, label: label))
    }

    /// The member `label` started its step `index` of `count`.
    func started(_ label: String, _ index: Int, of count: Int, name: String) {
        let step = "\(name) (\(index)/\(count))"
        lock.withLock {
            if let found = running.firstIndex(where: { $0.label == label }) {
                running[found] = (label, step, index == count, nil)
            } else {
                running.append((label, step, index == count, nil))
            }
        }
    }

    /// A step of `label` ended: the run ends with its last step or a failed one.
    func stepEnded(_ label: String, failed: Bool) {
        lock.withLock { running.removeAll { $0.label == label && ($0.isLast || failed) } }
    }

    func trained(_ label: String, _ event: TrainingEvent) {
        lock.withLock {
            if let index = running.firstIndex(where: { $0.label == label }) { running[index].epoch = event }
        }
    }

    /// `running: [ab12cd34 lr=0.1] model epoch 12/50; [cd34ef56 lr=0.2] split` if `interval` has passed.
    public func heartbeat() {
        let now = clock()
        let line: String? = lock.withLock {
            guard !running.isEmpty, now.timeIntervalSince(lastLine) >= interval else { return nil }
            lastLine = now
            let members = running.map { member in
                "[\(member.label)] \(member.step)" + (member.epoch.map { " \($0.unit) \($0.epoch)/\($0.epochs)" } ?? "")
            }
            return "running: " + members.joined(separator: "; ")
        }
        if let line { console.printError(line) }
    }

    private struct Member: RunObserver {
        let board: SweepProgress
        let label: String
        let quiet: QuietProgress

        func stepStarted(_ index: Int, of count: Int, name: String) {
            board.started(label, index, of: count, name: name)
        }
        func stepFinished(_ record: StepRecord) { board.stepEnded(label, failed: record.status == .failed) }
        func training(_ event: TrainingEvent) { board.trained(label, event) }
        func warning(_ message: String) { quiet.warning(message) }
        func commandOutput(_ line: String, step: String) { quiet.commandOutput(line, step: step) }
    }
}
