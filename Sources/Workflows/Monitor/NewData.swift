import Drift
import Engine
import Foundation
import Runs

/// New data to compare with the training data: columns by name.
struct NewData {
    var name: String
    var rows: Int
    var columns: [String: ColumnValues]
    /// The columns in the file's order.
    var order: [String]
    var skippedLines = 0
    /// The predictions a request log holds; nil for a file, which the model scores.
    var predictions: ColumnValues?

    /// A CSV read as the notebook's `load` step read its file (delimiter, spellings of a missing value), every
    /// column kept: the target, when there, is compared too.
    static func csv(at url: URL, named name: String, like load: PlannedStep?) throws -> NewData {
        let config = load?.configuration
        let missing: [String]? =
            if case .list(let items)? = config?["missing"]?.value { items.compactMap(\.string) } else { nil }
        let delimiter = config?["delimiter"]?.string.map { $0 == "\\t" ? "\t" : $0 }.flatMap(\.first)
        guard FileManager.default.fileExists(atPath: url.path) else {
            throw WorkflowFailure.invalid("no file \(name)")
        }
        let dataset = try Load.run(Load.Options(path: name, delimiter: delimiter, missing: missing), at: url.path)
        let arrays = dataset.features.columnArrays(Array(dataset.columns.indices))
        var columns: [String: ColumnValues] = [:]
        for (column, values) in zip(dataset.columns, arrays) {
            switch column.kind {
            case .numeric: columns[column.name] = .numbers(values)
            case .categorical(let levels): columns[column.name] = .categories(levels: levels, codes: values)
            }
        }
        return NewData(name: name, rows: dataset.rowCount, columns: columns, order: dataset.columns.map(\.name))
    }

    /// The longest line of a request log read; a longer one is skipped.
    static let longestLine = 1 << 20

    /// A request log of `athanor serve-model --log`: one JSON object a line,
    /// `{"time": "…", "inputs": {"col": value, …}, "prediction": value}`. Lines that are not such an object are
    /// skipped and counted; the predictions are kept apart from the inputs.
    static func requests(at url: URL, named name: String) throws -> NewData {
        let data: Data
        do {
            data = try Data(contentsOf: url, options: .alwaysMapped)
        } catch {
            throw WorkflowFailure.invalid("cannot read \(name): no such file, or not readable")
        }
        var cells: [String: [Any?]] = [:]
        var order: [String] = []
        var predictions: [Any?] = []
        var rows = 0
        var skipped = 0
        data.withUnsafeBytes { (bytes: UnsafeRawBufferPointer) in
            var start = 0
            while start < bytes.count {
                let end = bytes[start...].firstIndex(of: UInt8(ascii: "\n")) ?? bytes.count
                defer { start = end + 1 }
                let line = UnsafeRawBufferPointer(rebasing: bytes[start..<end])
                if line.allSatisfy({ $0 == 0x20 || $0 == 0x09 || $0 == 0x0D }) { continue }
                guard line.count <= longestLine,
                    let object = try? JSONSerialization.jsonObject(with: Data(line)) as? [String: Any],
                    let inputs = object["inputs"] as? [String: Any], object["prediction"] != nil
                else {
                    skipped += 1
                    continue
                }
                for key in inputs.keys.sorted() where cells[key] == nil {
                    cells[key] = [Any?](repeating: nil, count: rows)
                    order.append(key)
                }
                for key in order { cells[key, default: []].append(inputs[key]) }
                predictions.append(object["prediction"])
                rows += 1
            }
        }
        guard rows > 0 else {
            throw WorkflowFailure.invalid(
                "\(name) holds no request" + (skipped > 0 ? " (\(skipped) unreadable lines skipped)" : ""))
        }
        var columns: [String: ColumnValues] = [:]
        for (key, values) in cells { columns[key] = column(values) }
        return NewData(
            name: name, rows: rows, columns: columns, order: order, skippedLines: skipped,
            predictions: column(predictions))
    }

    /// JSON values as a column: numbers when every value present is one, else categories (numbers as text).
    static func column(_ values: [Any?]) -> ColumnValues {
        let present = values.compactMap { $0 }.filter { !($0 is NSNull) }
        if present.allSatisfy({ number($0) != nil }) {
            return .numbers(values.map { $0.flatMap(number) ?? .nan })
        }
        return .categories(
            of: values.map { value in
                guard let value, !(value is NSNull) else { return nil }
                return number(value).map(ConfigText.exact) ?? (value as? String) ?? "\(value)"
            })
    }

    /// A JSON number (not a Boolean), finite.
    static func number(_ value: Any) -> Double? {
        // JSON's true and false read as NSNumbers too, of Objective-C type "c".
        guard let number = value as? NSNumber, String(cString: number.objCType) != "c" else { return nil }
        let double = number.doubleValue
        return double.isFinite ? double : nil
    }
}
