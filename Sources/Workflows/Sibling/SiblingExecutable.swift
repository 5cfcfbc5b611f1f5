import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// A command that lives in an executable of its own beside `athanor` (`athanor-serve`), so that the plain
/// `athanor` links no web server or HTTP client and starts fast; `athanor NAME …` runs it in its place.
public enum SiblingExecutable {
    /// The executable `name` in the folder of the running `athanor` (symbolic links followed), or nil.
    public static func find(_ name: String) -> URL? {
        let own = URL(fileURLWithPath: CommandLine.arguments[0]).standardizedFileURL
        let candidates = [
            Bundle.main.executableURL, URL(fileURLWithPath: "/proc/self/exe").resolvingSymlinksInPath(),
            own.resolvingSymlinksInPath(), own,
        ]
        for executable in candidates.compactMap({ $0 }) {
            let sibling = executable.deletingLastPathComponent().appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: sibling.path) { return sibling }
        }
        return nil
    }

    /// Replaces this process with `name` run with `arguments`, or returns the message to print (exit 2)
    /// when it cannot.
    public static func exec(_ name: String, arguments: [String]) -> String {
        guard let sibling = find(name) else {
            return "'\(name)' is not installed beside athanor (build it with 'swift build --product \(name)' "
                + "and put it in the same folder as athanor)"
        }
        let argv = [sibling.path] + arguments
        var pointers = argv.map { strdup($0) }
        pointers.append(nil)
        execv(sibling.path, pointers)
        return "cannot run '\(sibling.path)': \(String(cString: strerror(errno)))"
    }
}
