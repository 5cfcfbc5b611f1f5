import Drift
import Engine
import Foundation

extension TrainingStatistics {
    /// The statistics of `dataset`, named `name`: a column at a time, the columns shared between threads.
    public init(name: String, dataset: Dataset) {
        let features = dataset.columns
        let arrays = dataset.features.columnArrays(Array(features.indices))
        let target = dataset.target
        let count = features.count + (target == nil ? 0 : 1)
        var columns = [ColumnStatistics?](repeating: nil, count: count)
        columns.withUnsafeMutableBufferPointer { buffer in
            // Each index is written by one thread only, and read after they all end.
            nonisolated(unsafe) let output = buffer
            DispatchQueue.concurrentPerform(iterations: count) { index in
                if index < features.count {
                    output[index] = Self.column(
                        features[index].name, .feature, arrays[index], levels: features[index].kind.levels)
                } else if let target {
                    output[index] = Self.column(target.name, .target, target.values, levels: target.classNames)
                }
            }
        }
        self.init(dataset: name, rows: dataset.rowCount, columns: columns.compactMap { $0 })
    }

    static func column(_ name: String, _ role: ColumnStatistics.Role, _ values: [Double], levels: [String]?)
        -> ColumnStatistics
    {
        guard let levels else {
            let numeric = NumericStatistics(values: values)
            return ColumnStatistics(
                name: name, role: role, rows: values.count, missing: values.count - (numeric?.count ?? 0),
                // A column with no value present: one empty bin, and nothing to test against.
                numeric: numeric
                    ?? NumericStatistics(
                        edges: [], counts: [0], minimum: 0, maximum: 0, mean: 0, standardDeviation: 0, sample: []))
        }
        var perLevel = [Int](repeating: 0, count: levels.count)
        var missing = 0
        for value in values {
            if value.isFinite, let index = Int(exactly: value), levels.indices.contains(index) {
                perLevel[index] += 1
            } else {
                missing += 1
            }
        }
        var counts: [String: Int] = [:]
        for (level, count) in zip(levels, perLevel) { counts[level, default: 0] += count }
        return ColumnStatistics(
            name: name, role: role, rows: values.count, missing: missing,
            categorical: CategoryStatistics(counts: counts))
    }
}

extension ColumnKind {
    var levels: [String]? {
        if case .categorical(let levels) = self { return levels }
        return nil
    }
}
