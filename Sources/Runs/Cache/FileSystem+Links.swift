import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// Symbolic links, which a command step's files must not use to leave the notebook's folder.
extension FileSystem {
    /// The status of the entry at `path` itself, a symbolic link not followed; nil when there is none.
    static func linkStatus(_ path: String) -> FileStatus? {
        var info = stat()
        guard lstat(path, &info) == 0 else { return nil }
        return FileStatus(info)
    }

    static func isSymbolicLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
    }

    /// `path` with every symbolic link resolved, or nil when it does not lead to an existing file.
    public static func realPath(_ path: String) -> String? {
        guard let resolved = realpath(path, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    /// Whether the real path `candidate` is the real path `root` or lies below it.
    public static func isWithin(_ candidate: String, root: String) -> Bool {
        root == "/" || candidate == root || candidate.hasPrefix(root + "/")
    }

    /// A symbolic link inside `folder` that a path goes through to leave it.
    struct LinkOutOfFolder: Sendable, Hashable {
        /// The link, as the path names it: `out` of `out/model.bin`.
        var link: String
        /// Where it leads, or its text when it leads nowhere.
        var target: String
    }

    /// The first symbolic link on the way to `path` (relative to `folder`, or absolute) that lies inside
    /// `folder` and leads out of it (or nowhere); nil when there is none. The last component counts only
    /// with `includingLast`: renaming a new file onto a link replaces the link, reading it follows it.
    ///
    /// Links outside the folder are not judged: a path written as `../shared/x` leaves it openly.
    static func linkOutOfFolder(_ path: String, folder: String, includingLast: Bool) -> LinkOutOfFolder? {
        let root = realPath(folder) ?? folder
        func isInside(_ candidate: String) -> Bool { isWithin(candidate, root: root) }
        var components = path.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        if !includingLast, !components.isEmpty { components.removeLast() }
        // `current` is always a real path, so that `..` goes where the kernel would take it.
        var current = path.hasPrefix("/") ? "/" : root
        var written: [String] = path.hasPrefix("/") ? [""] : []
        for component in components {
            written.append(component)
            if component == "." { continue }
            if component == ".." {
                current = (current as NSString).deletingLastPathComponent
                continue
            }
            let next = current == "/" ? "/" + component : current + "/" + component
            guard let status = linkStatus(next) else { return nil }
            guard isSymbolicLink(next) else {
                current = next
                if !status.isDirectory { return nil }
                continue
            }
            let target = realPath(next)
            if isInside(current), target.map(isInside) != true {
                return LinkOutOfFolder(
                    link: written.joined(separator: "/"), target: target ?? linkText(next) ?? "?")
            }
            guard let target else { return nil }
            current = target
        }
        return nil
    }

    /// The text of the symbolic link at `path`.
    private static func linkText(_ path: String) -> String? {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let count = readlink(path, &buffer, buffer.count - 1)
        guard count >= 0 else { return nil }
        return String(decoding: buffer[..<count].map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }
}
