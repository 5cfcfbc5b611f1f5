import Foundation

extension Preprocess {
    /// The columns a transform applies to: `all` (of the kind it takes) or those named.
    public enum Selection: Sendable, Hashable, Codable {
        case all
        case columns([String])
    }

    /// Transforms learnt from one dataset, to apply unchanged to others (train statistics for test
    /// data). They run in a fixed order: impute, then one-hot, then standardize and min-max.
    public struct Fitted: Sendable, Hashable, Codable {
        /// The feature columns of the dataset it was fitted on; `apply` expects the same names.
        public var inputColumns: [FeatureColumn]
        public var imputations: [Imputation]
        public var encodings: [Encoding]
        public var scalings: [Scaling]

        /// Fills a column's missing values.
        public struct Imputation: Sendable, Hashable, Codable {
            public var column: String
            public var fill: Fill
        }

        /// What a numeric column's missing values become, or the level (by name) of a categorical one's.
        public enum Fill: Sendable, Hashable, Codable {
            case number(Double)
            case level(String)
        }

        /// Replaces a categorical column by one 0/1 column per level, named `column=level`.
        public struct Encoding: Sendable, Hashable, Codable {
            public var column: String
            public var levels: [String]
        }

        /// Rescales a numeric column.
        public struct Scaling: Sendable, Hashable, Codable {
            public var column: String
            public var method: Method

            public enum Method: Sendable, Hashable, Codable {
                /// (x − mean) / scale, scale being the population standard deviation (1 if constant).
                case standardize(mean: Double, scale: Double)
                /// (x − minimum) / (maximum − minimum); 0 for a constant column.
                case minmax(minimum: Double, maximum: Double)
            }
        }

        /// The transformed dataset: the same rows and target, the fitted transforms applied.
        public func apply(_ dataset: Dataset) throws -> Dataset {
            if let transformed = applyInPlace(dataset) { return transformed }
            var table = try Table(aligning: dataset, to: inputColumns)
            for imputation in imputations { try table.impute(imputation) }
            for encoding in encodings { try table.encode(encoding) }
            for scaling in scalings { try table.scale(scaling) }
            return table.dataset(target: dataset.target)
        }

        /// The common case, when the columns keep their places (no one-hot encoding, numbers imputed
        /// with numbers) and `dataset` has exactly the fitted columns: one pass over the row-major
        /// matrix, with the same arithmetic as `Table`'s column by column, so the same bits. Nil otherwise.
        private func applyInPlace(_ dataset: Dataset) -> Dataset? {
            guard encodings.isEmpty, dataset.columns == inputColumns else { return nil }
            let width = inputColumns.count
            let position = Dictionary(inputColumns.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
            var fills = [Double?](repeating: nil, count: width)
            for imputation in imputations {
                guard case .number(let value) = imputation.fill, let index = position[imputation.column],
                    inputColumns[index].kind == .numeric
                else { return nil }
                fills[index] = value
            }
            // Per column: 0 leaves the value, 1 is (x − a) / b, 2 is x · a + b, as `Table.scale` computes them.
            var method = [UInt8](repeating: 0, count: width)
            var a = [Double](repeating: 0, count: width)
            var b = [Double](repeating: 1, count: width)
            for scaling in scalings {
                guard let index = position[scaling.column], inputColumns[index].kind == .numeric else { return nil }
                switch scaling.method {
                case .standardize(let mean, let scale):
                    (method[index], a[index], b[index]) = (1, mean, scale)
                case .minmax(let minimum, let maximum):
                    let (scale, offset) = Table.minmaxFactors(minimum: minimum, maximum: maximum)
                    (method[index], a[index], b[index]) = (2, scale, offset)
                }
            }
            let fill = fills.map { $0 ?? 0 }
            let imputes = fills.map { $0 != nil }
            let rows = dataset.rowCount
            // Row by row, read from the dataset and written once to the new matrix, in order.
            let values = [Double](unsafeUninitializedCapacity: rows * width) { output, initialized in
                HugePages.advise(output)
                let shared = SharedBuffer(base: output)
                dataset.features.values.withUnsafeBufferPointer { input in
                    ThreadBudget.forEachRange(of: rows, minimum: (1 << 18) / max(1, width)) { range in
                        for row in range {
                            let start = row * width
                            for column in 0..<width {
                                var value = input[start + column]
                                if imputes[column], value.isNaN { value = fill[column] }
                                switch method[column] {
                                case 1: value = (value - a[column]) / b[column]
                                case 2: value = value * a[column] + b[column]
                                default: break
                                }
                                shared.base[start + column] = value
                            }
                        }
                    }
                }
                initialized = rows * width
            }
            let features = Matrix(rows: rows, columns: width, values: values)
            return Dataset(features: features, columns: dataset.columns, target: dataset.target)
        }
    }

