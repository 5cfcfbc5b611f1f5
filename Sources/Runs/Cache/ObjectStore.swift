import Foundation

/// A problem with the cache's own files. Every one of them is recoverable by recomputing: the
/// caller warns and carries on without the cache entry (DESIGN §2: deleting `.athanor/` loses
/// history, never correctness).
public enum ObjectStoreError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
    case unreadable(path: String, reason: String)
    case unwritable(path: String, reason: String)
    /// An object's content no longer matches its key; the object has been removed.
    case corrupted(key: String, path: String)
    case invalidKey(String)
    case invalidReferenceName(String)

    public var description: String {
        switch self {
        case .unreadable(let path, let reason):
            "cannot read \(path): \(reason)"
        case .unwritable(let path, let reason):
            "cannot write to \(path): \(reason)"
        case .corrupted(let key, let path):
            "cache object \(key.prefix(12)) at \(path) is corrupted (its content no longer matches its SHA-256) "
                + "and has been removed"
        case .invalidKey(let key):
            "'\(key)' is not a cache key: expected 64 lowercase hexadecimal digits"
        case .invalidReferenceName(let name):
            "'\(name)' is not a valid reference name: use letters, digits, '_', '.' and '-', not starting with '.'"
        }
    }

    public var errorDescription: String? { description }
}

/// Content-addressed storage of step outputs: each object is stored under the SHA-256 of its
/// bytes, at `objects/ab/cdef…` (the first two hexadecimal digits as a subdirectory, as git does,
/// so that no directory grows too large), and named references (`refs/NAME`) point from a step's
/// cache key to the object that describes its outputs.
///
/// Every write goes to a new file in `tmp/` and is renamed into place, so an interrupted run or a
/// concurrent one never leaves a half-written object or reference under its final name. Reads
/// verify the content against the key, so a damaged object is caught, removed and recomputed.
/// The store holds only a path: it is a value, shared freely between threads and processes.
public struct ObjectStore: Sendable, Hashable {
    /// The cache directory, usually `.athanor/cache`.
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    public init(directory: URL) {
        self.init(directory: directory.path)
    }

    var objectsDirectory: String { "\(directory)/objects" }
    var referencesDirectory: String { "\(directory)/refs" }
    var temporaryDirectory: String { "\(directory)/tmp" }

    /// How long a temporary file may lie in `tmp/` before garbage collection takes it for the
    /// leftover of a killed process rather than a write in progress.
    static let temporaryFileLifetime: Int64 = 3_600 * 1_000_000_000

    // MARK: Objects

    /// Where the object `key` lives (whether or not it exists).
    public func path(of key: String) throws -> String {
        guard ContentHash.isSHA256(key) else { throw ObjectStoreError.invalidKey(key) }
        return "\(objectsDirectory)/\(key.prefix(2))/\(key.dropFirst(2))"
    }

    /// Stores `bytes` and returns their SHA-256, the key to get them back. An object already
    /// present is not written again.
    @discardableResult
    public func put(_ bytes: [UInt8]) throws -> String {
        let key = ContentHash.sha256(bytes)
        let path = try path(of: key)
        if let existing = try? FileSystem.status(path), existing.isRegularFile, existing.size == bytes.count {
            return key
        }
        try translatingErrors {
            try makeShard(of: key)
            try clearWay(path)
            try FileSystem.writeAtomically(bytes, to: path, temporaryDirectory: temporaryDirectory)
        }
        return key
    }

    /// The bytes stored under `key`, or nil when there are none.
    ///
    /// - Throws: `ObjectStoreError.corrupted` when the content no longer matches the key; the
    ///   object is removed first, so that the caller can recompute and store it again.
    public func get(_ key: String) throws -> [UInt8]? {
        let path = try path(of: key)
        guard let bytes = try translatingErrors({ try FileSystem.contents(ofFileAt: path) }) else { return nil }
        guard ContentHash.sha256(bytes) == key else {
            try? FileSystem.removeFile(path)
            throw ObjectStoreError.corrupted(key: key, path: path)
        }
        return bytes
    }

