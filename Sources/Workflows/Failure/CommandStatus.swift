/// How a command ends (DESIGN §7): 0 success; 1 a step failed, a reproduction differs or a result was lost;
/// 2 the notebook or the command line is invalid.
public enum CommandStatus: Int32, Sendable {
    case success = 0
    case failure = 1
    case invalid = 2
}

/// A use case stopped early: the diagnostics say why, the status how the command ends.
public struct WorkflowFailure: Error, Sendable {
    public var status: CommandStatus
    public var diagnostics: [Diagnostic]

    public init(_ status: CommandStatus, _ diagnostics: [Diagnostic] = []) {
        self.status = status
        self.diagnostics = diagnostics
    }

    /// The command line or the notebook is invalid: exit 2 with `message` as `athanor: error: message`.
    public static func invalid(_ message: String, notes: [String] = []) -> WorkflowFailure {
        WorkflowFailure(.invalid, [Diagnostics.tool(message, notes: notes)])
    }

    /// Any error as exit 2, the diagnostics it stands for.
    public static func invalid(_ error: Error) -> WorkflowFailure {
        WorkflowFailure(.invalid, Diagnostics.of(error))
    }

    /// Any error as exit 1.
    public static func failed(_ error: Error) -> WorkflowFailure {
        WorkflowFailure(.failure, Diagnostics.of(error))
    }
}

/// Runs a use case's body, printing whatever stops it through the console's one printer; then exit 1 if the
/// result on standard output was lost.
public func perform(_ console: Console, _ body: () throws -> CommandStatus) -> CommandStatus {
    var status: CommandStatus
    do {
        status = try body()
    } catch let failure as WorkflowFailure {
        console.report(failure.diagnostics)
        status = failure.status
    } catch {
        console.report(error: error)
        status = .failure
    }
    if console.outputFailed && status == .success {
        console.printError("athanor: error: standard output could not be written; the result is lost")
        status = .failure
    }
    return status
}
