import Engine
import Foundation
// GRDB is used directly only to doctor a store the way Athanor before schema v4 left it.
import GRDB
import Testing
import Workflows

@testable import Runs

/// The fast paths a long series takes, each held to the slow path it replaces: what `MetricsFile` reads
/// quickly it reads as JSONDecoder would, `RunJSON.text` writes points as JSONSerialization wrote them, and a
/// cache entry or a store of the format before still reads.
@Suite struct SeriesAtScaleTests {
    /// JSONDecoder's reading of a line, the reference for `QuickLine`.
    private struct Decoded: Decodable, Equatable {
        var name: String
        var value: Double
        var step: Double?
    }

    @Test(arguments: [
        #"{"name": "loss", "value": 0.31, "step": 4}"#,
        #"{"step":4,"value":0.31,"name":"loss"}"#,
        #" { "name" : "val_loss" , "value" : -0 } "#,
        #"{"name": "a.b/c", "value": 1E5, "step": -7}"#,
        #"{"name": "loss", "value": 2.5e-3, "step": 1e2}"#,
        #"{"name": "loss", "value": 0.1000000000000000055511151231257827, "step": 0}"#,
        #"{"name": "loss", "value": 12345678901234567890123, "step": 0}"#,
        #"{"name": "loss", "value": 4.9e-324}"#,
        #"{"name": "loss", "value": 1.7976931348623157e308}"#,
        #"{"name": "loss", "value": 9007199254740993}"#,
        #"{"name": "loss", "value": 0.000000000000000000000000001234}"#,
        "{\"name\": \"loss\",\t\"value\": 3.0,\r\"step\": 2.0}",
    ])
    func aQuickLineReadsAsJSONDecoderDoes(line: String) throws {
        let expected = try JSONDecoder().decode(Decoded.self, from: Data(line.utf8))
        let bytes = Array(line.utf8)
        let quick = try #require(bytes.withUnsafeBufferPointer { MetricsFile.QuickLine($0) })
        let name = String(decoding: bytes[quick.name], as: UTF8.self)
        #expect(Decoded(name: name, value: quick.value, step: quick.step) == expected)
        #expect(quick.value.bitPattern == expected.value.bitPattern)
    }

