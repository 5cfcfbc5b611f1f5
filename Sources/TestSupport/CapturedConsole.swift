import Foundation
import Workflows

/// A console that keeps what a use case printed, for tests to compare with what a user should read.
public final class CapturedConsole: Console, @unchecked Sendable {
    // @unchecked: the texts are guarded by `lock`.
    private let lock = NSLock()
    private var outputText = ""
    private var errorText = ""
    public let isTerminal: Bool
    /// Pretends standard output went away (a full disk), to test that a lost result is exit 1.
    public let failsOutput: Bool

    public init(isTerminal: Bool = false, failsOutput: Bool = false) {
        self.isTerminal = isTerminal
        self.failsOutput = failsOutput
    }

    public func write(_ text: String, to stream: ConsoleStream) {
        lock.withLock {
            switch stream {
            case .output: if !failsOutput { outputText += text }
            case .error: errorText += text
            }
        }
    }

    public var outputFailed: Bool { failsOutput }

    /// What went to standard output.
    public var output: String { lock.withLock { outputText } }
    /// What went to standard error.
    public var error: String { lock.withLock { errorText } }
}
