import Notebook

/// `-p name=value` overrides: each must name a declared parameter and parse as its type.
public enum ParameterOverrides {
    public struct Resolved: Sendable {
        public var values: [String: ParameterValue]
        public var overridden: Set<String>
    }

    /// The notebook's defaults with the overrides applied, and the names overridden; or every
    /// problem, as diagnostics for the command line.
    public static func resolve(_ assignments: [String], in notebook: Notebook) -> Result<Resolved, DiagnosticList> {
        var values = notebook.defaultValues
        var overridden: Set<String> = []
        var problems: [Diagnostic] = []
        let declared = notebook.parameters
        for assignment in assignments {
            guard let equals = assignment.firstIndex(of: "=") else {
                problems.append(.error("'-p \(assignment)' must be name=value", file: "athanor", at: nil))
                continue
            }
            let name = String(assignment[..<equals])
            let text = String(assignment[assignment.index(after: equals)...])
            guard let parameter = declared.first(where: { $0.name == name }) else {
                problems.append(
                    .error(
                        "'-p \(name)': the notebook declares no parameter '\(name)'", file: notebook.path, at: nil,
                        suggestion: Suggestion.closest(to: name, in: declared.map(\.name))))
                continue
            }
            guard let value = ParameterValue.parse(text, as: parameter.type) else {
                problems.append(
                    .error(
                        "'-p \(name)=\(text)': expected \(parameter.type), the type of '\(name)', not '\(text)'",
                        file: notebook.path, at: parameter.location))
                continue
            }
            values[name] = value
            overridden.insert(name)
        }
        return problems.isEmpty
            ? .success(Resolved(values: values, overridden: overridden)) : .failure(DiagnosticList(problems))
    }
}
