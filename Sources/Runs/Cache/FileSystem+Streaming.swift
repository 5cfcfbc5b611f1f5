import Crypto
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Files written piece by piece and read through a memory map, for objects too large to copy whole.
extension FileSystem {
    /// Writes what `produce` hands over to a new file in `temporaryDirectory` through a 1 MiB buffer,
    /// hashing it on the way; returns the file's path, SHA-256 and size. The caller renames the file
    /// into place, or removes it; on an error it is already removed.
    static func writeTemporary(
        in temporaryDirectory: String, name: String,
        _ produce: ((UnsafeRawBufferPointer) throws -> Void) throws -> Void
    ) throws -> (path: String, sha256: String, size: Int) {
        try makeDirectory(temporaryDirectory)
        let temporary = "\(temporaryDirectory)/\(name).\(getpid()).\(UUID().uuidString).tmp"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileAccessError(.write, path: temporaryDirectory, errno: errno) }
        var writer = BufferedWriter(descriptor: descriptor, path: temporaryDirectory)
        do {
            try produce { try writer.append($0) }
            try writer.flush()
        } catch {
            close(descriptor)
            unlink(temporary)
            throw error
        }
        guard close(descriptor) == 0 else {
            let code = errno
            unlink(temporary)
            throw FileAccessError(.write, path: temporaryDirectory, errno: code)
        }
        return (temporary, ContentHash.hex(writer.hasher.finalize()), writer.size)
    }

    /// Renames `source` to `destination`, replacing it; on failure `source` is removed.
    static func move(_ source: String, to destination: String) throws {
        guard rename(source, destination) == 0 else {
            let code = errno
            unlink(source)
            throw FileAccessError(.write, path: destination, errno: code)
        }
    }

    /// Calls `body` with the content of the file at `path`, mapped read-only (read into memory where
    /// it cannot be mapped); nil when there is no such file. The bytes are valid only inside `body`.
    static func withMappedFile<Result>(
        at path: String, _ body: (UnsafeRawBufferPointer) throws -> Result
    ) throws -> Result? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else {
            let code = errno
            if code == ENOENT { return nil }
            throw FileAccessError(.read, path: path, errno: code)
        }
        defer { close(descriptor) }
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw FileAccessError(.read, path: path, errno: errno) }
        let size = Int(info.st_size)
        guard size > 0 else { return try body(UnsafeRawBufferPointer(start: nil, count: 0)) }
        guard let mapped = mmap(nil, size, PROT_READ, MAP_PRIVATE, descriptor, 0), mapped != MAP_FAILED else {
            guard let bytes = try contents(ofFileAt: path) else { return nil }
            return try bytes.withUnsafeBytes(body)
        }
        defer { munmap(mapped, size) }
        return try body(UnsafeRawBufferPointer(start: mapped, count: size))
    }
}

/// Collects small writes into 1 MiB ones and hashes everything it writes.
private struct BufferedWriter {
    let descriptor: Int32
    let path: String
    var hasher = SHA256()
    var size = 0
    private var buffer: [UInt8] = []

    init(descriptor: Int32, path: String) {
        self.descriptor = descriptor
        self.path = path
        buffer.reserveCapacity(FileSystem.chunkSize)
    }

    mutating func append(_ bytes: UnsafeRawBufferPointer) throws {
        hasher.update(bufferPointer: bytes)
        size += bytes.count
        if buffer.count + bytes.count > FileSystem.chunkSize { try flush() }
        if bytes.count >= FileSystem.chunkSize {
            try writeAll(bytes)
        } else {
            buffer.append(contentsOf: bytes)
        }
    }

    mutating func flush() throws {
        try buffer.withUnsafeBytes { try writeAll($0) }
        buffer.removeAll(keepingCapacity: true)
    }

    private func writeAll(_ bytes: UnsafeRawBufferPointer) throws {
        var offset = 0
        while offset < bytes.count {
            let count = write(descriptor, bytes.baseAddress.map { $0 + offset }, bytes.count - offset)
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw FileAccessError(.write, path: path, errno: code)
            }
            offset += count
        }
    }
}
