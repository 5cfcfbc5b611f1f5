/// A step's reference to an earlier step's output, as a notebook writes it: `data` (the step's own
/// output) or `split.train` (`STEP.OUTPUT`).
///
/// The one parser of that form: the checker, the plan and the runner read references through it, so that
/// what `check` accepts is exactly what a run resolves.
public struct StepReference: Sendable, Hashable, CustomStringConvertible {
    /// The step that produced the output: `split` of `split.train`.
    public var step: String
    /// The output's name: `train` of `split.train`; nil for the step's own output.
    public var output: String?

    public init(step: String, output: String? = nil) {
        self.step = step
        self.output = output
    }

    /// The reference `text` spells, or nil when it is not `STEP` or `STEP.OUTPUT` with both parts
    /// non-empty (`split.`, `.train` and `a.b.c` are not references).
    public init?(_ text: String) {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count <= 2, let first = parts.first, !first.isEmpty else { return nil }
        if parts.count == 2, parts[1].isEmpty { return nil }
        step = String(first)
        output = parts.count == 2 ? String(parts[1]) : nil
    }

    /// The reference as a notebook writes it.
    public var description: String { output.map { "\(step).\($0)" } ?? step }
}
