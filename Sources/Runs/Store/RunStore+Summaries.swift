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

    public init(
        id: String, notebook: String, title: String? = nil, status: RunStatus, started: Date, finished: Date? = nil,
        sweep: String? = nil, parameters: [(name: String, value: String)] = [],
        metrics: [(name: String, value: Double)] = [], tags: [String: String] = [:]
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
    }

    public func parameter(_ name: String) -> String? { parameters.first { $0.name == name }?.value }
    public func metric(_ name: String) -> Double? { metrics.first { $0.name == name }?.value }

    public static func == (a: RunSummary, b: RunSummary) -> Bool {
        a.id == b.id && a.notebook == b.notebook && a.title == b.title && a.status == b.status
            && a.started == b.started && a.finished == b.finished && a.sweep == b.sweep
            && a.parameters.elementsEqual(b.parameters) { $0 == $1 }
            && a.metrics.elementsEqual(b.metrics) { $0.name == $1.name && $0.value.bitPattern == $1.value.bitPattern }
            && a.tags == b.tags
    }

    public func hash(into hasher: inout Hasher) { hasher.combine(id) }
}

extension RunStore {
    /// Every run's summary, newest first, in one query: parameters, metrics and tags arrive as one text each,
    /// their entries joined by the ASCII record separator and each name from its value by the unit separator
    /// (JSON text, names and numbers hold neither). A row that does not read is left out, as `list` skips it.
    public func summaries() throws -> [RunSummary] {
        let sql = """
            SELECT r.id, r.notebook, r.title, r.started, r.finished, r.status, r.sweep, \(Self.ownerColumns),
                (SELECT group_concat(name || char(31) || value, char(30))
                    FROM (SELECT name, value FROM parameters WHERE run = r.row ORDER BY position)),
                (SELECT group_concat(name || char(31) || ifnull(printf('%!.17g', value), 'nan'), char(30))
                    FROM (SELECT name, value FROM metrics WHERE run = r.row AND has_value ORDER BY position)),
                (SELECT group_concat(name || char(31) || value, char(30))
                    FROM (SELECT name, value FROM tags WHERE run_id = r.id ORDER BY name))
            FROM runs r ORDER BY r.started DESC, r.id DESC
            """
        return try attempt {
            try read { db in
                var summaries: [RunSummary] = []
                let rows = try Row.fetchCursor(db, sql: sql)
                while let row = try rows.next() {
                    if let summary = Self.summary(row) { summaries.append(summary) }
                }
                return summaries
            }
        }
    }

    private static func summary(_ row: Row) -> RunSummary? {
        guard let id = try? row.text(at: 0), let notebook = try? row.text(at: 1),
            let started = try? row.decode(Double.self, atIndex: 3),
            let stored = try? row.text(at: 5), var status = RunStatus(rawValue: stored)
        else { return nil }
        if status == .running, owner(in: row, at: 7)?.liveness == .gone { status = .abandoned }
        let parameters = pairs(row, at: 11)
        let metrics = pairs(row, at: 12).map { (name: $0.0, value: Double($0.1) ?? .nan) }
        var tags: [String: String] = [:]
        for (name, value) in pairs(row, at: 13) { tags[name] = value }
        tags.removeValue(forKey: noteName)
        return RunSummary(
            id: id, notebook: notebook, title: (try? row.optionalText(at: 2)) ?? nil,
            status: status, started: Date(timeIntervalSinceReferenceDate: started),
            finished: (try? row.decode(Double.self, atIndex: 4)).map(Date.init(timeIntervalSinceReferenceDate:)),
            sweep: (try? row.optionalText(at: 6)) ?? nil, parameters: parameters.map { (name: $0.0, value: $0.1) },
            metrics: metrics, tags: tags)
    }

    /// The `name␟value␞name␟value` text at `index` as pairs.
    private static func pairs(_ row: Row, at index: Int) -> [(String, String)] {
        guard let text = (try? row.optionalText(at: index)) ?? nil else { return [] }
        return text.split(separator: "\u{1E}").compactMap { entry in
            guard let split = entry.firstIndex(of: "\u{1F}") else { return nil }
            return (String(entry[..<split]), String(entry[split...].dropFirst()))
        }
    }
}
