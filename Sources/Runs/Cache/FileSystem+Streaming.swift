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
    /// Writes what `produce` hands over, each piece at its offset, to a new file in `temporaryDirectory`,
    /// then hashes the file by reading it back (from the page cache: pieces may come in any order, the
    /// hash must follow the file's); returns the file's path, SHA-256 and size. The caller renames the
    /// file into place, or removes it; on an error it is already removed.
    static func writeTemporary(
        in temporaryDirectory: String, name: String,
        _ produce: ((Int, UnsafeRawBufferPointer) throws -> Void) throws -> Void
    ) throws -> (path: String, sha256: String, size: Int) {
        let written = try newTemporaryFile(in: temporaryDirectory, name: name) { descriptor in
            try produce { offset, bytes in try writeAll(bytes, at: offset, to: descriptor, path: temporaryDirectory) }
            var hasher = SHA256()
            var size = 0
            var buffer = [UInt8](repeating: 0, count: chunkSize)
            while true {
                let count = buffer.withUnsafeMutableBytes { pread(descriptor, $0.baseAddress, $0.count, off_t(size)) }
                if count < 0 {
                    let code = errno
                    if code == EINTR { continue }
                    throw FileAccessError(.read, path: temporaryDirectory, errno: code)
                }
                if count == 0 { return (ContentHash.hex(hasher.finalize()), size) }
                buffer.withUnsafeBytes { hasher.update(bufferPointer: UnsafeRawBufferPointer(rebasing: $0[..<count])) }
                size += count
            }
        }
        return (written.path, written.result.0, written.result.1)
    }

    fileprivate static func writeAll(
        _ bytes: UnsafeRawBufferPointer, at offset: Int, to descriptor: Int32, path: String
    )
        throws
    {
        var done = 0
        while done < bytes.count {
            let count = pwrite(
                descriptor, bytes.baseAddress.map { $0 + done }, bytes.count - done, off_t(offset + done))
            if count < 0 {
                let code = errno
                if code == EINTR { continue }
                throw FileAccessError(.write, path: path, errno: code)
            }
            done += count
        }
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

extension FileSystem {
    /// Writes what `produce` hands over, each piece at its offset, to a new file at `path` (readable by
    /// its owner only), without hashing it: for files a step's process reads and that are removed after.
    static func writeFile(at path: String, _ produce: ((Int, UnsafeRawBufferPointer) throws -> Void) throws -> Void)
        throws
    {
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw FileAccessError(.write, path: path, errno: errno) }
        defer { close(descriptor) }
        try produce { offset, bytes in try writeAll(bytes, at: offset, to: descriptor, path: path) }
    }
}
