import Engine
import Foundation

extension Environment {
    /// The machine and repository a run happens in.
    static func current(directory: URL) -> EnvironmentRecord {
        // Starting git costs more than the rest of a cached run: ask it only inside a repository.
        let inRepository = Project.nearestAncestor(of: directory, holding: ".git", directoryOnly: false) != nil
        let git = inRepository ? GitState.of(directory) : GitState(commit: nil, dirty: nil)
        return EnvironmentRecord(
            toolVersion: AthanorVersion.current, engineVersion: EngineVersion.current,
            os: ProcessInfo.processInfo.operatingSystemVersionString, cpuModel: cpuModel(),
            cores: ProcessInfo.processInfo.activeProcessorCount, gitCommit: git.commit, gitDirty: git.dirty,
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
}

/// Namespace for the environment a run records.
public enum Environment {}

/// The command-line tool's version, recorded with every run.
public enum AthanorVersion {
    public static let current = "0.2.0"
}
