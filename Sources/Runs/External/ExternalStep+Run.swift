import Engine
import Foundation
import Notebook

extension ExternalStep {
    /// What a command step is told beyond its own configuration.
    struct Context: Sendable {
        var runID: String
        /// The run's resolved parameters.
        var parameters: [String: ParameterValue]
        /// The notebook's path as the user gave it, for messages that point into it.
        var notebookPath: String
        /// Where the step makes its `ScratchDirectory` (`.athanor/tmp`): its parameters, metrics and
        /// `ATHANOR_OUTPUT`, removed when the step ends.
        var temporaryDirectory: String
        /// Each line the command prints, as it prints it.
        var line: @Sendable (String) -> Void

        /// The run's parameters as the JSON object a command reads from `ATHANOR_PARAMS`.
        var parametersJSON: String {
            let fields = parameters.sorted { $0.key < $1.key }.map { name, value in
                "  " + CanonicalJSON.quoted(name) + ": " + CanonicalJSON.text(value)
            }
            return "{\n" + fields.joined(separator: ",\n") + "\n}\n"
        }
    }

    /// A command step that failed, with what it printed so far for the run record.
    struct Failure: Error, CustomStringConvertible {
        var message: String
        var log: String?
        var description: String { message }
    }

    /// What a kind of step adds to running a command: code steps write their code and datasets to the
    /// scratch folder first, and read what the code wrote back after it.
    struct Hooks {
        /// Writes what the command needs into the scratch folder and sets its variables.
        var prepare: (ScratchDirectory, inout [String: String]) throws -> Void = { _, _ in }
        /// Why the command failed, in words better than its exit status; nil to use those.
        var explain: (ScratchDirectory, CommandOutcome) -> String? = { _, _ in nil }
        /// Adds what the command left in the scratch folder to the step's result.
        var finish: (ScratchDirectory, inout StepResult) throws -> Void = { _, _ in }
    }

    /// Runs the step's command and gathers its metrics, series, artifacts and log.
    static func run(_ step: PlannedStep, in directory: URL, context: Context) throws -> StepResult {
        guard let command = step.configuration["run"]?.string else {
            throw EngineError("'run' must be the command's text")
        }
        return try run(step, command: command, in: directory, context: context, hooks: Hooks())
    }

    /// Runs `command` for `step` in a scratch folder of its own, with the step's variables and `hooks`.
    static func run(_ step: PlannedStep, command: String, in directory: URL, context: Context, hooks: Hooks)
        throws -> StepResult
    {
        let config = step.configuration
        // A directory of this run's own: runs at once, in this process or others, never share a file.
        let scratch = try ScratchDirectory.make(in: context.temporaryDirectory, run: context.runID, step: step.name)
        defer { try? FileSystem.removeTree(scratch.path) }
        let parameters = scratch.parameters
        let metrics = scratch.metrics
        try FileSystem.writeAtomically(
            Array(context.parametersJSON.utf8), to: parameters, temporaryDirectory: scratch.path)
        try FileSystem.writeAtomically([], to: metrics, temporaryDirectory: scratch.path)

        var environment = ProcessInfo.processInfo.environment
        // The kind's variables first, so that the step's `env:` may change them (`MPLBACKEND`), and
        // Athanor's own last, so that it may not.
        try hooks.prepare(scratch, &environment)
        for entry in config["env"]?.entries ?? [] {
            environment[entry.key] = text(entry.value.value)
        }
        environment["ATHANOR_PARAMS"] = parameters
        environment["ATHANOR_OUTPUT"] = scratch.output
        environment["ATHANOR_METRICS"] = metrics
        environment["ATHANOR_RUN_ID"] = context.runID
        environment["ATHANOR_STEP"] = step.name
        let timeout: Double? =
            switch config["timeout"]?.value {
            case .int(let seconds)?: Double(seconds)
            case .double(let seconds)?: seconds
            default: nil
            }
        let process = CommandProcess(
            command: command, directory: directory.path, environment: environment, timeout: timeout)
        let follower = MetricsFile.Follower(path: metrics)
        let outcome: CommandOutcome
        do {
            outcome = try process.run(line: context.line)
        } catch {
            _ = try? follower.finish()
            throw error
        }
        let contents = Result { try follower.finish() }
        if let problem = problem(outcome) {
            throw Failure(message: hooks.explain(scratch, outcome) ?? problem, log: outcome.log)
        }

        var result = StepResult()
        result.log = outcome.log
        do {
            let contents = try contents.get()
            result.metrics = contents.metrics
            result.series = contents.series
            let collected = try artifacts(
                outputs: strings(config["outputs"]), directory: directory.path, outputDirectory: scratch.output)
            result.artifacts = collected.artifacts
            for link in collected.skippedLinks {
                let note = "athanor: ATHANOR_OUTPUT/\(link) is a symbolic link, not collected (write the file itself)"
                context.line(note)
                result.log = (result.log ?? "") + note + "\n"
            }
            try hooks.finish(scratch, &result)
        } catch {
            throw Failure(message: "\(error)", log: outcome.log)
        }
        return result
    }