    /// Learns the transforms from `dataset`. `all` means every column for `impute`, every categorical
    /// column for `onehot`, and every column that was numeric in `dataset` for `standardize` and
    /// `minmax` (not the columns that one-hot encoding makes, though they may be named). `strategy`
    /// is how `impute` fills; nil is the mean for numbers and the most frequent level for categories.
    public static func fit(
        _ dataset: Dataset, standardize: Selection?, minmax: Selection?, onehot: Selection?, impute: Selection?,
        strategy: Strategy? = nil
    ) throws -> Fitted {
        guard dataset.rowCount > 0 else { throw EngineError("the dataset to fit the transforms on has no rows") }
        let names = dataset.columns.map(\.name)
        /// The chosen names, each checked against `known` (and duplicates dropped).
        func resolve(_ selection: Selection?, setting: String, all: [String], known: [String]) throws -> [String] {
            switch selection {
            case nil: return []
            case .all: return all
            case .columns(let chosen):
                var result: [String] = []
                for name in chosen where !result.contains(name) {
                    guard known.contains(name) else {
                        throw EngineError.unknownColumn(name, setting: setting, among: known)
                    }
                    result.append(name)
                }
                return result
            }
        }
        func isCategorical(_ column: FeatureColumn) -> Bool {
            if case .categorical = column.kind { return true }
            return false
        }
        let categorical = dataset.columns.filter(isCategorical).map(\.name)
        let numeric = dataset.columns.filter { !isCategorical($0) }.map(\.name)

        // Without imputation or encoding the columns stay as they are: scaling statistics are then
        // taken straight from the row-major matrix, without a column-by-column copy of it.
        let reshapes = impute != nil || onehot != nil
        var table = reshapes ? Table(dataset) : Table(columnsOf: dataset)
        var fitted = Fitted(inputColumns: dataset.columns, imputations: [], encodings: [], scalings: [])

        for name in try resolve(impute, setting: "impute", all: names, known: names) {
            let imputation = try table.fitImputation(of: name, strategy: strategy)
            try table.impute(imputation)
            fitted.imputations.append(imputation)
        }

        for name in try resolve(onehot, setting: "onehot", all: categorical, known: names) {
            guard let index = table.index(of: name), case .categorical(let levels) = table.columns[index].kind else {
                throw EngineError(
                    "column '\(name)' is numeric; onehot applies to categorical columns", column: name)
            }
            let encoding = Fitted.Encoding(column: name, levels: levels)
            try table.encode(encoding)
            fitted.encodings.append(encoding)
        }

        // Scaling sees the columns as one-hot encoding left them; a categorical name is still known, to
        // say that it is categorical rather than that it does not exist.
        let original = Set(names)
        let known = names + table.columns.map(\.name).filter { !original.contains($0) }
        let standardized = try resolve(standardize, setting: "standardize", all: numeric, known: known)
        let scaled = try resolve(minmax, setting: "minmax", all: numeric, known: known)
        if let both = standardized.first(where: scaled.contains) {
            throw EngineError(
                "column '\(both)' is both standardized and min-max scaled; choose one", column: both)
        }
        var chosen: [(index: Int, name: String, standardize: Bool)] = []
        for (name, setting) in standardized.map({ ($0, "standardize") }) + scaled.map({ ($0, "minmax") }) {
            guard let index = table.index(of: name), table.columns[index].kind == .numeric else {
                throw EngineError(
                    "column '\(name)' is categorical; \(setting) applies to numeric columns", column: name)
            }
            chosen.append((index, name, setting == "standardize"))
        }
        let methods: [Fitted.Scaling.Method]
        if reshapes {
            methods = chosen.map { column in
                let values = table.data[column.index].filter { !$0.isNaN }
                return column.standardize ? Table.standardization(of: values) : Table.range(of: values)
            }
        } else {
            methods = Table.scalings(of: dataset.features, columns: chosen.map { ($0.index, $0.standardize) })
        }
        // Nothing after scaling reads the table, so the fit only records it.
        for (column, method) in zip(chosen, methods) {
            fitted.scalings.append(Fitted.Scaling(column: column.name, method: method))
        }
        return fitted
    }
}

/// A dataset's features held column by column while transforms rewrite them.
private struct Table {
    var columns: [FeatureColumn]
    var data: [[Double]]
    let rowCount: Int

