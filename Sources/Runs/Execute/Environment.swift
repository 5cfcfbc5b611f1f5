import Engine
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension Environment {
    /// The machine and repository a run happens in.
    static func current(directory: URL) -> EnvironmentRecord {
        // Starting git costs more than the rest of a cached run: ask it only inside a repository.
        let inRepository = Project.nearestAncestor(of: directory, holding: ".git", directoryOnly: false) != nil
        let commit = inRepository ? git(["rev-parse", "HEAD"], in: directory) : nil
        return EnvironmentRecord(
            toolVersion: AthanorVersion.current, engineVersion: EngineVersion.current,
            os: ProcessInfo.processInfo.operatingSystemVersionString, cpuModel: cpuModel(),
            cores: ProcessInfo.processInfo.activeProcessorCount, gitCommit: commit,
            gitDirty: commit == nil
                ? nil : git(["status", "--porcelain", "--untracked-files=no"], in: directory).map { !$0.isEmpty },
            blasKernel: blasKernel())
    }

    /// This process's BLAS kernel, as a record.
    static func blasKernel() -> BLASKernelRecord {
        let kernel = BLASKernel.current
        let source: BLASKernelRecord.Source =
            switch kernel.source {
            case .athanor: .athanor
            case .user: .user
            case .blis: .blis
            }
        return BLASKernelRecord(name: kernel.name, source: source)
    }

    static func cpuModel() -> String {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return "unknown" }
        for line in text.split(separator: "\n") where line.hasPrefix("model name") {
            if let colon = line.firstIndex(of: ":") {
                return line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            }
        }
        return "unknown"
    }

    /// A git command's trimmed output in `directory`, or nil when it fails.
    ///
    /// Spawned with posix_spawn and read from a pipe directly: Foundation's `Process` costs tens
    /// of milliseconds per command here, more than the rest of a cached run.
    static func git(_ arguments: [String], in directory: URL) -> String? {
        var pipe: [Int32] = [0, 0]
        guard Glibc.pipe(&pipe) == 0 else { return nil }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
        posix_spawn_file_actions_addclose(&actions, pipe[0])
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = ["git", "-C", directory.path] + arguments
        var cStrings = argv.map { strdup($0) }
        defer { for pointer in cStrings { free(pointer) } }
        cStrings.append(nil)
        var pid: pid_t = 0
        let status = posix_spawnp(&pid, "git", &actions, nil, cStrings, environ)
        close(pipe[1])
        defer { close(pipe[0]) }
        guard status == 0 else { return nil }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(pipe[0], &buffer, buffer.count)
            if count <= 0 { break }
            output += buffer[0..<count]
        }
        var exit: Int32 = 0
        waitpid(pid, &exit, 0)
        guard exit == 0 else { return nil }
        return String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Namespace for the environment a run records.
public enum Environment {}

/// The command-line tool's version, recorded with every run.
public enum AthanorVersion {
    public static let current = "0.2.0"
}
