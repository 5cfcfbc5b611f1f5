import Engine
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

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
    /// what is accepted and every message stay as JSONDecoder has them. Only the line not yet whole is kept:
    /// a file of 45 MB is parsed from the pieces it comes in, never gathered into one buffer.
    struct Reader {
        let file: String
        /// The bytes after the last newline read: the start of a line not yet whole.
        private var pending: [UInt8] = []
        /// How many bytes were read so far.
        private(set) var count = 0
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
            let done: Void? = try more.withContiguousStorageIfAvailable { buffer in
                try read(UnsafeRawBufferPointer(buffer))
            }
            if done == nil { try Array(more).withUnsafeBytes { try read($0) } }
        }

        /// Adds the bytes of `more`, which the caller may reuse afterwards, and parses the lines they complete.
        mutating func read(_ more: UnsafeRawBufferPointer) throws {
            guard let base = more.baseAddress, !more.isEmpty else { return }
            count += more.count
            var start = 0
            if !pending.isEmpty {
                guard let newline = Self.newline(in: more, from: 0) else {
                    pending += more
                    return
                }
                pending += UnsafeRawBufferPointer(rebasing: more[..<newline])
                // Swapped out rather than borrowed, so that `parse` may change `self` while it reads the line.
                var line: [UInt8] = []
                swap(&line, &pending)
                try line.withUnsafeBufferPointer { try parseLine($0) }
                line.removeAll(keepingCapacity: true)
                swap(&line, &pending)
                start = newline + 1
            }
            let bytes = UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: more.count)
            while let newline = Self.newline(in: more, from: start) {
                try parseLine(UnsafeBufferPointer(rebasing: bytes[start..<newline]))
                start = newline + 1
            }
            pending += UnsafeRawBufferPointer(rebasing: more[start...])
        }

        /// Parses the last line, which has no newline after it, and returns what the file holds.
        mutating func finish() throws -> Contents {
            var line: [UInt8] = []
            swap(&line, &pending)
            try line.withUnsafeBufferPointer { try parseLine($0) }
            contents.metrics = order.compactMap { name in finals[name].map { MetricRecord(name: name, value: $0) } }
            return contents
        }

        /// Where the first newline at or after `start` is in `bytes`.
        private static func newline(in bytes: UnsafeRawBufferPointer, from start: Int) -> Int? {
            guard let base = bytes.baseAddress, start < bytes.count,
                let found = memchr(base + start, 0x0A, bytes.count - start)
            else { return nil }
            return base.distance(to: UnsafeRawPointer(found))
        }

        /// Parses one line, without its newline; a carriage return before it is dropped.
        private mutating func parseLine(_ line: UnsafeBufferPointer<UInt8>) throws {
            number += 1
            var end = line.count
            if end > 0, line[end - 1] == UInt8(ascii: "\r") { end -= 1 }
            try parse(UnsafeBufferPointer(rebasing: line[..<end]))
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
