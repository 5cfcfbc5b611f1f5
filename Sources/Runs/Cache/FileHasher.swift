import Foundation

/// Hashes the files steps read without reading an unchanged large file again on every run.
///
/// It remembers, by absolute path, each file's size, modification time, status-change time
/// (both in nanoseconds), inode, device and SHA-256, as `git` keeps stat data in its index; a
/// file whose stat values all match is taken to hold the same content. The change time is what
/// makes that safe: `touch -r`, `cp -p`, `rsync -t` or an archive extraction put a file's
/// modification time back after changing its content, but no system call can set the change
/// time, so any write shows there. Whenever in doubt (an entry from an older cache file, a file
/// changed within the racy interval) the file is read again. The content hash stays the truth:
/// a file touched without being changed gets a new entry and the same SHA-256, so the step's
/// cache key does not move.
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

    /// A file modified or changed this recently may be written again within the same timestamp
    /// tick without its stat changing ("racy git"): its hash is returned but not remembered, so
    /// the next run reads it again. Two seconds cover file systems with coarse timestamps.
    public static let defaultRacyInterval: Duration = .seconds(2)

    /// `defaultRacyInterval` unless a test chose another, in nanoseconds.
    private let racyInterval: Int64

    struct Entry: Codable, Hashable {
        var size: Int
        /// Nanoseconds since 1970.
        var mtime: Int64
        /// Nanoseconds since 1970 of the last status change, which `utimensat` cannot set.
        var ctime: Int64
        var inode: UInt64
        var device: UInt64
        var sha256: String

        init(_ status: FileStatus, sha256: String) {
            self.init(
                size: status.size, mtime: status.modificationTime, ctime: status.changeTime, inode: status.inode,
                device: status.device, sha256: sha256)
        }

        init(size: Int, mtime: Int64, ctime: Int64, inode: UInt64, device: UInt64, sha256: String) {
            self.size = size
            self.mtime = mtime
            self.ctime = ctime
            self.inode = inode
            self.device = device
            self.sha256 = sha256
        }

        /// Whether the file still has the stat this entry was taken from.
        func matches(_ status: FileStatus) -> Bool {
            size == status.size && mtime == status.modificationTime && ctime == status.changeTime
                && inode == status.inode && device == status.device
        }
    }

    /// Version 1 kept no change time or device: its entries are not trusted, so every file
    /// is read once more and remembered in the current form.
    private struct CacheFileContents: Codable {
        static let currentVersion = 2
        var version: Int
        var files: [String: Entry]
    }

    /// - Parameter racyInterval: how long after its last change a file's stat is not trusted;
    ///   tests that need an entry remembered for a file they just wrote pass `.zero`.
    public init(cacheFile: String, racyInterval: Duration = FileHasher.defaultRacyInterval) {
        self.cacheFile = cacheFile
        let (seconds, attoseconds) = racyInterval.components
        let (whole, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        self.racyInterval = overflow ? Int64.max : max(0, whole + attoseconds / 1_000_000_000)
    }

    public convenience init(cacheFile: URL, racyInterval: Duration = FileHasher.defaultRacyInterval) {
        self.init(cacheFile: cacheFile.path, racyInterval: racyInterval)
    }

    /// The SHA-256 and size of the file at `path` (relative paths against the current
    /// directory): remembered when its size, modification and change times, inode and device are
    /// those last seen, else read and hashed.
    ///
    /// - Throws: `FileAccessError` naming `path` when the file is missing or unreadable.
    public func hash(_ path: String) throws -> (sha256: String, bytes: Int) {
        let hashed = try hashWithStatus(path)
        return (hashed.sha256, hashed.bytes)
    }

    /// `hash(path)`, with the file's status as it was before it was read: a caller that reads the
    /// file again later can tell, by comparing statuses, whether it still holds what was hashed.
    func hashWithStatus(_ path: String) throws -> (sha256: String, bytes: Int, status: FileStatus) {
        let key = Self.absolute(path)
        guard let before = try FileSystem.status(path) else {
            throw FileAccessError(.read, path: path, reason: "No such file or directory")
        }
        let remembered = lock.withLock {
            loadIfNeeded()
            return entries[key]
        }
        if let remembered, remembered.matches(before) {
            return (remembered.sha256, remembered.size, before)
        }
        let hashed = try ContentHash.sha256(fileAt: path)
        // The stat taken before reading is the one remembered: if the file changes while it is
        // read, its new stat differs and the next run reads it again.
        // Both times count: `touch -r` can put the modification time far in the past while the
        // change time says the content was written a moment ago.
        let racy = max(before.modificationTime, before.changeTime) > FileSystem.now() - racyInterval
        lock.withLock {
            if !racy && hashed.bytes == before.size && before.isRegularFile {
                let entry = Entry(before, sha256: hashed.sha256)
                if entries[key] != entry {
                    entries[key] = entry
                    generation += 1
                }
            } else if entries.removeValue(forKey: key) != nil {
                generation += 1
            }
        }
        return (hashed.sha256, hashed.bytes, before)
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