    init(_ dataset: Dataset) {
        columns = dataset.columns
        rowCount = dataset.rowCount
        data = dataset.features.columnArrays(Array(0..<dataset.columnCount))
    }

    /// The names and kinds of `dataset`'s columns without their values, for a fit that reads the values
    /// from the matrix itself.
    init(columnsOf dataset: Dataset) {
        columns = dataset.columns
        rowCount = dataset.rowCount
        data = []
    }

    /// `standardization(of:)` or `range(of:)` of each of `columns` (its index, and whether it is
    /// standardized), the values missing left out, from two passes over the rows of `matrix`.
    /// Each column's sums run over its rows in order, as `standardization(of:)` runs over its
    /// values, so the results are the same to the bit.
    static func scalings(of matrix: Matrix, columns: [(index: Int, standardize: Bool)]) -> [Preprocess.Fitted.Scaling
        .Method]
    {
        let width = matrix.columns
        let chosen = columns.map(\.index)
        var count = [Int](repeating: 0, count: chosen.count)
        var sum = [Double](repeating: 0, count: chosen.count)
        var minimum = [Double](repeating: .infinity, count: chosen.count)
        var maximum = [Double](repeating: -.infinity, count: chosen.count)
        /// Calls `body(slot, value)` for each value present in the chosen columns, row by row.
        func eachPresentValue(_ body: (Int, Double) -> Void) {
            matrix.values.withUnsafeBufferPointer { values in
                for row in 0..<matrix.rows {
                    let start = row * width
                    for (slot, column) in chosen.enumerated() {
                        let value = values[start + column]
                        if !value.isNaN { body(slot, value) }
                    }
                }
            }
        }
        eachPresentValue { slot, value in
            count[slot] += 1
            sum[slot] += value
            // As `Sequence.min()` and `.max()`: the first of equal values wins (0 before -0).
            if value < minimum[slot] { minimum[slot] = value }
            if maximum[slot] < value { maximum[slot] = value }
        }
        let mean = chosen.indices.map { count[$0] == 0 ? 0 : sum[$0] / Double(count[$0]) }
        var correction = [Double](repeating: 0, count: chosen.count)
        var squares = [Double](repeating: 0, count: chosen.count)
        eachPresentValue { slot, value in
            let deviation = value - mean[slot]
            correction[slot] += deviation
            squares[slot] += deviation * deviation
        }
        return columns.indices.map { slot in
            guard count[slot] > 0 else {
                return columns[slot].standardize ? .standardize(mean: 0, scale: 1) : .minmax(minimum: 0, maximum: 0)
            }
            guard columns[slot].standardize else { return .minmax(minimum: minimum[slot], maximum: maximum[slot]) }
            return standardization(
                count: Double(count[slot]), mean: mean[slot], correction: correction[slot], squares: squares[slot])
        }
    }

    /// The columns of `dataset` in the order of `expected`, which must be exactly its columns.
    init(aligning dataset: Dataset, to expected: [FeatureColumn]) throws {
        let position = Dictionary(dataset.columns.enumerated().map { ($1.name, $0) }, uniquingKeysWith: { a, _ in a })
        let expectedNames = Set(expected.map(\.name))
        if let extra = dataset.columns.first(where: { !expectedNames.contains($0.name) }) {
            throw EngineError(
                "column '\(extra.name)' was not in the dataset the transforms were fitted on", column: extra.name)
        }
        var order: [Int] = []
        for column in expected {
            guard let index = position[column.name] else {
                throw EngineError(
                    "column '\(column.name)' is missing; the transforms were fitted on a dataset that has it",
                    column: column.name)
            }
            order.append(index)
        }
        rowCount = dataset.rowCount
        columns = order.map { dataset.columns[$0] }
        data = dataset.features.columnArrays(order)
        for (index, column) in expected.enumerated() {
            switch (column.kind, columns[index].kind) {
            case (.numeric, .categorical):
                throw EngineError(
                    "column '\(column.name)' holds text here but numbers in the dataset the transforms were fitted on",
                    column: column.name)
            case (.categorical, .numeric):
                // A column with no value at all reads as numeric; it can stand for any category.
                guard data[index].allSatisfy(\.isNaN) else {
                    throw EngineError(
                        "column '\(column.name)' holds numbers here but text in the dataset the transforms "
                            + "were fitted on", column: column.name)
                }
                columns[index].kind = .categorical(levels: [])
            default:
                break
            }
        }
    }

