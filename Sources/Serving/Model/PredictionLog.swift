import Foundation

/// `--log FILE`: one JSON line per scored row, `{"time": …, "inputs": {column: value, …}, "prediction": …}`,
/// appended; at `limit` bytes the file becomes `FILE.1` (replacing the one before) and a new one starts.
final class PredictionLog: @unchecked Sendable {
    // @unchecked: the file and its size are used under `lock` only.
    private let lock = NSLock()
    let path: String
    let limit: Int
    private var handle: FileHandle
    private var size: Int

    init(path: String, limit: Int = 64 << 20) throws {
        self.path = path
        self.limit = limit
        (handle, size) = try Self.open(path)
    }

    private static func open(_ path: String) throws -> (FileHandle, Int) {
        if !FileManager.default.fileExists(atPath: path) {
            guard FileManager.default.createFile(atPath: path, contents: nil) else {
                throw ServeError("cannot create the log \(path)")
            }
        }
        guard let handle = FileHandle(forWritingAtPath: path) else { throw ServeError("cannot write the log \(path)") }
        let size = Int(try handle.seekToEnd())
        return (handle, size)
    }

    /// Appends `lines` (each ending in a newline), rotating first when they would pass the limit.
    func append(_ lines: String) {
        let bytes = Data(lines.utf8)
        lock.withLock {
            if size > 0, size + bytes.count > limit {
                try? handle.close()
                try? FileManager.default.removeItem(atPath: path + ".1")
                try? FileManager.default.moveItem(atPath: path, toPath: path + ".1")
                guard let reopened = try? Self.open(path) else { return }
                (handle, size) = reopened
            }
            do {
                try handle.write(contentsOf: bytes)
                size += bytes.count
            } catch {
                // A full disk must not stop the serving: the line is lost, and the next may fit.
            }
        }
    }

    /// The time as the log writes it: `2026-12-02T17:00:00.000Z`.
    static let clock = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
}
