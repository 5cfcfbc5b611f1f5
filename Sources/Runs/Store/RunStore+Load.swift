import Engine
import Foundation
import GRDB

extension RunStore {
    /// The runs selected by `condition` (SQL over the `runs` table), newest first, with all their parts, and
    /// those that cannot be read back, each with why: one damaged row costs its run, not the listing.
    ///
    /// One query per table whatever the number of runs, so that listing a thousand runs stays quick.
    static func records(in db: Database, where condition: String, arguments: StatementArguments) throws
        -> RunList
    {
        // The first reason each run cannot be read, by run row.
        var damage: [Int64: String] = [:]
        let selected = "WHERE run IN (SELECT row FROM runs WHERE \(condition))"
        let scope = "\(selected) ORDER BY run, position"

        let parameters = try children(
            db, damage: &damage, sql: "SELECT run, name, value, overridden FROM parameters \(scope)",
            arguments: arguments
        ) { row in
            RecordedParameter(
                name: try row.text(at: 1), value: try row.text(at: 2), overridden: try row.value(at: 3))
        }

        let steps = try children(
            db, damage: &damage,
            sql: """
                SELECT run, name, op, cache_key, cache, seconds, status, error, explanation, log, previews,
                    configuration
                FROM steps \(scope)
                """,
            arguments: arguments
        ) { row in
            try StoredStep(
                name: row.text(at: 1), op: row.text(at: 2), cacheKey: row.text(at: 3),
                cache: row.optionalValue(at: 4), seconds: row.real(at: 5), status: row.value(at: 6),
                error: row.optionalText(at: 7), explanation: row.optionalText(at: 8), log: row.optionalText(at: 9),
                previews: row.optionalText(at: 10), configuration: row.optionalText(at: 11))
        }

        let datasets = try children(
            db, damage: &damage,
            sql: "SELECT run, step, path, sha256, row_count, column_count, bytes FROM datasets \(scope)",
            arguments: arguments
        ) { row in
            DatasetRecord(
                step: try row.text(at: 1), path: try row.text(at: 2), sha256: try row.text(at: 3),
                rows: try row.value(at: 4), columns: try row.value(at: 5), bytes: try row.value(at: 6)
            )
        }

        let metrics = try children(
            db, damage: &damage, sql: "SELECT run, name, has_value, value, json FROM metrics \(scope)",
            arguments: arguments
        ) { row in
            let hasValue = try row.value(Bool.self, at: 2)
            return MetricRecord(
                name: try row.text(at: 1), value: hasValue ? try row.real(at: 3) : nil,
                json: try row.optionalText(at: 4))
        }

        let series = try self.series(in: db, selected: selected, arguments: arguments, damage: &damage)

        let artifacts = try children(
            db, damage: &damage, sql: "SELECT run, step, name, sha256, size FROM artifacts \(scope)",
            arguments: arguments
        ) { row in
            ArtifactRecord(
                step: try row.text(at: 1), name: try row.text(at: 2), sha256: try row.text(at: 3),
                size: try row.value(at: 4))
        }

        var list = RunList(runs: [], damaged: [])
        let rows = try Row.fetchCursor(
            db,
            sql: """
                SELECT row, id, notebook, notebook_sha256, notebook_source, title, started, finished, status,
                    command, report, sweep, tool_version, engine_version, os, cpu_model, cores, git_commit, git_dirty,
                    blas_kernel, blas_kernel_source, \(ownerColumns)
                FROM runs WHERE \(condition) ORDER BY started DESC, id DESC
                """,
            arguments: arguments)
        while let row = try rows.next() {
            let key = try row.value(Int64.self, at: 0)
            let id = (try? row.optionalText(at: 1)) ?? nil ?? "row \(key)"
            if let reason = damage[key] {
                list.damaged.append(DamagedRun(id: id, reason: reason))
                continue
            }
            do {
                let environment = EnvironmentRecord(
                    toolVersion: try row.text(at: 12), engineVersion: try row.text(at: 13), os: try row.text(at: 14),
                    cpuModel: try row.text(at: 15), cores: try row.value(at: 16),
                    gitCommit: try row.optionalText(at: 17), gitDirty: try row.optionalValue(at: 18),
                    blasKernel: try row.optionalText(at: 19).map { name in
                        BLASKernelRecord(
                            name: name,
                            source: try known(
                                BLASKernelRecord.Source.self, try row.value(at: 20), "BLAS kernel source"))
                    })
                guard
                    let command = try? JSONDecoder().decode([String].self, from: Data(try row.text(at: 9).utf8))
                else { throw DamagedPart(description: "its command line is not a JSON list of strings") }
                let record = RunRecord(
                    id: try row.text(at: 1), notebook: try row.text(at: 2), notebookSHA256: try row.text(at: 3),
                    notebookSource: try row.text(at: 4), title: try row.optionalText(at: 5),
                    started: Date(timeIntervalSinceReferenceDate: try row.value(at: 6)),
                    finished: try row.optionalValue(Double.self, at: 7).map(
                        Date.init(timeIntervalSinceReferenceDate:)),
                    status: try known(RunStatus.self, try row.value(at: 8), "run status"),
                    command: command, parameters: parameters[key] ?? [],
                    steps: try (steps[key] ?? []).map { try $0.record() },
                    datasets: datasets[key] ?? [], metrics: metrics[key] ?? [], series: series[key] ?? [],
                    artifacts: artifacts[key] ?? [], environment: environment, report: try row.optionalText(at: 10),
                    sweep: try row.optionalText(at: 11))
                list.runs.append(owned(record, by: owner(in: row, at: 21)))
            } catch let error as any DamageDescribing {
                list.damaged.append(DamagedRun(id: id, reason: error.description))
            }
        }
        try attachTags(to: &list.runs, in: db)
        try attachJobs(to: &list.runs, in: db)
        return list
    }