    func index(of name: String) -> Int? { columns.firstIndex { $0.name == name } }

    private func require(_ name: String) throws -> Int {
        guard let index = index(of: name) else {
            throw EngineError("column '\(name)' is missing", column: name)
        }
        return index
    }

    func fitImputation(of name: String, strategy: Preprocess.Strategy?) throws -> Preprocess.Fitted.Imputation {
        let index = try require(name)
        let present = data[index].filter { !$0.isNaN }
        if case .constant(let value) = strategy {
            // A constant needs no values present: a column missing everywhere is filled all the same.
            switch (value, columns[index].kind) {
            case (.number(let number), .numeric):
                return .init(column: name, fill: .number(number))
            case (.text(let text), .categorical):
                return .init(column: name, fill: .level(text))
            case (.text(let text), .numeric):
                throw EngineError(
                    "'fill' is the text '\(text)', but column '\(name)' holds numbers; give a number", column: name)
            case (.number(let number), .categorical):
                throw EngineError(
                    "'fill' is the number \(Self.text(number)), but column '\(name)' holds text; "
                        + "give text (fill: \"\(Self.text(number))\")", column: name)
            }
        }
        guard !present.isEmpty else {
            throw EngineError(
                "column '\(name)' has no values to impute from; drop it instead", column: name)
        }
        switch columns[index].kind {
        case .numeric:
            switch strategy {
            case nil, .mean?:
                return .init(column: name, fill: .number(Self.mean(of: present)))
            case .median?:
                return .init(column: name, fill: .number(Self.median(of: present)))
            case .mostFrequent?, .constant?:
                return .init(column: name, fill: .number(Self.mostFrequent(of: present)))
            }
        case .categorical(let levels):
            if let strategy, strategy == .mean || strategy == .median {
                throw EngineError(
                    "strategy '\(strategy.name)' needs numbers, but column '\(name)' holds text; "
                        + "use most_frequent or constant", column: name)
            }
            var counts = [Int](repeating: 0, count: levels.count)
            for value in present {
                if let level = Int(exactly: value), counts.indices.contains(level) { counts[level] += 1 }
            }
            // The first of the most frequent: ties go to the lowest level.
            guard let best = counts.indices.max(by: { (counts[$0], $1) < (counts[$1], $0) }) else {
                throw EngineError("column '\(name)' has no levels to impute from", column: name)
            }
            return .init(column: name, fill: .level(levels[best]))
        }
    }

    /// The mean as numpy sums it, unless the sum overflows (values near the largest double): then
    /// summed in units of a power of two, which divides exactly, so that it averages to a number.
    static func mean(of values: [Double]) -> Double {
        let count = Double(values.count)
        let sum = values.reduce(0, +)
        if sum.isFinite { return sum / count }
        let scale = Double(sign: .plus, exponent: values.reduce(0) { max($0, abs($1)) }.exponent, significand: 1)
        return values.reduce(0) { $0 + $1 / scale } / count * scale
    }

    /// A number as a notebook would write it: `3`, `0.5`.
    private static func text(_ number: Double) -> String {
        number == number.rounded() && abs(number) < 1e15 ? String(Int(number)) : String(number)
    }

    /// The middle value, or the mean of the two middle ones, as numpy's `median`.
    static func median(of values: [Double]) -> Double {
        let sorted = values.sorted()
        let middle = sorted.count / 2
        if sorted.count % 2 == 1 { return sorted[middle] }
        return sorted[middle - 1] / 2 + sorted[middle] / 2
    }

    /// The most frequent value; on a tie the smallest, as scikit-learn's `most_frequent`.
    static func mostFrequent(of values: [Double]) -> Double {
        var counts: [Double: Int] = [:]
        for value in values { counts[value == 0 ? 0 : value, default: 0] += 1 }
        var best = (value: Double.infinity, count: 0)
        for (value, count) in counts where count > best.count || (count == best.count && value < best.value) {
            best = (value, count)
        }
        return best.value
    }

    mutating func impute(_ imputation: Preprocess.Fitted.Imputation) throws {
        let index = try require(imputation.column)
        let fill: Double
        switch (imputation.fill, columns[index].kind) {
        case (.number(let value), .numeric):
            fill = value
        case (.level(let level), .categorical(let levels)):
            if let position = levels.firstIndex(of: level) {
                fill = Double(position)
            } else {
                // The fill level is not among this dataset's levels: add it, keeping them sorted.
                let extended = (levels + [level]).sorted()
                let remap = levels.map { Double(extended.firstIndex(of: $0) ?? 0) }
                data[index] = data[index].map { value in
                    guard let old = Int(exactly: value), remap.indices.contains(old) else { return value }
                    return remap[old]
                }
                columns[index].kind = .categorical(levels: extended)
                fill = Double(extended.firstIndex(of: level) ?? 0)
            }
        default:
            throw EngineError(
                "column '\(imputation.column)' is not of the kind it was fitted on", column: imputation.column)
        }
        for row in data[index].indices where data[index][row].isNaN { data[index][row] = fill }
    }

