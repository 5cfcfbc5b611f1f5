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
        let result = [Double](unsafeUninitializedCapacity: indices.count * width) { output, initialized in
            values.withUnsafeBufferPointer { source in
                for (position, index) in indices.enumerated() {
                    precondition(index >= 0 && index < rows, "Matrix: row \(index) of \(rows)")
                    for column in 0..<width { output[position * width + column] = source[index * width + column] }
                }
            }
            initialized = indices.count * width
        }
        return Matrix(rows: indices.count, columns: width, values: result)
    }

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