    /// Stores what `produce` writes, piece by piece, each at its offset, and returns its SHA-256: for
    /// outputs too large to hold twice in memory. The bytes go to a temporary file, which is hashed and
    /// renamed into place.
    @discardableResult
    public func put(writing produce: ((Int, UnsafeRawBufferPointer) throws -> Void) throws -> Void) throws -> String {
        try translatingErrors {
            let written = try FileSystem.writeTemporary(in: temporaryDirectory, name: "object", produce)
            let path = try path(of: written.sha256)
            if let existing = try? FileSystem.status(path), existing.isRegularFile, existing.size == written.size {
                try? FileSystem.removeFile(written.path)
                return written.sha256
            }
            do {
                try makeShard(of: written.sha256)
                try clearWay(path)
            } catch {
                try? FileSystem.removeFile(written.path)
                throw error
            }
            try FileSystem.move(written.path, to: path)
            return written.sha256
        }
    }

    /// Calls `body` with the bytes stored under `key`, mapped from the file rather than copied, once
    /// they are verified against the key; nil when there is no such object.
    ///
    /// - Throws: `ObjectStoreError.corrupted` when the content no longer matches the key; the
    ///   object is removed first, so that the caller can recompute and store it again.
    public func withObject<Result>(_ key: String, _ body: (UnsafeRawBufferPointer) throws -> Result) throws
        -> Result?
    {
        let path = try path(of: key)
        return try translatingErrors {
            try FileSystem.withMappedFile(at: path) { bytes in
                guard ContentHash.sha256(bytes) == key else {
                    try? FileSystem.removeFile(path)
                    throw ObjectStoreError.corrupted(key: key, path: path)
                }
                return try body(bytes)
            }
        }
    }

    /// Creates the directory of `key`'s shard; a file in its place, which no version of the store writes,
    /// is removed first.
    private func makeShard(of key: String) throws {
        let shard = "\(objectsDirectory)/\(key.prefix(2))"
        if let status = try FileSystem.lstatus(shard), !status.isDirectory {
            try FileSystem.removeFile(shard)
        }
        try FileSystem.makeDirectory(shard)
    }

    /// Removes a directory standing where the store writes a file (an object, a reference): inside the
    /// cache's own directories nothing but the store writes, and left there it would fail every later
    /// write of that object.
    private func clearWay(_ path: String) throws {
        if let status = try FileSystem.lstatus(path), status.isDirectory {
            try FileSystem.removeTree(path)
        }
    }

    /// Whether an object is stored under `key` (without verifying its content).
    public func contains(_ key: String) -> Bool {
        guard let path = try? path(of: key), let status = try? FileSystem.status(path) else { return false }
        return status.isRegularFile
    }

    /// How many objects the store holds and their total size in bytes.
    public func stats() throws -> (objects: Int, bytes: Int) {
        var objects = 0
        var bytes = 0
        try forEachObject { _, _, size in
            objects += 1
            bytes += size
        }
        return (objects, bytes)
    }

    /// Every object's size in bytes, by key.
    public func sizes() throws -> [String: Int] {
        var sizes: [String: Int] = [:]
        try forEachObject { key, _, size in sizes[key] = size }
        return sizes
    }

    /// Removes every object not in `live`, the references that pointed to them, and temporary
    /// files older than an hour (left by killed processes).
    ///
    /// The caller computes `live`, including the objects that live manifests list: the store does
    /// not read its objects. Run it while no run writes to the same cache, or a new object of that
    /// run may be taken for garbage.
    public func collectGarbage(keeping live: Set<String>) throws -> (removed: Int, bytes: Int) {
        var removed = 0
        var bytes = 0
        try translatingErrors {
            try forEachObject { key, path, size in
                guard !live.contains(key) else { return }
                try FileSystem.removeFile(path)
                removed += 1
                bytes += size
            }
            for shard in try FileSystem.contentsOfDirectory(objectsDirectory) ?? [] {
                FileSystem.removeDirectoryIfEmpty("\(objectsDirectory)/\(shard)")
            }
        }
        for (name, key) in try references() where !contains(key) {
            try removeReference(name)
        }
        let cutoff = FileSystem.now() - Self.temporaryFileLifetime
        try translatingErrors {
            for name in try FileSystem.contentsOfDirectory(temporaryDirectory) ?? [] {
                let path = "\(temporaryDirectory)/\(name)"
                if let status = try FileSystem.status(path), status.modificationTime < cutoff {
                    try FileSystem.removeTree(path)
                }
            }
        }
        return (removed, bytes)
    }

