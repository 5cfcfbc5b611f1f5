import Foundation
import Notebook

/// Where what a user reads goes: results on standard output, progress and diagnostics on standard error.
/// Use cases write only through a console, so a test sees exactly what a user sees.
public protocol Console: AnyObject, Sendable {
    /// Writes `text` as it is (terminal control sequences included) to `stream`.
    func write(_ text: String, to stream: ConsoleStream)
    /// Whether standard error is a terminal, where progress is redrawn in place.
    var isTerminal: Bool { get }
    /// Whether a write to standard output failed (a full disk, a closed pipe): the result is lost.
    var outputFailed: Bool { get }
}

public enum ConsoleStream: Sendable {
    case output
    case error
}

extension Console {
    /// One line of results on standard output, its control characters escaped.
    public func print(_ line: String) {
        write(TerminalText.escaped(line) + "\n", to: .output)
    }

    /// One line on standard error, its control characters escaped.
    public func printError(_ line: String) {
        write(TerminalText.escaped(line) + "\n", to: .error)
    }

    /// A value as JSON on standard output (JSON escapes control characters itself).
    public func printJSON(_ value: Any) {
        write(RunJSON.text(value) + "\n", to: .output)
    }

    public func report(_ diagnostic: Diagnostic) {
        printError(diagnostic.description)
    }

    public func report(_ diagnostics: [Diagnostic]) {
        for diagnostic in diagnostics { report(diagnostic) }
    }

    /// Diagnostics of a file whose text is `source`: on a terminal, each quotes its line with a `^` under
    /// the column, in colour unless `NO_COLOR`; elsewhere (a log, an editor, CI) the plain lines alone.
    public func report(_ diagnostics: [Diagnostic], source: String?) {
        guard isTerminal else { return report(diagnostics) }
        for diagnostic in diagnostics {
            write(DiagnosticText.render(diagnostic, source: source, colour: usesColour) + "\n", to: .error)
        }
    }

    /// Whether to colour what a person reads: a terminal, and no `NO_COLOR` (no-color.org) or dumb terminal.
    public var usesColour: Bool {
        let environment = ProcessInfo.processInfo.environment
        return isTerminal && environment["NO_COLOR"].map(\.isEmpty) ?? true && environment["TERM"] != "dumb"
    }

    /// Any error as the diagnostics it stands for: the one printer of everything that went wrong.
    public func report(error: Error) {
        report(Diagnostics.of(error))
    }
}

/// The process's own standard output and error, written with `write(2)`: a closed pipe or a full disk
/// is remembered, never a crash, and the rest of the run goes on.
public final class StandardConsole: Console, @unchecked Sendable {
    // @unchecked: the failure flags are guarded by `lock`; the descriptors never change.
    private let lock = NSLock()
    private var failed: Set<Int32> = []
    public let isTerminal: Bool

    public init() {
        // A reader that went away (`athanor run … | head -1`) must not kill a run half-way.
        signal(SIGPIPE, SIG_IGN)
        isTerminal = isatty(STDERR_FILENO) == 1
    }

    public var outputFailed: Bool { lock.withLock { failed.contains(STDOUT_FILENO) } }

    /// Asks on standard error and reads the answer from standard input, when both are a terminal; else nil,
    /// as no one is there to answer.
    public static var terminalQuestion: (@Sendable (String) -> String?)? {
        guard isatty(STDIN_FILENO) == 1 && isatty(STDERR_FILENO) == 1 else { return nil }
        return { question in
            FileHandle.standardError.write(Data(question.utf8))
            return readLine()
        }
    }

    public func write(_ text: String, to stream: ConsoleStream) {
        let descriptor = stream == .output ? STDOUT_FILENO : STDERR_FILENO
        lock.withLock {
            guard !failed.contains(descriptor) else { return }
            var bytes = Array(text.utf8)[...]
            while !bytes.isEmpty {
                let written = bytes.withUnsafeBytes { Glibc.write(descriptor, $0.baseAddress, $0.count) }
                if written < 0 {
                    if errno == EINTR { continue }
                    failed.insert(descriptor)
                    return
                }
                bytes = bytes.dropFirst(written)
            }
        }
    }
}
