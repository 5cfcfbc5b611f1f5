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
            let members = try Lookup.sweep(id, in: store)
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