    /// Removes every object, reference and temporary file. Other files in the directory (the
    /// file-hash cache) stay: they remain true whatever the store holds.
    public func clear() throws {
        try translatingErrors {
            for path in [referencesDirectory, objectsDirectory, temporaryDirectory] {
                try FileSystem.removeTree(path)
            }
        }
    }

    /// Calls `body` with each object's key, path and size; ignores files that are not objects.
    private func forEachObject(_ body: (String, String, Int) throws -> Void) throws {
        try translatingErrors {
            for shard in try FileSystem.contentsOfDirectory(objectsDirectory) ?? [] where shard.utf8.count == 2 {
                let shardPath = "\(objectsDirectory)/\(shard)"
                for name in try FileSystem.contentsOfDirectory(shardPath) ?? [] {
                    let key = shard + name
                    let path = "\(shardPath)/\(name)"
                    guard ContentHash.isSHA256(key), let status = try FileSystem.status(path), status.isRegularFile
                    else { continue }
                    try body(key, path, status.size)
                }
            }
        }
    }

    // MARK: References

    /// Whether `name` can name a reference: a cache key, or letters, digits, `_`, `.` and `-`
    /// not starting with `.` — never a path.
    public static func isValidReferenceName(_ name: String) -> Bool {
        guard let first = name.utf8.first, first != UInt8(ascii: "."), name.utf8.count <= 200 else { return false }
        return name.utf8.allSatisfy { byte in
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"), UInt8(ascii: "."), UInt8(ascii: "-"):
                true
            default:
                false
            }
        }
    }

    private func referencePath(_ name: String) throws -> String {
        guard Self.isValidReferenceName(name) else { throw ObjectStoreError.invalidReferenceName(name) }
        return "\(referencesDirectory)/\(name)"
    }

    /// Points the reference `name` at the object `key`, replacing what it pointed to.
    public func setReference(_ name: String, to key: String) throws {
        let path = try referencePath(name)
        guard ContentHash.isSHA256(key) else { throw ObjectStoreError.invalidKey(key) }
        try translatingErrors {
            try FileSystem.makeDirectory(referencesDirectory)
            try clearWay(path)
            try FileSystem.writeAtomically(Array("\(key)\n".utf8), to: path, temporaryDirectory: temporaryDirectory)
        }
    }

    /// The key the reference `name` points to, or nil when there is no such reference (or its
    /// file does not hold a key, which is then as good as absent).
    public func reference(_ name: String) throws -> String? {
        let path = try referencePath(name)
        guard let bytes = try translatingErrors({ try FileSystem.contents(ofFileAt: path) }) else { return nil }
        let key = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return ContentHash.isSHA256(key) ? key : nil
    }

    /// Every reference, by name.
    public func references() throws -> [String: String] {
        var found: [String: String] = [:]
        let names = try translatingErrors { try FileSystem.contentsOfDirectory(referencesDirectory) ?? [] }
        for name in names where Self.isValidReferenceName(name) {
            if let key = try reference(name) { found[name] = key }
        }
        return found
    }

    /// Removes the reference `name`; one that does not exist is not an error.
    public func removeReference(_ name: String) throws {
        let path = try referencePath(name)
        try translatingErrors { try FileSystem.removeFile(path) }
    }

    /// Runs `body`, reporting a file error as the store's own.
    private func translatingErrors<Result>(_ body: () throws -> Result) throws -> Result {
        do {
            return try body()
        } catch let error as FileAccessError {
            switch error.access {
            case .read: throw ObjectStoreError.unreadable(path: error.path, reason: error.reason)
            case .write: throw ObjectStoreError.unwritable(path: error.path, reason: error.reason)
            }
        }
    }
}
