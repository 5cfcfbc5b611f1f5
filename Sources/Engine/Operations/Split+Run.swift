import Foundation

extension Split {
    /// The parts of a split dataset.
    public struct Parts: Sendable, Hashable {
        public var train: Dataset
        public var test: Dataset
        /// Present when a validation fraction was asked for.
        public var validation: Dataset?

        public init(train: Dataset, test: Dataset, validation: Dataset?) {
            self.train = train
            self.test = test
            self.validation = validation
        }
    }

    /// Splits `dataset` at random, as scikit-learn's `train_test_split`: the test part has
    /// ⌈test·n⌉ rows, the validation part ⌈validation·n⌉, and the train part the rest.
    ///
    /// Rows are shuffled once with `SeededGenerator(seed:)`, and every part lists its rows in that
    /// shuffled order. With `stratify`, each class is shared between the parts in proportion to its
    /// size (largest remainders, as scikit-learn's `StratifiedShuffleSplit`; ties to the lower class).
    public static func run(_ dataset: Dataset, test: Double, validation: Double, stratify: Bool, seed: Int) throws
        -> Parts
    {
        guard test > 0, test < 1 else { throw EngineError("`test` must be a fraction between 0 and 1; got \(test)") }
        guard validation >= 0, validation < 1 else {
            throw EngineError("`validation` must be a fraction from 0 up to 1; got \(validation)")
        }
        guard test + validation < 1 else {
            throw EngineError(
                "`test` and `validation` add up to \(test + validation); they must leave rows to train on")
        }
        let count = dataset.rowCount
        let testCount = Int((test * Double(count)).rounded(.up))
        let validationCount = Int((validation * Double(count)).rounded(.up))
        let trainCount = count - testCount - validationCount
        guard trainCount > 0 else {
            throw EngineError(
                "the train part would be empty: the dataset has \(count) row\(count == 1 ? "" : "s"), "
                    + "\(testCount) for test" + (validationCount > 0 ? " and \(validationCount) for validation" : ""))
        }

        var order = Array(0..<count)
        var generator = SeededGenerator(seed: seed)
        generator.shuffle(&order)

        var part = [Int](repeating: 0, count: count)  // 0 train, 1 test, 2 validation, by row
        if stratify {
            let target = try dataset.requireTarget(for: "a stratified split")
            try assignStratified(
                order, target: target, counts: (trainCount, testCount, validationCount), into: &part)
        } else {
            for (position, row) in order.enumerated() {
                part[row] = position < testCount ? 1 : position < testCount + validationCount ? 2 : 0
            }
        }
        func rows(of which: Int) -> Dataset { dataset.rows(order.filter { part[$0] == which }) }
        return Parts(train: rows(of: 0), test: rows(of: 1), validation: validation > 0 ? rows(of: 2) : nil)
    }

    private static func assignStratified(
        _ order: [Int], target: Target, counts: (train: Int, test: Int, validation: Int), into part: inout [Int]
    ) throws {
        guard target.isIntegral else {
            throw EngineError(
                "a stratified split needs classes, and the target '\(target.name)' has non-integer values",
                column: target.name)
        }
        // Classes in ascending order of value, each with its rows in shuffled order.
        let classValues = Set(target.values).sorted()
        let classIndex = Dictionary(uniqueKeysWithValues: classValues.enumerated().map { ($1, $0) })
        var members = classValues.map { _ in [Int]() }
        for row in order {
            if let index = classIndex[target.values[row]] { members[index].append(row) }
        }
        for (index, rows) in members.enumerated() where rows.count < 2 {
            let value = classValues[index]
            let name =
                target.classNames.flatMap { names in
                    Int(exactly: value).flatMap { names.indices.contains($0) ? names[$0] : nil }
                } ?? value.shortText
            throw EngineError(
                "class '\(name)' of '\(target.name)' has only 1 row; a stratified split needs at least 2 of each class",
                column: target.name)
        }
        let sizes = members.map(\.count)
        let train = apportion(counts.train, among: sizes)
        let test = apportion(counts.test, among: zip(sizes, train).map { $0 - $1 })
        for (index, rows) in members.enumerated() {
            for (position, row) in rows.enumerated() {
                part[row] = position < test[index] ? 1 : position < test[index] + train[index] ? 0 : 2
            }
        }
    }

    /// Shares `total` among groups in proportion to `sizes`: each gets the floor of its share, and the
    /// rest go one each to the largest remainders (ties to the earlier group).
    private static func apportion(_ total: Int, among sizes: [Int]) -> [Int] {
        let sum = sizes.reduce(0, +)
        guard sum > 0 else { return sizes.map { _ in 0 } }
        let shares = sizes.map { Double($0) * Double(total) / Double(sum) }
        var result = shares.map { Int($0.rounded(.down)) }
        let remainders = zip(shares, result).map { $0 - Double($1) }
        let ranked = remainders.indices.sorted { (-remainders[$0], $0) < (-remainders[$1], $1) }
        for index in ranked.prefix(max(0, total - result.reduce(0, +))) { result[index] += 1 }
        return result
    }
}
