import Foundation
import Runs

/// One condition of the index's filter: `lr=0.01`, `optimizer=adam`, `eval.accuracy>0.9`. A name is a
/// parameter or a metric (a metric when the run recorded one of that name); numbers compare as numbers,
/// so `lr=0.01` matches a run recorded with `1e-2`, and anything else as the text, without JSON's quotes.
struct RunCondition: Sendable, Equatable {
    enum Comparison: String, Sendable, CaseIterable {
        // Two-character operators first, so that `>=` is not read as `>` and a value `=…`.
        case atLeast = ">="
        case atMost = "<="
        case differs = "!="
        case equals = "="
        case above = ">"
        case below = "<"
    }

    var name: String
    var comparison: Comparison
    var value: String

    init?(_ text: String) {
        for (index, character) in text.enumerated() where "<>=!".contains(character) {
            let rest = text.dropFirst(index)
            guard let comparison = Comparison.allCases.first(where: { rest.hasPrefix($0.rawValue) }) else { return nil }
            name = text.prefix(index).trimmingCharacters(in: .whitespaces)
            value = rest.dropFirst(comparison.rawValue.count).trimmingCharacters(in: .whitespaces)
            self.comparison = comparison
            if name.isEmpty || value.isEmpty { return nil }
            return
        }
        return nil
    }

    func holds(for run: RunSummary) -> Bool {
        let recorded: String
        if let metric = run.metric(name) {
            recorded = "\(metric)"
        } else if let parameter = run.parameter(name) {
            recorded = parameter
        } else {
            return false
        }
        if let left = Double(Self.plain(recorded)), let right = Double(Self.plain(value)) {
            switch comparison {
            case .equals: return left == right
            case .differs: return left != right
            case .above: return left > right
            case .below: return left < right
            case .atLeast: return left >= right
            case .atMost: return left <= right
            }
        }
        let left = Self.plain(recorded)
        let right = Self.plain(value)
        switch comparison {
        case .equals: return left == right
        case .differs: return left != right
        case .above: return left > right
        case .below: return left < right
        case .atLeast: return left >= right
        case .atMost: return left <= right
        }
    }

    /// A JSON string's text without its quotes; anything else as it is.
    static func plain(_ text: String) -> String {
        guard text.count >= 2, text.hasPrefix("\""), text.hasSuffix("\"") else { return text }
        return (try? JSONDecoder().decode(String.self, from: Data(text.utf8))) ?? String(text.dropFirst().dropLast())
    }
}

/// A column of the index to sort by: `started`, `duration`, `notebook`, `status`, `id`, `sweep`,
/// `param:NAME` or `metric:NAME`.
struct SortKey {
    enum Value: Comparable {
        case number(Double)
        case text(String)

        static func < (a: Value, b: Value) -> Bool {
            switch (a, b) {
            case let (.number(x), .number(y)): x < y
            case let (.text(x), .text(y)): x < y
            case (.number, .text): true
            case (.text, .number): false
            }
        }
    }

    var column: String

    init(_ column: String) {
        self.column = column
    }

    /// The parameter or metric the key names, if it names one.
    var name: String? {
        for prefix in ["param:", "metric:"] where column.hasPrefix(prefix) {
            return String(column.dropFirst(prefix.count))
        }
        return nil
    }

    func value(_ run: RunSummary) -> Value? {
        switch column {
        case "started": return .number(run.started.timeIntervalSinceReferenceDate)
        case "duration": return run.finished.map { .number($0.timeIntervalSince(run.started)) }
        case "notebook": return .text(run.notebook)
        case "status": return .text(run.status.rawValue)
        case "id": return .text(run.id)
        case "sweep": return run.sweep.map(Value.text)
        default: break
        }
        if column.hasPrefix("metric:"), let name {
            return run.metric(name).flatMap { $0.isNaN ? nil : .number($0) }
        }
        if column.hasPrefix("param:"), let name, let value = run.parameter(name) {
            return Double(value).map(Value.number) ?? .text(RunCondition.plain(value))
        }
        return nil
    }
}
