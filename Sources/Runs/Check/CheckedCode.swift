import Foundation

/// The python code a project's runs have already compiled without error, so that `athanor run` starts
/// `python3` for its syntax check only when the code changed: with a pyenv shim, one start costs about as
/// much as the step itself. A mark is an empty file named by the SHA-256 of the interpreter's path and the
/// code; errors are never marked. Losing the folder costs one check.
public struct CheckedCode: Sendable {
    public let directory: String

    public init(directory: String) {
        self.directory = directory
    }

    /// The code that runs in `project` remember as checked: a folder of its cache (`cache clear` leaves it;
    /// deleting it costs one check).
    public init(project: Project) {
        self.init(directory: project.cacheDirectory.appendingPathComponent("checked-python").path)
    }

    /// The mark of `sources` compiled by `python`.
    static func key(python: String, sources: [String]) -> String {
        ContentHash.sha256(Array(([python] + sources).joined(separator: "\u{0}").utf8))
    }

    func contains(_ key: String) -> Bool {
        FileManager.default.fileExists(atPath: "\(directory)/\(key)")
    }

    /// Marks `key`; a folder that cannot be written only means checking again next time.
    func insert(_ key: String) {
        try? FileSystem.makeDirectory(directory)
        _ = FileManager.default.createFile(atPath: "\(directory)/\(key)", contents: Data())
    }
}
