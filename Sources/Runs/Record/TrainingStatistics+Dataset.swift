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
        ColumnStatistics(
            name: name, role: role,
            values: levels.map { ColumnValues.categories(levels: $0, codes: values) } ?? .numbers(values))
    }
}

extension ColumnKind {
    var levels: [String]? {
        if case .categorical(let levels) = self { return levels }
        return nil
    }
}
