import Engine
import Foundation

/// Live progress on standard error: `[2/7] split … hit 0.001s`, an epoch line with the loss
/// for training steps, redrawn in place, and the lines a command step prints, indented under
/// its heading.
public final class TerminalProgress: RunObserver, @unchecked Sendable {
    // @unchecked: `lock` guards the current step's heading, whether it has printed lines, and
    // the last redraw time.
    private let console: Console
    private let lock = NSLock()
    private var lastDraw = Date.distantPast
    /// `[2/7] split`, kept to head the line that ends the step.
    private var current = ""
    /// Whether the current step's heading line has been ended by a command's output.
    private var printed = false
    /// When the current step started, for its elapsed time and estimate.
    private var stepStart = Date()

    public init(console: Console) {
        self.console = console
    }

    private func write(_ text: String) {
        console.write(text, to: .error)
    }

    public func stepStarted(_ index: Int, of count: Int, name: String) {
        let heading = "[\(index)/\(count)] \(TerminalText.escaped(name))"
        lock.withLock {
            current = heading
            printed = false
            stepStart = Date()
        }
        write(heading + " …")
    }

    public func stepFinished(_ record: StepRecord) {
        let heading = lock.withLock { current.isEmpty ? record.name : current }
        var text = "\r\u{1B}[K\(heading)  "
        switch record.status {
        case .succeeded:
            text += "\(record.cache?.rawValue ?? "") " + String(format: "%.3fs", record.seconds)
            if let explanation = record.explanation, record.cache == .miss {
                text += "  (\(TerminalText.escaped(explanation)))"
            }
        case .failed:
            text += "failed: \(TerminalText.escaped(record.error ?? ""))"
        case .notRun:
            text += "not run"
        }
        write(text + "\n")
    }

    public func training(_ event: TrainingEvent) {
        let now = Date()
        let (draw, heading, started): (Bool, String, Date) = lock.withLock {
            guard now.timeIntervalSince(lastDraw) > 0.1 || event.epoch == event.epochs else {
                return (false, current, stepStart)
            }
            lastDraw = now
            return (true, current, stepStart)
        }
        guard draw else { return }
        let width = 20
        let filled = event.epochs > 0 ? min(width, width * event.epoch / event.epochs) : 0
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let line = String(
            format: "%@  %@ %@ %d/%d  loss %.4f", heading, bar, event.unit, event.epoch, event.epochs, event.loss)
        let timing = Self.timing(elapsed: now.timeIntervalSince(started), done: event.epoch, of: event.epochs)
        write("\r\u{1B}[K" + line + "  " + timing)
    }

    /// `12s`, then `, about 40s left` once an epoch (or iteration) is done: the rest estimated at the pace so far.
    static func timing(elapsed: Double, done: Int, of total: Int) -> String {
        let text = duration(elapsed)
        guard done > 0, total > done, elapsed.isFinite, elapsed > 0 else { return text }
        return text + ", about " + duration(elapsed / Double(done) * Double(total - done)) + " left"
    }

    /// `7s`, `3m05s`, `2h10m`: whole seconds, as a person reads a countdown.
    static func duration(_ seconds: Double) -> String {
        let whole = seconds.isFinite ? Int(min(max(seconds.rounded(), 0), 1e9)) : 0
        if whole < 60 { return "\(whole)s" }
        if whole < 3600 { return String(format: "%dm%02ds", whole / 60, whole % 60) }
        return String(format: "%dh%02dm", whole / 3600, whole % 3600 / 60)
    }

    public func warning(_ message: String) {
        write("\r\u{1B}[Kathanor: warning: \(TerminalText.escaped(message))\n")
    }

    public func commandOutput(_ line: String, step: String) {
        let first = lock.withLock {
            defer { printed = true }
            return !printed
        }
        write((first ? "\n" : "") + "  │ \(line)\n")
    }
}

/// No progress, for `--quiet`, when standard error is not a terminal, or for one run of a sweep (whose
/// parallel lines would interleave): warnings and what command steps print, each line after its step's name
/// (and the run's `label`, in a sweep), unless `--quiet`.
public final class QuietProgress: RunObserver, Sendable {
    let console: Console
    let showWarnings: Bool
    /// Heads each line in a sweep: the run's id and swept values.
    let label: String?

    public init(console: Console, showWarnings: Bool, label: String? = nil) {
        self.console = console
        self.showWarnings = showWarnings
        self.label = label
    }

    public func stepStarted(_ index: Int, of count: Int, name: String) {}
    public func stepFinished(_ record: StepRecord) {}
    public func training(_ event: TrainingEvent) {}
    public func warning(_ message: String) {
        let head = label.map { "[\($0)] " } ?? ""
        if showWarnings { console.printError("\(head)athanor: warning: \(message)") }
    }

    public func commandOutput(_ line: String, step: String) {
        let head = label.map { "\($0) \(step)" } ?? step
        // A command's own output, as it printed it: the user's program, which may color its lines.
        if showWarnings { console.write("[\(head)] \(line)\n", to: .error) }
    }
}
