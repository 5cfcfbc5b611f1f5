import Foundation
import GRDB

#if canImport(Glibc)
    import Glibc
#endif

extension RunStore {
    /// How long a save waits for another process's save before giving up, in seconds.
    static let busyTimeout: TimeInterval = 10

    /// Opens (or creates) the database at `path` and migrates it, refusing a store of a newer version.
    static func openPool(path: String) throws -> DatabasePool {
        let directory = URL(fileURLWithPath: path).deletingLastPathComponent().path
        try createDirectory(directory)
        // Checked before SQLite opens the file, which would otherwise fall back to read-only without a word
        // and fail on the first save. Root passes `isWritableFile` as it passes SQLite's writes.
        let files = FileManager.default
        guard files.isWritableFile(atPath: directory) else {
            throw RunStoreError.readOnly(path: directory)
        }
        if files.fileExists(atPath: path), !files.isWritableFile(atPath: path) {
            throw RunStoreError.readOnly(path: path)
        }

        // Processes opening the store at the same moment take turns: one creates and migrates it while
        // the others wait, rather than each seeing a half-made schema.
        let lock = open(path + ".lock", O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard lock >= 0 else { throw RunStoreError.readOnly(path: directory) }
        flock(lock, LOCK_EX)
        defer {
            flock(lock, LOCK_UN)
            close(lock)
        }
        do {
            // Checked through a read-only connection first: opening the pool writes to the file (GRDB makes
            // sure a WAL file exists), and a newer version's store must be left exactly as it was.
            if files.fileExists(atPath: path) {
                try refuseNonStore(path)
                var readOnly = Configuration()
                readOnly.readonly = true
                readOnly.busyMode = .timeout(busyTimeout)
                let queue = try DatabaseQueue(path: path, configuration: readOnly)
                try refuseNewerVersion(queue, path: path)
            }
            var configuration = Configuration()
            configuration.label = "athanor.runs"
            configuration.busyMode = .timeout(busyTimeout)
            let pool = try DatabasePool(path: path, configuration: configuration)
            // Again, for a store that a newer version created meanwhile.
            try refuseNewerVersion(pool, path: path)
            try migrator.migrate(pool)
            return pool
        } catch {
            throw RunStoreError(error, path: path)
        }
    }

    /// Refuses a file that exists but is not an SQLite database. SQLite takes an empty file for a new database:
    /// a store truncated to 0 bytes (a full disk, a bad copy) would silently become an empty history, and the
    /// next run would write over what is left to recover.
    static func refuseNonStore(_ path: String) throws {
        guard let handle = FileHandle(forReadingAtPath: path) else { return }
        defer { try? handle.close() }
        let header = (try? handle.read(upToCount: 16)) ?? Data()
        if header.isEmpty {
            throw RunStoreError.corrupted(path: path, reason: "the file is empty")
        }
        if header != Data("SQLite format 3\u{0}".utf8) {
            throw RunStoreError.corrupted(path: path, reason: "the file is not an SQLite database")
        }
    }

    private static func refuseNewerVersion(_ reader: some DatabaseReader, path: String) throws {
        if try reader.read({ db in try migrator.hasBeenSuperseded(db) }) {
            throw RunStoreError.newerVersion(path: path)
        }
    }

    /// Creates `directory` and its parents, explaining a failure by the nearest ancestor that exists.
    private static func createDirectory(_ directory: String) throws {
        let files = FileManager.default
        var isDirectory: ObjCBool = false
        if files.fileExists(atPath: directory, isDirectory: &isDirectory), isDirectory.boolValue {
            return
        }
        do {
            try files.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            var ancestor = URL(fileURLWithPath: directory)
            while !files.fileExists(atPath: ancestor.path, isDirectory: &isDirectory), ancestor.path != "/" {
                ancestor.deleteLastPathComponent()
            }
            if !isDirectory.boolValue {
                throw RunStoreError.cannotCreateDirectory(
                    path: directory, reason: "'\(ancestor.path)' is a file, not a directory")
            }
            if !files.isWritableFile(atPath: ancestor.path) {
                throw RunStoreError.readOnly(path: ancestor.path)
            }
            throw RunStoreError.cannotCreateDirectory(path: directory, reason: error.localizedDescription)
        }
    }
}
