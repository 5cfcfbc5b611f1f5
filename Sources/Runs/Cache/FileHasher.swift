import Foundation

/// Hashes the files steps read without reading an unchanged large file again on every run.
///
/// It remembers, by absolute path, each file's size, modification time in nanoseconds, inode and
/// SHA-256, as `git` keeps stat data in its index; a file whose three stat values all match is
/// taken to hold the same content. The content hash stays the truth: a file touched without
/// being changed gets a new entry and the same SHA-256, so the step's cache key does not move.
///
/// The entries persist as JSON at `cacheFile` (usually `.athanor/cache/file-hashes.json`), read
/// on first use and written by `save()`.
public final class FileHasher: @unchecked Sendable {
    // @unchecked: the entries are mutable and shared between the threads of a run (parallel
    // steps of a sweep); every access to `entries`, `loaded`, `generation` and `savedGeneration`
    // holds `lock`. Hashing itself runs outside the lock.

    /// Where the entries are persisted.
    public let cacheFile: String
    private let lock = NSLock()
    private var entries: [String: Entry] = [:]
    private var loaded = false
    /// Counts changes to `entries`, so that `save()` knows whether there is anything to write.
    private var generation = 0
    private var savedGeneration = 0

    /// A file modified this recently may be modified again within the same timestamp tick
    /// without its stat changing ("racy git"): its hash is returned but not remembered, so the
    /// next run reads it again. Two seconds cover file systems with coarse timestamps.
    static let racyInterval: Int64 = 2_000_000_000

    struct Entry: Codable, Hashable {
        var size: Int
        /// Nanoseconds since 1970.
        var mtime: Int64
        var inode: UInt64
        var sha256: String
    }

    private struct CacheFileContents: Codable {
        static let currentVersion = 1
        var version: Int
        var files: [String: Entry]
    }

    public init(cacheFile: String) {
        self.cacheFile = cacheFile
    }

    public convenience init(cacheFile: URL) {
        self.init(cacheFile: cacheFile.path)
    }

    /// The SHA-256 and size of the file at `path` (relative paths against the current
    /// directory): remembered when its size, modification time and inode are those last seen,
    /// else read and hashed.
    ///
    /// - Throws: `FileAccessError` naming `path` when the file is missing or unreadable.
    public func hash(_ path: String) throws -> (sha256: String, bytes: Int) {
        let key = Self.absolute(path)
        guard let before = try FileSystem.status(path) else {
            throw FileAccessError(.read, path: path, reason: "No such file or directory")
        }
        let remembered = lock.withLock {
            loadIfNeeded()
            return entries[key]
        }
        if let remembered, remembered.size == before.size, remembered.mtime == before.modificationTime,
            remembered.inode == before.inode
        {
            return (remembered.sha256, remembered.size)
        }
        let hashed = try ContentHash.sha256(fileAt: path)
        // The stat taken before reading is the one remembered: if the file changes while it is
        // read, its new stat differs and the next run reads it again.
        let racy = before.modificationTime > FileSystem.now() - Self.racyInterval
        lock.withLock {
            if !racy && hashed.bytes == before.size && before.isRegularFile {
                let entry = Entry(
                    size: before.size, mtime: before.modificationTime, inode: before.inode, sha256: hashed.sha256)
                if entries[key] != entry {
                    entries[key] = entry
                    generation += 1
                }
            } else if entries.removeValue(forKey: key) != nil {
                generation += 1
            }
        }
        return hashed
    }

    /// Writes the entries to `cacheFile` (through a temporary file and a rename), dropping those
    /// of files that no longer exist. Does nothing when nothing changed.
    ///
    /// Two processes that save at once each write their own entries and the last rename wins;
    /// the entries of the other are lost, which only costs reading those files again later.
    public func save() throws {
        let snapshot: (entries: [String: Entry], generation: Int)? = lock.withLock {
            generation == savedGeneration ? nil : (entries, generation)
        }
        guard let snapshot else { return }
        let present = snapshot.entries.filter { path, _ in (try? FileSystem.status(path)) != nil }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        let contents = CacheFileContents(version: CacheFileContents.currentVersion, files: present)
        let bytes: [UInt8]
        do {
            bytes = Array(try encoder.encode(contents))
        } catch {
            throw FileAccessError(.write, path: cacheFile, reason: "\(error)")
        }
        let directory = (cacheFile as NSString).deletingLastPathComponent
        try FileSystem.makeDirectory(directory.isEmpty ? "." : directory)
        try FileSystem.writeAtomically(bytes, to: cacheFile, temporaryDirectory: directory.isEmpty ? "." : directory)
        lock.withLock { savedGeneration = max(savedGeneration, snapshot.generation) }
    }

    /// Reads the persisted entries once. A missing, unreadable or foreign file is an empty cache:
    /// it only ever saves work. Must be called with `lock` held.
    private func loadIfNeeded() {
        guard !loaded else { return }
        loaded = true
        guard let bytes = try? FileSystem.contents(ofFileAt: cacheFile),
            let contents = try? JSONDecoder().decode(CacheFileContents.self, from: Data(bytes)),
            contents.version == CacheFileContents.currentVersion
        else { return }
        entries = contents.files
    }

    /// The path made absolute against the current directory, without resolving `..` or links:
    /// `stat` of the result is `stat` of the path.
    private static func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return path }
        return "\(FileManager.default.currentDirectoryPath)/\(path)"
    }
}
