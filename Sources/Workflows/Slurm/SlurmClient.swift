import Foundation

/// Slurm's own commands (`sbatch`, `scontrol`, `scancel`), found on PATH and run with their output read back:
/// Athanor talks to the scheduler only as a user does, so that any Slurm site works without configuration.
struct SlurmClient: Sendable {
    /// A Slurm command that failed, with Slurm's own words.
    struct Failure: Error, CustomStringConvertible {
        var command: String
        var words: String
        var description: String { "\(command): \(words)" }
    }

    /// The folders searched for Slurm's commands: PATH.
    var path: String = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"

    /// The executable `name` on PATH, or nil.
    func find(_ name: String) -> String? {
        for folder in path.split(separator: ":") where !folder.isEmpty {
            let candidate = "\(folder)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// Submits `script` with `options`; returns the job id that `--parsable` prints.
    func submit(script: String, options: [String]) throws -> String {
        let output = try run("sbatch", ["--parsable"] + options + [script])
        // `--parsable` prints `JOBID` or `JOBID;CLUSTER`.
        let id =
            output.split(separator: ";").first.map { String($0) }?.trimmingCharacters(
                in: .whitespacesAndNewlines) ?? ""
        guard !id.isEmpty, id.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw Failure(command: "sbatch", words: "printed no job id (\(output.prefix(200)))")
        }
        return id
    }

    /// The tasks of job `id` as `scontrol show job -o` prints them; nil when Slurm no longer knows the job
    /// (it ended longer ago than the controller's MinJobAge).
    func tasks(of id: String) throws -> [SlurmTask]? {
        do {
            let output = try run("scontrol", ["show", "job", "-o", id])
            return output.split(separator: "\n").compactMap { SlurmTask(line: String($0)) }
        } catch let failure as Failure where failure.words.contains("Invalid job id") {
            return nil
        }
    }

    /// Cancels job `id` (every task of the array).
    func cancel(_ id: String) throws {
        _ = try run("scancel", [id])
    }

    /// Runs `name ARGUMENTS`; returns its standard output, or throws its standard error as Slurm's words.
    func run(_ name: String, _ arguments: [String]) throws -> String {
        guard let executable = find(name) else {
            throw Failure(command: name, words: "not found on PATH; is Slurm's client (slurm-client) installed?")
        }
        let scratch = FileManager.default.temporaryDirectory.appendingPathComponent(
            "athanor-slurm-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: scratch, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: scratch) }
        let outURL = scratch.appendingPathComponent("out")
        let errURL = scratch.appendingPathComponent("err")
        _ = FileManager.default.createFile(atPath: outURL.path, contents: nil)
        _ = FileManager.default.createFile(atPath: errURL.path, contents: nil)
        let out = try FileHandle(forWritingTo: outURL)
        let err = try FileHandle(forWritingTo: errURL)
        defer {
            try? out.close()
            try? err.close()
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = out
        process.standardError = err
        try process.run()
        process.waitUntilExit()
        let stdout = String(decoding: (try? Data(contentsOf: outURL)) ?? Data(), as: UTF8.self)
        let stderr = String(decoding: (try? Data(contentsOf: errURL)) ?? Data(), as: UTF8.self)
        guard process.terminationStatus == 0 else {
            let words = stderr.split(separator: "\n").map {
                $0.replacingOccurrences(of: "\(name): error: ", with: "")
            }.joined(separator: "; ")
            throw Failure(
                command: name, words: words.isEmpty ? "exited with status \(process.terminationStatus)" : words)
        }
        return stdout
    }
}

/// One task of an array job as `scontrol show job -o` describes it (one line of `Key=Value` fields); a line of
/// pending tasks not yet split off names a range of them (`ArrayTaskId=1-3`).
struct SlurmTask: Sendable, Hashable {
    var tasks: [Int]
    var state: String
    var reason: String?
    var exit: String?
    var node: String?
    var output: String?

    /// States in which a task has ended, as Slurm names them.
    static let finalStates: Set<String> = [
        "COMPLETED", "FAILED", "CANCELLED", "TIMEOUT", "NODE_FAIL", "OUT_OF_MEMORY", "PREEMPTED", "BOOT_FAIL",
        "DEADLINE", "REVOKED",
    ]

    var isFinal: Bool { Self.finalStates.contains(state) }

    init?(line: String) {
        var fields: [String: String] = [:]
        for field in line.split(separator: " ") {
            guard let equals = field.firstIndex(of: "=") else { continue }
            fields[String(field[..<equals])] = String(field[field.index(after: equals)...])
        }
        guard let state = fields["JobState"] else { return nil }
        self.state = state
        let taskText = fields["ArrayTaskId"] ?? "0"
        tasks = Self.indices(taskText)
        reason = fields["Reason"]
        exit = fields["ExitCode"]
        node = fields["BatchHost"] ?? fields["NodeList"].flatMap { $0.isEmpty || $0 == "(null)" ? nil : $0 }
        output = fields["StdOut"]
    }

    /// `3`, `1-3`, `0,2,4-6`, `1-7:2` (a step), and `%N` limits after the ranges.
    static func indices(_ text: String) -> [Int] {
        let list = text.split(separator: "%").first.map(String.init) ?? text
        var result: [Int] = []
        for part in list.split(separator: ",") {
            let stepped = part.split(separator: ":")
            let step = stepped.count > 1 ? max(1, Int(stepped[1]) ?? 1) : 1
            let bounds = stepped.first?.split(separator: "-").compactMap { Int($0) } ?? []
            if bounds.count == 2, bounds[0] <= bounds[1], bounds[1] - bounds[0] < 1_000_000 {
                result += Swift.stride(from: bounds[0], through: bounds[1], by: step)
            } else if bounds.count == 1 {
                result.append(bounds[0])
            }
        }
        return result
    }
}
