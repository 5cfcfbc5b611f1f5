import Engine
import Foundation

/// The JSON lines a command appends to `ATHANOR_METRICS`: `{"name": "loss", "value": 0.31,
/// "step": 4}` is a point of the series `loss`; without `step` it is the final value of the
/// metric `loss` (the last one written wins). Other keys are ignored, so that a script may add
/// a timestamp. A line that is not such an object is an error naming its line number: a metric
/// silently dropped would make two runs look alike when they are not.
enum MetricsFile {
    struct Contents: Sendable, Equatable {
        var metrics: [MetricRecord] = []
        var series: [String: [SeriesPoint]] = [:]
    }

    private struct Line: Decodable {
        var name: String
        var value: Double
        /// Decoded as a number, so that `1.5` is reported as not an integer rather than as bad JSON.
        var step: Double?
    }

    /// Parses the file's bytes; `file` names it in errors.
    static func parse(_ bytes: [UInt8], file: String = "ATHANOR_METRICS") throws -> Contents {
        var contents = Contents()
        var finals: [String: Double] = [:]
        var order: [String] = []
        let decoder = JSONDecoder()
        for (index, text) in bytes.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).enumerated() {
            let number = index + 1
            let line = text.last == UInt8(ascii: "\r") ? text.dropLast() : text
            if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { continue }
            let parsed: Line
            do {
                parsed = try decoder.decode(Line.self, from: Data(line))
            } catch {
                throw EngineError(
                    "\(problem(error)), in '\(String(decoding: line.prefix(200), as: UTF8.self))'; expected "
                        + #"{"name": "loss", "value": 0.31} or, for a point of a series, {"name": ..., "value": ..., "step": 4}"#,
                    file: file, line: number)
            }
            guard isValidName(parsed.name) else {
                throw EngineError(
                    "metric name '\(parsed.name)' must be non-empty text without spaces or control characters",
                    file: file, line: number)
            }
            guard parsed.value.isFinite else {
                throw EngineError("metric '\(parsed.name)' has the value \(parsed.value)", file: file, line: number)
            }
            if let step = parsed.step {
                guard step == step.rounded(), abs(step) < 1e15 else {
                    throw EngineError("\"step\" must be an integer, not \(step)", file: file, line: number)
                }
                contents.series[parsed.name, default: []].append(SeriesPoint(Int(step), parsed.value))
            } else {
                if finals[parsed.name] == nil { order.append(parsed.name) }
                finals[parsed.name] = parsed.value
            }
        }
        contents.metrics = order.compactMap { name in finals[name].map { MetricRecord(name: name, value: $0) } }
        return contents
    }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && !name.unicodeScalars.contains { $0.properties.isWhitespace || $0.value < 0x20 }
    }

    private static func problem(_ error: Error) -> String {
        switch error as? DecodingError {
        case .keyNotFound(let key, _)?:
            return "\"\(key.stringValue)\" is missing"
        case .typeMismatch(_, let context)?, .valueNotFound(_, let context)?:
            guard let key = context.codingPath.last?.stringValue else { return "not a JSON object" }
            switch key {
            case "name": return "\"name\" must be text"
            case "value": return "\"value\" must be a number"
            default: return "\"step\" must be an integer"
            }
        default:
            return "not valid JSON"
        }
    }
}
