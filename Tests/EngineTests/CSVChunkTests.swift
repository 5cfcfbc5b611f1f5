import Foundation
import Testing

@testable import Engine

/// `op: load` reads a large file in chunks on several threads: the dataset, and the first error
/// with its line, must be what one sequential read gives, whatever the number of chunks.
@Suite struct CSVChunkTests {
    /// A dataset as bits, so that NaN compares equal to NaN.
    private struct Bits: Equatable {
        var columns: [FeatureColumn]
        var features: [UInt64]
        var target: [UInt64]?
        var classNames: [String]?

        init(_ dataset: Dataset) {
            columns = dataset.columns
            features = dataset.features.values.map(\.bitPattern)
            target = dataset.target?.values.map(\.bitPattern)
            classNames = dataset.target?.classNames
        }
    }

    private func load(_ bytes: Data, target: String? = nil, chunks: Int) throws -> Dataset {
        try Load.run(Load.Options(path: "data.csv", target: target), data: bytes, chunks: chunks)
    }

    /// Rows with every kind of field: numbers, missing values, text with ~10 levels, quoted fields
    /// holding delimiters, `""` and line breaks of each kind, blank lines, and each line ending.
    private func mixedCSV(rows: Int, seed: Int) -> String {
        var generator = SeededGenerator(seed: seed)
        let endings = ["\n", "\r\n", "\r"]
        var text = "x,colour,note,y\n"
        for row in 0..<rows {
            let number = generator.index(below: 10) == 0 ? "NA" : String(generator.uniform() * 100 - 50)
            let colour = ["red", "green", "blue", "\"dark, grey\"", ""][generator.index(below: 5)]
            let note =
                [
                    "plain", "\"two\nlines\"", "\"say \"\"hi\"\"\"", "\"cr\rinside\"", "\"crlf\r\ninside\"",
                    "n/a", "\"a,b,c\"",
                ][generator.index(below: 7)]
            let label = ["a", "b", "c"][generator.index(below: 3)]
            text += "\(number),\(colour),\(note),\(label)" + endings[generator.index(below: 3)]
            if row % 17 == 0 { text += endings[generator.index(below: 3)] }
        }
        return text
    }

    @Test(arguments: [2, 3, 4, 7, 16])
    func chunkedReadsEqualOneSequentialRead(chunks: Int) throws {
        for seed in [1, 2, 3] {
            let bytes = Data(mixedCSV(rows: 300, seed: seed).utf8)
            let sequential = try load(bytes, target: "y", chunks: 1)
            #expect(sequential.rowCount == 300)
            #expect(Bits(try load(bytes, target: "y", chunks: chunks)) == Bits(sequential))
        }
    }

    @Test(arguments: [2, 3, 5])
    func numericFilesSplitEvenlyReadTheSame(chunks: Int) throws {
        var generator = SeededGenerator(seed: 9)
        let rows = (0..<500).map { _ in (0..<4).map { _ in String(generator.uniform() * 1e6 - 5e5) } }
        let bytes = Data(("a,b,c,d\n" + rows.map { $0.joined(separator: ",") + "\n" }.joined()).utf8)
        let dataset = try load(bytes, chunks: chunks)
        let expected = try rows.flatMap { $0 }.map { try #require(Double($0)).bitPattern }
        #expect(dataset.features.values.map(\.bitPattern) == expected)
    }

    /// A quote inside an unquoted field (read as text) misleads the quote count that chunks are cut by:
    /// a cut then falls inside a quoted field, and the body must be read again in one piece.
    @Test(arguments: [2, 3, 4])
    func aStrayQuoteThatMisleadsTheCutStillReadsRight(chunks: Int) throws {
        var text = "name,y\n"
        for row in 0..<60 {
            text += row == 3 ? "5\" screen,1\n" : row % 2 == 0 ? "\"multi\nline \(row % 4)\",2\n" : "p,3\n"
        }
        let bytes = Data(text.utf8)
        let sequential = try load(bytes, chunks: 1)
        #expect(
            sequential.columns[0].kind == .categorical(levels: ["5\" screen", "multi\nline 0", "multi\nline 2", "p"]))
        #expect(Bits(try load(bytes, chunks: chunks)) == Bits(sequential))
    }

    @Test(arguments: [1, 2, 3, 4, 9])
    func theFirstErrorAndItsLineAreTheSameInAnyChunk(chunks: Int) throws {
        let body = mixedCSV(rows: 200, seed: 4)
        let lines = body.split(
            omittingEmptySubsequences: false, whereSeparator: { $0 == "\n" || $0 == "\r\n" || $0 == "\r" })
        let ragged = Data((body + "1,red\n" + body.dropFirst("x,colour,note,y\n".count)).utf8)
        let error = try #require(throws: EngineError.self) { try load(ragged, target: "y", chunks: chunks) }
        #expect(
            error
                == EngineError(
                    "line \(lines.count) has 2 fields; the header has 4", file: "data.csv", line: lines.count,
                    column: "note"))
        let infinite = Data((body + "inf,red,x,a\n" + "1e999,red,x,a\n").utf8)
        let second = try #require(throws: EngineError.self) { try load(infinite, target: "y", chunks: chunks) }
        #expect(second.line == lines.count)
        #expect(second.column == "x")
    }

    @Test func aLargeFileOnDiskReadsAsItsBytesDo() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("athanor-chunks-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("large.csv")
        // Over `Load.smallestSplitFile`, so that it is mapped, cut and released in pages.
        let text = mixedCSV(rows: 40_000, seed: 6)
        #expect(text.utf8.count > Load.smallestSplitFile)
        try Data(text.utf8).write(to: file)
        let options = Load.Options(path: "large.csv", target: "y")
        let mapped = try Load.run(options, at: file.path)
        #expect(mapped.rowCount == 40_000)
        #expect(Bits(mapped) == Bits(try load(Data(text.utf8), target: "y", chunks: 1)))
    }
}
