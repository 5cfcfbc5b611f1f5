import Foundation
import Report

/// `athanor reproduce RUN|REPORT.html`: re-run a recorded run, or the run a report embeds, without the cache,
/// and prove its data hashes, metrics, series and artifacts the same. A report is someone else's file: its
/// commands run only with `--allow-commands`, and its data comes only from the data folder.
public struct ReproduceWorkflow: Sendable {
    public var options: Options
    public var invocation: Invocation

    public init(_ options: Options, in invocation: Invocation) {
        self.options = options
        self.invocation = invocation
    }

    public func run() -> CommandStatus {
        perform(invocation.console) {
            let original: RunRecord
            let digests: [SeriesDigest]?
            let plan: RunPlan
            let store: RunStore
            // A reproduction is recorded in the working folder's project, never in one a report points at.
            let project = invocation.project
            if options.isReport {
                let manifest = try readManifest(invocation.url(options.target))
                original = manifest.run
                digests = manifest.series
                let folder = invocation.url(options.data ?? ".")
                plan = try ReportTrust.plan(
                    of: original, report: options.target, dataFolder: folder, allowCommands: options.allowCommands)
                // Opened only once the report is accepted, so that a refused one leaves nothing behind.
                store = try openStore(project)
            } else {
                store = try openStore(project)
                original = try Lookup.run(options.target, in: store)
                digests = nil
                plan = try checkedPlan(Reproduction.plan(of: original, in: project))
            }
            var reproduced = try execute(
                plan, project: project, store: store, useCache: false, quiet: options.quiet, in: invocation)
            publishReport(
                &reproduced, project: project, store: store, templates: try loadTemplates(nil, in: invocation),
                output: nil, console: invocation.console)
            return compare(original, reproduced, digests: digests)
        }
    }

    func compare(_ original: RunRecord, _ reproduced: RunRecord, digests: [SeriesDigest]?) -> CommandStatus {
        let console = invocation.console
        let differences = Reproduction.differences(
            original, reproduced, tolerance: options.tolerance, seriesDigests: digests)
        let uncompared = Reproduction.uncompared(original, reproduced)
        if differences.isEmpty && uncompared.isEmpty {
            let series = digests?.count ?? original.series.count
            let count = original.artifacts.count
            let artifacts = count == 0 ? "" : ", \(count) artifact\(count == 1 ? "" : "s")"
            console.print(
                "run \(original.id) reproduced as \(reproduced.id): \(original.datasets.count) data hashes, "
                    + "\(original.metrics.count) metrics\(artifacts) and \(series) series are the same")
            return .success
        }
        if differences.isEmpty {
            console.print("run \(original.id) could not be reproduced in full (new run \(reproduced.id)):")
        } else {
            console.print("run \(original.id) did not reproduce (new run \(reproduced.id)):")
        }
        for line in differences + uncompared { console.print("  \(line)") }
        return .failure
    }

    private func readManifest(_ url: URL) throws -> ReportManifest {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw WorkflowFailure.invalid("cannot read the report '\(options.target)'")
        }
        do {
            return try ReportManifest.extract(fromReport: String(decoding: data, as: UTF8.self), path: options.target)
        } catch {
            throw WorkflowFailure.invalid(error)
        }
    }
}

/// A plan, or exit 2 with its problems.
func checkedPlan(_ result: Result<RunPlan, DiagnosticList>) throws -> RunPlan {
    switch result {
    case .success(let plan): return plan
    case .failure(let problems): throw WorkflowFailure(.invalid, problems.diagnostics)
    }
}
