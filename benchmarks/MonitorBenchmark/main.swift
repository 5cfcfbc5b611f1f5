import Drift
import Engine
import Foundation

// The work of `athanor monitor --data NEW.csv`, in process: read NEW.csv with `Load.run`, then compare every
// column with the training statistics (PSI, KS, χ²). The statistics are computed once from TRAIN.csv, as a run
// records them, outside the timing. Prints the best of REPEAT wall times in seconds.
// Usage: MonitorBenchmark TRAIN.csv NEW.csv [REPEAT (default 3)]
let arguments = CommandLine.arguments
guard arguments.count >= 3 else {
    FileHandle.standardError.write(Data("usage: MonitorBenchmark TRAIN.csv NEW.csv [REPEAT]\n".utf8))
    exit(2)
}
let repeats = arguments.count > 3 ? Int(arguments[3]) ?? 3 : 3

func columns(_ dataset: Dataset) -> [(String, ColumnValues)] {
    let arrays = dataset.features.columnArrays(Array(dataset.columns.indices))
    return zip(dataset.columns, arrays).map { column, values in
        switch column.kind {
        case .numeric: (column.name, .numbers(values))
        case .categorical(let levels): (column.name, .categories(levels: levels, codes: values))
        }
    }
}

do {
    let training = try Load.run(Load.Options(path: arguments[1]), at: arguments[1])
    let statistics = columns(training).map { name, values -> ColumnStatistics in
        switch values {
        case .numbers(let numbers):
            let numeric = NumericStatistics(values: numbers)
            return ColumnStatistics(
                name: name, role: .feature, rows: numbers.count, missing: numbers.count - (numeric?.count ?? 0),
                numeric: numeric)
        case .categories(let levels, let codes):
            var counts: [String: Int] = [:]
            for code in codes where code.isFinite { counts[levels[Int(code)], default: 0] += 1 }
            return ColumnStatistics(
                name: name, role: .feature, rows: codes.count, missing: 0,
                categorical: CategoryStatistics(counts: counts))
        }
    }
    var best = Double.infinity
    var drifted: [String] = []
    var reading = Double.infinity
    for _ in 0..<repeats {
        let start = Date()
        let new = Dictionary(columns(try Load.run(Load.Options(path: arguments[2]), at: arguments[2]))) { a, _ in a }
        reading = min(reading, Date().timeIntervalSince(start))
        let drifts = FeatureDrift.compare(
            statistics.compactMap { column in new[column.name].map { (column, $0) } }, threshold: 0.2)
        best = min(best, Date().timeIntervalSince(start))
        drifted = drifts.filter(\.drifted).map(\.name)
    }
    print(
        String(format: "%.3f", best), "drifted:", drifted.joined(separator: ","),
        String(format: "(reading %.3f s)", reading))
} catch {
    FileHandle.standardError.write(Data("MonitorBenchmark: \(error)\n".utf8))
    exit(1)
}
