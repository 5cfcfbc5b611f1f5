import Engine
import Foundation

extension Environment {
    /// The machine and repository a run happens in.
    static func current(directory: URL) -> EnvironmentRecord {
        EnvironmentRecord(
            toolVersion: AthanorVersion.current, engineVersion: EngineVersion.current,
            os: ProcessInfo.processInfo.operatingSystemVersionString, cpuModel: cpuModel(),
            cores: ProcessInfo.processInfo.activeProcessorCount, gitCommit: git(["rev-parse", "HEAD"], in: directory),
            gitDirty: git(["status", "--porcelain"], in: directory).map { !$0.isEmpty })
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

    /// A git command's trimmed output in `directory`, or nil outside a repository.
    static func git(_ arguments: [String], in directory: URL) -> String? {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["git", "-C", directory.path] + arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = FileHandle.nullDevice
        do {
            try process.run()
        } catch {
            return nil
        }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { return nil }
        return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
    }
}

/// Namespace for the environment a run records.
public enum Environment {}

/// The command-line tool's version, recorded with every run.
public enum AthanorVersion {
    public static let current = "0.2.0"
}
