import Engine
import Foundation
import Testing

/// `op: preprocess`: transforms learnt on one dataset and applied to others, compared with scikit-learn.
@Suite struct PreprocessTests {
    private func load(_ csv: String, target: String? = nil) throws -> Dataset {
        try Load.run(Load.Options(path: "data.csv", target: target), data: Data(csv.utf8))
    }

    private func fit(
        _ dataset: Dataset, standardize: Preprocess.Selection? = nil, minmax: Preprocess.Selection? = nil,
        onehot: Preprocess.Selection? = nil, impute: Preprocess.Selection? = nil, strategy: Preprocess.Strategy? = nil
    ) throws -> Preprocess.Fitted {
        try Preprocess.fit(
            dataset, standardize: standardize, minmax: minmax, onehot: onehot, impute: impute, strategy: strategy)
    }

    private func fitError(
        _ dataset: Dataset, standardize: Preprocess.Selection? = nil, minmax: Preprocess.Selection? = nil,
        onehot: Preprocess.Selection? = nil, impute: Preprocess.Selection? = nil, strategy: Preprocess.Strategy? = nil
    ) throws -> EngineError {
        try #require(throws: EngineError.self) {
            try fit(
                dataset, standardize: standardize, minmax: minmax, onehot: onehot, impute: impute, strategy: strategy)
        }
    }

    /// Applying transforms takes one pass over the rows when the columns keep their places, and goes
    /// column by column otherwise (here, given the columns in another order); both give the same bits.
    @Test(arguments: [Preprocess.Strategy.mean, .median, .mostFrequent])
    func theRowPassAndTheColumnPathAgreeToTheBit(strategy: Preprocess.Strategy) throws {
        let csv = "a,b,c,d\n1.5,NA,3,7\n2.25,4,,8\nNA,6,5,9\n3.125,7.5,1,NA\n0.1,0.2,0.3,0.4\n"
        let data = try load(csv)
        let fitted = try fit(
            data, standardize: .columns(["a", "b"]), minmax: .columns(["c"]), impute: .all, strategy: strategy)
        let direct = try fitted.apply(data)
        let order = [3, 1, 0, 2]
        let shuffled = Dataset(
            features: data.features.columns(order), columns: order.map { data.columns[$0] }, target: nil)
        let aligned = try fitted.apply(shuffled)
        #expect(direct.columns == aligned.columns)
        #expect(direct.features.values.map(\.bitPattern) == aligned.features.values.map(\.bitPattern))
        #expect(direct.features.values.allSatisfy { !$0.isNaN })
    }

    private func expectClose(
        _ actual: Matrix, _ expected: [[Double]], sourceLocation: SourceLocation = #_sourceLocation
    ) {
        guard actual.rows == expected.count, actual.columns == expected.first?.count else {
            Issue.record(
                "\(actual.rows)×\(actual.columns), expected \(expected.count) rows", sourceLocation: sourceLocation)
            return
        }
        for (r, row) in expected.enumerated() {
            for (c, value) in row.enumerated() {
                #expect(abs(actual[r, c] - value) <= 1e-12, "(\(r), \(c))", sourceLocation: sourceLocation)
            }
        }
    }

    /// The third column is constant, which StandardScaler leaves at scale 1.
    private let fitCSV = "p,q,c\n1.5,200,3\n2.25,180,3\n-0.5,260,3\n4.0,210,3\n3.1,190,3\n"
    private let testCSV = "p,q,c\n0.0,100,3\n10.0,300,4\n"

    @Test func standardizeMatchesScikitLearnsStandardScaler() throws {
        // import numpy as np; from sklearn.preprocessing import StandardScaler
        // X = np.array([[1.5, 200, 3], [2.25, 180, 3], [-0.5, 260, 3], [4.0, 210, 3], [3.1, 190, 3]])
        // T = np.array([[0.0, 100, 3], [10.0, 300, 4]])
        // s = StandardScaler().fit(X); s.mean_, s.scale_, s.transform(X), s.transform(T)
        let fitted = try fit(load(fitCSV), standardize: .all)
        let methods = fitted.scalings.map(\.method)
        #expect(methods.count == 3)
        if case .standardize(let mean, let scale) = methods[0] {
            #expect(abs(mean - 2.07) <= 1e-12)
            #expect(abs(scale - 1.5328405005087775) <= 1e-12)
        } else {
            Issue.record("expected a standardization, got \(methods[0])")
        }
        #expect(methods[2] == .standardize(mean: 3, scale: 1))
        expectClose(
            try fitted.apply(load(fitCSV)).features,
            [
                [-0.3718586505320068, -0.28718326344709527, 0.0], [0.11742904753642333, -1.0051414220648334, 0.0],
                [-1.6766258453811538, 1.866691212406119, 0.0], [1.259100343029427, 0.07179581586177382, 0.0],
                [0.6719551053473108, -0.6461623427559643, 0.0],
            ])
        expectClose(
            try fitted.apply(load(testCSV)).features,
            [[-1.350434046668867, -3.876974056535786, 0.0], [5.173401927576867, 3.3026075296415955, 1.0]])
    }

    @Test func minmaxMatchesScikitLearnsMinMaxScaler() throws {
        // m = MinMaxScaler().fit(X); m.transform(X), m.transform(T)   (X, T as above)
        let fitted = try fit(load(fitCSV), minmax: .all)
        expectClose(
            try fitted.apply(load(fitCSV)).features,
            [
                [0.4444444444444444, 0.25, 0.0], [0.6111111111111112, 0.0, 0.0], [0.0, 1.0, 0.0], [1.0, 0.375, 0.0],
                [0.8, 0.125, 0.0],
            ])
        expectClose(
            try fitted.apply(load(testCSV)).features,
            [[0.1111111111111111, -1.0, 0.0], [2.3333333333333335, 1.5, 1.0]])
    }

    @Test func imputeThenStandardizeMatchesAScikitLearnPipeline() throws {
        // p = make_pipeline(SimpleImputer(strategy="mean"), StandardScaler())
        // p.fit(np.array([[1.0], [2.0], [4.0], [np.nan], [8.0]])); p.transform(...), p.transform([[nan], [10.0]])
        let train = try load("a\n1\n2\n4\nNA\n8\n")
        let fitted = try fit(train, standardize: .all, impute: .all)
        #expect(fitted.imputations.map(\.fill) == [.number(3.75)])
        expectClose(
            try fitted.apply(train).features,
            [[-1.1468292773139113], [-0.7298004491997617], [0.10425720702853739], [0.0], [1.7723725194851356]])
        expectClose(try fitted.apply(load("a\nNA\n10\n")).features, [[0.0], [2.606430175713435]])
    }

    @Test func imputeFillsCategoriesWithTheModeTiesGoingToTheFirstLevel() throws {
        let dataset = try load("n,colour\n1,red\nNA,blue\n4,red\n5,\n,blue\n6,green\n")
        let fitted = try fit(dataset, impute: .columns(["colour", "n"]))
        // blue and red are both seen twice; blue is the lower level.
        #expect(fitted.imputations.map(\.fill) == [.level("blue"), .number(4)])
        let imputed = try fitted.apply(dataset)
        #expect(imputed.columns == dataset.columns)
        #expect(imputed.features.column(0) == [1, 4, 4, 5, 4, 6])
        #expect(imputed.features.column(1) == [2, 0, 2, 0, 0, 1])
    }

    // SimpleImputer(strategy=s).fit(np.array([[1.0], [7.0], [3.0], [np.nan], [7.0], [2.0], [3.0]])).statistics_
    // gives mean 3.8333333333333335, median 3.0 and most_frequent 3.0 (3 and 7 tie; the smaller wins);
    // on [[1.0], [4.0], [np.nan], [2.0], [10.0]] the median is 3.0, the mean of the two middle values.
    @Test(arguments: [
        (Preprocess.Strategy.mean, 23.0 / 6), (.median, 3.0), (.mostFrequent, 3.0), (.constant(.number(-1)), -1.0),
    ])
    func imputeStrategiesMatchScikitLearnsSimpleImputer(strategy: Preprocess.Strategy, fill: Double) throws {
        let dataset = try load("x\n1\n7\n3\nNA\n7\n2\n3\n")
        let fitted = try fit(dataset, impute: .all, strategy: strategy)
        #expect(fitted.imputations.map(\.fill) == [.number(fill)])
        #expect(try fitted.apply(dataset).features.column(0) == [1, 7, 3, fill, 7, 2, 3])
    }

    @Test func theMedianOfAnEvenCountIsTheMeanOfTheTwoMiddleValues() throws {
        let fitted = try fit(load("x\n1\n4\nNA\n2\n10\n"), impute: .all, strategy: .median)
        #expect(fitted.imputations.map(\.fill) == [.number(3)])
    }

    @Test func categoriesTakeTheMostFrequentOrAConstantLevel() throws {
        // SimpleImputer(strategy="constant", fill_value="unknown") on [b, a, nan, b, a] gives
        // [b, a, unknown, b, a]; most_frequent gives a (a tie, the first in order).
        let dataset = try load("colour\nb\na\nNA\nb\na\n")
        let frequent = try fit(dataset, impute: .all, strategy: .mostFrequent)
        #expect(frequent.imputations.map(\.fill) == [.level("a")])
        let constant = try fit(dataset, impute: .all, strategy: .constant(.text("unknown")))
        #expect(constant.imputations.map(\.fill) == [.level("unknown")])
        let filled = try constant.apply(dataset)
        #expect(filled.columns[0].kind == .categorical(levels: ["a", "b", "unknown"]))
        #expect(filled.features.column(0) == [1, 0, 2, 1, 0])
        // A constant needs no value present.
        let empty = try fit(load("x,y\n1,NA\n2,\n"), impute: .columns(["y"]), strategy: .constant(.number(0)))
        #expect(empty.imputations.map(\.fill) == [.number(0)])
    }

    @Test func strategiesRefuseColumnsOfTheWrongKind() throws {
        let dataset = try load("n,colour\n1,red\nNA,\n")
        #expect(
            try fitError(dataset, impute: .columns(["colour"]), strategy: .median).message
                == "strategy 'median' needs numbers, but column 'colour' holds text; use most_frequent or constant")
        #expect(
            try fitError(dataset, impute: .columns(["n"]), strategy: .constant(.text("none"))).message
                == "'fill' is the text 'none', but column 'n' holds numbers; give a number")
        #expect(
            try fitError(dataset, impute: .columns(["colour"]), strategy: .constant(.number(3))).message
                == "'fill' is the number 3, but column 'colour' holds text; give text (fill: \"3\")")
        #expect(throws: EngineError("strategy 'constant' needs 'fill': the value that replaces missing ones")) {
            try Preprocess.Strategy(name: "constant", fill: nil)
        }
    }

    @Test func aModelSeesEveryColumnWithMissingValuesAndItsCount() throws {
        let dataset = try load("age,income,ok,label\nNA,1,1,0\n3,NA,2,1\nNA,NA,3,0\n4,5,6,1\n", target: "label")
        let error = try #require(throws: EngineError.self) { try dataset.numericFeatures() }
        #expect(
            error
                == EngineError(
                    "columns 'age' (2 missing) and 'income' (2 missing) have missing values; impute them with a "
                        + "preprocess step (impute: [age, income])"))
        let one = try #require(throws: EngineError.self) { try load("age,ok\nNA,1\n3,2\n").numericFeatures() }
        #expect(
            one
                == EngineError(
                    "column 'age' (1 missing) has missing values; impute them with a preprocess step (impute: [age])"))
    }

    @Test func aModelSeesEveryCategoricalColumn() throws {
        let dataset = try load("colour,x,size\nred,1,s\nblue,2,m\n")
        let error = try #require(throws: EngineError.self) { try dataset.numericFeatures() }
        #expect(
            error
                == EngineError(
                    "columns 'colour' and 'size' are categorical; one-hot encode them with a preprocess step "
                        + "(onehot: [colour, size])"))
    }

    @Test func imputeAddsTheFillLevelToADatasetThatLacksIt() throws {
        let fitted = try fit(load("colour\nred\nred\nblue\n"), impute: .all)
        let other = try fitted.apply(load("colour\nblue\nNA\ngreen\n"))
        #expect(other.columns[0].kind == .categorical(levels: ["blue", "green", "red"]))
        #expect(other.features.column(0) == [0, 2, 1])
    }

    @Test func onehotNamesColumnsByLevelInPlaceAndMatchesLevelsByName() throws {
        let train = try load("size,colour,w,y\n1,red,a,0\n2,blue,b,1\n3,green,a,0\n", target: "y")
        let fitted = try fit(train, onehot: .all)
        let encoded = try fitted.apply(train)
        #expect(encoded.columns.map(\.name) == ["size", "colour=blue", "colour=green", "colour=red", "w=a", "w=b"])
        #expect(encoded.columns.allSatisfy { $0.kind == .numeric })
        #expect(
            encoded.features
                == Matrix([[1, 0, 0, 1, 1, 0], [2, 1, 0, 0, 0, 1], [3, 0, 1, 0, 1, 0]]))
        #expect(encoded.target == train.target)

        // Another file has other levels (so other indices): values are matched by name, an unseen
        // level gives zeros, and a missing value stays missing for numericFeatures to report.
        let test = try load("size,colour,w\n4,red,b\n5,purple,a\n6,NA,a\n")
        let applied = try fitted.apply(test)
        #expect(applied.target == nil)
        #expect(Array(applied.features.row(0)) == [4, 0, 0, 1, 0, 1])
        #expect(Array(applied.features.row(1)) == [5, 0, 0, 0, 1, 0])
        #expect(Array(applied.features.row(2))[1...3].allSatisfy { $0.isNaN })
        let error = try #require(throws: EngineError.self) { try applied.numericFeatures() }
        #expect(
            error.message
                == "columns 'colour=blue' (1 missing), 'colour=green' (1 missing) and 'colour=red' (1 missing) have "
                + "missing values; impute them with a preprocess step (impute: [colour=blue, colour=green, colour=red])"
        )
    }

    @Test func standardizeAllLeavesOneHotColumnsAloneButMayNameThem() throws {
        let dataset = try load("x,colour\n1,red\n3,blue\n")
        let all = try fit(dataset, standardize: .all, onehot: .all)
        #expect(all.scalings.map(\.column) == ["x"])
        #expect(try all.apply(dataset).features == Matrix([[-1, 0, 1], [1, 1, 0]]))
        let named = try fit(dataset, minmax: .columns(["colour=red"]), onehot: .all)
        #expect(named.scalings.map(\.column) == ["colour=red"])
    }

    @Test func fittedTransformsSurviveACacheRoundTrip() throws {
        let dataset = try load("x,colour\n1,red\nNA,blue\n5,red\n")
        let fitted = try fit(dataset, standardize: .all, onehot: .all, impute: .all)
        let decoded = try JSONDecoder().decode(Preprocess.Fitted.self, from: JSONEncoder().encode(fitted))
        #expect(decoded == fitted)
        #expect(try decoded.apply(dataset) == fitted.apply(dataset))
    }

    // MARK: - Errors

    @Test func unknownColumnsSuggestCloseNames() throws {
        let dataset = try load("petal_length,petal_width\n1,2\n")
        let error = try fitError(dataset, standardize: .columns(["petal_lenght"]))
        #expect(error.message == "`standardize` names no column 'petal_lenght'; did you mean 'petal_length'?")
        #expect(error.column == "petal_lenght")
    }

    @Test func transformsRefuseColumnsOfTheWrongKind() throws {
        let dataset = try load("x,colour\n1,red\n2,blue\n")
        #expect(
            try fitError(dataset, onehot: .columns(["x"])).message
                == "column 'x' is numeric; onehot applies to categorical columns")
        #expect(
            try fitError(dataset, standardize: .columns(["colour"])).message
                == "column 'colour' is categorical; standardize applies to numeric columns")
        #expect(
            try fitError(dataset, standardize: .all, minmax: .columns(["x"])).message
                == "column 'x' is both standardized and min-max scaled; choose one")
        #expect(
            try fitError(load("x,y\n1,NA\n2,\n"), impute: .all).message
                == "column 'y' has no values to impute from; drop it instead")
    }

    @Test func applyWantsTheColumnsItWasFittedOn() throws {
        let fitted = try fit(load("a,b\n1,2\n3,4\n"), standardize: .all)
        let missing = try #require(throws: EngineError.self) { try fitted.apply(load("a\n1\n")) }
        #expect(missing.message == "column 'b' is missing; the transforms were fitted on a dataset that has it")
        #expect(missing.column == "b")
        let extra = try #require(throws: EngineError.self) { try fitted.apply(load("a,b,c\n1,2,3\n")) }
        #expect(extra.column == "c")
        let text = try #require(throws: EngineError.self) { try fitted.apply(load("a,b\n1,x\n")) }
        #expect(text.message.hasPrefix("column 'b' holds text here but numbers"))
        // Columns in another order are put back in the fitted order.
        let reordered = try fitted.apply(load("b,a\n2,1\n4,3\n"))
        #expect(reordered.columns.map(\.name) == ["a", "b"])
        #expect(reordered.features == Matrix([[-1, -1], [1, 1]]))
    }
}

