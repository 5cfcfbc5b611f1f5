import Foundation
import GRDB

extension RunStore {
    /// Deletes the rows of `run.id` and inserts `run` afresh.
    ///
    /// Each table's rows go through one prepared statement, re-bound per row; a series is one row, its points
    /// packed in a BLOB.
    static func replace(_ run: RunRecord, in db: Database) throws {
        try deleteRows(of: run.id, in: db)
        try insertRun(run, in: db)
        let row = db.lastInsertedRowID

        let parameter = try db.makeStatement(
            sql: "INSERT INTO parameters (run, position, name, value, overridden) VALUES (?, ?, ?, ?, ?)")
        for (position, item) in run.parameters.enumerated() {
            try parameter.execute(arguments: [row, position, text(item.name), text(item.value), item.overridden])
        }

        let step = try db.makeStatement(
            sql: """
                INSERT INTO steps (
                    run, position, name, op, cache_key, cache, seconds, status, error, explanation, log, previews,
                    configuration)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for (position, item) in run.steps.enumerated() {
            let previews =
                item.previews.isEmpty ? nil : String(decoding: try encoder.encode(item.previews), as: UTF8.self)
            let configuration = try item.configuration.map { String(decoding: try encoder.encode($0), as: UTF8.self) }
            try step.execute(arguments: [
                row, position, text(item.name), text(item.op), text(item.cacheKey), item.cache?.rawValue,
                real(item.seconds), item.status.rawValue, text(item.error), text(item.explanation), text(item.log),
                text(previews), text(configuration),
            ])
        }

        let dataset = try db.makeStatement(
            sql: """
                INSERT INTO datasets (run, position, step, path, sha256, row_count, column_count, bytes)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?)
                """)
        for (position, item) in run.datasets.enumerated() {
            try dataset.execute(arguments: [
                row, position, text(item.step), text(item.path), text(item.sha256), item.rows, item.columns,
                item.bytes,
            ])
        }

        let metric = try db.makeStatement(
            sql: "INSERT INTO metrics (run, position, name, has_value, value, json) VALUES (?, ?, ?, ?, ?, ?)")
        for (position, item) in run.metrics.enumerated() {
            try metric.execute(arguments: [
                row, position, text(item.name), item.value != nil, item.value.map(real), text(item.json),
            ])
        }

        // A series' points are one BLOB (schema v3): a million points are one 16 MB value to write, not a
        // million rows.
        let series = try db.makeStatement(sql: "INSERT INTO series (run, position, name, points) VALUES (?, ?, ?, ?)")
        for (position, item) in run.series.enumerated() {
            try series.execute(arguments: [row, position, text(item.name), PackedPoints.data(item.points)])
        }

        let artifact = try db.makeStatement(
            sql: "INSERT INTO artifacts (run, position, step, name, sha256, size) VALUES (?, ?, ?, ?, ?, ?)")
        for (position, item) in run.artifacts.enumerated() {
            try artifact.execute(arguments: [
                row, position, text(item.step), text(item.name), text(item.sha256), item.size,
            ])
        }
        try insertFigures(of: run, row: row, in: db)
    }

    /// Deletes the rows of the run `id`: its points of a store before v3, then the run, whose other children
    /// follow by cascade.
    static func deleteRows(of id: String, in db: Database) throws {
        try db.execute(
            sql: "DELETE FROM series_points WHERE run = (SELECT row FROM runs WHERE id = ?)", arguments: [id])
        try db.execute(sql: "DELETE FROM runs WHERE id = ?", arguments: [id])
    }

    private static func insertRun(_ run: RunRecord, in db: Database) throws {
        let command = String(decoding: try JSONEncoder().encode(run.command), as: UTF8.self)
        let environment = run.environment
        let arguments: StatementArguments =
            [
                run.id, run.notebook, text(run.notebookSHA256), text(run.notebookSource), text(run.title),
                run.started.timeIntervalSinceReferenceDate, run.finished?.timeIntervalSinceReferenceDate,
                storedStatus(run.status), command, text(run.report), run.sweep,
                text(environment.toolVersion), text(environment.engineVersion), text(environment.os),
                text(environment.cpuModel), environment.cores, text(environment.gitCommit), environment.gitDirty,
                text(environment.blasKernel?.name), environment.blasKernel?.source.rawValue,
            ] + StatementArguments(ownerArguments(run))
        try db.execute(
            sql: """
                INSERT INTO runs (
                    id, notebook, notebook_sha256, notebook_source, title, started, finished, status, command,
                    report, sweep, tool_version, engine_version, os, cpu_model, cores, git_commit, git_dirty,
                    blas_kernel, blas_kernel_source, \(ownerColumns))
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                """,
            arguments: arguments)
    }

    /// `text` as SQLite should keep it whole.
    ///
    /// SQLite's C API, as GRDB calls it, ends text at its first NUL byte. Text holding one (a notebook or a
    /// command's output may) is stored as a BLOB of its UTF-8 bytes; `Row.text(at:)` reads both forms.
    static func text(_ text: String?) -> DatabaseValue {
        guard let text else { return .null }
        if text.utf8.contains(0) {
            return Data(text.utf8).databaseValue
        }
        return text.databaseValue
    }

    /// `value` as a REAL, or NULL for NaN, which SQLite stores as NULL anyway; read back by `Row.real(at:)`.
    static func real(_ value: Double) -> DatabaseValue {
        value.isNaN ? .null : value.databaseValue
    }
}
