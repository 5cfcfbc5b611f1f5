import Engine
import Foundation

extension RunJSON {
    /// A series' points in a run's JSON object, which `text(_:)` writes as a list of `[index, value]` lists.
    ///
    /// JSONSerialization took nearly a minute over a million two-element arrays, and as long again to build
    /// them; `text(_:)` writes the points itself, exactly as JSONSerialization would.
    public struct Points: Sendable, Equatable {
        public var points: [RecordedPoint]

        public init(_ points: [RecordedPoint]) {
            self.points = points
        }
    }
}

/// Stands each non-empty `Points` in for a string that cannot occur otherwise, then writes its points where
/// JSONSerialization wrote that string, indented as JSONSerialization indents a nested list.
struct PointsWriter {
    private let token = "athanor-points-\(UUID().uuidString)-"
    private var series: [[RecordedPoint]] = []

    /// `value` with each `Points` replaced, or nil when a point is not finite, which JSON cannot write.
    mutating func replacingPoints(in value: Any) -> Any? {
        switch value {
        case let points as RunJSON.Points:
            guard points.points.allSatisfy(\.value.isFinite) else { return nil }
            if points.points.isEmpty { return [Any]() }
            series.append(points.points)
            return token + String(series.count - 1)
        case let object as [String: Any]:
            var replaced: [String: Any] = [:]
            for (key, item) in object {
                guard let item = replacingPoints(in: item) else { return nil }
                replaced[key] = item
            }
            return replaced
        case let list as [Any]:
            var replaced: [Any] = []
            for item in list {
                guard let item = replacingPoints(in: item) else { return nil }
                replaced.append(item)
            }
            return replaced
        default:
            return value
        }
    }

    /// `json`, JSONSerialization's pretty output, with each token's string replaced by its points.
    func spliced(into json: [UInt8]) -> [UInt8] {
        guard !series.isEmpty else { return json }
        let quotedToken = Array(("\"" + token).utf8)
        var output: [UInt8] = []
        output.reserveCapacity(json.count + series.reduce(0) { $0 + $1.count } * 40)
        var position = 0
        var lineStart = 0
        while position < json.count {
            let byte = json[position]
            if byte == UInt8(ascii: "\n") { lineStart = position + 1 }
            guard byte == UInt8(ascii: "\""), json[position...].starts(with: quotedToken),
                let close = json[(position + quotedToken.count)...].firstIndex(of: UInt8(ascii: "\"")),
                let index = Int(String(decoding: json[(position + quotedToken.count)..<close], as: UTF8.self)),
                series.indices.contains(index)
            else {
                output.append(byte)
                position += 1
                continue
            }
            let indent = json[lineStart...].prefix { $0 == UInt8(ascii: " ") }.count
            Self.write(series[index], indent: indent, to: &output)
            position = close + 1
        }
        return output
    }

    /// The points as JSONSerialization pretty-prints `[[index, value], ...]` on a line indented by `indent`.
    static func write(_ points: [RecordedPoint], indent: Int, to output: inout [UInt8]) {
        let outer = [UInt8](repeating: UInt8(ascii: " "), count: indent)
        let middle = outer + Array("  ".utf8)
        // Between a point's `[` and its index, between index and value, between value and `]`.
        let open = Array("[\n".utf8) + middle + Array("  ".utf8)
        let comma = Array(",\n".utf8) + middle + Array("  ".utf8)
        let close = Array("\n".utf8) + middle + Array("]".utf8)
        let separator = Array(",\n".utf8) + middle
        output += Array("[\n".utf8)
        output += middle
        for (position, point) in points.enumerated() {
            if position > 0 { output += separator }
            output += open
            output += point.index.description.utf8
            output += comma
            output += number(point.value).utf8
            output += close
        }
        output.append(UInt8(ascii: "\n"))
        output += outer
        output.append(UInt8(ascii: "]"))
    }

    /// A finite Double as JSONSerialization writes it: its description without a trailing ".0".
    static func number(_ value: Double) -> String {
        let text = value.description
        return text.hasSuffix(".0") ? String(text.dropLast(2)) : text
    }
}
