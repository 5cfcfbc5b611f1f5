import Foundation

/// The repository's example notebooks, read from the source tree.
enum Examples {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func notebookPaths() throws -> [URL] {
        let directory = root.appendingPathComponent("notebooks")
        return try FileManager.default.contentsOfDirectory(at: directory, includingPropertiesForKeys: nil)
            .filter { $0.pathExtension == "md" }
            .sorted { $0.path < $1.path }
    }

    static func notebookSources() throws -> [String] {
        try notebookPaths().map { try String(contentsOf: $0, encoding: .utf8) }
    }
}
