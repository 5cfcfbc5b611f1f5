import Engine
import Foundation

/// Progress for a log, not a terminal (CI, `2> run.log`): one plain line per finished step, and while a
/// step runs long, a line every `interval` seconds with its latest epoch, so that a log is never silent
/// long enough for a CI system to think the job hung. No control sequences: nothing is redrawn.
public final class PlainProgress: RunObserver, @unchecked Sendable {
    // @unchecked: `lock` guards the current step, its start, the last line's time and the latest epoch.
    private let console: Console
    private let quiet: QuietProgress
    private let interval: TimeInterval
    private let clock: @Sendable () -> Date
    private let lock = NSLock()
    private var current: (heading: String, started: Date)?
    private var lastLine = Date.distantPast
    private var latest: TrainingEvent?
    private var timer: DispatchSourceTimer?

    /// - Parameters:
    ///   - interval: the most a running step stays silent.
    ///   - clock: the time now; tests pass their own, and call `heartbeat()` themselves.
    ///   - ticks: whether a timer calls `heartbeat()` every second (off in tests).
    public init(
        console: Console, interval: TimeInterval = 10, clock: @escaping @Sendable () -> Date = { Date() },
        ticks: Bool = true
    ) {
        self.console = console
        self.quiet = QuietProgress(console: console, showWarnings: true)
        self.interval = interval
        self.clock = clock
        if ticks { timer = PlainProgress.everySecond { [weak self] in self?.heartbeat() } }
    }

    deinit { timer?.cancel() }

    public func stepStarted(_ index: Int, of count: Int, name: String) {
        let now = clock()
        lock.withLock {
            current = ("[\(index)/\(count)] \(name)", now)
            lastLine = now
            latest = nil
        }
    }

    public func stepFinished(_ record: StepRecord) {
        let heading = lock.withLock {
            defer { current = nil }
            return current?.heading ?? record.name
        }
        var text = "\(heading): "
        switch record.status {
        case .succeeded: text += "\(record.cache == .hit ? "cache hit" : "cache miss"), \(Self.seconds(record.seconds))"
        // The error follows as a diagnostic at the step's line, once.
        case .failed: text += "failed after \(Self.seconds(record.seconds))"
        case .notRun: text += "not run"
        }
        console.printError(text)
    }

    public func training(_ event: TrainingEvent) {
        lock.withLock { latest = event }
        heartbeat()
    }

    /// A line for the running step if it has been silent for `interval`.
    public func heartbeat() {
        let now = clock()
        let line: String? = lock.withLock {
            guard let current, now.timeIntervalSince(lastLine) >= interval else { return nil }
            lastLine = now
            var text = "\(current.heading): running, \(Self.seconds(now.timeIntervalSince(current.started)))"
            if let latest {
                text += String(
                    format: ", %@ %d/%d, loss %.4g", latest.unit, latest.epoch, latest.epochs, latest.loss)
            }
            return text
        }
        if let line { console.printError(line) }
    }

    public func warning(_ message: String) { quiet.warning(message) }
    public func commandOutput(_ line: String, step: String) { quiet.commandOutput(line, step: step) }

    /// A timer that calls `body` every second, on a utility queue, until it is cancelled.
    static func everySecond(_ body: @escaping @Sendable () -> Void) -> DispatchSourceTimer {
        let timer = DispatchSource.makeTimerSource(queue: .global(qos: .utility))
        timer.schedule(deadline: .now() + 1, repeating: 1)
        timer.setEventHandler(handler: body)
        timer.resume()
        return timer
    }

    static func seconds(_ value: Double) -> String {
        value < 10 ? String(format: "%.2fs", value) : String(format: "%.0fs", value)
    }
}
