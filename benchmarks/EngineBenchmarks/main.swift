import Engine
import Foundation

// The Swift side of benchmarks/engine_vs_sklearn.py: trains one model on data that the Python
// script wrote as raw little-endian float64 (NAME.train.x, NAME.train.y, NAME.test.x, NAME.test.y
// and NAME.json with the shapes), times the fit alone, and prints one JSON line, with the BLAS
// kernel and the thread budget the fit ran with.
//
//   swift run -c release EngineBenchmarks DIR NAME TASK [EPOCHS]
//   TASK: softmax | mlp64 | mlp256 | kmeans | boosting | forest
//   (boosting: `gradient_boosting`, 100 iterations, early stopping off; forest: `random_forest`,
//   100 trees; benchmarks/trees_data.py writes their data)
//   swift run -c release EngineBenchmarks --blas-kernel    (BLIS's name of the kernel the engine runs)
//
// It also times the CSV reader alone (benchmarks/csv.sh): `Load.run` on FILE, with TARGET as the
// target if given, printing one JSON line. Its `digest`, an FNV-1a hash of the dataset's bits and
// names, tells whether a change to the reader still reads a large file bit for bit the same.
//
//   swift run -c release EngineBenchmarks csv FILE [TARGET]

func fail(_ message: String) -> Never {
    FileHandle.standardError.write(Data("EngineBenchmarks: \(message)\n".utf8))
    exit(2)
}

/// FNV-1a over every value's bits, every column's name and kind, and the target's.
func digest(_ dataset: Dataset) -> UInt64 {
    var hash: UInt64 = 0xCBF2_9CE4_8422_2325
    func add(_ word: UInt64) {
        for shift in stride(from: 0, to: 64, by: 8) {
            hash = (hash ^ (word >> UInt64(shift) & 0xFF)) &* 0x100_0000_01B3
        }
    }
    func add(_ text: String) {
        for byte in text.utf8 { add(UInt64(byte)) }
        add(UInt64.max)
    }
    for value in dataset.features.values { add(value.bitPattern) }
    for column in dataset.columns {
        add(column.name)
        guard case .categorical(let levels) = column.kind else {
            add("numeric")
            continue
        }
        for level in levels { add(level) }
    }
    if let target = dataset.target {
        add(target.name)
        for value in target.values { add(value.bitPattern) }
        for name in target.classNames ?? ["numeric"] { add(name) }
    }
    return hash
}

let arguments = CommandLine.arguments
if arguments.count == 2, arguments[1] == "--blas-kernel" {
    print(BLASKernel.current.name)
    exit(0)
}
if arguments.count >= 3, arguments[1] == "csv" {
    do {
        let options = Load.Options(path: arguments[2], target: arguments.count > 3 ? arguments[3] : nil)
        let start = DispatchTime.now().uptimeNanoseconds
        let dataset = try Load.run(options)
        let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        let result: [String: Any] = [
            "load_seconds": seconds, "rows": dataset.rowCount, "columns": dataset.columnCount,
            "digest": String(digest(dataset), radix: 16),
        ]
        let json = try JSONSerialization.data(withJSONObject: result, options: [.sortedKeys])
        print(String(decoding: json, as: UTF8.self))
        exit(0)
    } catch {
        fail("\(error)")
    }
}
guard arguments.count >= 4 else { fail("usage: EngineBenchmarks DIR NAME TASK [EPOCHS]") }
let directory = URL(fileURLWithPath: arguments[1])
let name = arguments[2]
let task = arguments[3]
let epochs = arguments.count > 4 ? Int(arguments[4]) ?? 200 : 200

struct Shapes: Decodable {
    var trainRows: Int
    var testRows: Int
    var columns: Int
}

func doubles(_ file: String) -> [Double] {
    guard let data = FileManager.default.contents(atPath: directory.appendingPathComponent(file).path) else {
        fail("cannot read \(file)")
    }
    return data.withUnsafeBytes { Array($0.bindMemory(to: Double.self)) }
}

guard let shapeData = FileManager.default.contents(atPath: directory.appendingPathComponent("\(name).json").path),
    let shapes = try? { () throws -> Shapes in
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(Shapes.self, from: shapeData)
    }()
else { fail("cannot read \(name).json") }

func dataset(_ part: String, rows: Int) -> Dataset {
    let columns = (0..<shapes.columns).map { FeatureColumn(name: "x\($0)", kind: .numeric) }
    return Dataset(
        features: Matrix(rows: rows, columns: shapes.columns, values: doubles("\(name).\(part).x")),
        columns: columns, target: Target(name: "y", values: doubles("\(name).\(part).y"), classNames: nil))
}

let train = dataset("train", rows: shapes.trainRows)
let test = dataset("test", rows: shapes.testRows)

do {
    var settings: [String: SettingValue] = [:]
    let model: String
    switch task {
    case "softmax":
        model = "softmax"
    case "mlp64", "mlp256":
        model = "mlp"
        settings["hidden"] = .list([.int(task == "mlp64" ? 64 : 256)])
        settings["epochs"] = .int(epochs)
    case "boosting":
        model = "gradient_boosting"
        settings["early_stopping"] = .bool(false)
    case "forest":
        model = "random_forest"
    case "kmeans":
        model = "kmeans"
        settings["k"] = .int(10)
        settings["restarts"] = .int(10)
    default:
        fail("unknown task \(task)")
    }
    let start = DispatchTime.now().uptimeNanoseconds
    let trained = try Train.run(model: model, settings: Settings(settings), input: train)
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    var result: [String: Double] = ["fit_seconds": seconds]
    if case .kmeans(let kmeans) = trained.model {
        result["inertia"] = kmeans.inertia
    } else {
        let scores = try Evaluate.run(model: trained.model, input: test, metrics: [.accuracy])
        result["accuracy"] = scores.first?.value.number
        let epochsRun = trained.series["loss"]?.count ?? 0
        result["epochs"] = Double(epochsRun)
        result["samples_per_second"] = Double(epochsRun * train.rowCount) / seconds
    }
    var line: [String: Any] = result
    line["blas_kernel"] = BLASKernel.current.description
    line["threads"] = ThreadBudget.count
    let json = try JSONSerialization.data(withJSONObject: line, options: [.sortedKeys])
    print(String(decoding: json, as: UTF8.self))
} catch {
    fail("\(error)")
}
