import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A file could not be read or written: a dataset a step reads, or one of the cache's own files.
public struct FileAccessError: Error, Sendable, Hashable, CustomStringConvertible, LocalizedError {
    public enum Access: Sendable, Hashable {
        case read
        case write
    }

    public var access: Access
    /// The path as the caller gave it, so that the message points where the user looks.
    public var path: String
    /// What the system said, for example "No such file or directory".
    public var reason: String

    public init(_ access: Access, path: String, reason: String) {
        self.access = access
        self.path = path
        self.reason = reason
    }

    init(_ access: Access, path: String, errno code: Int32) {
        self.init(access, path: path, reason: String(cString: strerror(code)))
    }

    public var description: String {
        switch access {
        case .read: "cannot read \(path): \(reason)"
        case .write: "cannot write to \(path): \(reason)"
        }
    }

    public var errorDescription: String? { description }
}

/// What `stat` says of a file, as far as the cache cares.
struct FileStatus: Sendable, Hashable {
    var size: Int
    /// Nanoseconds since 1970: a file rewritten within the same second must still look changed.
    var modificationTime: Int64
    /// Nanoseconds since 1970 of the last change to the file's content or metadata. Unlike the
    /// modification time, no system call sets it back: `touch -r`, `cp -p`, `rsync -t` and
    /// archive extraction restore `mtime` but leave `ctime` at the moment of the write.
    var changeTime: Int64
    var inode: UInt64
    /// The device holding the file: an inode number is only unique on one file system.
    var device: UInt64
    var isDirectory: Bool
    var isRegularFile: Bool
}

/// The few POSIX calls the cache needs, each failure carrying its path and `errno`'s words
/// (Foundation's `FileHandle` and `FileManager` lose them on Linux).
public enum FileSystem {
    static let chunkSize = 1 << 20

