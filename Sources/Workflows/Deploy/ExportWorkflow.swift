import Foundation

/// `athanor export RUN:STEP -o FILE`: a run's model, its fitted transforms, raw schema and lineage in one
/// portable file, which `athanor serve-model FILE` serves with the same predictions.
public struct ExportWorkflow: Sendable {
    public var reference: String
    public var output: String
    public var invocation: Invocation

    public init(reference: String, output: String, in invocation: Invocation) {
        self.reference = reference
        self.output = output
        self.invocation = invocation
    }

    public func run() -> CommandStatus {
        let console = invocation.console
        return perform(console) {
            let bundle = try ModelBundle.resolve(reference, in: invocation.project)
            let url = invocation.url(output)
            do {
                try bundle.write(to: url)
            } catch {
                throw WorkflowFailure(
                    .failure, [Diagnostics.tool("cannot write \(output): \(error.localizedDescription)")])
            }
            let columns = bundle.schema.columns.count
            console.print(
                "\(output): model '\(bundle.lineage.step)' of run \(bundle.lineage.runID), "
                    + "\(bundle.transforms.count) transform\(bundle.transforms.count == 1 ? "" : "s"), "
                    + "\(columns) raw column\(columns == 1 ? "" : "s")")
            return .success
        }
    }
}
