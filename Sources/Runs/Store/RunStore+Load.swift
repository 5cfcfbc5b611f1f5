import Engine
import Foundation
import GRDB

extension RunStore {
    /// The runs selected by `condition` (SQL over the `runs` table), newest first, with all their parts.
    ///
    /// One query per table whatever the number of runs, so that listing a thousand runs stays quick.
    static func records(in db: Database, where condition: String, arguments: StatementArguments) throws
        -> [RunRecord]
    {
        let selected = "WHERE run IN (SELECT row FROM runs WHERE \(condition))"
        let scope = "\(selected) ORDER BY run, position"

        let parameters = try children(
            db, sql: "SELECT run, name, value, overridden FROM parameters \(scope)",
            arguments: arguments
        ) { row in
            RecordedParameter(
                name: try row.text(at: 1), value: try row.text(at: 2), overridden: try row.decode(atIndex: 3))
        }

        let steps = try children(
            db,
            sql: """
                SELECT run, name, op, cache_key, cache, seconds, status, error, explanation, log, previews,
                    configuration
                FROM steps \(scope)
                """,
            arguments: arguments
        ) { row in
            try StoredStep(
                name: row.text(at: 1), op: row.text(at: 2), cacheKey: row.text(at: 3),
                cache: row.decode(atIndex: 4), seconds: row.real(at: 5), status: row.decode(atIndex: 6),
                error: row.optionalText(at: 7), explanation: row.optionalText(at: 8), log: row.optionalText(at: 9),
                previews: row.optionalText(at: 10), configuration: row.optionalText(at: 11))
        }

        let datasets = try children(
            db,
            sql: "SELECT run, step, path, sha256, row_count, column_count, bytes FROM datasets \(scope)",
            arguments: arguments
        ) { row in
            DatasetRecord(
                step: try row.text(at: 1), path: try row.text(at: 2), sha256: try row.text(at: 3),
                rows: try row.decode(atIndex: 4), columns: try row.decode(atIndex: 5), bytes: try row.decode(atIndex: 6)
            )
        }

        let metrics = try children(
            db, sql: "SELECT run, name, has_value, value, json FROM metrics \(scope)",
            arguments: arguments
        ) { row in
            let hasValue = try row.decode(Bool.self, atIndex: 2)
            return MetricRecord(
                name: try row.text(at: 1), value: hasValue ? try row.real(at: 3) : nil,
                json: try row.optionalText(at: 4))
        }

        let series: [Int64: [SeriesRecord]]
        do {
            series = try self.series(in: db, selected: selected, arguments: arguments)
        } catch let error as UnreadableSeries {
            let id = try String.fetchOne(db, sql: "SELECT id FROM runs WHERE row = ?", arguments: [error.run])
            throw RunStoreError.unreadableRun(id: id ?? "", reason: error.description)
        }

        let artifacts = try children(
            db, sql: "SELECT run, step, name, sha256, size FROM artifacts \(scope)",
            arguments: arguments
        ) { row in
            ArtifactRecord(
                step: try row.text(at: 1), name: try row.text(at: 2), sha256: try row.text(at: 3),
                size: try row.decode(atIndex: 4))
        }

        var records: [RunRecord] = []
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT row, id, notebook, notebook_sha256, notebook_source, title, started, finished, status,
                    command, report, sweep, tool_version, engine_version, os, cpu_model, cores, git_commit, git_dirty,
                    blas_kernel, blas_kernel_source
                FROM runs WHERE \(condition) ORDER BY started DESC, id DESC
                """,
            arguments: arguments)
        while let row = try rows.next() {
            let key = try row.decode(Int64.self, atIndex: 0)
            let id = try row.decode(String.self, atIndex: 1)
            // A part this version does not know (a status added later) names the run that holds it.
            do {
                let environment = EnvironmentRecord(
                    toolVersion: try row.text(at: 12), engineVersion: try row.text(at: 13), os: try row.text(at: 14),
                    cpuModel: try row.text(at: 15), cores: try row.decode(atIndex: 16),
                    gitCommit: try row.optionalText(at: 17), gitDirty: try row.decode(atIndex: 18),
                    blasKernel: try row.optionalText(at: 19).map { name in
                        BLASKernelRecord(
                            name: name,
                            source: try known(
                                BLASKernelRecord.Source.self, try row.decode(atIndex: 20), "BLAS kernel source"))
                    })
                let command = try JSONDecoder().decode([String].self, from: Data(try row.text(at: 9).utf8))
                records.append(
                    RunRecord(
                        id: id, notebook: try row.text(at: 2), notebookSHA256: try row.text(at: 3),
                        notebookSource: try row.text(at: 4), title: try row.optionalText(at: 5),
                        started: Date(timeIntervalSinceReferenceDate: try row.decode(atIndex: 6)),
                        finished: try row.decode(Double?.self, atIndex: 7).map(
                            Date.init(timeIntervalSinceReferenceDate:)),
                        status: try known(RunStatus.self, try row.decode(atIndex: 8), "run status"),
                        command: command, parameters: parameters[key] ?? [],
                        steps: try (steps[key] ?? []).map { try $0.record() },
                        datasets: datasets[key] ?? [], metrics: metrics[key] ?? [], series: series[key] ?? [],
                        artifacts: artifacts[key] ?? [], environment: environment, report: try row.optionalText(at: 10),
                        sweep: try row.decode(atIndex: 11)))
            } catch let error as UnknownValue {
                throw RunStoreError.unreadableRun(id: id, reason: error.description)
            } catch is DecodingError {
                throw RunStoreError.unreadableRun(id: id, reason: "its command line is not a JSON list of strings")
            }
        }
        return try withOwners(records, in: db, where: condition, arguments: arguments)
    }

    /// The series of the selected runs by run, each with its points in the order they were recorded, from
    /// `series.points` or, for a run saved before schema v3, from `series_points`.
    private static func series(in db: Database, selected: String, arguments: StatementArguments) throws
        -> [Int64: [SeriesRecord]]
    {
        // Points arrive sorted by (run, series): collect each series' run of rows in one array.
        var points: [Int64: [Int: [RecordedPoint]]] = [:]
        var current: (run: Int64, series: Int)?
        var collected: [RecordedPoint] = []
        let rows = try Row.fetchCursor(
            db, sql: "SELECT run, series, idx, value FROM series_points \(selected) ORDER BY run, series, position",
            arguments: arguments)
        while let row = try rows.next() {
            let key = (run: try row.decode(Int64.self, atIndex: 0), series: try row.decode(Int.self, atIndex: 1))
            if let last = current, last != key {
                points[last.run, default: [:]][last.series] = collected
                collected.removeAll(keepingCapacity: true)
            }
            current = key
            collected.append(RecordedPoint(try row.decode(atIndex: 2), try row.real(at: 3)))
        }
        if let last = current {
            points[last.run, default: [:]][last.series] = collected
        }

        var series: [Int64: [SeriesRecord]] = [:]
        let names = try Row.fetchCursor(
            db, sql: "SELECT run, position, name, points FROM series \(selected) ORDER BY run, position",
            arguments: arguments)
        while let row = try names.next() {
            let run = try row.decode(Int64.self, atIndex: 0)
            let position = try row.decode(Int.self, atIndex: 1)
            let name = try row.text(at: 2)
            let packed = try row.withUnsafeData(atIndex: 3) { data in
                data.map { data in data.withUnsafeBytes { PackedPoints.points($0) } }
            }
            switch packed {
            case nil:
                series[run, default: []].append(SeriesRecord(name: name, points: points[run]?[position] ?? []))
            case let packed?:
                guard let packed else {
                    throw UnreadableSeries(run: run, name: name)
                }
                series[run, default: []].append(SeriesRecord(name: name, points: packed))
            }
        }
        return series
    }

    /// The rows of one child table grouped by run, in the order the query returns them.
    private static func children<Part>(
        _ db: Database, sql: String, arguments: StatementArguments, part: (Row) throws -> Part
    ) throws -> [Int64: [Part]] {
        var parts: [Int64: [Part]] = [:]
        let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try rows.next() {
            parts[try row.decode(Int64.self, atIndex: 0), default: []].append(try part(row))
        }
        return parts
    }

    /// The case of `Value` stored as `raw`, or an error naming what it was.
    fileprivate static func known<Value: RawRepresentable<String>>(_: Value.Type, _ raw: String, _ what: String) throws
        -> Value
    {
        guard let value = Value(rawValue: raw) else {
            throw UnknownValue(what: what, value: raw)
        }
        return value
    }
}

/// A stored value this version has no case for.
private struct UnknownValue: Error, CustomStringConvertible {
    var what: String
    var value: String

    var description: String { "unknown \(what) '\(value)'" }
}

/// A series whose BLOB of points is not a whole number of points.
private struct UnreadableSeries: Error, CustomStringConvertible {
    var run: Int64
    var name: String

    var description: String { "the points of series '\(name)' are not a whole number of 16-byte points" }
}

/// A step as stored, its cache and status still text, so that an unknown value is reported with its run.
private struct StoredStep {
    var name: String
    var op: String
    var cacheKey: String
    var cache: String?
    var seconds: Double
    var status: String
    var error: String?
    var explanation: String?
    var log: String?
    /// JSON of `[DataPreview]`.
    var previews: String?
    /// JSON of `StepConfiguration`.
    var configuration: String?

    func record() throws -> StepRecord {
        let previews = try previews.map { try JSONDecoder().decode([DataPreview].self, from: Data($0.utf8)) }
        let configuration = try configuration.map {
            try JSONDecoder().decode(StepConfiguration.self, from: Data($0.utf8))
        }
        return StepRecord(
            name: name, op: op, cacheKey: cacheKey,
            cache: try cache.map { try RunStore.known(StepRecord.Cache.self, $0, "step cache") }, seconds: seconds,
            status: try RunStore.known(StepRecord.Status.self, status, "step status"), error: error,
            explanation: explanation, log: log, previews: previews ?? [], configuration: configuration)
    }
}

extension Row {
    /// Text stored by `RunStore.text(_:)`, as TEXT or, when it holds a NUL, as a BLOB of UTF-8.
    fileprivate func text(at index: Int) throws -> String {
        guard let text = try optionalText(at: index) else {
            // Let GRDB describe the unexpected NULL.
            return try decode(String.self, atIndex: index)
        }
        return text
    }

    fileprivate func optionalText(at index: Int) throws -> String? {
        try withUnsafeData(atIndex: index) { data in
            data.map { String(decoding: $0, as: UTF8.self) }
        }
    }

    /// A REAL stored by `RunStore.real(_:)`: NULL stands for NaN.
    fileprivate func real(at index: Int) throws -> Double {
        try decode(Double?.self, atIndex: index) ?? .nan
    }
}
