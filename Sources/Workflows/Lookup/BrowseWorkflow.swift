import Foundation
import Report

/// What `athanor serve` shows, from the same code as the commands it stands for: `/api/runs` is `runs --json`,
/// `/api/runs/ID` is `show --json`, `/runs/ID` is the report `render` writes and `/sweeps/ID` its sweep page.
///
/// Each method reads the store again, so that a page reflects runs recorded since the server started.
public struct BrowseWorkflow: Sendable {
    public var store: RunStore
    public var templates: ReportTemplates

    public init(store: RunStore, templates: ReportTemplates) {
        self.store = store
        self.templates = templates
    }

    /// The run `id` names (an id, a unique prefix, `latest`), or nil when it names none.
    public func run(_ id: String) -> RunRecord? {
        try? Lookup.run(id, in: store)
    }

    /// `runs --json`: every readable run, newest first.
    public func runsJSON() throws -> String {
        RunJSON.text(try store.list().runs.map(RunJSON.summary))
    }

    /// `show --json` of `run`.
    public func runJSON(_ run: RunRecord) -> String {
        RunJSON.text(RunJSON.object(run))
    }

    /// The sweep `id` as `sweeps --json` lists it, with its runs as `runs --sweep ID --json` does; nil when
    /// `id` names no sweep.
    public func sweepJSON(_ id: String) throws -> String? {
        let runs = try store.runs(sweep: id)
        guard id.hasPrefix("s"), !runs.isEmpty else { return nil }
        var object = SweepJSON.row(id, runs: runs)
        object["members"] = runs.map(RunJSON.summary)
        return RunJSON.text(object)
    }

    /// The report of `run`, exactly as `render` writes it to the file its record names (or the kept copy).
    public func report(_ run: RunRecord) throws -> String {
        let name = run.report.map { URL(fileURLWithPath: $0).lastPathComponent } ?? "\(run.id).html"
        return try ReportRenderer(templates: templates).render(run, reportName: name).html
    }

    /// The sweep's comparison page, its runs linked by `link(RUNID)`; nil when `id` names no sweep.
    public func sweepPage(_ id: String, link: @escaping (String) -> String) throws -> String? {
        let members = try Lookup.sweep(id, in: store)
        guard !members.isEmpty else { return nil }
        let objective = members.lazy.compactMap { SweepObjective.recorded(inCommand: $0.command) }.first
        let comparison = SweepComparison.recorded(id, runs: members, objective: objective)
        return try SweepReportRenderer(templates: templates).render(comparison, link: link)
    }
}

/// A sweep as `sweeps --json` lists it.
enum SweepJSON {
    static func row(_ id: String, runs: [RunRecord]) -> [String: Any] {
        [
            "id": id, "notebook": runs.first?.notebook ?? "", "runs": runs.count,
            "failed": runs.filter { $0.status != .succeeded }.count,
            "started": RunJSON.iso(runs.map(\.started).min() ?? Date()),
            "swept": SweptParameter.differing(in: runs).map(\.name),
        ]
    }
}
