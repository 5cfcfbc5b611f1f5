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

    /// The project of the working folder: the nearest folder upwards that holds `.athanor/`.
    public var project: Project { Project.enclosing(directory) }

    /// `path` as given on the command line, from the working folder.
    public func url(_ path: String) -> URL {
        (path.hasPrefix("/") ? URL(fileURLWithPath: path) : directory.appendingPathComponent(path)).standardizedFileURL
    }
}
