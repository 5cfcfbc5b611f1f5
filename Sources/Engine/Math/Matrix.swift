/// A dense row-major matrix of doubles: the engine's currency for features and parameters.
public struct Matrix: Sendable, Hashable, Codable {
    public private(set) var rows: Int
    public private(set) var columns: Int
    /// Row-major: element (r, c) is `values[r * columns + c]`.
    public var values: [Double]

    public init(rows: Int, columns: Int, values: [Double]) {
        precondition(values.count == rows * columns, "Matrix: \(values.count) values for \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    public init(rows: Int, columns: Int, repeating value: Double = 0) {
        self.init(rows: rows, columns: columns, values: Array(repeating: value, count: rows * columns))
    }

    /// A matrix from nested rows, all of one length.
    public init(_ rowArrays: [[Double]]) {
        let columns = rowArrays.first?.count ?? 0
        self.init(rows: rowArrays.count, columns: columns, values: rowArrays.flatMap { $0 })
    }

    public subscript(row: Int, column: Int) -> Double {
        get { values[row * columns + column] }
        set { values[row * columns + column] = newValue }
    }

    public func row(_ index: Int) -> ArraySlice<Double> {
        values[(index * columns)..<((index + 1) * columns)]
    }

    public func column(_ index: Int) -> [Double] {
        precondition(index >= 0 && index < columns, "Matrix: column \(index) of \(columns)")
        let width = columns
        return [Double](unsafeUninitializedCapacity: rows) { output, initialized in
            values.withUnsafeBufferPointer { source in
                for row in 0..<rows { output[row] = source[row * width + index] }
            }
            initialized = rows
        }
    }

    /// The rows at `indices`, in that order.
    public func rows(_ indices: [Int]) -> Matrix {
        let width = columns
        for index in indices { precondition(index >= 0 && index < rows, "Matrix: row \(index) of \(rows)") }
        let result = [Double](unsafeUninitializedCapacity: indices.count * width) { output, initialized in
            let shared = SharedBuffer(base: output)
            values.withUnsafeBufferPointer { source in
                indices.withUnsafeBufferPointer { indices in
                    ThreadBudget.forEachRange(of: indices.count, minimum: (1 << 18) / max(1, width)) { range in
                        for position in range {
                            let from = indices[position] * width
                            let to = position * width
                            for column in 0..<width { shared.base[to + column] = source[from + column] }
                        }
                    }
                }
            }
            initialized = indices.count * width
        }
        return Matrix(rows: indices.count, columns: width, values: result)
    }

    /// The columns at `indices`, each as an array: transposed a block of rows at a time, so that the
    /// rows are read in order and the columns written within cache.
    public func columnArrays(_ indices: [Int]) -> [[Double]] {
        for index in indices { precondition(index >= 0 && index < columns, "Matrix: column \(index) of \(columns)") }
        var result = indices.map { _ in [Double](repeating: 0, count: rows) }
        let width = columns
        values.withUnsafeBufferPointer { source in
            var first = 0
            while first < rows {
                let last = min(rows, first + Matrix.transposeBlock)
                for (slot, index) in indices.enumerated() {
                    result[slot].withUnsafeMutableBufferPointer { column in
                        for row in first..<last { column[row] = source[row * width + index] }
                    }
                }
                first = last
            }
        }
        return result
    }

    /// A matrix from its columns, each `rows` long.
    public init(rows: Int, columnArrays: [[Double]]) {
        for column in columnArrays {
            precondition(column.count == rows, "Matrix: a column of \(column.count) for \(rows) rows")
        }
        let width = columnArrays.count
        let values = [Double](unsafeUninitializedCapacity: rows * width) { output, initialized in
            HugePages.advise(output)
            var first = 0
            while first < rows {
                let last = min(rows, first + Matrix.transposeBlock)
                for (c, column) in columnArrays.enumerated() {
                    column.withUnsafeBufferPointer { column in
                        for row in first..<last { output[row * width + c] = column[row] }
                    }
                }
                first = last
            }
            initialized = rows * width
        }
        self.init(rows: rows, columns: width, values: values)
    }

    /// Rows per block when transposing: a block of a few hundred rows of each side stays in cache.
    static let transposeBlock = 256

    /// The columns at `indices`, in that order.
    public func columns(_ indices: [Int]) -> Matrix {
        var result: [Double] = []
        result.reserveCapacity(rows * indices.count)
        for r in 0..<rows {
            for c in indices { result.append(values[r * columns + c]) }
        }
        return Matrix(rows: rows, columns: indices.count, values: result)
    }

    public var transposed: Matrix {
        var result = [Double](repeating: 0, count: values.count)
        for r in 0..<rows {
            for c in 0..<columns { result[c * rows + r] = values[r * columns + c] }
        }
        return Matrix(rows: columns, columns: rows, values: result)
    }
}