    /// Why the command failed, with the end of its standard error; nil when it succeeded.
    static func problem(_ outcome: CommandOutcome) -> String? {
        var message: String
        switch outcome.ending {
        case .exited(0):
            return nil
        case .exited(let status):
            message = "the command exited with status \(status)"
        case .signalled(let signal):
            message = "the command was killed by signal \(signal) (\(String(cString: strsignal(signal))))"
        case .timedOut(let seconds):
            message =
                "the command timed out after \(seconds == seconds.rounded() ? String(Int(seconds)) : String(seconds)) s; its process group was killed"
        }
        if outcome.standardErrorTail.isEmpty {
            message += " (nothing on standard error)"
        } else {
            message += "; the end of its standard error:\n" + outcome.standardErrorTail.joined(separator: "\n")
        }
        return message
    }

    /// The files named by `outputs:` (relative to the notebook's directory) and those the command left in
    /// `ATHANOR_OUTPUT`, each read whole, with the symbolic links found in `ATHANOR_OUTPUT`, which are not.
    ///
    /// - Throws: when a file of `outputs:` is, or lies behind, a symbolic link in the notebook's folder that
    ///   leads out of it: a cache hit could not write it back there.
    static func artifacts(outputs: [String], directory: String, outputDirectory: String) throws -> (
        artifacts: [StepResult.Artifact], skippedLinks: [String]
    ) {
        var artifacts: [StepResult.Artifact] = []
        var names: Set<String> = []
        for pattern in outputs {
            let paths = try FilePattern.expand(pattern, in: directory)
            guard !paths.isEmpty else {
                throw EngineError(
                    FilePattern.isGlob(pattern)
                        ? "outputs: '\(pattern)' matches no file after the command ran"
                        : "outputs: the command did not write '\(pattern)'")
            }
            for path in paths where names.insert(path).inserted {
                if let escape = FileSystem.linkOutOfFolder(path, folder: directory, includingLast: true) {
                    throw EngineError(linkMessage(path, escape))
                }
                let full = path.hasPrefix("/") ? path : "\(directory)/\(path)"
                artifacts.append(
                    StepResult.Artifact(
                        name: path, bytes: try FileSystem.contents(ofFileAt: full) ?? [], place: .notebook))
            }
        }
        if FileSystem.isSymbolicLink(outputDirectory) {
            throw EngineError("the command replaced ATHANOR_OUTPUT by a symbolic link; write files into the directory")
        }
        let found = try FilePattern.filesAndLinks(under: outputDirectory)
        for path in found.files {
            guard names.insert(path).inserted else {
                throw EngineError(
                    "'\(path)' is both a file of 'outputs:' and one in ATHANOR_OUTPUT; give them different names")
            }
            artifacts.append(
                StepResult.Artifact(
                    name: path, bytes: try FileSystem.contents(ofFileAt: "\(outputDirectory)/\(path)") ?? [],
                    place: .output))
        }
        return (artifacts, found.links)
    }

    /// Why `path` of `outputs:` is neither collected nor written back.
    static func linkMessage(_ path: String, _ escape: FileSystem.LinkOutOfFolder) -> String {
        let through = escape.link == path ? "is" : "goes through"
        return "outputs: '\(path)' \(through) the symbolic link '\(escape.link)', which leads out of the "
            + "notebook's folder (to '\(escape.target)'); Athanor does not read or write files through it"
    }

    static func strings(_ node: ConfigNode?) -> [String] {
        guard case .list(let items)? = node?.value else { return [] }
        return items.compactMap(\.string)
    }

    /// An `env:` value as the text a process sees.
    private static func text(_ value: ConfigValue) -> String {
        switch value {
        case .string(let text): text
        case .int(let number): String(number)
        case .double(let number): String(number)
        case .bool(let flag): flag ? "true" : "false"
        default: ""
        }
    }
}
