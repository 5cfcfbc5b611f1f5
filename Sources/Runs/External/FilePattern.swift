import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// A path or a glob in a command step's `inputs:` or `outputs:`, expanded to the regular files it
/// names, relative to the notebook's directory.
///
/// `*`, `?` and `[...]` match within one path component, as in the shell (a leading `.` must be
/// matched explicitly, so `*` skips hidden files); `**` matches any number of directories,
/// none included. A directory, named or matched, stands for every file under it. Matches come
/// back sorted, so that a cache key never depends on the order in which a directory lists them.
enum FilePattern {
    /// Whether `pattern` is a glob rather than a plain path.
    static func isGlob(_ pattern: String) -> Bool {
        pattern.contains { "*?[".contains($0) }
    }

    /// The files `pattern` names, relative to `directory` as the pattern is written; empty when
    /// it names none.
    static func expand(_ pattern: String, in directory: String) throws -> [String] {
        var found: Set<String> = []
        let absolute = pattern.hasPrefix("/")
        let components = pattern.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        try walk(components[...], relative: "", base: directory, absolute: absolute, into: &found)
        return found.sorted()
    }

    /// Every file under `directory`, hidden ones included, relative to it, and apart the symbolic links
    /// there, which are not followed: what they point to may lie anywhere. Anything else (a FIFO, a
    /// socket) is left out.
    static func filesAndLinks(under directory: String) throws -> (files: [String], links: [String]) {
        var files: [String] = []
        var links: [String] = []
        func walk(_ relative: String) throws {
            let full = relative.isEmpty ? directory : directory + "/" + relative
            for name in try FileSystem.contentsOfDirectory(full) ?? [] {
                let path = relative.isEmpty ? name : relative + "/" + name
                guard let status = FileSystem.linkStatus(directory + "/" + path) else { continue }
                if FileSystem.isSymbolicLink(directory + "/" + path) {
                    links.append(path)
                } else if status.isDirectory {
                    try walk(path)
                } else if status.isRegularFile {
                    files.append(path)
                }
            }
        }
        try walk("")
        return (files.sorted(), links.sorted())
    }

    private static func walk(
        _ components: ArraySlice<String>, relative: String, base: String, absolute: Bool, into found: inout Set<String>
    ) throws {
        func join(_ name: String) -> String {
            if relative.isEmpty { return absolute ? "/" + name : name }
            return relative + "/" + name
        }
        func full(_ path: String) -> String {
            if absolute { return path.isEmpty ? "/" : path }
            return path.isEmpty ? base : base + "/" + path
        }
        guard let component = components.first else {
            try addFiles(at: relative, full: full(relative), into: &found)
            return
        }
        let rest = components.dropFirst()
        if component == "**" {
            try walk(rest, relative: relative, base: base, absolute: absolute, into: &found)
            for name in try subdirectories(of: full(relative)) {
                try walk(components, relative: join(name), base: base, absolute: absolute, into: &found)
            }
        } else if !isGlob(component) {
            let path = join(component)
            if try FileSystem.status(full(path)) != nil {
                try walk(rest, relative: path, base: base, absolute: absolute, into: &found)
            }
        } else {
            let listing = try FileSystem.contentsOfDirectory(full(relative)) ?? []
            for name in listing.sorted() where fnmatch(component, name, FNM_PERIOD) == 0 {
                try walk(rest, relative: join(name), base: base, absolute: absolute, into: &found)
            }
        }
    }

    /// The file at `path`, or every file under it when it is a directory.
    private static func addFiles(at relative: String, full: String, into found: inout Set<String>) throws {
        guard let status = try FileSystem.status(full) else { return }
        if status.isRegularFile {
            found.insert(relative)
        } else if status.isDirectory && !isSymbolicLink(full) {
            for name in try FileSystem.contentsOfDirectory(full) ?? [] {
                try addFiles(
                    at: relative.isEmpty ? name : relative + "/" + name, full: full + "/" + name, into: &found)
            }
        }
    }

    /// The directories directly inside `path`: hidden ones are left out, as `*` leaves them, and
    /// symbolic links are not followed, so that a link to a parent cannot loop.
    private static func subdirectories(of path: String) throws -> [String] {
        try (FileSystem.contentsOfDirectory(path) ?? []).filter { name in
            let child = path + "/" + name
            return !name.hasPrefix(".") && (try? FileSystem.status(child))?.isDirectory == true
                && !isSymbolicLink(child)
        }
    }

    private static func isSymbolicLink(_ path: String) -> Bool {
        var info = stat()
        return lstat(path, &info) == 0 && info.st_mode & S_IFMT == S_IFLNK
    }
}
