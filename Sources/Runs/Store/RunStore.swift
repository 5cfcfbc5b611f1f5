import Foundation
import GRDB

/// Every run of every notebook of a project, in `.athanor/runs.sqlite` (DESIGN §2, §3).
///
/// A GRDB `DatabasePool` in WAL mode: readers never wait for the writer, and several processes (a sweep, a
/// cluster sharing a directory) can save runs into one store, each waiting its turn through the busy timeout.
/// Every error leaves as a `RunStoreError` that names the store's path.
public final class RunStore: Sendable {
    /// The database file, as given.
    public let path: String
    let connection: Connection

    /// How the store reaches its file.
    enum Connection: Sendable {
        /// Read and written: the pool of a store opened with `init(path:)`.
        case writing(DatabasePool)
        /// Read only, through a connection that writes nothing, not even SQLite's `-wal` and `-shm` files.
        case reading(RunStoreReader)
    }

    /// Opens the store at `path`, creating the file and its directories if missing, and brings its schema
    /// up to date.
    ///
    /// A store written by a newer Athanor is refused, untouched, rather than misread.
    public init(path: String) throws {
        self.path = path
        connection = .writing(try Self.openPool(path: path))
    }

    /// Opens the store at `path` for reading only, for commands that only read (`runs`, `show`, `diff`,
    /// `render`, `cache gc`): it creates no file and no directory, and changes nothing in the store's file, so
    /// that reading works in an archived, read-only project and leaves no `.athanor/` behind.
    ///
    /// A store that does not exist reads as an empty history. A store that needs a migration is refused with
    /// `RunStoreError.needsUpgrade` (migrating is writing), one of a newer version with `.newerVersion`, and a
    /// file that is empty or not SQLite with `.corrupted`, which says how to move it aside. `save` and `delete`
    /// throw `.openedForReading`.
    public init(readingAt path: String) throws {
        self.path = path
        connection = .reading(try RunStoreReader(path: path))
    }

    /// Whether the store was opened with `init(readingAt:)`: `save` and `delete` refuse, so that a command
    /// rendering a report from a read-only project writes the report only where it was asked to.
    public var isOpenForReading: Bool {
        if case .reading = connection { return true }
        return false
    }

    /// Records `run`, replacing whatever was recorded under its id, in one transaction.
    ///
    /// Called when a run starts, after its steps, and when it ends; a reader sees either the previous
    /// record or this one, never a mix.
    public func save(_ run: RunRecord) throws {
        try attempt {
            try writer().write { db in
                try Self.replace(run, in: db)
            }
        }
    }

    /// Records where `run`'s report was written, and nothing else, when the run is recorded; else records
    /// `run` whole, as `save` does.
    ///
    /// One column, not the run again: the run of a step that logged a million points is a 16 MB BLOB to
    /// delete and write anew, and a `render` while the run goes on would put back the steps it had then.
    public func saveReport(of run: RunRecord) throws {
        try attempt {
            try writer().write { db in
                try db.execute(
                    sql: "UPDATE runs SET report = ? WHERE id = ?", arguments: [Self.text(run.report), run.id])
                if db.changesCount == 0 { try Self.replace(run, in: db) }
            }
        }
    }

    /// The run recorded under `id` (a full id: see `resolve(_:)` for prefixes), or nil.
    ///
    /// - Throws: `RunStoreError.unreadableRun` when the run is recorded but damaged.
    public func run(_ id: String) throws -> RunRecord? {
        let found = try attempt {
            try read { db in
                var list = try Self.records(in: db, where: "id = ?", arguments: [id])
                if !list.runs.isEmpty { list.runs[0].figures = try Self.figures(ofRun: id, in: db) }
                return list
            }
        }
        if let damaged = found.damaged.first {
            throw RunStoreError.unreadableRun(id: damaged.id, reason: damaged.reason)
        }
        return found.runs.first
    }

