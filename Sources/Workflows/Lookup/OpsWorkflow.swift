/// `athanor ops [OP] [--markdown]`: what each operation takes, from its schema.
public struct OpsWorkflow: Sendable {
    public var operation: String?
    public var markdown: Bool
    public var invocation: Invocation

    public init(operation: String? = nil, markdown: Bool = false, in invocation: Invocation) {
        self.operation = operation
        self.markdown = markdown
        self.invocation = invocation
    }

    public func run() -> CommandStatus {
        perform(invocation.console) {
            guard let operation else {
                invocation.console.write(
                    markdown ? OperationsText.markdown() : OperationsText.list() + "\n", to: .output)
                return .success
            }
            let name = operation.hasSuffix(":") ? String(operation.dropLast()) : operation
            guard let text = OperationsText.markdown(of: name) else {
                let suggestion = Suggestion.closest(to: name, in: OperationsText.names)
                throw WorkflowFailure.invalid(
                    "no operation '\(operation)'; operations are \(OperationsText.names.joined(separator: ", "))"
                        + (suggestion.map { "; did you mean '\($0)'?" } ?? ""))
            }
            invocation.console.write(text, to: .output)
            return .success
        }
    }
}
