import Foundation
import GRDB

/// A connection to the run store that reads and never writes, not even the `-wal` and `-shm` files SQLite
/// creates beside a WAL database for any reader (and, opened read-only, cannot remove again).
///
/// When no `-wal` file exists, no writer has the store open and every committed run is in the main file: it
/// is read as `immutable`, without SQLite's locks or shared memory. A writer may start meanwhile; until it
/// checkpoints, the main file holds a consistent older state, so each read checks afterwards that the main
/// file is unchanged and reads again if not. Once a writer is seen, reads go through an ordinary read-only
/// connection, which uses the `-wal` and `-shm` files that writer already made.
final class RunStoreReader: @unchecked Sendable {
    // @unchecked: `queue`, `immutableSince` and `generation` are replaced together under `lock`; a DatabaseQueue is Sendable.
    let path: String
    private let lock = NSLock()
    private var queue: DatabaseQueue
    /// The main file's status when `queue` was opened immutable; nil for an ordinary read-only connection.
    private var immutableSince: FileStatus?
    /// How many times `queue` was opened anew.
    private var generation = 0

    /// How often a read is tried again when a writer changes the main file under it.
    private static let attempts = 3

    init(path: String) throws {
        self.path = path
        guard FileManager.default.fileExists(atPath: path) else {
            // No store yet: an empty history, in memory, with nothing created on disk.
            queue = try DatabaseQueue()
            try RunStore.migrator.migrate(queue)
            return
        }
        do {
            try RunStore.refuseNonStore(path)
            (queue, immutableSince) = try Self.open(path)
            try read { db in
                guard try db.tableExists("runs") else {
                    throw RunStoreError.corrupted(path: path, reason: "it holds no run history")
                }
                if try RunStore.migrator.hasBeenSuperseded(db) { throw RunStoreError.newerVersion(path: path) }
                if try !RunStore.migrator.hasCompletedMigrations(db) { throw RunStoreError.needsUpgrade(path: path) }
            }
        } catch {
            throw RunStoreError(error, path: path)
        }
    }

    /// Runs `body` in a read transaction, again when a writer changed the main file during an immutable read.
    func read<T>(_ body: (Database) throws -> T) throws -> T {
        try readCounting(body).result
    }

    /// What a later read may see otherwise than the last: SQLite's data version of the connection (which
    /// changes with every commit of another connection, another process's included), with the number of the
    /// connection, which is opened anew when an immutable read finds the file changed.
    func version() throws -> StoreVersion {
        let (data, generation) = try readCounting { db in
            try Int64.fetchOne(db, sql: "PRAGMA data_version") ?? 0
        }
        return StoreVersion(connection: generation, data: data)
    }

    /// `read`, with the number of the connection the result was read through.
    private func readCounting<T>(_ body: (Database) throws -> T) throws -> (result: T, generation: Int) {
        for _ in 0..<Self.attempts {
            let (queue, since, generation) = lock.withLock { (self.queue, immutableSince, self.generation) }
            let result = try queue.read(body)
            guard let since else { return (result, generation) }
            let unchanged = (try? FileSystem.status(path)) == since
            if unchanged && !FileManager.default.fileExists(atPath: path + "-wal") { return (result, generation) }
            // A writer has come: later reads go through its files, or again immutable once it is gone.
            let reopened = try Self.open(path)
            lock.withLock {
                (self.queue, immutableSince) = reopened
                self.generation += 1
            }
            if unchanged { return (result, generation) }
        }
        throw RunStoreError.busy(path: path)
    }

    /// A read-only connection: immutable when no writer has the store open, else through the writer's files.
    private static func open(_ path: String) throws -> (DatabaseQueue, FileStatus?) {
        var configuration = Configuration()
        configuration.readonly = true
        configuration.label = "athanor.runs.reading"
        configuration.busyMode = .timeout(RunStore.busyTimeout)
        if FileManager.default.fileExists(atPath: path + "-wal") {
            return (try DatabaseQueue(path: path, configuration: configuration), nil)
        }
        let status = try FileSystem.status(path)
        // A URI, so that SQLite takes `immutable`; `?`, `#` and `%` in the path are escaped.
        let escaped = path.addingPercentEncoding(withAllowedCharacters: .urlPathAllowed) ?? path
        return (try DatabaseQueue(path: "file:\(escaped)?immutable=1", configuration: configuration), status)
    }
}
