import Engine
import Foundation
import Notebook

extension CodeStep {
    /// The Python modules a python step imports, written into its scratch folder: `athanor` and the
    /// helpers it builds on, and the matplotlib backend that keeps figures for the report.
    static let pythonModules: [(name: String, bytes: [UInt8])] = [
        ("athanor.py", PackageResources.athanor_py),
        ("athanor_dataset.py", PackageResources.athanor_dataset_py),
        ("athanor_figures.py", PackageResources.athanor_figures_py),
        ("athanor_log.py", PackageResources.athanor_log_py),
    ]

    /// The longest shell code passed to the shell as one argument (Linux takes 128 KiB); longer code is
    /// run from its file, whose path then names it in the shell's messages instead of the notebook's.
    static let largestShellArgument = 100_000

    /// What a code step needs besides its configuration.
    struct Inputs {
        var code: CodeBody
        /// The datasets of `reads:`, by the reference as written.
        var reads: [(reference: String, dataset: Dataset)]
    }

    /// Runs the step's code with the user's `python3`, `sh` or `bash` in the notebook's folder.
    static func run(_ step: PlannedStep, _ inputs: Inputs, in directory: URL, context: ExternalStep.Context) throws
        -> StepResult
    {
        let produces = ExternalStep.strings(step.configuration["produces"])
        // The notebook's file name names the code in tracebacks and shell messages (the code runs in the
        // notebook's folder); messages of Athanor's own give its path as the user gave it.
        let fileName = URL(fileURLWithPath: context.notebookPath).lastPathComponent
        // Blank lines before the code, so that every line number the language gives is the notebook's.
        let numbered = String(repeating: "\n", count: max(inputs.code.firstLine - 1, 0)) + inputs.code.text
        var hooks = ExternalStep.Hooks()
        let command: String
        switch inputs.code.language {
        case .python:
            command =
                "exec python3 -c 'import os, sys; lib = os.environ[\"ATHANOR_LIB\"]; sys.path.insert(0, lib); "
                + "import athanor; sys.path.remove(lib); sys.path.append(lib); athanor._main()'"
            hooks.prepare = { scratch, environment in
                try preparePython(scratch, &environment, inputs: inputs, produces: produces, fileName: fileName)
            }
            hooks.explain = { scratch, _ in pythonError(in: scratch, notebookPath: context.notebookPath) }
            hooks.finish = { scratch, result in
                try collect(produces, from: scratch, step: step.name, into: &result)
            }
        case .sh, .bash:
            let shell = inputs.code.language == .bash ? "bash -eo pipefail" : "sh -e"
            command =
                numbered.utf8.count <= largestShellArgument
                ? "exec \(shell) -c \"$(cat \"$ATHANOR_CODE\")\" \(ShellQuote.quoted(fileName))"
                : "exec \(shell) \"$ATHANOR_CODE\""
            hooks.prepare = { scratch, environment in
                let path = scratch.path + "/code.sh"
                try FileSystem.writeAtomically(Array(numbered.utf8), to: path, temporaryDirectory: scratch.path)
                environment["ATHANOR_CODE"] = path
                for (name, value) in context.parameters where ShellQuote.isVariableName(name) {
                    environment[name] = shellText(value)
                }
            }
        }
        return try ExternalStep.run(step, command: command, in: directory, context: context, hooks: hooks)
    }

    /// Writes the modules, the datasets the code reads and the description `athanor` reads
    /// (`ATHANOR_CODE`) into the scratch folder.
    private static func preparePython(
        _ scratch: ScratchDirectory, _ environment: inout [String: String], inputs: Inputs, produces: [String],
        fileName: String
    ) throws {
        let library = scratch.path + "/lib"
        try FileSystem.makeDirectory(library)
        for module in pythonModules {
            try FileSystem.writeAtomically(module.bytes, to: "\(library)/\(module.name)", temporaryDirectory: library)
        }
        try FileSystem.makeDirectory(scratch.path + "/data")
        var reads: [String: String] = [:]
        for (index, read) in inputs.reads.enumerated() {
            let path = "\(scratch.path)/data/read-\(index).athdata"
            try FileSystem.writeFile(at: path, read.dataset.writeColumnar)
            reads[read.reference] = path
        }
        var produced: [String: String] = [:]
        for name in produces { produced[name] = producedPath(name, in: scratch) }
        let description: [String: Any] = [
            "notebook": fileName, "first_line": inputs.code.firstLine, "code": inputs.code.text,
            "reads": reads, "produces": produced, "error": scratch.path + "/error.json",
        ]
        let bytes = try JSONSerialization.data(withJSONObject: description, options: [.sortedKeys])
        try FileSystem.writeAtomically(Array(bytes), to: scratch.path + "/code.json", temporaryDirectory: scratch.path)
        environment["ATHANOR_CODE"] = scratch.path + "/code.json"
        environment["ATHANOR_LIB"] = library
        environment["PYTHONPATH"] = [library, environment["PYTHONPATH"]].compactMap { $0 }.joined(separator: ":")
        environment["MPLBACKEND"] = "module://athanor_figures"
        // What the code prints shows as it prints it, as in a notebook, not when a buffer fills.
        environment["PYTHONUNBUFFERED"] = "1"
    }

    private static func producedPath(_ name: String, in scratch: ScratchDirectory) -> String {
        "\(scratch.path)/data/produced-\(ContentHash.sha256(Array(name.utf8)).prefix(16)).athdata"
    }

    /// `nb.md:48: ZeroDivisionError: division by zero`, from what `athanor` wrote when the code raised.
    static func pythonError(in scratch: ScratchDirectory, notebookPath: String) -> String? {
        guard let bytes = try? FileSystem.contents(ofFileAt: scratch.path + "/error.json"),
            let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any],
            let message = object["message"] as? String
        else { return nil }
        let place = (object["line"] as? Int).map { "\(notebookPath):\($0)" } ?? notebookPath
        return "\(place): \(message) (the traceback is in the step's log)"
    }

    /// Reads back every dataset of `produces:`; one the code did not write fails the step.
    private static func collect(
        _ produces: [String], from scratch: ScratchDirectory, step: String, into result: inout StepResult
    ) throws {
        let missing = produces.filter { !FileManager.default.fileExists(atPath: producedPath($0, in: scratch)) }
        guard missing.isEmpty else {
            let calls = missing.map { "athanor.write(\"\($0)\", frame)" }.joined(separator: ", ")
            throw EngineError(
                "the code did not write \(missing.map { "'\($0)'" }.joined(separator: ", ")), listed in "
                    + "produces: of step '\(step)'; call \(calls)")
        }
        for name in produces {
            let path = producedPath(name, in: scratch)
            do {
                guard let dataset = try FileSystem.withMappedFile(at: path, { try Dataset(columnar: $0) }) else {
                    throw EngineError("the file is gone")
                }
                result.outputs[name] = .dataset(dataset)
            } catch {
                throw EngineError("the dataset '\(name)' the code wrote cannot be read: \(error)")
            }
        }
    }

    /// A parameter as a shell variable's text: numbers and text as they are, lists as JSON.
    private static func shellText(_ value: ParameterValue) -> String {
        if case .list = value { return CanonicalJSON.text(value) }
        return value.text
    }
}
