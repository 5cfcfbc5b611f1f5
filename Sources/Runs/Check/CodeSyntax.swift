import Foundation
import Notebook

/// Finds syntax errors in a notebook's code steps before anything runs, at their notebook line and
/// column, with the user's own `python3`: one process compiles every python step (`compile`, which runs
/// nothing), so that checking stays fast however many steps there are; `sh -n` and `bash -n` read the
/// shell steps.
enum CodeSyntax {
    /// The syntax errors of `notebook`'s code steps; a warning instead for the python steps when `python`
    /// is nil (no `python3` on `PATH`) or cannot check them, and likewise for bash.
    ///
    /// - Parameter checked: python code compiled before without error, which is not compiled again.
    static func check(_ notebook: Notebook, python: String? = pythonOnPath(), checked: CheckedCode? = nil)
        -> [Diagnostic]
    {
        checkPython(notebook, python: python, checked: checked) + checkShell(notebook)
    }

    /// The python steps' syntax errors, from one `python3` process.
    static func checkPython(_ notebook: Notebook, python: String?, checked: CheckedCode? = nil) -> [Diagnostic] {
        let steps = notebook.steps.filter { $0.code?.language == .python }
        guard let first = steps.first else { return [] }
        let key = python.map { CheckedCode.key(python: $0, sources: steps.map { $0.code?.text ?? "" }) }
        if let key, checked?.contains(key) == true { return [] }
        let names = steps.map { "'\($0.name)'" }.joined(separator: ", ")
        let noun = steps.count == 1 ? "step" : "steps"
        guard let python else {
            return [
                .warning(
                    "python3 is not on PATH, so the syntax of python \(noun) \(names) was not checked",
                    file: notebook.path, at: first.location)
            ]
        }
        let found: [Found]
        do {
            found = try compile(steps, with: python)
        } catch {
            return [
                .warning(
                    "\(python) could not check the syntax of python \(noun) \(names): \(error)", file: notebook.path,
                    at: first.location)
            ]
        }
        if found.isEmpty, let key { checked?.insert(key) }
        return found.compactMap { problem in
            guard let step = steps.first(where: { $0.name == problem.step }), let code = step.code else { return nil }
            return .error(
                "\(problem.kind) in python step '\(step.name)': \(problem.msg)", file: notebook.path,
                at: location(of: problem, in: code))
        }
    }

    /// The first `python3` on `PATH`, as a shell would find it.
    static func pythonOnPath() -> String? { onPath("python3") }

    /// The first executable `name` on `PATH`.
    static func onPath(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/local/bin:/usr/bin:/bin"
        for directory in path.split(separator: ":") where !directory.isEmpty {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }

    /// One problem as the script reports it: Python's 1-based line and character offset in the step's code.
    struct Found: Decodable {
        var step: String
        var line: Int
        var offset: Int
        var kind: String
        var msg: String
    }

    /// Compiles each step's code in one `python3` process, isolated from the user's site packages and
    /// environment (`-I -S`): the sources go in on standard input, the problems come out as JSON.
    static func compile(_ steps: [StepBlock], with python: String) throws -> [Found] {
        let sources = steps.map { ["step": $0.name, "source": $0.code?.text ?? ""] }
        let input = try JSONSerialization.data(withJSONObject: sources)
        let (status, output, _) = try run(python, ["-I", "-S", "-c", script], input: input, keepsErrors: false)
        guard status == 0 else { throw CodeSyntaxError(message: "it exited with status \(status)") }
        do {
            return try JSONDecoder().decode([Found].self, from: output)
        } catch {
            throw CodeSyntaxError(message: "its answer was not the expected JSON")
        }
    }

    /// Runs `executable` with `input` on standard input to its end; what it printed, standard error kept
    /// only when asked. The input comes from a file rather than a pipe, so that a program that stops early
    /// cannot stop the caller with SIGPIPE.
    static func run(_ executable: String, _ arguments: [String], input: Data, keepsErrors: Bool) throws -> (
        status: Int32, output: Data, errors: Data
    ) {
        guard FileManager.default.isExecutableFile(atPath: executable) else {
            throw CodeSyntaxError(message: "it is not an executable file")
        }
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("athanor-code-\(UUID().uuidString)")
        try input.write(to: file)
        defer { try? FileManager.default.removeItem(at: file) }
        let stdin = try FileHandle(forReadingFrom: file)
        defer { try? stdin.close() }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let stdout = Pipe()
        let stderr = Pipe()
        process.standardInput = stdin
        process.standardOutput = stdout
        process.standardError = keepsErrors ? stderr : FileHandle.nullDevice
        try process.run()
        let output = try stdout.fileHandleForReading.readToEnd() ?? Data()
        let errors = keepsErrors ? try stderr.fileHandleForReading.readToEnd() ?? Data() : Data()
        // `waitUntilExit` polls a run loop every 50 ms or so; the process has closed its output and is ending.
        while process.isRunning { usleep(200) }
        return (process.terminationStatus, output, errors)
    }

    /// The notebook position of Python's line and character offset: the code's first line, and the fence's
    /// indentation and the bytes of the characters before the offset.
    static func location(of problem: Found, in code: CodeBody) -> SourceLocation {
        let lines = code.text.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        guard !lines.isEmpty else { return SourceLocation(line: code.firstLine, column: 1) }
        let index = min(max(problem.line, 1), lines.count) - 1
        let line = lines[lines.startIndex + index]
        let characters = max(problem.offset - 1, 0)
        let bytes = line.unicodeScalars.prefix(characters).reduce(0) { $0 + UTF8.width($1) }
        let indent = index < code.indents.count ? code.indents[index] : 0
        return SourceLocation(line: code.firstLine + index, column: indent + bytes + 1)
    }

    private static let script = """
        import json, sys, warnings
        warnings.simplefilter("ignore")
        found = []
        for item in json.load(sys.stdin):
            try:
                compile(item["source"], item["step"], "exec", dont_inherit=True)
            except SyntaxError as e:
                found.append({"step": item["step"], "line": e.lineno or 1, "offset": e.offset or 1,
                              "kind": type(e).__name__, "msg": str(e.msg)})
            except ValueError as e:
                found.append({"step": item["step"], "line": 1, "offset": 1, "kind": type(e).__name__, "msg": str(e)})
        json.dump(found, sys.stdout)
        """
}

/// Why `python3` could not answer, for the warning that syntax was not checked.
struct CodeSyntaxError: Error, CustomStringConvertible {
    var message: String
    var description: String { message }
}
