import Engine
import Testing

/// `op: split`: sizes as scikit-learn's train_test_split, stratification, reproducibility.
@Suite struct SplitTests {
    /// `count` rows whose only feature is the row's number, so that parts can be traced back; the
    /// target cycles through `classSizes` (class k repeated classSizes[k] times).
    private func numbered(_ count: Int, classSizes: [Int]? = nil, classNames: [String]? = nil) -> Dataset {
        let labels = (classSizes ?? [count]).enumerated().flatMap { Array(repeating: Double($0), count: $1) }
        return Dataset(
            features: Matrix(rows: count, columns: 1, values: (0..<count).map(Double.init)),
            columns: [FeatureColumn(name: "id", kind: .numeric)],
            target: Target(name: "label", values: labels, classNames: classNames))
    }

    private func ids(_ dataset: Dataset?) -> [Int] {
        (dataset?.features.values ?? []).map { Int($0) }
    }

    private func classCounts(_ dataset: Dataset, classes: Int) -> [Int] {
        let values = dataset.target?.values ?? []
        return (0..<classes).map { k in values.filter { $0 == Double(k) }.count }
    }

    @Test(arguments: [
        // (rows, test, validation, train, test, validation), the test count being math.ceil(test * n)
        // as in scikit-learn, where len(train_test_split(np.arange(25), test_size=0.28)[1]) is 8,
        // since 0.28 * 25 is 7.000000000000001.
        (10, 0.25, 0.0, 7, 3, 0), (150, 0.2, 0.0, 120, 30, 0), (25, 0.28, 0.0, 17, 8, 0), (100, 0.2, 0.1, 70, 20, 10),
        (7, 0.3, 0.3, 1, 3, 3),
    ])
    func partSizesFollowScikitLearn(sizes: (Int, Double, Double, Int, Int, Int)) throws {
        let (rows, test, validation, trainCount, testCount, validationCount) = sizes
        let parts = try Split.run(numbered(rows), test: test, validation: validation, stratify: false, seed: 3)
        #expect(parts.train.rowCount == trainCount)
        #expect(parts.test.rowCount == testCount)
        #expect((parts.validation?.rowCount ?? 0) == validationCount)
        #expect((parts.validation == nil) == (validation == 0))
    }

    @Test func partsAreDisjointCoverEveryRowAndKeepTheirTargets() throws {
        let dataset = numbered(50, classSizes: [20, 30])
        let parts = try Split.run(dataset, test: 0.2, validation: 0.2, stratify: false, seed: 1)
        let all = ids(parts.train) + ids(parts.test) + ids(parts.validation)
        #expect(all.sorted() == Array(0..<50))
        for part in [parts.train, parts.test, parts.validation].compactMap({ $0 }) {
            #expect(part.columns == dataset.columns)
            for (row, id) in ids(part).enumerated() {
                #expect(part.target?.values[row] == dataset.target?.values[id])
            }
        }
        // Rows come in shuffled order, not in the order of the file.
        #expect(ids(parts.train) != ids(parts.train).sorted())
    }

    @Test func theSameSeedGivesTheSamePartsAndAnotherSeedOthers() throws {
        let dataset = numbered(40, classSizes: [20, 20])
        for stratify in [false, true] {
            let first = try Split.run(dataset, test: 0.25, validation: 0.1, stratify: stratify, seed: 42)
            let again = try Split.run(dataset, test: 0.25, validation: 0.1, stratify: stratify, seed: 42)
            let other = try Split.run(dataset, test: 0.25, validation: 0.1, stratify: stratify, seed: 43)
            #expect(first == again)
            #expect(ids(first.test) != ids(other.test))
        }
    }

    @Test func stratifiedPartsKeepClassProportions() throws {
        let balanced = numbered(150, classSizes: [50, 50, 50])
        let parts = try Split.run(balanced, test: 0.2, validation: 0, stratify: true, seed: 0)
        #expect(classCounts(parts.test, classes: 3) == [10, 10, 10])
        #expect(classCounts(parts.train, classes: 3) == [40, 40, 40])

        // 100 rows, test ⌈25⌉: train gets 75 × (0.6, 0.3, 0.1) = (45, 22.5, 7.5), the tie of
        // remainders going to the lower class, and the test part what is left.
        let skewed = numbered(100, classSizes: [60, 30, 10])
        let split = try Split.run(skewed, test: 0.25, validation: 0, stratify: true, seed: 9)
        #expect(classCounts(split.train, classes: 3) == [45, 23, 7])
        #expect(classCounts(split.test, classes: 3) == [15, 7, 3])

        let three = try Split.run(skewed, test: 0.2, validation: 0.2, stratify: true, seed: 9)
        #expect(classCounts(three.train, classes: 3) == [36, 18, 6])
        #expect(classCounts(three.test, classes: 3) == [12, 6, 2])
        #expect(three.validation.map { classCounts($0, classes: 3) } == [12, 6, 2])
        let all = ids(three.train) + ids(three.test) + ids(three.validation)
        #expect(all.sorted() == Array(0..<100))
    }

    @Test func stratifiedPartsInterleaveClasses() throws {
        let parts = try Split.run(
            numbered(40, classSizes: [20, 20]), test: 0.5, validation: 0, stratify: true, seed: 4)
        let labels = parts.train.target?.values ?? []
        #expect(labels != labels.sorted())
    }

    // MARK: - Errors

    @Test func aPartThatWouldBeEmptyIsAnError() throws {
        let error = try #require(throws: EngineError.self) {
            try Split.run(numbered(3), test: 0.5, validation: 0.2, stratify: false, seed: 0)
        }
        #expect(
            error.message == "the train part would be empty: the dataset has 3 rows, 2 for test and 1 for validation")
    }

    @Test func stratifyNeedsATargetWithTwoRowsOfEachClass() throws {
        var unlabelled = numbered(10)
        unlabelled.target = nil
        let noTarget = try #require(throws: EngineError.self) {
            try Split.run(unlabelled, test: 0.2, validation: 0, stratify: true, seed: 0)
        }
        #expect(noTarget.message.hasPrefix("a stratified split needs a target, and this dataset has none"))

        let named = numbered(10, classSizes: [9, 1], classNames: ["common", "rare"])
        let rare = try #require(throws: EngineError.self) {
            try Split.run(named, test: 0.2, validation: 0, stratify: true, seed: 0)
        }
        #expect(rare.message.hasPrefix("class 'rare' of 'label' has only 1 row"))
        let numeric = try #require(throws: EngineError.self) {
            try Split.run(numbered(10, classSizes: [1, 9]), test: 0.2, validation: 0, stratify: true, seed: 0)
        }
        #expect(numeric.message.hasPrefix("class '0' of 'label' has only 1 row"))

        var continuous = numbered(10)
        continuous.target?.values = (0..<10).map { Double($0) + 0.5 }
        let regression = try #require(throws: EngineError.self) {
            try Split.run(continuous, test: 0.2, validation: 0, stratify: true, seed: 0)
        }
        #expect(regression.message.hasPrefix("a stratified split needs classes"))
    }

    @Test(arguments: [(0.0, 0.0), (1.0, 0.0), (0.5, 0.5), (0.2, -0.1), (Double.nan, 0.0)])
    func fractionsOutOfRangeAreErrors(fractions: (Double, Double)) throws {
        #expect(throws: EngineError.self) {
            try Split.run(numbered(10), test: fractions.0, validation: fractions.1, stratify: false, seed: 0)
        }
    }
}
