import Engine
import Foundation
import Testing

/// `op: load`: what a user's CSV becomes, and what they are told when it cannot.
@Suite struct DataLoadTests {
    private func load(
        _ csv: String, path: String = "data.csv", target: String? = nil, columns: [String]? = nil,
        drop: [String]? = nil, delimiter: Character? = nil, missing: [String]? = nil
    ) throws -> Dataset {
        try load(
            bytes: Data(csv.utf8), path: path, target: target, columns: columns, drop: drop, delimiter: delimiter,
            missing: missing)
    }

    private func load(
        bytes: Data, path: String = "data.csv", target: String? = nil, columns: [String]? = nil,
        drop: [String]? = nil, delimiter: Character? = nil, missing: [String]? = nil
    ) throws -> Dataset {
        let options = Load.Options(
            path: path, target: target, columns: columns, drop: drop, delimiter: delimiter, missing: missing)
        return try Load.run(options, data: bytes)
    }

    private func loadError(
        _ csv: String, path: String = "data.csv", target: String? = nil, columns: [String]? = nil,
        drop: [String]? = nil
    ) throws -> EngineError {
        try loadError(bytes: Data(csv.utf8), path: path, target: target, columns: columns, drop: drop)
    }

    private func loadError(
        bytes: Data, path: String = "data.csv", target: String? = nil, columns: [String]? = nil,
        drop: [String]? = nil
    ) throws -> EngineError {
        try #require(throws: EngineError.self) {
            try load(bytes: bytes, path: path, target: target, columns: columns, drop: drop)
        }
    }

    private static let notebookData = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("notebooks/data")

    // MARK: - Reading fields

    @Test func quotedFieldsKeepDelimitersQuotesAndLineBreaks() throws {
        let csv = #"""
            name,note,y
            "a, b","he said ""hi""",1
            "two
            lines",plain,2
            c,"",3
            """#
        let dataset = try load(csv, target: "y")
        #expect(dataset.columns.map(\.name) == ["name", "note"])
        #expect(dataset.columns[0].kind == .categorical(levels: ["a, b", "c", "two\nlines"]))
        #expect(dataset.columns[1].kind == .categorical(levels: ["he said \"hi\"", "plain"]))
        #expect(dataset.features.column(0) == [0, 2, 1])
        // The empty quoted field is a missing value.
        #expect(dataset.features[2, 1].isNaN)
        #expect(dataset.target?.values == [1, 2, 3])
    }

    @Test func lineNumbersCountTheLinesInsideQuotes() throws {
        let csv = "a,b\n\"x\ny\",1\n2\n"
        #expect(
            try loadError(csv)
                == EngineError("line 4 has 1 field; the header has 2", file: "data.csv", line: 4, column: "b"))
    }

    @Test func carriageReturnsAloneEndLinesAndCountInErrors() throws {
        let dataset = try load("a,b\r1,x\r\r2,\"y\"\r3,z")
        #expect(dataset.features.column(0) == [1, 2, 3])
        #expect(dataset.columns[1].kind == .categorical(levels: ["x", "y", "z"]))
        let mixed = try load("a,b\r\n1,2\n3,4\r5,6\r\n")
        #expect(mixed.features == Matrix([[1, 2], [3, 4], [5, 6]]))
        // Line 2 holds a quoted field with a lone `\r` inside; line 4 has one field too few.
        #expect(
            try loadError("a,b\r\"x\ry\",1\r2\r")
                == EngineError("line 4 has 1 field; the header has 2", file: "data.csv", line: 4, column: "b"))
        let quoted = try load("a,b\r\"x\r\ny\",1\r\"u\rv\",2\r")
        #expect(quoted.columns[0].kind == .categorical(levels: ["u\rv", "x\r\ny"]))
    }

    @Test func crlfLineEndingsAndByteOrderMarkAreRead() throws {
        let csv = "\u{FEFF}\"a\",b\r\n1,x\r\n2,y\r\n"
        let dataset = try load(csv)
        #expect(dataset.columns.map(\.name) == ["a", "b"])
        #expect(dataset.features.column(0) == [1, 2])
        #expect(dataset.columns[1].kind == .categorical(levels: ["x", "y"]))
    }

    @Test func lastLineWithoutLineBreakAndBlankLinesAreFine() throws {
        let dataset = try load("a,b\n1,2\n\n3,4")
        #expect(dataset.features == Matrix([[1, 2], [3, 4]]))
    }

    @Test func tsvFilesAreSplitAtTabs() throws {
        let dataset = try load("a\tb\n1\t2\n", path: "data.tsv")
        #expect(dataset.features == Matrix([[1, 2]]))
        let semicolons = try load("a;b\n1,5;2\n", delimiter: ";")
        #expect(semicolons.columns[0].kind == .categorical(levels: ["1,5"]))
        #expect(semicolons.features[0, 1] == 2)
    }

    @Test func spacesAroundUnquotedValuesAreIgnored() throws {
        let dataset = try load("a, b\n 1 , x \n2,y\n")
        #expect(dataset.columns.map(\.name) == ["a", "b"])
        #expect(dataset.features.column(0) == [1, 2])
        #expect(dataset.columns[1].kind == .categorical(levels: ["x", "y"]))
    }

    @Test(arguments: [
        "0.1", "-6.128357906057276e-05", "0.038075906433424102", "1e22", "1e23", "9007199254740993",
        "123456789012345678901234567890", "4.9e-324", "2.2250738585072014e-308", "1.7976931348623157e308",
        "-0", "+3.5", ".5", "5.", "1E3", "0.30000000000000004",
        "1.00000000000000011102230246251565404236316680908203125",
    ])
    func numbersReadExactlyAsTheStandardLibraryReadsThem(text: String) throws {
        let dataset = try load("a\n\(text)\n")
        let expected = try #require(Double(text))
        #expect(dataset.features[0, 0].bitPattern == expected.bitPattern)
    }

    @Test func shortestRepresentationsRoundTrip() throws {
        var generator = SeededGenerator(seed: 11)
        let values = (0..<2000).map { i -> Double in
            let magnitude = Double(generator.index(below: 40)) - 20
            return (generator.uniform() - 0.5) * pow(10, magnitude) * (i.isMultiple(of: 3) ? 1 : 1e-3)
        }
        let csv = "a\n" + values.map { "\($0)" }.joined(separator: "\n")
        let dataset = try load(csv)
        #expect(dataset.features.values.map(\.bitPattern) == values.map(\.bitPattern))
    }

    @Test func longSignificandsWithAnyExponentRoundLikeTheStandardLibrary() throws {
        var generator = SeededGenerator(seed: 5)
        var texts: [String] = []
        for _ in 0..<5000 {
            let digits = (0..<(15 + generator.index(below: 6))).map { _ in String(generator.index(below: 10)) }
            let point = generator.index(below: digits.count + 1)
            let exponent = generator.index(below: 161) - 80
            texts.append(digits[..<point].joined() + "." + digits[point...].joined() + "e\(exponent)")
        }
        // Halfway cases between two doubles must round to even.
        texts += ["9007199254740993", "9007199254740995", "4503599627370496.5", "4503599627370497.5"]
        let dataset = try load("a\n" + texts.joined(separator: "\n"))
        let expected = try texts.map { try #require(Double($0)) }
        #expect(dataset.features.values.map(\.bitPattern) == expected.map(\.bitPattern))
    }

    // MARK: - Inference

    @Test func columnsAreNumericUnlessSomeValueIsText() throws {
        let csv = """
            n,c,mixed,target
            1,red,1,b
            NA,blue,2,a
            3.5,,x,c
            N/A,red,3,a
            """
        let dataset = try load(csv, target: "target")
        #expect(dataset.columns[0].kind == .numeric)
        #expect(dataset.columns[1].kind == .categorical(levels: ["blue", "red"]))
        #expect(dataset.columns[2].kind == .categorical(levels: ["1", "2", "3", "x"]))
        #expect(dataset.features.column(0).map { $0.isNaN ? -1 : $0 } == [1, -1, 3.5, -1])
        #expect(dataset.features.column(1).map { $0.isNaN ? -1 : $0 } == [1, 0, -1, 1])
        #expect(dataset.features.column(2) == [0, 1, 3, 2])
        let target = try #require(dataset.target)
        #expect(target.classNames == ["a", "b", "c"])
        #expect(target.values == [1, 0, 2, 0])
    }

    /// pandas.read_csv's default `na_values`, `?`, and the case-insensitive spellings read before.
    static let missingSpellings = [
        "", "#N/A", "#N/A N/A", "#NA", "-1.#IND", "-1.#QNAN", "-NaN", "-nan", "1.#IND", "1.#QNAN", "<NA>", "N/A",
        "NA", "NULL", "NaN", "None", "n/a", "nan", "null", "?", "Na", "nA", "N/a", "NAN", "nAn", "Null", "nULL",
        "  NA  ", "\"\"", "\"NA\"",
    ]

    @Test(arguments: missingSpellings)
    func missingValueSpellingsReadAsNaN(text: String) throws {
        let dataset = try load("a,b,c\n\(text),1,x\n2,2,\(text)\n")
        #expect(dataset.columns[0].kind == .numeric)
        #expect(dataset.features.column(0).map(\.isNaN) == [true, false])
        #expect(dataset.features[1, 0] == 2)
        #expect(dataset.columns[2].kind == .categorical(levels: ["x"]))
        #expect(dataset.features.column(2).map(\.isNaN) == [false, true])
    }

    @Test(arguments: ["none", "NONE", "-NAN", "#n/a", "1.#ind", "<na>", "NA NA", "-?", "nil"])
    func nearMissesOfMissingSpellingsAreText(text: String) throws {
        let dataset = try load("a\n\(text)\n1\n")
        #expect(dataset.columns[0].kind == .categorical(levels: ["1", text].sorted()))
    }

    @Test func missingAddsSpellingsMatchedExactlyAfterTrimming() throws {
        let csv = "a,b\n-999,unknown\n -999 ,x\n-999.0,Unknown\n\"-999\",unknown\n"
        let dataset = try load(csv, missing: ["-999", "unknown"])
        #expect(dataset.columns[0].kind == .numeric)
        #expect(dataset.features.column(0).map { $0.isNaN ? 0 : $0 } == [0, 0, -999, 0])
        #expect(dataset.columns[1].kind == .categorical(levels: ["Unknown", "x"]))
        #expect(dataset.features.column(1).map { $0.isNaN ? -1 : $0 } == [-1, 1, 0, -1])
        let without = try load(csv)
        #expect(without.features.column(0) == [-999, -999, -999, -999])
        let setting = Load.schema.settings.first { $0.name == "missing" }
        #expect(
            setting?.summary
                == "more spellings of a missing value, besides empty, NA, N/A, NaN, null, ? and pandas' others")
    }

    @Test func missingValuesInTextColumnsAreNaNNotLevels() throws {
        let dataset = try load("c\nyes\nNA\nno\n?\n")
        #expect(dataset.columns[0].kind == .categorical(levels: ["no", "yes"]))
        #expect(dataset.features.column(0).map { $0.isNaN ? -1 : $0 } == [1, -1, 0, -1])
    }

    @Test func numericTargetKeepsItsValuesAndMayHaveOneClass() throws {
        let dataset = try load("x,y\n1,2.5\n2,-1\n", target: "y")
        #expect(dataset.target == Target(name: "y", values: [2.5, -1], classNames: nil))
        let single = try load("x,y\n1,a\n2,a\n", target: "y")
        #expect(single.target?.classNames == ["a"])
        #expect(single.target?.values == [0, 0])
    }

    @Test func infinityIsAWordInATextColumn() throws {
        let dataset = try load("a\ninf\nfoo\n")
        #expect(dataset.columns[0].kind == .categorical(levels: ["foo", "inf"]))
    }

    @Test func withoutATargetEveryColumnIsAFeature() throws {
        let dataset = try load("a,b\n1,2\n")
        #expect(dataset.target == nil)
        #expect(dataset.columnCount == 2)
    }

    // MARK: - Selecting columns

    @Test func columnsKeepsTheListedOnesInTheirOrderPlusTheTarget() throws {
        let dataset = try load("a,b,c,y\n1,2,3,4\n", target: "y", columns: ["c", "a", "y"])
        #expect(dataset.columns.map(\.name) == ["c", "a"])
        #expect(dataset.features == Matrix([[3, 1]]))
        #expect(dataset.target?.values == [4])
    }

    @Test func dropLeavesColumnsOutAndTheirValuesUnread() throws {
        // The dropped column holds an infinity that would otherwise be an error.
        let dataset = try load("a,bad,y\n1,inf,0\n2,3,1\n", target: "y", drop: ["bad"])
        #expect(dataset.columns.map(\.name) == ["a"])
        #expect(dataset.features.column(0) == [1, 2])
    }

    @Test func unknownColumnNamesSuggestCloseOnes() throws {
        let csv = "sepal_length,petal_length,petal_width,species\n1,2,3,a\n"
        let target = try loadError(csv, target: "specis")
        #expect(target.message == "`target` names no column 'specis'; did you mean 'species'?")
        #expect(target.column == "specis")
        #expect(target.file == "data.csv")
        let columns = try loadError(csv, columns: ["petal_lenght"])
        #expect(columns.message == "`columns` names no column 'petal_lenght'; did you mean 'petal_length'?")
        let drop = try loadError(csv, drop: ["petal"])
        #expect(drop.message.hasPrefix("`drop` names no column 'petal'; the columns are 'sepal_length', "))
        let several = try loadError("ab1,ab2,zz\n1,2,3\n", columns: ["ab"])
        #expect(several.message == "`columns` names no column 'ab'; did you mean 'ab1' or 'ab2'?")
    }

    @Test func theTargetCannotBeDroppedNorBeTheOnlyColumn() throws {
        let dropped = try loadError("a,y\n1,2\n", target: "y", drop: ["y"])
        #expect(dropped.message == "'y' is the target, so it cannot be dropped")
        let alone = try loadError("y\n1\n", target: "y")
        #expect(alone.message.hasPrefix("no feature columns are left beside the target"))
    }

    // MARK: - Bad input

    @Test func emptyFileAndHeaderOnlyAreErrors() throws {
        for csv in ["", "\u{FEFF}", "\n\n"] {
            let error = try loadError(csv)
            #expect(error.message.hasPrefix("the file is empty"))
            #expect(error.file == "data.csv")
        }
        for csv in ["a,b", "a,b\n", "a,b\r\n\r\n"] {
            #expect(try loadError(csv).message == "the file has a header but no rows of data")
        }
    }

    @Test func raggedRowsNameTheirLine() throws {
        let csv = "a,b,c,d,e\n" + String(repeating: "1,2,3,4,5\n", count: 5) + "1,2,3,4\n"
        let error = try loadError(csv)
        #expect(error == EngineError("line 7 has 4 fields; the header has 5", file: "data.csv", line: 7, column: "e"))
        #expect(error.description == "data.csv:7, column 'e': line 7 has 4 fields; the header has 5")
        let trailingComma = try loadError("a,b\n1,2,\n")
        #expect(
            trailingComma
                == EngineError(
                    "line 2 has 3 fields; the header has 2; field 3 has no column", file: "data.csv", line: 2))
    }

    @Test func duplicateAndEmptyHeaderNamesAreErrors() throws {
        let duplicate = try loadError("a,b,a\n1,2,3\n")
        #expect(duplicate.message == "the header names 'a' twice (fields 1 and 3); column names must be unique")
        #expect(duplicate.line == 1)
        #expect(duplicate.column == "a")
        let empty = try loadError(",a\n1,2\n")
        #expect(empty.message == "field 1 of the header is empty; every column needs a name")
    }

    @Test func missingTargetValueNamesLineAndColumn() throws {
        for value in ["", "NA", "?"] {
            let error = try loadError("x,y\n1,a\n2,\(value)\n3,b\n", target: "y")
            #expect(error.line == 3)
            #expect(error.column == "y")
            #expect(error.file == "data.csv")
            #expect(error.message.hasPrefix("the target column has a missing value"))
        }
        let numeric = try loadError("x,y\n1,1\n2,2\n3,\n", target: "y")
        #expect(numeric.line == 4)
    }

    @Test(arguments: ["inf", "-Infinity", "+INF", "1e999", "1e400", "-1.5e309", String(repeating: "9", count: 400)])
    func infinityInANumericColumnIsAnError(text: String) throws {
        let error = try loadError("a,b\n1,2\n3,\(text)\n")
        #expect(
            error
                == EngineError(
                    "infinite value in a numeric column; only finite numbers are allowed "
                        + "(NaN, NA or an empty field mark a missing value)", file: "data.csv", line: 3, column: "b"))
    }

    @Test func theLargestFiniteNumbersReadAsThemselves() throws {
        let dataset = try load("a\n1e308\n-1.7976931348623157e308\n1e-400\n")
        #expect(dataset.features.column(0) == [1e308, -.greatestFiniteMagnitude, 0])
    }

    @Test func unclosedQuoteAndTextAfterAQuoteAreErrors() throws {
        let unclosed = try loadError("a,b\n1,2\n3,\"open\n4,5\n")
        #expect(
            unclosed
                == EngineError(
                    "quoted field 2 starts on this line and is never closed; a quote inside quotes is written \"\"",
                    file: "data.csv", line: 3, column: "b"))
        let after = try loadError("a,b\n\"x\"y,2\n")
        #expect(
            after
                == EngineError(
                    "text follows the closing quote of field 1; a quote inside quotes is written \"\"",
                    file: "data.csv", line: 2, column: "a"))
        let pastTheHeader = try loadError("a,b\r1,2,\"x\"y\r")
        #expect(
            pastTheHeader
                == EngineError(
                    "text follows the closing quote of field 3; a quote inside quotes is written \"\"",
                    file: "data.csv", line: 2))
        let inTheHeader = try loadError("a,\"b\n1,2\n")
        #expect(
            inTheHeader
                == EngineError(
                    "quoted field 2 of the header starts on this line and is never closed; "
                        + "a quote inside quotes is written \"\"", file: "data.csv", line: 1))
    }

    @Test func bytesThatAreNotUTF8AreErrorsNamingTheirPlace() throws {
        // Latin-1 "é" (0xE9) in a text column on line 3.
        let body = try loadError(bytes: Data("a,b\n1,x\n2,caf".utf8) + Data([0xE9]) + Data("\n".utf8))
        #expect(
            body
                == EngineError(
                    "field 2 is not valid UTF-8; the file must be UTF-8 (save it with that encoding)",
                    file: "data.csv", line: 3, column: "b"))
        // In a column of numbers the byte makes the value text, which is then checked as well.
        let numbers = try loadError(bytes: Data("a,b\n1,2\n".utf8) + Data([0x33, 0xFF]) + Data(",4\n".utf8))
        #expect(numbers.line == 3)
        #expect(numbers.column == "a")
        let header = try loadError(bytes: Data("a,".utf8) + Data([0xFF, 0xFE]) + Data("\n1,2\n".utf8))
        #expect(
            header
                == EngineError(
                    "field 2 of the header is not valid UTF-8; the file must be UTF-8 (save it with that encoding)",
                    file: "data.csv", line: 1))
        let valid = try load("a,b\n1,café\n")
        #expect(valid.columns[1].kind == .categorical(levels: ["café"]))
    }

    @Test func badDelimiterIsAnError() throws {
        let error = try #require(throws: EngineError.self) {
            try load("a\n1\n", delimiter: "\"")
        }
        #expect(error.message.hasPrefix("the delimiter must be one ASCII character"))
    }

    // MARK: - Files

    @Test func readsTheFileAtPathAndNamesItAsGiven() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("athanor-load-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let file = directory.appendingPathComponent("small.tsv")
        try Data("a\tlabel\n1\tx\n2\ty\n".utf8).write(to: file)
        let dataset = try Load.run(Load.Options(path: file.path, target: "label"))
        #expect(dataset.features.column(0) == [1, 2])
        #expect(dataset.target?.classNames == ["x", "y"])

        let missingPath = directory.appendingPathComponent("nope.csv").path
        let missing = try #require(throws: EngineError.self) { try Load.run(Load.Options(path: missingPath)) }
        #expect(missing.file == missingPath)
        #expect(missing.message == "no such file")
        let folder = try #require(throws: EngineError.self) { try Load.run(Load.Options(path: directory.path)) }
        #expect(folder.message.hasPrefix("this is a directory"))
    }

    @Test func irisHasFourMeasurementsAndThreeSortedSpecies() throws {
        let path = Self.notebookData.appendingPathComponent("iris.csv").path
        let dataset = try Load.run(Load.Options(path: path, target: "species"))
        #expect(dataset.rowCount == 150)
        #expect(dataset.columns.map(\.name) == ["sepal_length", "sepal_width", "petal_length", "petal_width"])
        #expect(dataset.columns.allSatisfy { $0.kind == .numeric })
        let target = try #require(dataset.target)
        #expect(target.classNames == ["setosa", "versicolor", "virginica"])
        #expect((0..<3).map { k in target.values.filter { $0 == Double(k) }.count } == [50, 50, 50])
        #expect(Array(dataset.features.row(0)) == [5.1, 3.5, 1.4, 0.2])
    }

    @Test func digitsHasSixtyFourNumericPixelsAndAnIntegralLabel() throws {
        let path = Self.notebookData.appendingPathComponent("digits.csv").path
        let dataset = try Load.run(Load.Options(path: path, target: "label"))
        #expect(dataset.rowCount == 1797)
        #expect(dataset.columnCount == 64)
        #expect(dataset.columns.allSatisfy { $0.kind == .numeric })
        let target = try #require(dataset.target)
        #expect(target.classNames == nil)
        #expect(target.isIntegral)
        #expect(Set(target.values) == Set((0...9).map(Double.init)))
        #expect(try dataset.numericFeatures().values.allSatisfy { (0...16).contains($0) })
    }

    // MARK: - Numeric features

    @Test func numericFeaturesRejectCategoriesAndMissingValues() throws {
        let categorical = try load("a,colour\n1,red\n")
        let error = try #require(throws: EngineError.self) { try categorical.numericFeatures() }
        #expect(
            error.message
                == "column 'colour' is categorical; one-hot encode it with a preprocess step (onehot: [colour])")
        // The message names the column; a `column:` too would print it twice.
        #expect(error.column == nil)

        let gaps = try load("a,b\n1,2\n3,NA\n4,\n")
        let missing = try #require(throws: EngineError.self) { try gaps.numericFeatures() }
        #expect(
            missing
                == EngineError(
                    "column 'b' (2 missing) has missing values; impute them with a preprocess step (impute: [b])"))

        let clean = try load("a,b\n1,2\n3,4\n")
        #expect(try clean.numericFeatures() == Matrix([[1, 2], [3, 4]]))
    }

    @Test func requireTargetSaysWhatNeedsIt() throws {
        let dataset = try load("a\n1\n")
        let error = try #require(throws: EngineError.self) { try dataset.requireTarget(for: "training a linear model") }
        #expect(error.message.hasPrefix("training a linear model needs a target, and this dataset has none"))
        let withTarget = try load("a,y\n1,0\n", target: "y")
        #expect(try withTarget.requireTarget(for: "x").name == "y")
    }
}
