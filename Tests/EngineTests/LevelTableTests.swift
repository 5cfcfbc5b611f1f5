import Foundation
import Testing

@testable import Engine

/// Text columns are looked up by their bytes: every distinct value gets one level, however many
/// there are, however alike their bytes, and whatever the table's size and hash.
@Suite struct LevelTableTests {
    /// The shapes a table is tried in: the reader's, one that starts tiny and grows, and one whose
    /// every hash is equal, so that every lookup compares bytes with every entry before it.
    static let shapes = [
        LevelTable.Shape(), LevelTable.Shape(capacity: 1), LevelTable.Shape(capacity: 2, hashMask: 0),
    ]

    /// Codes of `values` looked up in order, and the table's levels.
    private func codes(_ values: [[UInt8]], shape: LevelTable.Shape, missing: [String] = []) -> ([Int32], [String]) {
        let table = LevelTable(shape: shape, missing: MissingValues(extra: missing))
        let codes = values.map { value in value.withUnsafeBufferPointer { table.code(of: $0) } }
        return (codes, table.levels)
    }

    /// The codes a `[String: Int]` numbering in order met gives, the reader's former way.
    private func expected(_ values: [String]) -> ([Int32], [String]) {
        var ids: [String: Int32] = [:]
        var levels: [String] = []
        let codes = values.map { value in
            if let id = ids[value] { return id }
            ids[value] = Int32(levels.count)
            levels.append(value)
            return Int32(levels.count - 1)
        }
        return (codes, levels)
    }

    @Test(arguments: shapes)
    func manyDistinctValuesEachGetOneLevel(shape: LevelTable.Shape) {
        var generator = SeededGenerator(seed: 3)
        let count = shape.hashMask == 0 ? 2_000 : 50_000
        let values = (0..<count * 3).map { _ in "id-\(generator.index(below: count))" }
        let (codes, levels) = codes(values.map { Array($0.utf8) }, shape: shape)
        let (expectedCodes, expectedLevels) = expected(values)
        #expect(levels == expectedLevels)
        #expect(codes == expectedCodes)
    }

    /// Short values are hashed from overlapping words, long ones word by word and then their last
    /// sixteen bytes: values that differ in one byte anywhere, or only in length, stay apart.
    @Test(arguments: shapes)
    func valuesThatDifferOnlyAfterASharedPrefixStayApart(shape: LevelTable.Shape) {
        var values: [String] = [""]
        for length in [1, 2, 3, 4, 5, 7, 8, 9, 15, 16, 17, 31, 32, 33, 40] {
            let prefix = String(repeating: "p", count: length - 1)
            values += [prefix + "a", prefix + "b", prefix, prefix + "a\u{0}", "b" + prefix, prefix + "é"]
            if length > 2 { values.append(prefix.dropLast() + "ab") }
        }
        values += values.reversed()
        let (codes, levels) = codes(values.map { Array($0.utf8) }, shape: shape)
        // The empty value is one of the default spellings of a missing one.
        let (expectedCodes, expectedLevels) = expected(values.filter { !$0.isEmpty })
        #expect(levels == expectedLevels)
        #expect(codes.filter { $0 != LevelTable.missingCode } == expectedCodes)
        #expect(codes.filter { $0 == LevelTable.missingCode }.count == values.filter(\.isEmpty).count)
    }

    @Test(arguments: shapes)
    func missingSpellingsAndInvalidBytesAreNotLevels(shape: LevelTable.Shape) {
        let values: [[UInt8]] = [
            Array("NA".utf8), Array("x".utf8), [0x61, 0xFF], Array("n/a".utf8), Array("-999".utf8), Array("x".utf8),
            [0x61, 0xFF], Array("NA".utf8),
        ]
        let (codes, levels) = codes(values, shape: shape, missing: ["-999"])
        #expect(levels == ["x"])
        let missing = LevelTable.missingCode
        let invalid = LevelTable.invalidCode
        #expect(codes == [missing, 0, invalid, missing, missing, 0, invalid, missing])
    }

