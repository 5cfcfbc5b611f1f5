import Drift
import Engine
import Foundation

/// One value of a raw row, as a client sends it.
public enum RawValue: Sendable, Hashable {
    case number(Double)
    case text(String)
    case missing
}

/// Rows of raw columns: `columns` names each position of every row.
public struct RawTable: Sendable, Hashable {
    public var columns: [String]
    public var rows: [[RawValue]]

    public init(columns: [String], rows: [[RawValue]]) {
        self.columns = columns
        self.rows = rows
    }
}

/// What a model says of each row: labels as the training file spells them (numbers for a numeric target),
/// numbers for a regression, cluster indices; a classifier's probabilities too.
public struct Scores: Sendable, Hashable {
    public var predictions: [RawValue]
    /// rows × classes, in the order of `classes`; nil for a model that gives none.
    public var probabilities: [[Double]]?
    public var classes: [RawValue]?
}

/// Rows that do not fit the model's raw columns, each problem named.
public struct ScoringError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Columns the model needs that the rows lack.
    public var missing: [String] = []
    /// Columns the rows have that the model does not know.
    public var extra: [String] = []
    /// Values of the wrong kind, missing where not allowed, or unknown categories: column, row (0-based), why.
    public var mistyped: [Problem] = []
    /// Anything else (a row of the wrong length).
    public var other: String?

    public struct Problem: Sendable, Hashable {
        public var column: String
        public var row: Int
        public var reason: String
    }

    var isEmpty: Bool { missing.isEmpty && extra.isEmpty && mistyped.isEmpty && other == nil }

    public var description: String {
        func names(_ list: [String]) -> String {
            list.prefix(10).map { "'\($0)'" }.joined(separator: ", ")
                + (list.count > 10 ? " and \(list.count - 10) more" : "")
        }
        var parts: [String] = []
        if let other { parts.append(other) }
        if !missing.isEmpty { parts.append("missing column\(missing.count == 1 ? "" : "s") \(names(missing))") }
        if !extra.isEmpty { parts.append("unknown column\(extra.count == 1 ? "" : "s") \(names(extra))") }
        for problem in mistyped.prefix(10) {
            parts.append("column '\(problem.column)', row \(problem.row + 1): \(problem.reason)")
        }
        if mistyped.count > 10 { parts.append("\(mistyped.count - 10) more bad values") }
        return parts.joined(separator: "; ")
    }
}

extension ModelBundle {
    /// The model's predictions for `table`.
    ///
    /// - Throws: `ScoringError` naming the missing, extra and mistyped columns; an `EngineError` when the
    ///   engine refuses the transformed rows.
    public func score(_ table: RawTable) throws -> Scores {
        try scores(of: try dataset(table))
    }

    /// The model's answers for rows already in its input form: the transforms applied, as `dataset(_:)` gives.
    public func scores(of input: Dataset) throws -> Scores {
        if input.rowCount == 0 {
            let names = schema.classes.map { names in
                schema.classValues.map { $0.map(RawValue.number) } ?? names.map(RawValue.text)
            }
            return Scores(predictions: [], probabilities: names.map { _ in [] }, classes: names)
        }
        let prediction = try model.predict(input)
        switch prediction {
        case .classes(let labels, let probabilities, let classes):
            let names: [RawValue] =
                classes.values.map { $0.map(RawValue.number) } ?? classes.names.map(RawValue.text)
            let rows = (0..<probabilities.rows).map { row in (0..<probabilities.columns).map { probabilities[row, $0] }
            }
            return Scores(predictions: labels.map { names[$0] }, probabilities: rows, classes: names)
        case .values(let values):
            return Scores(predictions: values.map(RawValue.number))
        case .clusters(let labels, _):
            return Scores(predictions: labels.map { .number(Double($0)) })
        }
    }

    /// `table` as the model's input: its columns checked against the raw schema and put in its order, then
    /// every fitted transform applied, as the run applied them.
    public func dataset(_ table: RawTable) throws -> Dataset {
        let ragged = table.rows.firstIndex { $0.count != table.columns.count }.map { row in
            "row \(row + 1) has \(table.rows[row].count) values for \(table.columns.count) columns"
        }
        return try encode(columns: table.columns, rows: table.rows.count, other: ragged, skipping: false) {
            source, column, levels in
            { row in Self.encode(table.rows[row][source], column: column, levels: levels) }
        }.dataset
    }

