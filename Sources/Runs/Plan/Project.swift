import Foundation

/// Where a notebook's state lives: `.athanor/` in the notebook's directory or the nearest parent
/// that has one, as git finds `.git`.
public struct Project: Sendable {
    /// The directory holding `.athanor/`.
    public var root: URL

    public var stateDirectory: URL { root.appendingPathComponent(".athanor") }
    public var cacheDirectory: URL { stateDirectory.appendingPathComponent("cache") }
    public var storePath: String { stateDirectory.appendingPathComponent("runs.sqlite").path }
    public var reportsDirectory: URL { stateDirectory.appendingPathComponent("reports") }
    /// Each command step's own scratch directory while it runs (`ScratchDirectory`).
    public var temporaryDirectory: URL { stateDirectory.appendingPathComponent("tmp") }
    /// Lock files, by which runs in several processes take turns at files they all write.
    var locksDirectory: URL { stateDirectory.appendingPathComponent("locks") }

    public init(root: URL) {
        self.root = root.standardizedFileURL
    }

    /// The project of the notebook at `path`: the nearest directory upwards with `.athanor/`, or
    /// the notebook's own directory when there is none yet.
    public static func containing(notebook path: String) -> Project {
        let notebook = URL(fileURLWithPath: path).standardizedFileURL
        let directory = notebook.deletingLastPathComponent()
        return Project(root: nearestAncestor(of: directory, holding: ".athanor", directoryOnly: true) ?? directory)
    }

    /// The project of the current directory, for commands that read the store.
    public static func current() -> Project {
        enclosing(URL(fileURLWithPath: FileManager.default.currentDirectoryPath))
    }

    /// The project of `directory`: the nearest directory upwards with `.athanor/`, else `directory` itself.
    public static func enclosing(_ directory: URL) -> Project {
        Project(root: nearestAncestor(of: directory, holding: ".athanor", directoryOnly: true) ?? directory)
    }

    /// The project a read command started in `directory` reads: the nearest directory upwards with
    /// `.athanor/`; else, when exactly one directory below holds one (as `notebooks/` does when a repository's
    /// notebooks are run from its root), that one; else `directory` itself.
    public static func reading(from directory: URL) -> Project {
        if let root = nearestAncestor(of: directory, holding: ".athanor", directoryOnly: true) {
            return Project(root: root)
        }
        let below = roots(below: directory)
        return Project(root: below.count == 1 ? below[0] : directory)
    }

    /// The directories under `directory`, at most `depth` levels down, that hold `.athanor/`, by path; hidden
    /// directories and build folders are not searched, and the search stops after 2,000 directories.
    public static func roots(below directory: URL, depth: Int = 3) -> [URL] {
        let manager = FileManager.default
        var found: [URL] = []
        var level = [directory.standardizedFileURL]
        var visited = 0
        for _ in 0..<depth {
            var next: [URL] = []
            for folder in level {
                let names = ((try? manager.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
                for name in names where !name.hasPrefix(".") && name != "node_modules" {
                    visited += 1
                    if visited > 2_000 { return found }
                    let child = folder.appendingPathComponent(name)
                    var isDirectory: ObjCBool = false
                    guard manager.fileExists(atPath: child.path, isDirectory: &isDirectory), isDirectory.boolValue
                    else { continue }
                    var holds: ObjCBool = false
                    if manager.fileExists(atPath: child.appendingPathComponent(".athanor").path, isDirectory: &holds),
                        holds.boolValue
                    {
                        found.append(child)
                    } else {
                        next.append(child)
                    }
                }
            }
            level = next
        }
        return found
    }

    /// `directory` or the nearest directory above it that holds an entry `name` (a directory
    /// only, when `directoryOnly`), as git looks for `.git`.
    static func nearestAncestor(of directory: URL, holding name: String, directoryOnly: Bool) -> URL? {
        var candidate = directory.standardizedFileURL
        while true {
            var isDirectory: ObjCBool = false
            let entry = candidate.appendingPathComponent(name).path
            if FileManager.default.fileExists(atPath: entry, isDirectory: &isDirectory),
                !directoryOnly || isDirectory.boolValue
            {
                return candidate
            }
            let parent = candidate.deletingLastPathComponent()
            if parent.path == candidate.path { return nil }
            candidate = parent
        }
    }

    /// `path` relative to the root when it lies inside, else absolute.
    public func relative(_ url: URL) -> String {
        let base = root.path.hasSuffix("/") ? root.path : root.path + "/"
        let full = url.standardizedFileURL.path
        return full.hasPrefix(base) ? String(full.dropFirst(base.count)) : full
    }
}
