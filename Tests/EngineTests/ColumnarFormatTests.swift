import Engine
import Foundation
import Testing

/// The binary form datasets travel in between steps and live in the cache (docs/dataset-format.md).
@Suite struct ColumnarFormatTests {
    /// Two datasets alike to the bit, NaN included (`==` calls NaN unequal to itself).
    private func expectIdentical(_ a: Dataset, _ b: Dataset, sourceLocation: SourceLocation = #_sourceLocation) {
        #expect(a.columns == b.columns, sourceLocation: sourceLocation)
        #expect(a.features.rows == b.features.rows, sourceLocation: sourceLocation)
        #expect(a.features.columns == b.features.columns, sourceLocation: sourceLocation)
        #expect(
            a.features.values.map(\.bitPattern) == b.features.values.map(\.bitPattern), sourceLocation: sourceLocation)
        #expect(a.target?.name == b.target?.name, sourceLocation: sourceLocation)
        #expect(a.target?.classNames == b.target?.classNames, sourceLocation: sourceLocation)
        #expect(
            a.target?.values.map(\.bitPattern) == b.target?.values.map(\.bitPattern), sourceLocation: sourceLocation)
    }

    private func roundTrip(_ dataset: Dataset) throws -> Dataset {
        let bytes = try dataset.columnarBytes()
        return try bytes.withUnsafeBytes { try Dataset(columnar: $0) }
    }

    static let mixed = Dataset(
        features: Matrix(rows: 3, columns: 3, values: [1.5, 0, .nan, -.infinity, 1, 2, .infinity, .nan, -0.0]),
        columns: [
            FeatureColumn(name: "x", kind: .numeric),
            FeatureColumn(name: "colour", kind: .categorical(levels: ["blue", "red"])),
            FeatureColumn(name: "naïve \"quoted\"", kind: .numeric),
        ],
        target: Target(name: "label", values: [1, 0, 1], classNames: ["no", "yes"]))

    @Test func missingAndInfiniteValuesTextLevelsAndTargetComeBackBitForBit() throws {
        expectIdentical(try roundTrip(Self.mixed), Self.mixed)
    }

    @Test(arguments: [0, 1, 7, 9, 1000])
    func anyRowCountWithoutTargetRoundTrips(rows: Int) throws {
        let values = (0..<(rows * 2)).map { Double($0) * 0.1 }
        let dataset = Dataset(
            features: Matrix(rows: rows, columns: 2, values: values),
            columns: [FeatureColumn(name: "a", kind: .numeric), FeatureColumn(name: "b", kind: .numeric)],
            target: nil)
        expectIdentical(try roundTrip(dataset), dataset)
    }

    @Test func columnsAreLittleEndianFloat64OnSixtyFourByteBoundariesAfterAJSONHeader() throws {
        let bytes = try Self.mixed.columnarBytes()
        #expect(Array(bytes.prefix(8)) == Array("ATHDATA1".utf8))
        let length = bytes[8..<16].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
        let header = try #require(
            try JSONSerialization.jsonObject(with: Data(bytes[16..<(16 + length)])) as? [String: Any])
        #expect(header["format"] as? String == "athanor-dataset")
        #expect(header["version"] as? Int == 1)
        #expect(header["rows"] as? Int == 3)
        let columns = try #require(header["columns"] as? [[String: Any]])
        #expect(columns.map { $0["name"] as? String } == ["x", "colour", "naïve \"quoted\"", "label"])
        #expect(columns.map { $0["role"] as? String } == ["feature", "feature", "feature", "target"])
        #expect(columns.map { $0["kind"] as? String } == ["numeric", "categorical", "numeric", "categorical"])
        #expect(columns[1]["levels"] as? [String] == ["blue", "red"])
        #expect(columns[3]["levels"] as? [String] == ["no", "yes"])
        let offsets = columns.compactMap { $0["offset"] as? Int }
        #expect(offsets.count == 4 && offsets.allSatisfy { $0 % 64 == 0 })
        #expect(offsets[0] >= 16 + length)
        // The second column of the first row, read straight from the bytes.
        let start = offsets[0] + 8
        let bits = bytes[start..<(start + 8)].enumerated().reduce(UInt64(0)) {
            $0 | UInt64($1.element) << (8 * $1.offset)
        }
        #expect(Double(bitPattern: bits) == -.infinity)
        #expect(bytes.count == offsets[3] + 64)
    }

    @Test func aFileThatIsNotADatasetIsAnErrorNotACrash() throws {
        let valid = try Self.mixed.columnarBytes()
        let cases: [([UInt8], String)] = [
            ([], "it does not start with \"ATHDATA1\""),
            (Array("{\"features\": []}".utf8), "it does not start with \"ATHDATA1\""),
            (
                Array(valid.prefix(20)),
                "its header length \(valid.count >= 16 ? headerLength(valid) : 0) exceeds the file"
            ),
            (Array(valid.prefix(valid.count - 64)), "a column's description does not fit the file"),
        ]
        for (bytes, why) in cases {
            let error = try #require(throws: EngineError.self) {
                try bytes.withUnsafeBytes { try Dataset(columnar: $0) }
            }
            #expect(error.description == "not a dataset in Athanor's columnar form: \(why)")
        }
    }

    private func headerLength(_ bytes: [UInt8]) -> Int {
        bytes[8..<16].enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) }
    }

    /// Every truncation and many single-byte changes of a valid file either read or throw.
    @Test func damagedBytesNeverCrash() throws {
        let valid = try Self.mixed.columnarBytes()
        for length in 0..<valid.count {
            _ = try? Array(valid.prefix(length)).withUnsafeBytes { try Dataset(columnar: $0) }
        }
        for position in stride(from: 0, to: valid.count, by: 3) {
            for value: UInt8 in [0, 0x22, 0x39, 0xFF] {
                var damaged = valid
                damaged[position] = value
                _ = try? damaged.withUnsafeBytes { try Dataset(columnar: $0) }
            }
        }
    }
}