    /// The predictions for the rows of `columns` (a file's, by name) that the model can take, as `athanor
    /// monitor` scores a file: a row with a value the model refuses (a missing value it was trained without,
    /// an unknown category) is left out, its problem kept in `refused` (at most 100 of them). Text in a
    /// numeric column counts as the number it spells, as a client's JSON string would not.
    ///
    /// - Throws: `ScoringError` for missing columns (no row can be scored), `EngineError` from the
    ///   transforms or the model.
    public func scoreEach(_ columns: [(name: String, values: ColumnValues)], rows: Int) throws
        -> (scores: Scores, scored: [Int], refused: ScoringError)
    {
        let encoded = try encode(columns: columns.map(\.name), rows: rows, other: nil, skipping: true) {
            source, column, levels in
            Self.cells(columns[source].values, column: column, levels: levels)
        }
        return (try scores(of: encoded.dataset), encoded.kept, encoded.refused)
    }

    /// Each row of a file's column as the model's value: a category's encoding found once per level.
    private static func cells(_ values: ColumnValues, column: RawSchema.Column, levels: [String: Int]?)
        -> (Int) -> Result<Double, Reason>
    {
        let missing = encode(.missing, column: column, levels: levels)
        switch values {
        case .numbers(let numbers) where levels == nil:
            return { row in
                let number = numbers[row]
                return number.isNaN ? missing : encode(.number(number), column: column, levels: nil)
            }
        case .numbers(let numbers):
            return { row in numbers[row].isNaN ? missing : encode(.number(numbers[row]), column: column, levels: levels)
            }
        case .categories(let names, let codes):
            let encoded = names.map { name in
                let value =
                    levels == nil
                    ? Double(name.trimmingCharacters(in: .whitespaces)).map(RawValue.number) ?? .text(name)
                    : .text(name)
                return encode(value, column: column, levels: levels)
            }
            return { row in ColumnValues.index(codes[row], encoded.count).map { encoded[$0] } ?? missing }
        }
    }

