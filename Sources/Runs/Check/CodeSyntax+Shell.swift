import Foundation
import Notebook

extension CodeSyntax {
    /// The shell steps' syntax errors: `/bin/sh -n` (the shell commands run in) for `sh` steps, `bash -n`
    /// for `bash` steps, one short process per step, reading the code without running it.
    static func checkShell(_ notebook: Notebook, bash: String? = onPath("bash")) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        var unchecked: [StepBlock] = []
        for step in notebook.steps {
            guard let code = step.code else { continue }
            let shell: String?
            switch code.language {
            case .python: continue
            case .sh: shell = "/bin/sh"
            case .bash: shell = bash
            }
            guard let shell else {
                unchecked.append(step)
                continue
            }
            do {
                let (status, _, errors) = try run(
                    shell, ["-n", "/dev/stdin"], input: Data(code.text.utf8), keepsErrors: true)
                guard status != 0 else { continue }
                let (line, message) = problem(in: String(decoding: errors, as: UTF8.self))
                let found = Found(step: step.name, line: line, offset: 1, kind: "syntax error", msg: message)
                diagnostics.append(
                    .error(
                        "syntax error in \(code.language.rawValue) step '\(step.name)': \(message)",
                        file: notebook.path, at: location(of: found, in: code)))
            } catch {
                diagnostics.append(
                    .warning(
                        "\(shell) could not check the syntax of step '\(step.name)': \(error)", file: notebook.path,
                        at: step.location))
            }
        }
        if let first = unchecked.first {
            let names = unchecked.map { "'\($0.name)'" }.joined(separator: ", ")
            diagnostics.append(
                .warning(
                    "bash is not on PATH, so the syntax of bash step\(unchecked.count == 1 ? "" : "s") \(names) "
                        + "was not checked",
                    file: notebook.path, at: first.location))
        }
        return diagnostics
    }

    /// The line and message of a shell's first complaint: dash's `/dev/stdin: 2: Syntax error: "fi"
    /// unexpected`, bash's `/dev/stdin: line 2: syntax error near unexpected token `fi'`.
    static func problem(in errors: String) -> (line: Int, message: String) {
        let first = errors.split(separator: "\n").first.map(String.init) ?? ""
        var rest = Substring(first)
        if rest.hasPrefix("/dev/stdin: ") { rest = rest.dropFirst("/dev/stdin: ".count) }
        if rest.hasPrefix("line ") { rest = rest.dropFirst("line ".count) }
        var line = 1
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty, rest.dropFirst(digits.count).hasPrefix(": ") {
            line = Int(digits) ?? 1
            rest = rest.dropFirst(digits.count + 2)
        }
        for prefix in ["Syntax error: ", "syntax error: ", "syntax error "] where rest.hasPrefix(prefix) {
            rest = rest.dropFirst(prefix.count)
            break
        }
        let message = rest.trimmingCharacters(in: .whitespaces)
        return (line, message.isEmpty ? "the shell could not read it" : message)
    }
}
