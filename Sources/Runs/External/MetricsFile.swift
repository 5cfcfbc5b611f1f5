import Engine
import Foundation

/// The JSON lines a command appends to `ATHANOR_METRICS`: `{"name": "loss", "value": 0.31, "step": 4}` is a point
/// of the series `loss`; without `step` it is the final value of the metric `loss` (the last one written wins).
/// Other keys are ignored, so that a script may add a timestamp. A line that is not such an object is an error
/// naming its line number: a metric silently dropped would make two runs look alike when they are not.
enum MetricsFile {
    struct Contents: Sendable, Equatable {
        var metrics: [MetricRecord] = []
        var series: [String: [RecordedPoint]] = [:]
    }

    fileprivate struct Line: Decodable {
        var name: String
        var value: Double
        /// Decoded as a number, so that `1.5` is reported as not an integer rather than as bad JSON.
        var step: Double?
    }

    /// Parses the file's bytes; `file` names it in errors.
    static func parse(_ bytes: [UInt8], file: String = "ATHANOR_METRICS") throws -> Contents {
        var reader = Reader(file: file)
        try reader.read(bytes)
        return try reader.finish()
    }

    /// Reads the file a piece at a time, as a command appends to it, parsing each line once it is whole.
    ///
    /// A script logging a curve of a million points writes a million lines of one shape: `QuickLine` reads
    /// those without JSONDecoder, many times faster, and hands anything else to JSONDecoder, so that
    /// what is accepted and every message stay as JSONDecoder has them.
    struct Reader {
        let file: String
        /// Every byte read so far, so that a caller can check that the file only grew.
        private(set) var bytes: [UInt8] = []
        /// Where the first line not yet parsed starts in `bytes`.
        private var parsed = 0
        private var number = 0
        private var contents = Contents()
        private var finals: [String: Double] = [:]
        private var order: [String] = []
        private let decoder = JSONDecoder()
        /// The name of the previous quick line, valid: most lines repeat it, and need no new String.
        private var known: (bytes: [UInt8], name: String)?

        init(file: String = "ATHANOR_METRICS") {
            self.file = file
        }

        /// Adds `more` bytes and parses the lines they complete.
        mutating func read(_ more: some Collection<UInt8>) throws {
            bytes += more
            guard let last = bytes[parsed...].lastIndex(of: UInt8(ascii: "\n")) else { return }
            try parseLines(upTo: last)
        }

        /// Parses the last line, which has no newline after it, and returns what the file holds.
        mutating func finish() throws -> Contents {
            try parseLines(upTo: bytes.count)
            contents.metrics = order.compactMap { name in finals[name].map { MetricRecord(name: name, value: $0) } }
            return contents
        }

        /// Parses the lines from `parsed` to `limit`, a newline or the end of the bytes.
        private mutating func parseLines(upTo limit: Int) throws {
            var start = parsed
            defer { parsed = start }
            let bytes = self.bytes
            try bytes.withUnsafeBufferPointer { buffer in
                while start <= limit {
                    let newline = buffer[start..<limit].firstIndex(of: UInt8(ascii: "\n")) ?? limit
                    number += 1
                    var end = newline
                    if end > start, buffer[end - 1] == UInt8(ascii: "\r") { end -= 1 }
                    let line = UnsafeBufferPointer(rebasing: buffer[start..<end])
                    try parse(line)
                    start = newline + 1
                }
            }
        }

        private mutating func parse(_ line: UnsafeBufferPointer<UInt8>) throws {
            if line.allSatisfy({ $0 == UInt8(ascii: " ") || $0 == UInt8(ascii: "\t") }) { return }
            let name: String
            let value: Double
            let step: Double?
            var checked = false
            if let quick = QuickLine(line) {
                let nameBytes = UnsafeBufferPointer(rebasing: line[quick.name])
                if let known, known.bytes.withUnsafeBufferPointer({ $0.elementsEqual(nameBytes) }) {
                    (name, checked) = (known.name, true)
                } else {
                    name = String(decoding: nameBytes, as: UTF8.self)
                    if isValidName(name) { known = (Array(nameBytes), name) }
                }
                (value, step) = (quick.value, quick.step)
            } else {
                let parsed: Line
                do {
                    parsed = try decoder.decode(Line.self, from: Data(line))
                } catch {
                    throw EngineError(
                        "\(problem(error)), in '\(String(decoding: line.prefix(200), as: UTF8.self))'; expected "
                            + #"{"name": "loss", "value": 0.31} or, for a point of a series, {"name": ..., "value": ..., "step": 4}"#,
                        file: file, line: number)
                }
                (name, value, step) = (parsed.name, parsed.value, parsed.step)
            }
            guard checked || isValidName(name) else {
                throw EngineError(
                    "metric name '\(name)' must be non-empty text without spaces or control characters",
                    file: file, line: number)
            }
            guard value.isFinite else {
                throw EngineError("metric '\(name)' has the value \(value)", file: file, line: number)
            }
            if let step {
                guard step == step.rounded(), abs(step) < 1e15 else {
                    throw EngineError("\"step\" must be an integer, not \(step)", file: file, line: number)
                }
                contents.series[name, default: []].append(RecordedPoint(Int(step), value))
            } else {
                if finals[name] == nil { order.append(name) }
                finals[name] = value
            }
        }
    }

    static func isValidName(_ name: String) -> Bool {
        !name.isEmpty && !name.unicodeScalars.contains { $0.properties.isWhitespace || $0.value < 0x20 }
    }

    fileprivate static func problem(_ error: Error) -> String {
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