    /// The rows of `columns` checked against the raw schema, in its order, transforms applied. Problems with
    /// the names (and `other`) are thrown before any value is read; a bad value is thrown too, unless
    /// `skipping`, when its row is left out. `cells(position, column, levels)` encodes the rows of the
    /// column at `position`; the schema's columns are encoded in parallel.
    private func encode(
        columns: [String], rows: Int, other: String?, skipping: Bool,
        cells: (_ position: Int, _ column: RawSchema.Column, _ levels: [String: Int]?) -> (Int) -> Result<
            Double, Reason
        >
    ) throws -> (dataset: Dataset, kept: [Int], refused: ScoringError) {
        var problem = ScoringError()
        // Where each of the schema's columns is in `columns`: most clients send them in the schema's order.
        var sources: [Int?] = Array(0..<columns.count)
        if !columns.elementsEqual(schema.columns.lazy.map(\.name)) {
            var position: [String: Int] = [:]
            for (index, name) in columns.enumerated() {
                if position[name] != nil {
                    problem.other = "column '\(name)' is given twice"
                }
                position[name] = index
            }
            let known = Set(schema.columns.map(\.name))
            problem.extra = skipping ? [] : columns.filter { !known.contains($0) }
            // The target is not a feature, but a client that sends the training file's rows may keep it.
            if let target = schema.target { problem.extra.removeAll { $0 == target } }
            problem.missing = schema.columns.map(\.name).filter { position[$0] == nil }
            sources = schema.columns.map { position[$0.name] }
        }
        if let other { problem.other = other }
        guard problem.isEmpty else { throw problem }
        let width = schema.columns.count
        var values = [Double](repeating: 0, count: rows * width)
        var refused = [Bool](repeating: false, count: rows)
        let readers = zip(schema.columns, sources).map { column, source -> (Int) -> Result<Double, Reason> in
            let levels: [String: Int]?
            if case .categorical(let names) = column.kind {
                levels = Dictionary(names.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
            } else {
                levels = nil
            }
            return source.map { cells($0, column, levels) } ?? { _ in .success(.nan) }
        }
        var mistyped = [[ScoringError.Problem]](repeating: [], count: width)
        var bad = [[Int]](repeating: [], count: width)
        values.withUnsafeMutableBufferPointer { output in
            mistyped.withUnsafeMutableBufferPointer { problems in
                bad.withUnsafeMutableBufferPointer { badRows in
                    // Each slot's values, problems and bad rows are written by one thread only.
                    nonisolated(unsafe) let (output, problems, badRows) = (output, problems, badRows)
                    let column = { (slot: Int) in
                        let read = readers[slot]
                        for row in 0..<rows {
                            switch read(row) {
                            case .success(let value):
                                output[row * width + slot] = value
                            case .failure(let reason):
                                badRows[slot].append(row)
                                if problems[slot].count < 100 {
                                    problems[slot].append(
                                        .init(column: schema.columns[slot].name, row: row, reason: reason.text))
                                }
                            }
                        }
                    }
                    // A request's few rows in this thread; a file's columns shared between threads.
                    if rows * width < 1 << 16 {
                        for slot in 0..<width { column(slot) }
                    } else {
                        // The readers only read what they captured; each slot is one thread's.
                        nonisolated(unsafe) let column = column
                        DispatchQueue.concurrentPerform(iterations: width) { column($0) }
                    }
                }
            }
        }
        for (slot, rowsRefused) in bad.enumerated() {
            for row in rowsRefused { refused[row] = true }
            problem.mistyped += mistyped[slot]
        }
        if problem.mistyped.count > 100 { problem.mistyped.removeLast(problem.mistyped.count - 100) }
        var kept = Array(0..<rows)
        if skipping {
            kept = kept.filter { !refused[$0] }
            if kept.count < rows {
                var compact: [Double] = []
                compact.reserveCapacity(kept.count * width)
                for row in kept { compact.append(contentsOf: values[(row * width)..<(row * width + width)]) }
                values = compact
            }
        } else if !problem.isEmpty {
            throw problem
        }
        var dataset = Dataset(
            features: Matrix(rows: kept.count, columns: width, values: values),
            columns: schema.columns.map { FeatureColumn(name: $0.name, kind: $0.kind) }, target: nil)
        for fitted in transforms { dataset = try fitted.apply(dataset) }
        return (dataset, kept, problem)
    }

    private struct Reason: Error {
        var text: String
    }

    /// A raw value as the engine holds it: the number, or the level's index (one past the last for a category
    /// the training data lacked, which one-hot encoding turns into zeros), NaN for missing.
    private static func encode(_ value: RawValue, column: RawSchema.Column, levels: [String: Int]?) -> Result<
        Double, Reason
    > {
        switch value {
        case .missing:
            return column.missingAllowed
                ? .success(.nan) : .failure(Reason(text: "a missing value, and the model was trained without them"))
        case .number(let number):
            guard number.isFinite else { return .failure(Reason(text: "\(number) is not a finite number")) }
            guard let levels else { return .success(number) }
            let text = number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
            return level(text, levels: levels, column: column)
        case .text(let text):
            guard let levels else {
                let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
                return .failure(Reason(text: "'\(shown)' is text, and the column holds numbers"))
            }
            return level(text, levels: levels, column: column)
        }
    }

    private static func level(_ text: String, levels: [String: Int], column: RawSchema.Column) -> Result<
        Double, Reason
    > {
        if let index = levels[text] { return .success(Double(index)) }
        if column.unseenAllowed { return .success(Double(levels.count)) }
        let shown = text.count > 40 ? String(text.prefix(40)) + "…" : text
        let known = levels.sorted { $0.value < $1.value }.prefix(8).map { "'\($0.key)'" }.joined(separator: ", ")
        return .failure(
            Reason(text: "'\(shown)' is not a category the model knows (\(known)\(levels.count > 8 ? ", …" : ""))"))
    }
}
