import Foundation

/// What the shell completes for the arguments that name runs, sweeps and reports (`athanor
/// --generate-completion-script bash|zsh|fish`): read from the store of the working folder's project, and
/// nothing at all when there is none or it cannot be read, since completion must never print an error.
public enum Completion {
    /// What an argument may name.
    public enum Kind: Sendable {
        case runs, runsOrSweeps, runsOrReports
    }

    /// The candidates that start with `prefix`: run ids (with `latest`), sweep ids, and `.html` files in the
    /// folder `prefix` names, as the kind allows.
    public static func candidates(_ kind: Kind, prefix: String, in directory: URL) -> [String] {
        var found: [String] = []
        let project = Project.enclosing(directory)
        if FileManager.default.fileExists(atPath: project.storePath),
            let store = try? RunStore(readingAt: project.storePath)
        {
            let runs = (try? store.ids()) ?? []
            found += runs.isEmpty ? [] : ["latest"] + runs
            if kind == .runsOrSweeps { found += (try? store.sweepIDs()) ?? [] }
        }
        if kind == .runsOrReports { found += reports(startingWith: prefix, in: directory) }
        return found.filter { $0.hasPrefix(prefix) }
    }

    /// The `.html` files and the folders of the folder that `prefix` is in, as paths that start as it does.
    static func reports(startingWith prefix: String, in directory: URL) -> [String] {
        let slash = prefix.lastIndex(of: "/")
        let folder = slash.map { String(prefix[...$0]) } ?? ""
        let base = folder.hasPrefix("/") ? URL(fileURLWithPath: folder) : directory.appendingPathComponent(folder)
        let names = (try? FileManager.default.contentsOfDirectory(atPath: base.path)) ?? []
        return names.sorted().compactMap { name in
            guard !name.hasPrefix(".") || prefix.hasPrefix(folder + ".") else { return nil }
            var isDirectory: ObjCBool = false
            let exists = FileManager.default.fileExists(
                atPath: base.appendingPathComponent(name).path, isDirectory: &isDirectory)
            if exists && isDirectory.boolValue { return folder + name + "/" }
            return name.hasSuffix(".html") || name.hasSuffix(".htm") ? folder + name : nil
        }
    }
}
