import Foundation
import Notebook

/// The parameters a sweep varies (`--sweep lr=0.001,0.01 --sweep hidden=16..64:lin4`) and the runs they make:
/// every combination, the first axis varying slowest, as nested loops would write them.
public struct SweepGrid: Sendable, Hashable {
    /// One swept parameter and its values in the order given.
    public struct Axis: Sendable, Hashable {
        public var name: String
        public var values: [ParameterValue]
        /// Whether the values were asked for as log-spaced (`:logN`): the comparison charts them on a log axis.
        public var logarithmic: Bool

        public init(name: String, values: [ParameterValue], logarithmic: Bool = false) {
            self.name = name
            self.values = values
            self.logarithmic = logarithmic
        }
    }

    /// One combination: a value for each axis, in the axes' order.
    public struct Member: Sendable, Hashable {
        public var values: [(name: String, value: ParameterValue)]

        public static func == (a: Member, b: Member) -> Bool {
            a.values.map(\.name) == b.values.map(\.name) && a.values.map(\.value) == b.values.map(\.value)
        }

        public func hash(into hasher: inout Hasher) {
            for (name, value) in values {
                hasher.combine(name)
                hasher.combine(value)
            }
        }

        /// `lr=0.001 hidden=32`, for people.
        public var label: String {
            values.map { "\($0.name)=\(CanonicalJSON.text($0.value))" }.joined(separator: " ")
        }
    }

    public var axes: [Axis]

    /// The most runs one sweep may make: a typo in a range (`:log500`) should not start a thousand runs.
    public static let maximumMembers = 1_000

    public init(axes: [Axis]) {
        self.axes = axes
    }

    /// Every combination of the axes' values.
    public var members: [Member] {
        var members = [Member(values: [])]
        for axis in axes {
            members = members.flatMap { member in
                axis.values.map { value in Member(values: member.values + [(axis.name, value)]) }
            }
        }
        return members
    }

    public var memberCount: Int { axes.reduce(1) { $0 * $1.values.count } }

    /// Reads the `--sweep` options against the notebook's declared parameters. Each is `name=v1,v2,...` (commas
    /// inside brackets or quotes do not separate values: `hidden=[32],[64,32]`) or a range `name=A..B:linN` (N
    /// evenly spaced values from A to B) or `name=A..B:logN` (N log-spaced values, A and B above zero) of a
    /// number parameter. Every problem is returned, as diagnostics for the command line; a name also fixed by
    /// `-p` (`fixed`) is one of them.
    public static func parse(_ options: [String], in notebook: Notebook, fixed: Set<String> = []) -> Result<
        SweepGrid, DiagnosticList
    > {
        var axes: [Axis] = []
        var problems: [Diagnostic] = []
        for option in options {
            let parameter: Parameter
            let text: String
            switch ParameterOverrides.split(option, flag: "--sweep") {
            case .failure(let problem):
                problems.append(problem)
                continue
            case .success(let (name, body)):
                switch ParameterOverrides.declared(name, in: notebook, flag: "--sweep") {
                case .failure(let problem):
                    problems.append(problem)
                    continue
                case .success(let declared):
                    parameter = declared
                    text = body
                }
            }
            let name = parameter.name
            if axes.contains(where: { $0.name == name }) {
                problems.append(
                    .error("'--sweep \(name)' is given twice; list all its values in one", file: "athanor", at: nil))
                continue
            }
            if fixed.contains(name) {
                problems.append(
                    .error("'\(name)' is both fixed by -p and swept by --sweep; choose one", file: "athanor", at: nil))
                continue
            }
            switch axis(text, of: parameter, in: notebook) {
            case .failure(let problem): problems.append(problem)
            case .success(let axis): axes.append(axis)
            }
        }
        if problems.isEmpty {
            let count = axes.reduce(1) { $0 * $1.values.count }
            if count > maximumMembers {
                problems.append(
                    .error(
                        "the sweep would make \(count) runs, more than the \(maximumMembers) one sweep may make",
                        file: "athanor", at: nil))
            }
        }
        return problems.isEmpty ? .success(SweepGrid(axes: axes)) : .failure(DiagnosticList(problems))
    }

