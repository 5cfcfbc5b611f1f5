import Foundation
import GRDB

/// What a listing of many runs shows of each (`athanor serve`'s index): no steps, data, series or source, so
/// that five thousand runs read in one query rather than six queries' worth of every run's rows.
public struct RunSummary: Sendable, Hashable {
    public var id: String
    public var notebook: String
    public var title: String?
    public var status: RunStatus
    public var started: Date
    public var finished: Date?
    public var sweep: String?
    /// Name and value (JSON text), in the notebook's order.
    public var parameters: [(name: String, value: String)]
    /// The metrics with a number (NaN included), in the order recorded; a confusion matrix is left out.
    public var metrics: [(name: String, value: Double)]
    public var tags: [String: String]
    /// The process that records a run still running, to tell later whether it still is.
    public var owner: RunOwner?

    public init(
        id: String, notebook: String, title: String? = nil, status: RunStatus, started: Date, finished: Date? = nil,
        sweep: String? = nil, parameters: [(name: String, value: String)] = [],
        metrics: [(name: String, value: Double)] = [], tags: [String: String] = [:], owner: RunOwner? = nil
    ) {
        self.id = id
        self.notebook = notebook
        self.title = title
        self.status = status
        self.started = started
        self.finished = finished
        self.sweep = sweep
        self.parameters = parameters
        self.metrics = metrics
        self.tags = tags
        self.owner = owner
    }

    public func parameter(_ name: String) -> String? { parameters.first { $0.name == name }?.value }
    public func metric(_ name: String) -> Double? { metrics.first { $0.name == name }?.value }

    public static func == (a: RunSummary, b: RunSummary) -> Bool {
        a.id == b.id && a.notebook == b.notebook && a.title == b.title && a.status == b.status
            && a.started == b.started && a.finished == b.finished && a.sweep == b.sweep
            && a.parameters.elementsEqual(b.parameters) { $0 == $1 }
            && a.metrics.elementsEqual(b.metrics) { $0.name == $1.name && $0.value.bitPattern == $1.value.bitPattern }
            && a.tags == b.tags && a.owner == b.owner
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(id) }

    /// This summary as the store would read it now: a run still running whose process has ended since is
    /// abandoned, though nothing in the store changed.
    public func checked() -> RunSummary {
        guard status == .running, owner?.liveness == .gone else { return self }
        var summary = self
        summary.status = .abandoned
        return summary
    }
}

extension RunStore {
    /// Every run's summary, newest first: the runs' rows, then every parameter, metric and tag in one query
    /// each, joined to their run by its row. Four plain scans, where a query per run (or a subquery per run
    /// and table) costs SQLite more than the reading. A row that does not read is left out, as `list` skips it.
    public func summaries() throws -> [RunSummary] {
        try attempt {
            try read { db in
                var summaries: [RunSummary] = []
                var positions: [Int64: Int] = [:]
                var byID: [String: Int] = [:]
                let runs = try Row.fetchCursor(
                    db,
                    sql: """
                        SELECT row, id, notebook, title, started, finished, status, sweep, \(Self.ownerColumns)
                        FROM runs ORDER BY started DESC, id DESC
                        """)
                while let row = try runs.next() {
                    guard let key = try? row.decode(Int64.self, atIndex: 0), let summary = Self.summary(row) else {
                        continue
                    }
                    positions[key] = summaries.count
                    byID[summary.id] = summaries.count
                    summaries.append(summary)
                }
                let parameters = try Row.fetchCursor(
                    db, sql: "SELECT run, name, value FROM parameters ORDER BY run, position")
                while let row = try parameters.next() {
                    guard let key = try? row.decode(Int64.self, atIndex: 0), let at = positions[key],
                        let name = try? row.text(at: 1), let value = try? row.text(at: 2)
                    else { continue }
                    summaries[at].parameters.append((name: name, value: value))
                }
                let metrics = try Row.fetchCursor(
                    db, sql: "SELECT run, name, value FROM metrics WHERE has_value ORDER BY run, position")
                while let row = try metrics.next() {
                    guard let key = try? row.decode(Int64.self, atIndex: 0), let at = positions[key],
                        let name = try? row.text(at: 1), let value = try? row.real(at: 2)
                    else { continue }
                    summaries[at].metrics.append((name: name, value: value))
                }
                let tags = try Row.fetchCursor(
                    db, sql: "SELECT run_id, name, value FROM tags WHERE name != ?",
                    arguments: [Self.noteName])
                while let row = try tags.next() {
                    guard let id = try? row.text(at: 0), let at = byID[id], let name = try? row.text(at: 1),
                        let value = try? row.text(at: 2)
                    else { continue }
                    summaries[at].tags[name] = value
                }
                return summaries
            }
        }
    }

    /// The run's own columns, from `row` onwards after its row number; parameters, metrics and tags are added
    /// from their tables.
    private static func summary(_ row: Row) -> RunSummary? {
        guard let id = try? row.text(at: 1), let notebook = try? row.text(at: 2),
            let started = try? row.decode(Double.self, atIndex: 4),
            let stored = try? row.text(at: 6), var status = RunStatus(rawValue: stored)
        else { return nil }
        let owner = status == .running ? owner(in: row, at: 8) : nil
        if owner?.liveness == .gone { status = .abandoned }
        return RunSummary(
            id: id, notebook: notebook, title: (try? row.optionalText(at: 3)) ?? nil,
            status: status, started: Date(timeIntervalSinceReferenceDate: started),
            finished: (try? row.decode(Double.self, atIndex: 5)).map(Date.init(timeIntervalSinceReferenceDate:)),
            sweep: (try? row.optionalText(at: 7)) ?? nil, owner: status == .running ? owner : nil)
    }
}
