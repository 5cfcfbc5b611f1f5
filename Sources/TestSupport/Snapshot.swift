import Foundation

/// Whole outputs compared with files kept beside the tests: a change shows as a diff of what a user reads.
/// `ATHANOR_RECORD=1 swift test` rewrites the snapshot files from what the code prints now.
public enum Snapshot {
    public static var isRecording: Bool { ProcessInfo.processInfo.environment["ATHANOR_RECORD"] == "1" }

    /// Nil when `actual` matches the snapshot `name` in `directory` (or was just recorded); else a message
    /// with both texts.
    public static func mismatch(_ actual: String, named name: String, in directory: URL) -> String? {
        let file = directory.appendingPathComponent(name)
        if isRecording {
            do {
                try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
                try actual.write(to: file, atomically: true, encoding: .utf8)
                return nil
            } catch {
                return "cannot record \(file.path): \(error)"
            }
        }
        guard let expected = try? String(contentsOf: file, encoding: .utf8) else {
            return "no snapshot \(file.path); record it with ATHANOR_RECORD=1"
        }
        if expected == actual { return nil }
        return "\(file.path) differs (ATHANOR_RECORD=1 re-records):\n--- expected\n\(expected)\n--- actual\n\(actual)"
    }

    /// The folder of snapshots beside the test file `file` (`#filePath`): `Snapshots/` next to it.
    public static func directory(besides file: String) -> URL {
        URL(fileURLWithPath: file).deletingLastPathComponent().appendingPathComponent("Snapshots")
    }
}
