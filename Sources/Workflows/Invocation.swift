import Foundation

/// What a use case runs in: the console it prints to, the folder it was started in, and the command line it
/// records with a run. Tests make one over a captured console and a temporary folder.
public struct Invocation: Sendable {
    public var console: Console
    /// The working folder: the project of read commands, the data folder of a report.
    public var directory: URL
    /// The command line as the user typed it, recorded with each run.
    public var command: [String]
    /// Asks the user a question and returns the line typed; nil when no one can answer (standard input is
    /// not a terminal), so that a destructive command refuses rather than waits or assumes.
    public var ask: (@Sendable (String) -> String?)?

    public init(console: Console, directory: URL, command: [String], ask: (@Sendable (String) -> String?)? = nil) {
        self.console = console
        self.ask = ask
        self.directory = directory.standardizedFileURL
        self.command = command
    }

    /// The project of the working folder: the nearest folder upwards that holds `.athanor/`, or the one folder
    /// below that does (`Project.reading(from:)`).
    public var project: Project { Project.reading(from: directory) }

    /// Where read commands found no store: `no runs recorded here (no .athanor/ in this folder or above)`, and
    /// the projects below when there are several to choose from.
    func noStoreMessage(_ what: String) -> String {
        let project = self.project
        if FileManager.default.fileExists(atPath: project.storePath) {
            return "no \(what) recorded in \(relativePath(project.root))"
        }
        let below = Project.roots(below: directory)
        guard below.count > 1 else { return "no \(what) recorded here (no .athanor/ in this folder or above)" }
        let listed = below.prefix(5).map { relativePath($0.appendingPathComponent(".athanor")) }
        return "no \(what) recorded here; the projects below are \(listed.joined(separator: ", "))"
            + (below.count > 5 ? " and \(below.count - 5) more" : "") + ": run from one of them"
    }

    /// `path` as given on the command line, from the working folder.
    public func url(_ path: String) -> URL {
        (path.hasPrefix("/") ? URL(fileURLWithPath: path) : directory.appendingPathComponent(path)).standardizedFileURL
    }

    /// `url` as a path from the working folder, as every path the commands print is: `notebooks/digits.md`,
    /// `../data/iris.csv`, `.` for the folder itself; absolute when the two share only `/`.
    public func relativePath(_ url: URL) -> String {
        let target = url.standardizedFileURL.pathComponents
        let base = directory.pathComponents
        let shared = zip(target, base).prefix { $0 == $1 }.count
        guard shared > 1 else { return url.standardizedFileURL.path }
        let parts = Array(repeating: "..", count: base.count - shared) + target.dropFirst(shared)
        return parts.isEmpty ? "." : parts.joined(separator: "/")
    }
}