    private static func axis(_ text: String, of parameter: Parameter, in notebook: Notebook) -> Result<Axis, Diagnostic>
    {
        let name = parameter.name
        if let range = Range(text) {
            return range.values(for: parameter, in: notebook).map {
                Axis(name: name, values: $0, logarithmic: range.logarithmic)
            }
        }
        // `1..5` reads as a range without its spacing: say the one it most likely means.
        if let dots = text.range(of: ".."), !text.contains(":"), !text.contains(","),
            let low = Double(text[..<dots.lowerBound].trimmingCharacters(in: .whitespaces)),
            let high = Double(text[dots.upperBound...].trimmingCharacters(in: .whitespaces))
        {
            let whole = low == low.rounded() && high == high.rounded() && abs(high - low) < 1000
            let count = whole ? Int(abs(high - low)) + 1 : 5
            let bounds = text.replacingOccurrences(of: " ", with: "")
            return .failure(
                .error(
                    "'--sweep \(name)=\(text)': a range needs its spacing and number of values, such as "
                        + "\(name)=\(bounds):lin\(max(count, 2))"
                        + (!whole && low > 0 && high > 0 ? " or \(name)=\(bounds):log\(max(count, 2))" : ""),
                    file: "athanor", at: nil))
        }
        let pieces = splitValues(text)
        guard !pieces.isEmpty, !pieces.contains(where: \.isEmpty) else {
            return .failure(
                .error(
                    "'--sweep \(name)=\(text)': expected values separated by commas, such as \(name)=1,2,3",
                    file: "athanor", at: nil))
        }
        var values: [ParameterValue] = []
        for piece in pieces {
            switch ParameterOverrides.typed(piece, of: parameter, in: notebook, flag: "--sweep") {
            case .failure(let problem): return .failure(problem)
            case .success(let value):
                if values.contains(value) {
                    return .failure(
                        .error(
                            "'--sweep \(name)=\(text)': the value '\(piece)' is given twice", file: "athanor", at: nil))
                }
                values.append(value)
            }
        }
        return .success(Axis(name: name, values: values))
    }

    /// `text` cut at the commas that stand outside brackets and quotes, each piece trimmed.
    static func splitValues(_ text: String) -> [String] {
        var pieces: [String] = []
        var current = ""
        var depth = 0
        var quote: Character?
        for character in text {
            if let open = quote {
                if character == open { quote = nil }
            } else if character == "\"" || character == "'" {
                quote = character
            } else if character == "[" {
                depth += 1
            } else if character == "]" {
                depth = max(0, depth - 1)
            } else if character == ",", depth == 0 {
                pieces.append(current.trimmingCharacters(in: .whitespaces))
                current = ""
                continue
            }
            current.append(character)
        }
        pieces.append(current.trimmingCharacters(in: .whitespaces))
        return pieces
    }

    /// `A..B:linN` or `A..B:logN`.
    struct Range {
        var low: String
        var high: String
        var logarithmic: Bool
        var count: String
        var text: String

        init?(_ text: String) {
            guard let dots = text.range(of: ".."), let colon = text.lastIndex(of: ":"), colon > dots.upperBound
            else { return nil }
            let spacing = text[text.index(after: colon)...]
            guard spacing.hasPrefix("lin") || spacing.hasPrefix("log") else { return nil }
            low = String(text[..<dots.lowerBound]).trimmingCharacters(in: .whitespaces)
            high = String(text[dots.upperBound..<colon]).trimmingCharacters(in: .whitespaces)
            logarithmic = spacing.hasPrefix("log")
            count = String(spacing.dropFirst(3))
            self.text = text
        }