    /// One column per fitted level; a level the fit data did not have gives all zeros, a missing value NaNs.
    mutating func encode(_ encoding: Preprocess.Fitted.Encoding) throws {
        let index = try require(encoding.column)
        guard case .categorical(let levels) = columns[index].kind else {
            throw EngineError("column '\(encoding.column)' is not categorical", column: encoding.column)
        }
        let fitted = Dictionary(encoding.levels.enumerated().map { ($1, $0) }, uniquingKeysWith: { a, _ in a })
        let position = levels.map { fitted[$0] }
        try MemoryEstimate.onehot(column: encoding.column, levels: encoding.levels.count, rows: rowCount).check()
        var encoded = encoding.levels.map { _ in [Double](repeating: 0, count: rowCount) }
        for (row, value) in data[index].enumerated() {
            guard let level = Int(exactly: value), position.indices.contains(level) else {
                if value.isNaN {
                    for k in encoded.indices { encoded[k][row] = .nan }
                }
                continue
            }
            if let k = position[level] { encoded[k][row] = 1 }
        }
        let names = encoding.levels.map { FeatureColumn(name: "\(encoding.column)=\($0)", kind: .numeric) }
        columns.replaceSubrange(index...index, with: names)
        data.replaceSubrange(index...index, with: encoded)
    }

    mutating func scale(_ scaling: Preprocess.Fitted.Scaling) throws {
        let index = try require(scaling.column)
        guard columns[index].kind == .numeric else {
            throw EngineError("column '\(scaling.column)' is not numeric", column: scaling.column)
        }
        switch scaling.method {
        case .standardize(let mean, let scale):
            data[index].withUnsafeMutableBufferPointer { column in
                for row in column.indices { column[row] = (column[row] - mean) / scale }
            }
        case .minmax(let minimum, let maximum):
            let (scale, offset) = Self.minmaxFactors(minimum: minimum, maximum: maximum)
            data[index].withUnsafeMutableBufferPointer { column in
                for row in column.indices { column[row] = column[row] * scale + offset }
            }
        }
    }

    /// As scikit-learn's MinMaxScaler: x · scale + offset, with a zero range counted as 1.
    static func minmaxFactors(minimum: Double, maximum: Double) -> (scale: Double, offset: Double) {
        let range = maximum - minimum
        let scale = 1 / (range < 10 * Double.ulpOfOne ? 1 : range)
        return (scale, -minimum * scale)
    }

    /// Mean and population standard deviation as scikit-learn's StandardScaler computes them, a
    /// constant column (variance within rounding error of 0) getting scale 1.
    static func standardization(of values: [Double]) -> Preprocess.Fitted.Scaling.Method {
        guard !values.isEmpty else { return .standardize(mean: 0, scale: 1) }
        let count = Double(values.count)
        let mean = values.reduce(0, +) / count
        var correction = 0.0
        var squares = 0.0
        for value in values {
            let deviation = value - mean
            correction += deviation
            squares += deviation * deviation
        }
        return standardization(count: count, mean: mean, correction: correction, squares: squares)
    }

    /// The scale from the sums of deviations from the mean and of their squares.
    static func standardization(count: Double, mean: Double, correction: Double, squares: Double)
        -> Preprocess.Fitted.Scaling.Method
    {
        let variance = max(0, (squares - correction * correction / count) / count)
        let bound = count * .ulpOfOne * variance + (count * mean * .ulpOfOne) * (count * mean * .ulpOfOne)
        return .standardize(mean: mean, scale: variance <= bound ? 1 : variance.squareRoot())
    }

    static func range(of values: [Double]) -> Preprocess.Fitted.Scaling.Method {
        guard let minimum = values.min(), let maximum = values.max() else { return .minmax(minimum: 0, maximum: 0) }
        return .minmax(minimum: minimum, maximum: maximum)
    }

    func dataset(target: Target?) -> Dataset {
        Dataset(features: Matrix(rows: rowCount, columnArrays: data), columns: columns, target: target)
    }
}
