import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// An exclusive `flock` on a file, by which runs in several processes (and threads: each holder opens the
/// file anew) take turns at files they all write. The kernel releases it when its holder dies, so a killed
/// run never leaves it taken. The lock file stays: removing it would let two holders lock two files.
enum FileLock {
    /// Runs `body` holding the lock at `path`, waiting for it as long as another holder has it.
    static func holding<Result>(_ path: String, _ body: () throws -> Result) throws -> Result {
        try FileSystem.makeDirectory((path as NSString).deletingLastPathComponent)
        let descriptor = open(path, O_CREAT | O_RDWR | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw FileAccessError(.write, path: path, errno: errno) }
        defer { close(descriptor) }
        while flock(descriptor, LOCK_EX) != 0 {
            let code = errno
            guard code == EINTR else { throw FileAccessError(.write, path: path, errno: code) }
        }
        defer { flock(descriptor, LOCK_UN) }
        return try body()
    }
}