        func values(for parameter: Parameter, in notebook: Notebook) -> Result<[ParameterValue], Diagnostic> {
            let name = parameter.name
            func problem(_ message: String) -> Result<[ParameterValue], Diagnostic> {
                .failure(.error("'--sweep \(name)=\(text)': \(message)", file: "athanor", at: nil))
            }
            let integral: Bool
            switch parameter.type {
            case .integer: integral = true
            case .float: integral = false
            default:
                return .failure(
                    .error(
                        "'--sweep \(name)=\(text)': a range needs a number parameter; '\(name)' is a \(parameter.type)",
                        file: notebook.path, at: parameter.location))
            }
            guard let n = Int(count), n >= 2 else {
                return problem("expected the number of values after '\(logarithmic ? "log" : "lin")', at least 2")
            }
            guard n <= SweepGrid.maximumMembers else {
                return problem("\(n) values are more than the \(SweepGrid.maximumMembers) one sweep may make")
            }
            guard case .double(let a)? = ParameterValue.parse(low, as: .float),
                case .double(let b)? = ParameterValue.parse(high, as: .float), a.isFinite, b.isFinite
            else { return problem("expected two numbers around '..', such as 0.001..0.1") }
            if logarithmic && (a <= 0 || b <= 0) { return problem("log-spaced values need bounds above zero") }
            guard a != b else { return problem("the two bounds are equal") }
            var values: [ParameterValue] = []
            for index in 0..<n {
                let fraction = Double(index) / Double(n - 1)
                var value: Double
                if index == 0 {
                    value = a
                } else if index == n - 1 {
                    value = b
                } else if logarithmic {
                    value = exp(log(a) + fraction * (log(b) - log(a)))
                } else {
                    value = a + fraction * (b - a)
                }
                let typed: ParameterValue
                if integral {
                    value = value.rounded()
                    guard abs(value) < 1e15 else { return problem("the values are too large for an integer") }
                    typed = .int(Int(value))
                } else {
                    // Six significant digits, so that a value reads as it will be shown (0.00316228).
                    typed = .double(Double(String(format: "%.6g", value)) ?? value)
                }
                if !values.contains(typed) { values.append(typed) }
            }
            if values.count < n {
                return problem(
                    "only \(values.count) different whole numbers lie at \(n) \(logarithmic ? "log" : "even") steps "
                        + "between \(low) and \(high); ask for fewer")
            }
            return .success(values)
        }
    }
}

extension SweepGrid.Axis {
    /// The axis as the runs record it, for comparing them.
    public var swept: SweptParameter {
        SweptParameter(name: name, values: values.map(CanonicalJSON.text), logarithmic: logarithmic)
    }
}

/// A parameter a sweep varied, with its values as runs record them (JSON text: `0.001`, `"adam"`, `[32]`).
public struct SweptParameter: Sendable, Hashable {
    public var name: String
    public var values: [String]
    /// Whether the values are log-spaced: charted on a log axis.
    public var logarithmic: Bool

    public init(name: String, values: [String], logarithmic: Bool) {
        self.name = name
        self.values = values
        self.logarithmic = logarithmic
    }

    /// The parameters whose values differ between `runs`, each value in order of first appearance (numbers
    /// sorted), log-spaced when all are numbers above zero spanning a factor of 20 or more. For a sweep read
    /// back from the store, which keeps its runs but not the options they came from.
    public static func differing(in runs: [RunRecord]) -> [SweptParameter] {
        guard let first = runs.first else { return [] }
        var swept: [SweptParameter] = []
        for parameter in first.parameters {
            var seen: [String] = []
            for run in runs {
                let value = run.parameters.first { $0.name == parameter.name }?.value ?? "null"
                if !seen.contains(value) { seen.append(value) }
            }
            guard seen.count > 1 else { continue }
            var logarithmic = false
            let numbers = seen.compactMap(Double.init)
            if numbers.count == seen.count {
                let sorted = zip(numbers, seen).sorted { $0.0 < $1.0 }
                seen = sorted.map(\.1)
                if let low = sorted.first?.0, let high = sorted.last?.0, low > 0, high / low >= 20 {
                    logarithmic = true
                }
            }
            swept.append(SweptParameter(name: parameter.name, values: seen, logarithmic: logarithmic))
        }
        return swept
    }
}
