import Foundation

/// A parameter value that did not come from the notebook (`-p`, `--sweep`, a report's run) passes the checks
/// its default passes, before anything runs: `-p epochs=-5` is exit 2, not a run that "succeeds".
enum OverrideCheck {
    /// The errors `values` cause, each with a note naming where the values came from (`source(name)`, as
    /// `-p epochs=-5`). The notebook has checked without errors with its own values (`run` stops before
    /// otherwise), so every error found now is the values'.
    static func problems(
        in notebook: Notebook, values: [String: ParameterValue], changed: Set<String>, dataDirectory: URL?,
        source: (String) -> String
    ) -> [Diagnostic] {
        let defaults = notebook.defaultValues
        let changed = changed.filter { values[$0] != defaults[$0] }
        guard !changed.isEmpty else { return [] }
        return NotebookChecker.check(notebook, parameters: values, dataDirectory: dataDirectory)
            .filter { $0.severity == .error }
            .map { problem in
                // Name the values the problem's step reads, or all of them when it is not in one step.
                let step = notebook.steps.first { step in
                    problem.location.map { (step.lines.first...step.lines.last).contains($0.line) } ?? false
                }
                let read = Set(step?.body.parameterReferences.map(\.name) ?? []).intersection(changed)
                var problem = problem
                problem.notes.append(
                    "with " + (read.isEmpty ? changed : read).sorted().map(source).joined(separator: ", "))
                return problem
            }
    }

    /// `-p` values: exit 2 with every problem.
    static func verify(_ resolved: ParameterOverrides.Resolved, of notebook: Notebook, dataDirectory: URL?) throws {
        let problems = problems(
            in: notebook, values: resolved.values, changed: resolved.overridden, dataDirectory: dataDirectory
        ) { name in "-p \(name)=\(resolved.values[name].map(CanonicalJSON.text) ?? "")" }
        if !problems.isEmpty { throw WorkflowFailure(.invalid, problems) }
    }

    /// Every combination of a sweep: exit 2 with the problems of the first combination that has any (the
    /// others most likely repeat them).
    static func verify(
        _ grid: SweepGrid, fixed: ParameterOverrides.Resolved, of notebook: Notebook, dataDirectory: URL?
    ) throws {
        for member in grid.members {
            var values = fixed.values
            for (name, value) in member.values { values[name] = value }
            let swept = Set(member.values.map(\.name))
            let problems = problems(
                in: notebook, values: values, changed: fixed.overridden.union(swept), dataDirectory: dataDirectory
            ) { name in
                let text = values[name].map(CanonicalJSON.text) ?? ""
                return swept.contains(name) ? "--sweep \(name)=\(text)" : "-p \(name)=\(text)"
            }
            if !problems.isEmpty { throw WorkflowFailure(.invalid, problems) }
        }
    }
}
