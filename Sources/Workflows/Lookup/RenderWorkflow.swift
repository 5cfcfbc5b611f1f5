import Foundation
import Report

/// `athanor render RUN|SWEEP [-o FILE] [--template DIR]`: rebuild a report from the store, running nothing.
public struct RenderWorkflow: Sendable {
    public var id: String
    public var output: String?
    public var template: String?
    public var invocation: Invocation

    public init(id: String, output: String? = nil, template: String? = nil, in invocation: Invocation) {
        self.id = id
        self.output = output
        self.template = template
        self.invocation = invocation
    }

    public func run() -> CommandStatus {
        let console = invocation.console
        return perform(console) {
            let templates = try loadTemplates(template, in: invocation)
            let project = invocation.project
            let store = try openStoreForRendering(project)
            let destination = output.map(invocation.url)
            var members = try Lookup.sweep(id, in: store)
            if members.contains(where: { SlurmCollector.isPending($0) }) {
                // A sweep handed to Slurm with --detach: collect the runs whose tasks have ended.
                let collected = SlurmCollector(project: project, store: store, templates: templates, console: console)
                    .collectEnded(members)
                if collected.waiting > 0 {
                    throw WorkflowFailure(
                        .failure,
                        [
                            Diagnostics.tool(
                                "sweep \(id): \(collected.waiting) of \(members.count) runs are still queued or running "
                                    + "in Slurm; render it again when they are done")
                        ])
                }
                members = collected.runs
            }
            if !members.isEmpty {
                let objective = members.lazy.compactMap { SweepObjective.recorded(inCommand: $0.command) }.first
                let comparison = SweepComparison.recorded(id, runs: members, objective: objective)
                let files = SweepReportFiles(project: project, renderer: SweepReportRenderer(templates: templates))
                do {
                    console.print(invocation.relativePath(try files.write(comparison, to: destination)))
                } catch {
                    throw WorkflowFailure.failed(error)
                }
                return .success
            }
            var record = try Lookup.run(id, in: store)
            guard
                let written = publishReport(
                    &record, project: project, store: store, templates: templates, output: destination,
                    console: console)
            else { return .failure }
            console.print(invocation.relativePath(written))
            return .success
        }
    }
}
