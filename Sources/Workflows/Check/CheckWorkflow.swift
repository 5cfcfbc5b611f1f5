/// `athanor check NB.md…`: every problem of each notebook as `FILE:LINE:COL: error: message`, then a summary
/// line per notebook; exit 2 when any has an error.
public struct CheckWorkflow: Sendable {
    public var notebooks: [String]
    public var quiet: Bool
    public var invocation: Invocation

    public init(notebooks: [String], quiet: Bool = false, in invocation: Invocation) {
        self.notebooks = notebooks
        self.quiet = quiet
        self.invocation = invocation
    }

    public func run() -> CommandStatus {
        perform(invocation.console) {
            var failed = false
            for path in notebooks {
                let check = FileCheck(path: path, at: invocation.url(path))
                invocation.console.report(check.diagnostics)
                if check.hasErrors { failed = true }
                if !quiet || check.hasErrors { invocation.console.print(check.summary) }
            }
            return failed ? .invalid : .success
        }
    }
}
