import Notebook

/// `-p name=value` overrides: each must name a declared parameter and parse as its type.
public enum ParameterOverrides {
    public struct Resolved: Sendable {
        public var values: [String: ParameterValue]
        public var overridden: Set<String>

        public init(values: [String: ParameterValue], overridden: Set<String>) {
            self.values = values
            self.overridden = overridden
        }
    }

    /// The notebook's defaults with the overrides applied, and the names overridden; or every
    /// problem, as diagnostics for the command line.
    public static func resolve(_ assignments: [String], in notebook: Notebook) -> Result<Resolved, DiagnosticList> {
        var values = notebook.defaultValues
        var overridden: Set<String> = []
        var problems: [Diagnostic] = []
        var given: [String: String] = [:]
        for assignment in assignments {
            switch split(assignment, flag: "-p") {
            case .failure(let problem): problems.append(problem)
            case .success(let (name, text)):
                // The last one winning would hide a typo in a long command line: say which to keep.
                if let earlier = given[name] {
                    problems.append(
                        .error(
                            "'-p \(name)' is given twice ('\(earlier)' and '\(text)'); give it once, or sweep it "
                                + "with --sweep \(name)=\(earlier),\(text)", file: "athanor", at: nil))
                    continue
                }
                given[name] = text
                switch declared(name, in: notebook, flag: "-p") {
                case .failure(let problem): problems.append(problem)
                case .success(let parameter):
                    switch typed(text, of: parameter, in: notebook, flag: "-p") {
                    case .failure(let problem): problems.append(problem)
                    case .success(let value):
                        values[name] = value
                        overridden.insert(name)
                    }
                }
            }
        }
        return problems.isEmpty
            ? .success(Resolved(values: values, overridden: overridden)) : .failure(DiagnosticList(problems))
    }

    /// `name=value` cut at the first `=`; `flag` names the option in the message (`-p`, `--sweep`).
    static func split(_ assignment: String, flag: String) -> Result<(name: String, text: String), Diagnostic> {
        guard let equals = assignment.firstIndex(of: "=") else {
            return .failure(.error("'\(flag) \(assignment)' must be name=value", file: "athanor", at: nil))
        }
        return .success((String(assignment[..<equals]), String(assignment[assignment.index(after: equals)...])))
    }

    /// The parameter the notebook declares as `name`, or an error with the nearest declared name.
    static func declared(_ name: String, in notebook: Notebook, flag: String) -> Result<Parameter, Diagnostic> {
        let declared = notebook.parameters
        guard let parameter = declared.first(where: { $0.name == name }) else {
            return .failure(
                .error(
                    "'\(flag) \(name)': the notebook declares no parameter '\(name)'", file: notebook.path, at: nil,
                    suggestion: Suggestion.closest(to: name, in: declared.map(\.name))))
        }
        return .success(parameter)
    }

    /// `text` read as the declared type of `parameter`, or an error pointing at its declaration.
    static func typed(_ text: String, of parameter: Parameter, in notebook: Notebook, flag: String) -> Result<
        ParameterValue, Diagnostic
    > {
        guard let value = ParameterValue.parse(text, as: parameter.type) else {
            let name = parameter.name
            return .failure(
                .error(
                    "'\(flag) \(name)=\(text)': expected \(parameter.type), the type of '\(name)', not '\(text)'",
                    file: notebook.path, at: parameter.location))
        }
        return .success(value)
    }
}