    @Test func quickValuesMatchJSONDecoderOverManySpellings() throws {
        var generator = SystemRandomNumberGenerator()
        var lines: [String] = []
        for _ in 0..<2_000 {
            let value = Double(bitPattern: UInt64.random(in: 0...UInt64.max, using: &generator))
            guard value.isFinite else { continue }
            lines.append(#"{"name": "x", "value": \#(value)}"#)
            lines.append(#"{"name": "x", "value": \#(String(format: "%.6f", value / 1e300))}"#)
            lines.append(#"{"name": "x", "value": \#(Int.random(in: -1_000_000...1_000_000))}"#)
        }
        for line in lines {
            let expected = try JSONDecoder().decode(Decoded.self, from: Data(line.utf8))
            let quick = Array(line.utf8).withUnsafeBufferPointer { MetricsFile.QuickLine($0) }
            #expect(quick?.value.bitPattern == expected.value.bitPattern, "\(line)")
        }
    }

    /// Decimals of 19 digits within half a Float80 unit of a midpoint between two Doubles: one rounding to
    /// Float80 lands on the midpoint, and a second to Double would go to the even neighbour, the wrong one.
    @Test(arguments: [
        "650.9348221053807606", "535.8824684246849870", "37.49662094632644127", "433.6462500167022256",
        "69.85635371919537562", "424.5197646233248463",
    ])
    func aValueNextToAMidpointIsRoundedOnce(text: String) throws {
        let line = #"{"name": "x", "value": \#(text)}"#
        let expected = try JSONDecoder().decode(Decoded.self, from: Data(line.utf8))
        let quick = Array(line.utf8).withUnsafeBufferPointer { MetricsFile.QuickLine($0) }
        #expect(quick?.value.bitPattern == expected.value.bitPattern)
    }

    /// The values a script prints most: a Double's repr, 16 or 17 digits, and `%.17g`.
    @Test func longDecimalsReadAsDoubleReadsThem() {
        var generator = SystemRandomNumberGenerator()
        var texts = (1...100_000).map { "\(1 / Double($0))" }
        for _ in 0..<100_000 {
            let value = Double.random(in: -1e6...1e6, using: &generator) * (Bool.random() ? 1e-9 : 1)
            texts.append(String(format: "%.17g", value))
            texts.append("\(value)")
        }
        var wrong: [String] = []
        for text in texts {
            let line = Array(#"{"name": "x", "value": \#(text)}"#.utf8)
            let quick = line.withUnsafeBufferPointer { MetricsFile.QuickLine($0) }
            if quick?.value.bitPattern != Double(text)?.bitPattern { wrong.append(text) }
        }
        #expect(wrong == [])
    }

    /// What JSONDecoder must judge, so that its messages stay the same.
    @Test(arguments: [
        #"{"name": "loss", "value": 1, "note": "extra"}"#,
        #"{"name": "lo\"ss", "value": 1}"#,
        #"{"name": "é", "value": 1}"#,
        #"{"name": "loss", "value": 1, "step": null}"#,
        #"{"name": "loss", "value": 1, "value": 2}"#,
        #"{"name": "loss", "value": 1e400}"#,
        #"{"name": "loss", "value": 1e-400}"#,
        #"{"name": "loss", "value": 01}"#,
        #"{"name": "loss", "value": .5}"#,
        #"{"name": "loss", "value": 1.}"#,
        #"{"name": "loss", "value": "1"}"#,
        #"{"name": "loss"}"#,
        #"{"name": "loss", "value": 1} x"#,
        #"{"name": "loss", "value": 1,}"#,
        "{}",
        "[1, 2]",
    ])
    func anyOtherLineGoesToJSONDecoder(line: String) {
        #expect(Array(line.utf8).withUnsafeBufferPointer { MetricsFile.QuickLine($0) } == nil)
    }

    @Test func aFileOfQuickAndOtherLinesParsesWhole() throws {
        let text = """
            {"name": "loss", "value": 0.5, "step": 0}
            {"name": "loss", "value": 0.25, "step": 1, "time": 12.5}\r
            {"name": "accuracy", "value": 0.75}

            {"name": "val_loss", "value": 0.5, "step": 0}
            {"name": "accuracy", "value": 0.875}
            {"name": "loss", "value": 0.125, "step": 2}
            """
        #expect(
            try MetricsFile.parse(Array(text.utf8))
                == MetricsFile.Contents(
                    metrics: [MetricRecord(name: "accuracy", value: 0.875)],
                    series: [
                        "loss": [RecordedPoint(0, 0.5), RecordedPoint(1, 0.25), RecordedPoint(2, 0.125)],
                        "val_loss": [RecordedPoint(0, 0.5)],
                    ]))
    }

    @Test func anErrorAfterQuickLinesNamesItsLine() {
        let text = #"{"name": "loss", "value": 0.5, "step": 0}"# + "\n" + #"{"name": "loss", "value": 1, "step": 0.5}"#
        #expect(throws: EngineError("\"step\" must be an integer, not 0.5", file: "ATHANOR_METRICS", line: 2)) {
            try MetricsFile.parse(Array(text.utf8))
        }
    }

    @Test func aFileReadInPiecesParsesAsReadWhole() throws {
        let lines = (0..<300).map { index in
            index % 7 == 3
                ? #"{"name": "accuracy", "value": 0.\#(index), "note": "x"}"#
                : #"{"name": "loss", "value": \#(1 / Double(index + 1)), "step": \#(index)}"#
        }
        let bytes = Array((lines.joined(separator: "\r\n") + "\n\n" + lines[5]).utf8)
        let whole = try MetricsFile.parse(bytes)
        for size in [1, 7, 64, 1000] {
            var reader = MetricsFile.Reader()
            for start in stride(from: 0, to: bytes.count, by: size) {
                try reader.read(bytes[start..<min(start + size, bytes.count)])
            }
            #expect(try reader.finish() == whole, "pieces of \(size) bytes")
        }
    }

    @Test func theFollowerReportsTheFileAsTheCommandLeftIt() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("athanor-follow-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("metrics.jsonl").path
        try Data().write(to: URL(fileURLWithPath: path))
        let appended = MetricsFile.Follower(path: path)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        for index in 0..<50 {
            try handle.write(contentsOf: Data(#"{"name": "loss", "value": 0.5, "st"#.utf8))
            usleep(1_000)
            try handle.write(contentsOf: Data("ep\": \(index)}\n".utf8))
        }
        try handle.write(contentsOf: Data(#"{"name": "bad line", "value": 1}"#.utf8))
        try handle.close()
        #expect(
            throws: EngineError(
                "metric name 'bad line' must be non-empty text without spaces or control characters",
                file: "ATHANOR_METRICS", line: 51)
        ) { try appended.finish() }

        // A script that rewrites the file rather than appends to it.
        let rewritten = MetricsFile.Follower(path: path)
        usleep(50_000)
        try Data(#"{"name": "accuracy", "value": 0.25}"#.utf8).write(to: URL(fileURLWithPath: path))
        #expect(try rewritten.finish() == MetricsFile.Contents(metrics: [MetricRecord(name: "accuracy", value: 0.25)]))
    }

    @Test func theFollowerSeesAFileRewrittenLongerInPlace() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("athanor-follow-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("metrics.jsonl").path
        let line = { (name: String, step: Int) in #"{"name": "\#(name)", "value": 0.5, "step": \#(step)}"# + "\n" }
        try Data((0..<20).map { line("loss", $0) }.joined().utf8).write(to: URL(fileURLWithPath: path))
        let follower = MetricsFile.Follower(path: path)
        usleep(100_000)
        // Truncated and written again, the same inode, longer than what was read: only the content tells.
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 0)
        let rewritten = (0..<30).map { line("val_loss", $0) }.joined()
        try handle.write(contentsOf: Data(rewritten.utf8))
        try handle.close()
        #expect(try follower.finish() == MetricsFile.parse(Array(rewritten.utf8)))

        // A file the command removed logged nothing.
        let removed = MetricsFile.Follower(path: path)
        usleep(50_000)
        try FileManager.default.removeItem(atPath: path)
        #expect(try removed.finish() == MetricsFile.Contents())
    }

    @Test func theFollowerParsesWhatWasWrittenAfterItsLastRead() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("athanor-follow-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("metrics.jsonl").path
        let head = #"{"name": "loss", "value": 0.5, "step": 0}"# + "\n" + #"{"name": "loss", "val"#
        try Data(head.utf8).write(to: URL(fileURLWithPath: path))
        // Waiting a minute between looks: what comes after the first read is left to `finish`.
        let follower = MetricsFile.Follower(path: path, interval: .seconds(60))
        usleep(100_000)
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.seekToEnd()
        let tail = #"ue": 0.25, "step": 1}"# + "\n" + #"{"name": "accuracy", "value": 0.75}"#
        try handle.write(contentsOf: Data(tail.utf8))
        try handle.close()
        #expect(
            try follower.finish()
                == MetricsFile.Contents(
                    metrics: [MetricRecord(name: "accuracy", value: 0.75)],
                    series: ["loss": [RecordedPoint(0, 0.5), RecordedPoint(1, 0.25)]]))
    }

    // MARK: The cache entry

    @Test(arguments: [3, 2])
    func anEntryOfAnEarlierFormatStillDecodesItsIngredients(format: Int) throws {
        var entry = Self.entry(series: [:])
        entry.ingredients.format = format
        var object = try #require(
            try JSONSerialization.jsonObject(with: try JSONEncoder().encode(entry)) as? [String: Any])
        // The points as that format kept them inside the entry: base64 (3), a list of objects (2).
        object["series"] =
            format == 3
            ? ["loss": Data(PackedPoints.bytes([RecordedPoint(0, 0.5)])).base64EncodedString()] as [String: Any]
            : ["loss": [["index": 0, "value": 0.5], ["index": 1, "value": 0.25]]]
        let decoded = try JSONDecoder().decode(StepEntry.self, from: try JSONSerialization.data(withJSONObject: object))
        #expect(decoded.ingredients == entry.ingredients)
        #expect(decoded.series == [:] && decoded.seriesObjects == [:])
        #expect(decoded.ingredients.differences(from: entry.ingredients, parameters: []) == [])
        #expect(
            CacheKeyIngredients(configuration: "{}", upstream: [:], files: [:])
                .differences(from: decoded.ingredients, parameters: []) == ["the cache format changed"])
    }

    private static func entry(series: [String: [RecordedPoint]]) -> StepEntry {
        StepEntry(
            ingredients: CacheKeyIngredients(configuration: "{}", upstream: [:], files: [:]), outputs: [],
            metrics: [], series: series, datasets: [], artifacts: [], previews: nil, log: nil)
    }

    // MARK: JSON

    /// `RunJSON.text` as it was: JSONSerialization over `[index, value]` lists.
    private static func serialized(_ value: Any) -> String {
        let data = try? JSONSerialization.data(
            withJSONObject: value, options: [.sortedKeys, .prettyPrinted, .withoutEscapingSlashes])
        return data.map { String(decoding: $0, as: UTF8.self) } ?? "null"
    }

    private static func lists(_ object: [String: Any], _ run: RunRecord) -> [String: Any] {
        var object = object
        var series: [String: Any] = [:]
        for item in run.series { series[item.name] = item.points.map { [$0.index, $0.value] as [Any] } }
        object["series"] = series
        return object
    }

    @Test func seriesPrintAsJSONSerializationPrintedThem() throws {
        let values: [Double] = [
            0, -0.0, 1, -1, 0.1, 0.31, 1.5, 100, 1e-7, 1e16, 1.7976931348623157e308, .leastNonzeroMagnitude,
            123_456_789.125,
            -2.5e-300, 1 / 3, 4_503_599_627_370_496, 0.000_123,
        ]
        var run = RunRecord(
            id: "a1", notebook: "nb.md", notebookSHA256: "00", notebookSource: "", title: "t",
            started: Date(timeIntervalSinceReferenceDate: 0), command: ["athanor"], parameters: [],
            environment: EnvironmentRecord(
                toolVersion: "0", engineVersion: "0", os: "", cpuModel: "", cores: 1, gitCommit: nil, gitDirty: nil))
        run.series = [
            SeriesRecord(
                name: "fit.loss", points: values.enumerated().map { RecordedPoint($0.offset - 3, $0.element) }),
            SeriesRecord(name: "fit.empty", points: []),
            SeriesRecord(name: "fit.one", points: [RecordedPoint(7, 0.5)]),
        ]
        let object = RunJSON.object(run)
        let expected = Self.lists(object, run)
        #expect(RunJSON.text(object) == Self.serialized(expected))
        // Nested, as `run --sweep --json` prints runs.
        #expect(
            RunJSON.text(["sweep": "s1", "runs": [object, object]])
                == Self.serialized(["sweep": "s1", "runs": [expected, expected]]))
        run.series[2].points[0].value = .nan
        #expect(RunJSON.text(RunJSON.object(run)) == "null")
    }

    // MARK: The store

    @Test func aRunSavedBeforeSchemaThreeStillReads() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("athanor-series-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let path = directory.appendingPathComponent("runs.sqlite").path
        var run = RunRecord(
            id: "old", notebook: "nb.md", notebookSHA256: "00", notebookSource: "", title: nil,
            started: Date(timeIntervalSinceReferenceDate: 0), command: [], parameters: [],
            environment: EnvironmentRecord(
                toolVersion: "0", engineVersion: "0", os: "", cpuModel: "", cores: 1, gitCommit: nil, gitDirty: nil))
        run.series = [
            SeriesRecord(name: "fit.loss", points: [RecordedPoint(0, 0.5), RecordedPoint(2, 0.25)]),
            SeriesRecord(name: "fit.val_loss", points: [RecordedPoint(1, 0.75)]),
        ]
        try RunStore(path: path).save(run)
        // As a version before v4 kept the points: one row each, and no BLOB.
        try DatabaseQueue(path: path).write { db in
            try db.execute(sql: "UPDATE series SET points = NULL")
            for (series, item) in run.series.enumerated() {
                for (position, point) in item.points.enumerated() {
                    try db.execute(
                        sql: "INSERT INTO series_points (run, series, position, idx, value) VALUES (1, ?, ?, ?, ?)",
                        arguments: [series, position, point.index, point.value])
                }
            }
        }
        #expect(try RunStore(path: path).run("old") == run)
        try RunStore(path: path).save(run)
        let rows = try DatabaseQueue(path: path).read { db in
            try Int.fetchOne(db, sql: "SELECT count(*) FROM series_points")
        }
        #expect(rows == 0)
        #expect(try RunStore(path: path).run("old") == run)
    }
}