    /// The series of the selected runs by run, each with its points in the order they were recorded, from
    /// `series.points` or, for a run saved before schema v3, from `series_points`; a series that cannot be read
    /// marks its run in `damage`.
    private static func series(
        in db: Database, selected: String, arguments: StatementArguments, damage: inout [Int64: String]
    ) throws -> [Int64: [SeriesRecord]] {
        // Points arrive sorted by (run, series): collect each series' run of rows in one array.
        var points: [Int64: [Int: [RecordedPoint]]] = [:]
        var current: (run: Int64, series: Int)?
        var collected: [RecordedPoint] = []
        let rows = try Row.fetchCursor(
            db, sql: "SELECT run, series, idx, value FROM series_points \(selected) ORDER BY run, series, position",
            arguments: arguments)
        while let row = try rows.next() {
            let key = (run: try row.value(Int64.self, at: 0), series: try row.value(Int.self, at: 1))
            if let last = current, last != key {
                points[last.run, default: [:]][last.series] = collected
                collected.removeAll(keepingCapacity: true)
            }
            current = key
            do {
                collected.append(RecordedPoint(try row.value(at: 2), try row.real(at: 3)))
            } catch let error as any DamageDescribing {
                if damage[key.run] == nil { damage[key.run] = error.description }
            }
        }
        if let last = current {
            points[last.run, default: [:]][last.series] = collected
        }

        var series: [Int64: [SeriesRecord]] = [:]
        let names = try Row.fetchCursor(
            db, sql: "SELECT run, position, name, points FROM series \(selected) ORDER BY run, position",
            arguments: arguments)
        while let row = try names.next() {
            let run = try row.value(Int64.self, at: 0)
            do {
                let position = try row.value(Int.self, at: 1)
                let name = try row.text(at: 2)
                let packed = try row.optionalData(at: 3).map { data in
                    data.withUnsafeBytes { PackedPoints.points($0) }
                }
                switch packed {
                case nil:
                    series[run, default: []].append(SeriesRecord(name: name, points: points[run]?[position] ?? []))
                case let packed?:
                    guard let packed else {
                        throw DamagedPart(
                            description: "the points of series '\(name)' are not a whole number of 16-byte points")
                    }
                    series[run, default: []].append(SeriesRecord(name: name, points: packed))
                }
            } catch let error as any DamageDescribing {
                if damage[run] == nil { damage[run] = error.description }
            }
        }
        return series
    }

    /// The rows of one child table grouped by run, in the order the query returns them; a row that cannot be
    /// read marks its run in `damage`.
    private static func children<Part>(
        _ db: Database, damage: inout [Int64: String], sql: String, arguments: StatementArguments,
        part: (Row) throws -> Part
    ) throws -> [Int64: [Part]] {
        var parts: [Int64: [Part]] = [:]
        let rows = try Row.fetchCursor(db, sql: sql, arguments: arguments)
        while let row = try rows.next() {
            let run = try row.value(Int64.self, at: 0)
            do {
                parts[run, default: []].append(try part(row))
            } catch let error as any DamageDescribing {
                if damage[run] == nil { damage[run] = error.description }
            }
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
        let previews = try previews.map { text in
            guard let decoded = try? JSONDecoder().decode([DataPreview].self, from: Data(text.utf8)) else {
                throw DamagedPart(description: "the data previews of step '\(name)' are not readable JSON")
            }
            return decoded
        }
        let configuration = try configuration.map { text in
            guard let decoded = try? JSONDecoder().decode(StepConfiguration.self, from: Data(text.utf8)) else {
                throw DamagedPart(description: "the configuration of step '\(name)' is not readable JSON")
            }
            return decoded
        }
        return StepRecord(
            name: name, op: op, cacheKey: cacheKey,
            cache: try cache.map { try RunStore.known(StepRecord.Cache.self, $0, "step cache") }, seconds: seconds,
            status: try RunStore.known(StepRecord.Status.self, status, "step status"), error: error,
            explanation: explanation, log: log, previews: previews ?? [], configuration: configuration)
    }
}
