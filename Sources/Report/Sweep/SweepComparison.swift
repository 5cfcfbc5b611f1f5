import Foundation
import Runs

/// What a sweep's comparison report shows: its runs, the parameters it varied, and the objective the best
/// run is chosen by.
public struct SweepComparison: Sendable {
    /// A member that left no record (the store refused it, or the sweep was interrupted before it ran).
    public struct Missing: Sendable {
        public var label: String
        public var error: String

        public init(label: String, error: String) {
            self.label = label
            self.error = error
        }
    }

    public var id: String
    /// The notebook's path relative to the project, as its runs record it.
    public var notebook: String
    public var swept: [SweptParameter]
    /// The members in the grid's order.
    public var runs: [RunRecord]
    public var missing: [Missing]
    public var objective: SweepObjective?
    /// The command line as typed.
    public var command: [String]
    /// Whether `--aggregate` asked for each metric's spread over the runs (a seed sweep shows it anyway).
    public var aggregate: Bool

    public init(
        id: String, notebook: String, swept: [SweptParameter], runs: [RunRecord], missing: [Missing] = [],
        objective: SweepObjective?, command: [String], aggregate: Bool = false
    ) {
        self.aggregate = aggregate
        self.id = id
        self.notebook = notebook
        self.swept = swept
        self.runs = runs
        self.missing = missing
        self.objective = objective
        self.command = command
    }

    /// A sweep read back from the store: its swept parameters are those whose values differ, its runs ordered
    /// by them, its objective `objective` or the default.
    public static func recorded(_ id: String, runs: [RunRecord], objective: SweepObjective?) -> SweepComparison {
        // Oldest first, as the grid started them, so that text values keep the order they were given in.
        let runs = runs.sorted { $0.started < $1.started }
        let swept = SweptParameter.differing(in: runs)
        func position(_ run: RunRecord) -> [Int] {
            swept.map { parameter in
                let value = run.parameters.first { $0.name == parameter.name }?.value ?? ""
                return parameter.values.firstIndex(of: value) ?? parameter.values.count
            }
        }
        let ordered = runs.sorted { a, b in
            let (left, right) = (position(a), position(b))
            return left == right ? a.started < b.started : left.lexicographicallyPrecedes(right)
        }
        return SweepComparison(
            id: id, notebook: runs.first?.notebook ?? "", swept: swept, runs: ordered,
            objective: objective ?? SweepObjective.chosen(for: ordered), command: runs.first?.command ?? [],
            aggregate: runs.first?.command.contains("--aggregate") ?? false)
    }

    /// The value of `parameter` in `run`, as recorded.
    func value(_ parameter: String, in run: RunRecord) -> String {
        run.parameters.first { $0.name == parameter }?.value ?? "-"
    }

    /// `lr=0.001 hidden=32`: what sets the run apart from the others.
    func label(_ run: RunRecord) -> String {
        swept.map { "\($0.name)=\(value($0.name, in: run))" }.joined(separator: " ")
    }
}
