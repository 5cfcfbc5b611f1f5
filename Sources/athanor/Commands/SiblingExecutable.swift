import Foundation

/// An executable installed beside the running `athanor` (`athanor-push`): commands that need a library the
/// plain `athanor` must not load at every start live there.
struct SiblingMissing: Error, CustomStringConvertible {
    var name: String
    var directory: String

    var description: String {
        "\(name) is not installed beside athanor (in \(directory)); build it with 'swift build --product \(name)' "
            + "or install it with athanor"
    }
}

/// The executable `name` in the folder of the running `athanor`, symbolic links resolved.
func siblingExecutable(named name: String) throws -> URL {
    let me = URL(fileURLWithPath: CommandLine.arguments[0]).resolvingSymlinksInPath()
    var folder = me.deletingLastPathComponent()
    // Started through PATH: argv[0] is the bare name, so ask the kernel where this executable is.
    if !CommandLine.arguments[0].contains("/"),
        let path = try? FileManager.default.destinationOfSymbolicLink(atPath: "/proc/self/exe")
    {
        folder = URL(fileURLWithPath: path).deletingLastPathComponent()
    }
    let sibling = folder.appendingPathComponent(name)
    guard FileManager.default.isExecutableFile(atPath: sibling.path) else {
        throw SiblingMissing(name: name, directory: folder.path)
    }
    return sibling
}

/// Replaces this process by the sibling `name` with `arguments`; returns only by throwing.
func execSibling(named name: String, arguments: [String]) throws -> Never {
    let sibling = try siblingExecutable(named: name)
    let argv = ([sibling.path] + arguments).map { strdup($0) } + [nil]
    execv(sibling.path, argv)
    let reason = String(cString: strerror(errno))
    throw SiblingMissing(name: "\(name) (\(reason))", directory: sibling.deletingLastPathComponent().path)
}