/// The columnar form is for Python too: `python/athanor_dataset.py` reads what the engine writes and
/// writes what it reads, with numpy and pandas as the user has them.
@Suite struct ColumnarFormatPythonTests {
    private static let pythonDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("python").path

    /// Runs `script` with python3 and returns what it printed.
    private func python(_ script: String, _ arguments: [String]) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
        process.arguments = ["python3", "-c", script] + arguments
        var environment = ProcessInfo.processInfo.environment
        environment["PYTHONPATH"] = Self.pythonDirectory
        process.environment = environment
        let output = Pipe()
        process.standardOutput = output
        try process.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self)
    }

    private func temporaryFile() -> String {
        FileManager.default.temporaryDirectory.appendingPathComponent("athanor-columnar-\(UUID().uuidString)").path
    }

    @Test func pandasReadsWhatTheEngineWrites() throws {
        let path = temporaryFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        try Data(try ColumnarFormatTests.mixed.columnarBytes()).write(to: URL(fileURLWithPath: path))
        let printed = try python(
            """
            import sys, athanor_dataset
            frame = athanor_dataset.read_frame(sys.argv[1])
            print(list(frame.columns))
            print([str(v) for v in frame["x"]], [str(v) for v in frame["naïve \\"quoted\\""]])
            print(list(frame["colour"].astype(object)), list(frame["label"].astype(object)))
            print(athanor_dataset.read(sys.argv[1])["x"].flags.owndata)
            """, [path])
        #expect(
            printed == """
                ['x', 'colour', 'naïve "quoted"', 'label']
                ['1.5', '-inf', 'inf'] ['nan', '2.0', '-0.0']
                ['blue', 'red', nan] ['yes', 'no', 'yes']
                False

                """)
    }

    @Test func theEngineReadsWhatPandasWrites() throws {
        let path = temporaryFile()
        defer { try? FileManager.default.removeItem(atPath: path) }
        _ = try python(
            """
            import sys, numpy as np, pandas as pd, athanor_dataset
            frame = pd.DataFrame({"size": [1.0, np.nan, 3.5], "city": ["Oslo", None, "Bergen"], "y": ["b", "a", "b"]})
            athanor_dataset.write_frame(sys.argv[1], frame, target="y")
            """, [path])
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: path)))
        let dataset = try bytes.withUnsafeBytes { try Dataset(columnar: $0) }
        #expect(
            dataset.columns == [
                FeatureColumn(name: "size", kind: .numeric),
                FeatureColumn(name: "city", kind: .categorical(levels: ["Bergen", "Oslo"])),
            ])
        #expect(
            dataset.features.values.map { $0.isNaN ? "nan" : String($0) } == ["1.0", "1.0", "nan", "nan", "3.5", "0.0"])
        #expect(dataset.target == Target(name: "y", values: [1, 0, 1], classNames: ["a", "b"]))
    }
}