    /// The bytes of each distinct value are kept once, missing spellings included.
    @Test func theArenaHoldsEachDistinctValueOnce() {
        let table = LevelTable(missing: MissingValues())
        for _ in 0..<3 {
            for value in ["alpha", "beta", "NA", "alpha"] { _ = Array(value.utf8).withUnsafeBufferPointer(table.code) }
        }
        #expect(table.distinctBytes == "alphabetaNA".utf8.count)
    }

    // MARK: - Through the reader

    /// A file with every kind of text field: quoted with `""`, padded, missing in several spellings,
    /// a column that turns to text only near its end, and an id column of thousands of levels.
    private func file(rows: Int) -> String {
        var generator = SeededGenerator(seed: 8)
        var text = "id,note,late,x,y\n"
        for row in 0..<rows {
            let id = "user-\(generator.index(below: rows / 2))-\(String(repeating: "z", count: row % 20))"
            let note = [
                "\"say \"\"hi\"\"\"", " padded ", "padded", "\"padded\"", "NA", "", "\"a,b\"", "?", "é",
                "e\u{301}",
            ][generator.index(below: 10)]
            let late = row > rows * 9 / 10 ? "t\(row % 3)" : row % 5 == 0 ? "NA" : "\(row % 7)"
            text += "\(id),\(note),\(late),\(generator.uniform()),\(["a", "b"][row % 2])\n"
        }
        return text
    }

    private func read(_ text: String, chunks: Int, shape: LevelTable.Shape) throws -> CSVReader.Table {
        let bytes = Array(text.utf8)
        return try bytes.withUnsafeBufferPointer { buffer in
            var reader = try CSVReader(bytes: buffer, delimiter: UInt8(ascii: ","), missing: MissingValues(), file: "f")
            reader.levelShape = shape
            return try reader.read(features: [0, 1, 2, 3], target: 4, chunks: chunks)
        }
    }

    /// Values that are not UTF-8 are found while the numbers are parsed, but reported as before: the
    /// first in the file, after every error of shape and every infinity.
    @Test(arguments: [1, 2, 5])
    func theFirstValueThatIsNotUTF8IsReportedWhateverTheChunks(chunks: Int) throws {
        let head = Data(file(rows: 3_000).utf8)
        let bad = Data("user-1,".utf8) + Data([0x61, 0xFF]) + Data(",1,0.5,a\n".utf8)
        let later = Data("user-2,x,".utf8) + Data([0xC3]) + Data(",0.5,b\n".utf8)
        let lines = 3_002
        let error = try #require(throws: EngineError.self) {
            try Load.run(Load.Options(path: "f.csv", target: "y"), data: head + bad + later, chunks: chunks)
        }
        #expect(
            error
                == EngineError(
                    "field 2 is not valid UTF-8; the file must be UTF-8 (save it with that encoding)", file: "f.csv",
                    line: lines, column: "note"))
        let ragged = try #require(throws: EngineError.self) {
            try Load.run(
                Load.Options(path: "f.csv", target: "y"), data: head + bad + Data("1,2\n".utf8), chunks: chunks)
        }
        #expect(ragged.message == "line \(lines + 1) has 2 fields; the header has 5")
    }

    @Test(arguments: shapes)
    func theReaderGivesTheSameTableWhateverTheShapeAndChunks(shape: LevelTable.Shape) throws {
        let text = file(rows: 6_000)
        let reference = try read(text, chunks: 1, shape: LevelTable.Shape())
        let ids = Set(text.split(separator: "\n").dropFirst().map { String($0.prefix { $0 != "," }) })
        #expect(reference.featureLevels[0] == ids.sorted())
        #expect(reference.featureLevels[1] == ["a,b", "padded", "say \"hi\"", "é"])
        #expect(reference.featureLevels[2] == ["0", "1", "2", "3", "4", "5", "6", "t0", "t1", "t2"])
        #expect(reference.featureLevels[3] == nil)
        #expect(reference.targetLevels == ["a", "b"])
        for chunks in [1, 3, 7] {
            let table = try read(text, chunks: chunks, shape: shape)
            #expect(table.rowCount == reference.rowCount)
            #expect(table.features.map(\.bitPattern) == reference.features.map(\.bitPattern))
            #expect(table.featureLevels == reference.featureLevels)
            #expect(table.target == reference.target)
            #expect(table.targetLevels == reference.targetLevels)
        }
    }
}
