import Foundation
import TestSupport

/// A real single-node Slurm for the tests: `scripts/slurm-test-cluster.sh` starts munged, slurmctld and slurmd
/// in a private network namespace, runs a shell script of the test's commands in it, and stops them.
enum SlurmCluster {
    static let script = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent("scripts/slurm-test-cluster.sh")

    /// Runs each of `commands` (shell text, in which `$ATHANOR` is the built `athanor`) in turn, in `directory`,
    /// inside one fresh cluster; returns what each printed and its exit status.
    static func run(_ commands: [String], in directory: URL) throws -> [Output] {
        var lines = ["#!/bin/sh", "cd \(quoted(directory.path)) || exit 97"]
        for (index, command) in commands.enumerated() {
            lines.append("( \(command) ) > .cmd\(index).out 2> .cmd\(index).err < /dev/null; echo $? > .cmd\(index).rc")
        }
        let file = directory.appendingPathComponent(".commands.sh")
        try (lines.joined(separator: "\n") + "\n").write(to: file, atomically: true, encoding: .utf8)
        let cluster = try BinaryRunner.run(
            ["sh", file.path], in: directory, executable: script,
            environment: ["ATHANOR": BinaryRunner.binary.path])
        guard cluster.status == 0 else {
            throw ClusterFailure(description: "the test cluster failed (\(cluster.status)): \(cluster.stderr)")
        }
        return try commands.indices.map { index in
            func read(_ suffix: String) throws -> String {
                try String(contentsOf: directory.appendingPathComponent(".cmd\(index).\(suffix)"), encoding: .utf8)
            }
            let status = Int32(try read("rc").trimmingCharacters(in: .whitespacesAndNewlines)) ?? -1
            return Output(status: status, stdout: try read("out"), stderr: try read("err"))
        }
    }

    /// What one command printed and how it ended.
    struct Output {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    static func quoted(_ word: String) -> String { "'" + word.replacingOccurrences(of: "'", with: "'\\''") + "'" }

    struct ClusterFailure: Error, CustomStringConvertible {
        var description: String
    }
}