    /// The run id that `prefix` abbreviates, as git resolves an abbreviated commit.
    ///
    /// A full id is returned as is even when it is also the prefix of longer ids.
    public func resolve(_ prefix: String) throws -> String {
        guard !prefix.isEmpty else { throw RunStoreError.emptyPrefix }
        let matches = try attempt {
            try read { db in
                // Ids that start with `prefix` sort together, right after it: walk the unique index from there.
                var matches: [String] = []
                let ids = try String.fetchCursor(
                    db, sql: "SELECT id FROM runs WHERE id >= ? ORDER BY id", arguments: [prefix])
                while let id = try ids.next(), id.hasPrefix(prefix) {
                    matches.append(id)
                }
                return matches
            }
        }
        if matches.count == 1 || matches.first == prefix, let id = matches.first {
            return id
        }
        if matches.isEmpty {
            throw RunStoreError.unknownRun(prefix)
        }
        throw RunStoreError.ambiguousPrefix(prefix, matches: Array(matches.prefix(5)), count: matches.count)
    }

    /// The recorded runs that can be read, newest first, optionally only those of one notebook or one sweep;
    /// `list(notebook:sweep:)` also names the damaged ones it skips.
    public func runs(notebook: String? = nil, sweep: String? = nil) throws -> [RunRecord] {
        try list(notebook: notebook, sweep: sweep).runs
    }

    /// The recorded runs, newest first, optionally only those of one notebook or one sweep, with the runs that
    /// cannot be read back, each with why, for the caller to warn of.
    public func list(notebook: String? = nil, sweep: String? = nil) throws -> RunList {
        var conditions: [String] = []
        var arguments: StatementArguments = []
        if let notebook {
            conditions.append("notebook = ?")
            arguments += [notebook]
        }
        if let sweep {
            conditions.append("sweep = ?")
            arguments += [sweep]
        }
        let condition = conditions.isEmpty ? "1" : conditions.joined(separator: " AND ")
        return try attempt {
            try read { db in
                try Self.records(in: db, where: condition, arguments: arguments)
            }
        }
    }

    /// Every recorded run's id, newest first, without reading the runs.
    public func ids() throws -> [String] {
        try attempt {
            try read { db in try String.fetchAll(db, sql: "SELECT id FROM runs ORDER BY started DESC, row DESC") }
        }
    }

    /// Every sweep's id, newest first, without reading the runs.
    public func sweepIDs() throws -> [String] {
        try attempt {
            try read { db in
                try String.fetchAll(
                    db,
                    sql: "SELECT sweep FROM runs WHERE sweep IS NOT NULL GROUP BY sweep ORDER BY MAX(started) DESC")
            }
        }
    }

    /// The newest run of `notebook` other than `excluded`, read in full: the run a new one is
    /// compared with to explain its cache misses.
    public func latestRun(notebook: String, excluding excluded: String) throws -> RunRecord? {
        let id = try attempt {
            try read { db in
                try String.fetchOne(
                    db, sql: "SELECT id FROM runs WHERE notebook = ? AND id != ? ORDER BY started DESC LIMIT 1",
                    arguments: [notebook, excluded])
            }
        }
        return try id.flatMap { try run($0) }
    }

    /// Forgets the run `id` and everything recorded with it; nothing happens if there is no such run.
    public func delete(_ id: String) throws {
        try attempt {
            try writer().write { db in
                try Self.deleteRows(of: id, in: db)
                try db.execute(sql: "DELETE FROM tags WHERE run_id = ?", arguments: [id])
                try db.execute(sql: "DELETE FROM mlflow_pushes WHERE run_id = ?", arguments: [id])
            }
        }
    }

    /// Runs `body` in a read transaction of whichever connection the store has.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        switch connection {
        case .writing(let pool): try pool.read(body)
        case .reading(let reader): try reader.read(body)
        }
    }

    /// The pool to write through; a store opened for reading has none.
    func writer() throws -> DatabasePool {
        guard case .writing(let pool) = connection else { throw RunStoreError.openedForReading(path: path) }
        return pool
    }

    /// Runs `body`, wrapping any error of GRDB or SQLite with the store's path.
    func attempt<T>(_ body: () throws -> T) throws -> T {
        do {
            return try body()
        } catch {
            throw RunStoreError(error, path: path)
        }
    }
}