    /// The status of the file at `path` (following symbolic links), or nil when there is none.
    static func status(_ path: String) throws -> FileStatus? {
        var info = stat()
        guard stat(path, &info) == 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return nil }
            throw FileAccessError(.read, path: path, errno: code)
        }
        return FileStatus(info)
    }

    /// The status of the entry at `path` itself (not following a symbolic link), or nil when there is none.
    static func lstatus(_ path: String) throws -> FileStatus? {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            let code = errno
            if code == ENOENT || code == ENOTDIR { return nil }
            throw FileAccessError(.read, path: path, errno: code)
        }
        return FileStatus(info)
    }

    /// Calls `body` with each chunk of the file in order; returns the file's size.
    @discardableResult
    static func readChunks(ofFileAt path: String, _ body: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        guard let descriptor = try openForReading(path) else {
            throw FileAccessError(.read, path: path, errno: ENOENT)
        }
        defer { close(descriptor) }
        return try readChunks(of: descriptor, path: path, body)
    }

    /// The whole content of the file at `path`, or nil when there is none.
    static func contents(ofFileAt path: String) throws -> [UInt8]? {
        guard let descriptor = try openForReading(path) else { return nil }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var info = stat()
        if fstat(descriptor, &info) == 0 { bytes.reserveCapacity(Int(info.st_size)) }
        try readChunks(of: descriptor, path: path) { bytes.append(contentsOf: $0) }
        return bytes
    }

    /// A descriptor open for reading, or nil when the file does not exist.
    private static func openForReading(_ path: String) throws -> Int32? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT { return nil }
            throw FileAccessError(.read, path: path, errno: code)
        }
        return descriptor
    }

    @discardableResult
    private static func readChunks(
        of descriptor: Int32, path: String, _ body: (UnsafeRawBufferPointer) throws -> Void
    ) throws -> Int {
        var buffer = [UInt8](repeating: 0, count: chunkSize)
        var total = 0
        while true {
            let count = buffer.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw FileAccessError(.read, path: path, errno: code)
            }
            if count == 0 { return total }
            total += count
            try buffer.withUnsafeBytes { try body(UnsafeRawBufferPointer(rebasing: $0[..<count])) }
        }
    }

    /// Writes `bytes` to a new file in `temporaryDirectory`, then renames it to `path`: a reader,
    /// or a run interrupted half-way, sees the old file or the new one, never a part of it.
    ///
    /// The file is not `fsync`ed: what the cache reads back is verified against its hash, so a
    /// file torn by a power cut is caught there and recomputed, and runs need not wait on the disk.
    static func writeAtomically(_ bytes: [UInt8], to path: String, temporaryDirectory: String) throws {
        let temporary = try newTemporaryFile(in: temporaryDirectory, name: (path as NSString).lastPathComponent) {
            try writeAll(bytes, to: $0, path: temporaryDirectory)
        }
        guard rename(temporary.path, path) == 0 else {
            let code = errno
            unlink(temporary.path)
            throw FileAccessError(.write, path: path, errno: code)
        }
    }

    /// Creates a new file in `temporaryDirectory` (named after `name`, the process and a UUID, so
    /// that no two writers meet), hands its descriptor, open for reading and writing, to `body`, and
    /// closes it; returns its path and what `body` returned. On any error the file is removed.
    static func newTemporaryFile<Result>(
        in temporaryDirectory: String, name: String, _ body: (Int32) throws -> Result
    ) throws -> (path: String, result: Result) {
        try makeDirectory(temporaryDirectory)
        let temporary = "\(temporaryDirectory)/\(name).\(getpid()).\(UUID().uuidString).tmp"
        let descriptor = open(temporary, O_RDWR | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileAccessError(.write, path: temporaryDirectory, errno: errno) }
        let result: Result
        do {
            result = try body(descriptor)
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        // `close` reports delayed write errors on some file systems (NFS, quotas).
        guard close(descriptor) == 0 else {
            let code = errno
            unlink(temporary)
            throw FileAccessError(.write, path: temporaryDirectory, errno: code)
        }
        return (temporary, result)
    }

    private static func writeAll(_ bytes: [UInt8], to descriptor: Int32, path: String) throws {
        try bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let count = write(descriptor, buffer.baseAddress.map { $0 + offset }, buffer.count - offset)
                if count < 0 {
                    let code = errno
                    if code == EINTR { continue }
                    throw FileAccessError(.write, path: path, errno: code)
                }
                offset += count
            }
        }
    }

    /// Creates `path` and its missing parents, as `mkdir -p`.
    static func makeDirectory(_ path: String) throws {
        if mkdir(path, 0o755) == 0 { return }
        var code = errno
        if code == ENOENT {
            let parent = (path as NSString).deletingLastPathComponent
            if !parent.isEmpty && parent != path {
                try makeDirectory(parent)
                if mkdir(path, 0o755) == 0 { return }
                code = errno
            }
        }
        if code == EEXIST {
            if try status(path)?.isDirectory == true { return }
            throw FileAccessError(.write, path: path, errno: ENOTDIR)
        }
        // When the parent refuses (permissions, a read-only disk, a file in the way), name the parent:
        // that is the directory the user must fix.
        if code == EACCES || code == EPERM || code == EROFS || code == ENOTDIR {
            let parent = (path as NSString).deletingLastPathComponent
            throw FileAccessError(.write, path: parent.isEmpty ? path : parent, errno: code)
        }
        throw FileAccessError(.write, path: path, errno: code)
    }

    /// The names in a directory (without `.` and `..`), or nil when there is no such directory.
    static func contentsOfDirectory(_ path: String) throws -> [String]? {
        guard let directory = opendir(path) else {
            let code = errno
            if code == ENOENT { return nil }
            throw FileAccessError(.read, path: path, errno: code)
        }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    /// Removes a file; one already gone is not an error.
    static func removeFile(_ path: String) throws {
        guard unlink(path) == 0 else {
            let code = errno
            if code == ENOENT { return }
            throw FileAccessError(.write, path: path, errno: code)
        }
    }

    /// Removes a file or a directory with everything in it, without following symbolic links.
    static func removeTree(_ path: String) throws {
        var info = stat()
        guard lstat(path, &info) == 0 else {
            let code = errno
            if code == ENOENT { return }
            throw FileAccessError(.write, path: path, errno: code)
        }
        guard FileStatus(info).isDirectory else { return try removeFile(path) }
        for name in try contentsOfDirectory(path) ?? [] {
            try removeTree("\(path)/\(name)")
        }
        guard rmdir(path) == 0 else {
            let code = errno
            if code == ENOENT { return }
            throw FileAccessError(.write, path: path, errno: code)
        }
    }

    /// Removes a directory if it is empty; otherwise, or if it cannot, leaves it.
    static func removeDirectoryIfEmpty(_ path: String) {
        _ = rmdir(path)
    }

    /// The current time in nanoseconds since 1970, on the clock file times are taken from.
    static func now() -> Int64 {
        var time = timespec()
        clock_gettime(CLOCK_REALTIME, &time)
        return Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
}

extension FileStatus {
    init(_ info: stat) {
        #if canImport(Darwin)
            let modified = info.st_mtimespec
            let changed = info.st_ctimespec
        #else
            let modified = info.st_mtim
            let changed = info.st_ctim
        #endif
        let type = info.st_mode & S_IFMT
        self.init(
            size: Int(info.st_size), modificationTime: Self.nanoseconds(modified),
            changeTime: Self.nanoseconds(changed), inode: UInt64(info.st_ino),
            device: UInt64(truncatingIfNeeded: info.st_dev), isDirectory: type == S_IFDIR,
            isRegularFile: type == S_IFREG)
    }

    private static func nanoseconds(_ time: timespec) -> Int64 {
        Int64(time.tv_sec) * 1_000_000_000 + Int64(time.tv_nsec)
    }
}