/// A fit that only scales reads its statistics from the rows; one that imputes or encodes first
/// goes column by column. Both must give the same numbers to the bit.
@Suite struct PreprocessFitPathTests {
    @Test func scalingStatisticsFromTheRowsMatchTheColumnPath() throws {
        let csv = "a,b,c,d\n1.5,NA,3,-0\n2.25,4,,0\n1e-9,6,5,9\n3.125,7.5,1,0\n0.1,0.2,0.3,0.4\n-7,2,2,0\n"
        let data = try Load.run(Load.Options(path: "data.csv"), data: Data(csv.utf8))
        let fromRows = try Preprocess.fit(
            data, standardize: .columns(["a", "b"]), minmax: .columns(["c", "d"]), onehot: nil, impute: nil)
        // An imputation of nothing (no column) takes the column path without changing any value.
        let fromColumns = try Preprocess.fit(
            data, standardize: .columns(["a", "b"]), minmax: .columns(["c", "d"]), onehot: nil, impute: .columns([]))
        #expect(fromRows.scalings.count == 4)
        #expect(fromRows.scalings.map(\.column) == fromColumns.scalings.map(\.column))
        for (row, column) in zip(fromRows.scalings, fromColumns.scalings) {
            switch (row.method, column.method) {
            case (.standardize(let m1, let s1), .standardize(let m2, let s2)):
                #expect(m1.bitPattern == m2.bitPattern && s1.bitPattern == s2.bitPattern, "\(row.column)")
            case (.minmax(let lo1, let hi1), .minmax(let lo2, let hi2)):
                #expect(lo1.bitPattern == lo2.bitPattern && hi1.bitPattern == hi2.bitPattern, "\(row.column)")
            default:
                Issue.record("\(row.column): \(row.method) against \(column.method)")
            }
        }
    }
}
