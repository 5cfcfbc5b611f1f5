import Engine
import Foundation

// The engine's side of benchmarks/steps_vs_sklearn.py: the data path's operations on one CSV, in
// process, each timed alone (best of N): load, split, preprocess (standardize, fitted on train and
// applied to both parts), evaluate (accuracy, log_loss, roc_auc of a fixed logistic model), and
// the columnar form's write and read. Prints one JSON object of seconds.
//
//   swift run -c release DataPathBenchmark FILE.csv TARGET [N]

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("DataPathBenchmark: \(message)\n".utf8))
    exit(2)
}

let arguments = CommandLine.arguments
guard arguments.count >= 3 else { fail("usage: DataPathBenchmark FILE.csv TARGET [N]") }
let repeats = arguments.count > 3 ? max(1, Int(arguments[3]) ?? 3) : 3

func best<Result>(_ body: () throws -> Result) rethrows -> (Result, Double) {
    var fastest = Double.infinity
    var result: Result?
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        result = try body()
        fastest = min(fastest, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    guard let result else { fail("no result") }
    return (result, fastest)
}

do {
    let (data, load) = try best { try Load.run(Load.Options(path: arguments[1], target: arguments[2])) }
    let (parts, split) = try best { try Split.run(data, test: 0.2, validation: 0, stratify: true, seed: 7) }
    let (scaled, preprocess) = try best {
        let fitted = try Preprocess.fit(parts.train, standardize: .all, minmax: nil, onehot: nil, impute: nil)
        return (try fitted.apply(parts.train), try fitted.apply(parts.test))
    }
    let model = try Train.run(
        model: "logistic", settings: Settings(["iterations": .int(5)]), input: scaled.0
    ).model
    let (_, evaluate) = try best {
        try Evaluate.run(model: model, input: scaled.1, metrics: [.accuracy, .logLoss, .rocAUC])
    }
    var bytes = 0
    let (_, write) = try best {
        bytes = 0
        try data.writeColumnar { bytes += $1.count }
    }
    let encoded = try data.columnarBytes()
    let (_, read) = try best { try encoded.withUnsafeBytes { try Dataset(columnar: $0) } }
    let fields: [(String, Double)] = [
        ("load", load), ("split", split), ("preprocess", preprocess), ("evaluate", evaluate),
        ("columnar_write", write), ("columnar_read", read),
    ]
    print("{" + fields.map { "\"\($0.0)\": \($0.1)" }.joined(separator: ", ") + ", \"rows\": \(data.rowCount)}")
} catch {
    fail("\(error)")
}
