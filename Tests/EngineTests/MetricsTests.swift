import Engine
import Foundation
import Testing

/// The metrics against scikit-learn's own values (Fixtures/metric_references.json, made by
/// make_metric_references.py): a run's scores must be comparable with a Python notebook's.
@Suite struct MetricsTests {
    static let references: References = {
        do {
            guard let url = Bundle.module.url(forResource: "Fixtures/metric_references", withExtension: "json") else {
                throw EngineError("Fixtures/metric_references.json is missing from the test bundle")
            }
            return try JSONDecoder().decode(References.self, from: Data(contentsOf: url))
        } catch {
            Issue.record(error)
            return References(classification: [], regression: [], clustering: [])
        }
    }()

    @Test func theReferencesCoverEveryKindOfCase() {
        let names =
            Self.references.classification.map(\.name) + Self.references.regression.map(\.name)
            + Self.references.clustering.map(\.name)
        #expect(
            Set(names).isSuperset(of: [
                "binary", "three_class_never_predicted", "four_class", "regression", "constant_truth",
                "three_blobs", "singleton_cluster",
            ]))
    }

    @Test(arguments: references.classification)
    func classificationMatchesScikitLearn(_ reference: ClassificationReference) throws {
        let expected = reference.expected
        #expect(try Metrics.accuracy(truth: reference.truth, predicted: reference.predicted) == expected.accuracy)
        let scores = try Metrics.precisionRecallF1(truth: reference.truth, predicted: reference.predicted)
        expectClose(scores.precisionMacro, expected.precisionMacro, "precision_macro")
        expectClose(scores.recallMacro, expected.recallMacro, "recall_macro")
        expectClose(scores.f1Macro, expected.f1Macro, "f1_macro")
        expectClose(scores.precisionWeighted, expected.precisionWeighted, "precision_weighted")
        expectClose(scores.recallWeighted, expected.recallWeighted, "recall_weighted")
        expectClose(scores.f1Weighted, expected.f1Weighted, "f1_weighted")
        if let classCount = reference.classCount {
            let confusion = try Metrics.confusion(
                truth: reference.truth, predicted: reference.predicted, classCount: classCount)
            #expect(confusion == expected.confusion)
        }
        if let rows = reference.probabilities {
            let probabilities = Matrix(rows)
            let logLoss = try Metrics.logLoss(truth: reference.truth, probabilities: probabilities)
            expectClose(logLoss, try #require(expected.logLoss), "log_loss")
            if let rocAUC = expected.rocAuc {
                expectClose(try Metrics.rocAUC(truth: reference.truth, probabilities: probabilities), rocAUC, "roc_auc")
            }
        }
    }

    /// `positive:` scores class 1 against the rest, and the per-class table covers every class, as
    /// scikit-learn's `pos_label` and `classification_report` do.
    @Test(arguments: references.classification)
    func perClassAndPositiveClassMatchScikitLearn(_ reference: ClassificationReference) throws {
        // Labels outside 0..<k (`sparse_labels`) have no per-class reference: the engine's classes are 0..<k.
        guard let expected = reference.expected.perClass, let binary = reference.expected.binary else { return }
        let count = expected.support.count
        let table = try Metrics.perClass(
            truth: reference.truth, predicted: reference.predicted, labels: (0..<count).map(String.init))
        for index in 0..<count {
            expectClose(table.precision[index], expected.precision[index], "precision of \(index)")
            expectClose(table.recall[index], expected.recall[index], "recall of \(index)")
            expectClose(table.f1[index], expected.f1[index], "f1 of \(index)")
        }
        #expect(table.support == expected.support)
        expectClose(table.precision[1], binary.precision, "precision")
        expectClose(table.recall[1], binary.recall, "recall")
        expectClose(table.f1[1], binary.f1, "f1")
        expectClose(table.specificity(1), binary.specificity, "specificity")
    }

    @Test(arguments: references.regression)
    func regressionMatchesScikitLearn(_ reference: RegressionReference) throws {
        let (truth, predicted, expected) = (reference.truth, reference.predicted, reference.expected)
        expectClose(try Metrics.meanSquaredError(truth: truth, predicted: predicted), expected.mse, "mse")
        expectClose(try Metrics.rootMeanSquaredError(truth: truth, predicted: predicted), expected.rmse, "rmse")
        expectClose(try Metrics.meanAbsoluteError(truth: truth, predicted: predicted), expected.mae, "mae")
        expectClose(try Metrics.r2(truth: truth, predicted: predicted), expected.r2, "r2")
    }

    @Test(arguments: references.clustering)
    func clusteringMatchesScikitLearn(_ reference: ClusteringReference) throws {
        let points = Matrix(reference.points)
        let inertia = try Metrics.inertia(points: points, centers: Matrix(reference.centers), labels: reference.labels)
        expectClose(inertia, reference.expected.inertia, "inertia")
        let silhouette = try Metrics.silhouette(points: points, labels: reference.labels)
        expectClose(silhouette, reference.expected.silhouette, "silhouette")
    }

    @Test func silhouetteIgnoresWhichIntegersNameTheClusters() throws {
        let reference = try #require(Self.references.clustering.first { $0.name == "three_blobs" })
        let renamed = reference.labels.map { [7, -3, 42][$0] }
        let silhouette = try Metrics.silhouette(points: Matrix(reference.points), labels: renamed)
        expectClose(silhouette, reference.expected.silhouette, "silhouette")
    }

    @Test func rocAUCCountsTiesAsOneHalf() throws {
        // One positive and one negative share a score: that pair counts 1/2, the other three pairs 1.
        let probabilities = Matrix([[0.9, 0.1], [0.5, 0.5], [0.5, 0.5], [0.2, 0.8]])
        #expect(try Metrics.rocAUC(truth: [0, 0, 1, 1], probabilities: probabilities) == 0.875)
    }

    @Test func logLossClipsCertainMistakesAndDoesNotRenormalise() throws {
        let certain = try Metrics.logLoss(truth: [0, 1], probabilities: Matrix([[0, 1], [1, 0]]))
        #expect(certain == -log(Double.ulpOfOne))
        // Rows that do not sum to one are taken as they are (scikit-learn ≥ 1.5 only warns).
        let unnormalised = try Metrics.logLoss(truth: [0, 1], probabilities: Matrix([[0.2, 0.2], [0.5, 0.9]]))
        expectClose(unnormalised, -(log(0.2) + log(0.9)) / 2, "log_loss")
    }

    @Test func r2OfAConstantTruthIsOneWhenPerfectAndZeroOtherwise() throws {
        // 0.1 has no exact floating-point mean: scikit-learn would divide by rounding noise here.
        let truth = [0.1, 0.1, 0.1]
        #expect(try Metrics.r2(truth: truth, predicted: truth) == 1)
        #expect(try Metrics.r2(truth: truth, predicted: [0.1, 0.1, 0.101]) == 0)
    }

    // MARK: - Errors

    @Test func mismatchedLengthsAreErrors() {
        #expect(throws: EngineError.self) { try Metrics.accuracy(truth: [0, 1], predicted: [0]) }
        #expect(throws: EngineError.self) { try Metrics.precisionRecallF1(truth: [0], predicted: [0, 1]) }
        #expect(throws: EngineError.self) { try Metrics.confusion(truth: [0, 1], predicted: [1], classCount: 2) }
        #expect(throws: EngineError.self) { try Metrics.meanSquaredError(truth: [1, 2], predicted: [1]) }
        #expect(throws: EngineError.self) { try Metrics.rootMeanSquaredError(truth: [1], predicted: [1, 2]) }
        #expect(throws: EngineError.self) { try Metrics.meanAbsoluteError(truth: [1, 2], predicted: [1]) }
        #expect(throws: EngineError.self) { try Metrics.r2(truth: [1, 2, 3], predicted: [1, 2]) }
        let twoRows = Matrix([[0.5, 0.5], [0.5, 0.5]])
        #expect(throws: EngineError.self) { try Metrics.logLoss(truth: [0], probabilities: twoRows) }
        #expect(throws: EngineError.self) { try Metrics.rocAUC(truth: [0, 1, 1], probabilities: twoRows) }
        let points = Matrix([[0], [1], [5], [6]])
        #expect(throws: EngineError.self) { try Metrics.silhouette(points: points, labels: [0, 0, 1]) }
        #expect(throws: EngineError.self) {
            try Metrics.inertia(points: points, centers: Matrix([[0], [5]]), labels: [0, 0, 1])
        }
        #expect(throws: EngineError.self) {
            try Metrics.inertia(points: points, centers: Matrix([[0, 0], [5, 5]]), labels: [0, 0, 1, 1])
        }
    }

    @Test func emptyInputsAreErrors() {
        #expect(throws: EngineError.self) { try Metrics.accuracy(truth: [], predicted: []) }
        #expect(throws: EngineError.self) { try Metrics.precisionRecallF1(truth: [], predicted: []) }
        #expect(throws: EngineError.self) { try Metrics.confusion(truth: [], predicted: [], classCount: 2) }
        #expect(throws: EngineError.self) { try Metrics.meanSquaredError(truth: [], predicted: []) }
        #expect(throws: EngineError.self) { try Metrics.rootMeanSquaredError(truth: [], predicted: []) }
        #expect(throws: EngineError.self) { try Metrics.meanAbsoluteError(truth: [], predicted: []) }
        #expect(throws: EngineError.self) { try Metrics.r2(truth: [], predicted: []) }
        let none = Matrix(rows: 0, columns: 2)
        #expect(throws: EngineError.self) { try Metrics.logLoss(truth: [], probabilities: none) }
        #expect(throws: EngineError.self) { try Metrics.rocAUC(truth: [], probabilities: none) }
        #expect(throws: EngineError.self) { try Metrics.silhouette(points: none, labels: []) }
        #expect(throws: EngineError.self) { try Metrics.inertia(points: none, centers: none, labels: []) }
    }

    @Test func confusionRejectsLabelsOutsideTheClasses() {
        #expect(throws: EngineError.self) { try Metrics.confusion(truth: [0, 2], predicted: [0, 1], classCount: 2) }
        #expect(throws: EngineError.self) { try Metrics.confusion(truth: [0, 1], predicted: [-1, 1], classCount: 2) }
        #expect(throws: EngineError.self) { try Metrics.confusion(truth: [0], predicted: [0], classCount: 0) }
    }

    @Test func logLossRejectsWhatScikitLearnRejects() {
        #expect(throws: EngineError.self) { try Metrics.logLoss(truth: [0, 1], probabilities: Matrix([[1], [1]])) }
        #expect(throws: EngineError.self) {
            try Metrics.logLoss(truth: [0, 2], probabilities: Matrix([[0.5, 0.5], [0.5, 0.5]]))
        }
        #expect(throws: EngineError.self) {
            try Metrics.logLoss(truth: [0, 1], probabilities: Matrix([[1.5, -0.5], [0.5, 0.5]]))
        }
        #expect(throws: EngineError.self) {
            try Metrics.logLoss(truth: [0, 1], probabilities: Matrix([[.nan, 0.5], [0.5, 0.5]]))
        }
    }

    @Test func rocAUCNeedsBothClassesInTheTruth() throws {
        let binary = Matrix([[0.3, 0.7], [0.6, 0.4], [0.1, 0.9]])
        let error = try #require(throws: EngineError.self) {
            try Metrics.rocAUC(truth: [1, 1, 1], probabilities: binary)
        }
        #expect(error.message.contains("only class 1"))
        let multiclass = Matrix([[0.2, 0.3, 0.5], [0.6, 0.2, 0.2], [0.1, 0.1, 0.8]])
        #expect(throws: EngineError.self) { try Metrics.rocAUC(truth: [2, 2, 2], probabilities: multiclass) }
    }

    @Test func oneVersusRestNeedsEveryClassAndProbabilities() throws {
        let probabilities = Matrix([[0.2, 0.3, 0.5], [0.6, 0.2, 0.2], [0.1, 0.1, 0.8], [0.3, 0.3, 0.4]])
        let missing = try #require(throws: EngineError.self) {
            try Metrics.rocAUC(truth: [0, 0, 2, 2], probabilities: probabilities)
        }
        #expect(missing.message.contains("class 1 never occurs"))
        let scores = Matrix([[2, 3, 5], [6, 2, 2], [1, 1, 8], [3, 3, 4]])
        #expect(throws: EngineError.self) { try Metrics.rocAUC(truth: [0, 1, 2, 2], probabilities: scores) }
        let unnormalised = Matrix([[0.2, 0.3, 0.4], [0.6, 0.2, 0.2], [0.1, 0.1, 0.8], [0.3, 0.3, 0.4]])
        #expect(throws: EngineError.self) { try Metrics.rocAUC(truth: [0, 1, 2, 2], probabilities: unnormalised) }
    }

    @Test func silhouetteNeedsBetweenTwoAndNMinusOneClusters() {
        let points = Matrix([[0, 0], [0, 1], [5, 5], [5, 6]])
        #expect(throws: EngineError.self) { try Metrics.silhouette(points: points, labels: [3, 3, 3, 3]) }
        #expect(throws: EngineError.self) { try Metrics.silhouette(points: points, labels: [0, 1, 2, 3]) }
        #expect(throws: Never.self) { try Metrics.silhouette(points: points, labels: [0, 1, 2, 2]) }
    }

    @Test func r2NeedsTwoSamples() {
        #expect(throws: EngineError.self) { try Metrics.r2(truth: [1], predicted: [1]) }
    }

    @Test func nonFiniteInputsAreErrors() {
        #expect(throws: EngineError.self) { try Metrics.meanSquaredError(truth: [1, .nan], predicted: [1, 2]) }
        #expect(throws: EngineError.self) { try Metrics.meanAbsoluteError(truth: [1, 2], predicted: [.infinity, 2]) }
        #expect(throws: EngineError.self) { try Metrics.r2(truth: [1, 2], predicted: [1, -.infinity]) }
        let points = Matrix([[0, 0], [0, .nan], [5, 5]])
        #expect(throws: EngineError.self) { try Metrics.silhouette(points: points, labels: [0, 0, 1]) }
        #expect(throws: EngineError.self) {
            try Metrics.inertia(points: points, centers: Matrix([[0, 0], [5, 5]]), labels: [0, 0, 1])
        }
    }

    // MARK: - Never NaN

    @Test func degenerateInputsGiveNumbersNotNaN() throws {
        // Identical points, singleton clusters, all-wrong predictions, zero errors: every 0/0 is defined.
        var results: [Double] = []
        results.append(
            try Metrics.silhouette(points: Matrix([[1, 1], [1, 1], [1, 1], [2, 2]]), labels: [0, 0, 1, 1]))
        results.append(try Metrics.silhouette(points: Matrix([[1, 1], [1, 1], [1, 1]]), labels: [0, 0, 1]))
        results.append(try Metrics.silhouette(points: Matrix(rows: 3, columns: 0), labels: [0, 0, 1]))
        let scores = try Metrics.precisionRecallF1(truth: [0, 0, 0], predicted: [1, 2, 1])
        results += [
            scores.precisionMacro, scores.recallMacro, scores.f1Macro,
            scores.precisionWeighted, scores.recallWeighted, scores.f1Weighted,
        ]
        results.append(try Metrics.r2(truth: [3, 3], predicted: [3, 3]))
        results.append(try Metrics.r2(truth: [3, 3], predicted: [4, 2]))
        results.append(try Metrics.r2(truth: [1e-200, 2e-200], predicted: [0, 0]))
        results.append(try Metrics.meanSquaredError(truth: [0, 0], predicted: [0, 0]))
        results.append(
            try Metrics.logLoss(truth: [0, 1, 2], probabilities: Matrix([[0, 0, 1], [1, 0, 0], [0, 0, 0]])))
        results.append(try Metrics.rocAUC(truth: [0, 1], probabilities: Matrix([[0.5, 0.5], [0.5, 0.5]])))
        results.append(try Metrics.inertia(points: Matrix([[1e3]]), centers: Matrix([[1e3]]), labels: [0]))
        let nonFinite = results.filter { !$0.isFinite }
        #expect(nonFinite.isEmpty, "\(results)")
        #expect(throws: EngineError.self) { try Metrics.meanSquaredError(truth: [1e200], predicted: [-1e200]) }
    }
}

/// `actual` within 1e-12 of `expected`, relative to the larger of the two (so 0 must be exactly 0).
private func expectClose(
    _ actual: Double, _ expected: Double, _ metric: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    let tolerance = 1e-12 * max(abs(actual), abs(expected))
    #expect(
        abs(actual - expected) <= tolerance, "\(metric): \(actual) vs scikit-learn's \(expected)",
        sourceLocation: sourceLocation)
}

struct References: Decodable {
    var classification: [ClassificationReference]
    var regression: [RegressionReference]
    var clustering: [ClusteringReference]
}

struct ClassificationReference: Decodable, Sendable, CustomTestStringConvertible {
    struct Expected: Decodable, Sendable {
        var accuracy: Double
        var precisionMacro: Double
        var recallMacro: Double
        var f1Macro: Double
        var precisionWeighted: Double
        var recallWeighted: Double
        var f1Weighted: Double
        var confusion: [[Int]]?
        var perClass: PerClass?
        var binary: Binary?
        var logLoss: Double?
        var rocAuc: Double?

        enum CodingKeys: String, CodingKey {
            case accuracy, confusion, binary
            case perClass = "per_class"
            case precisionMacro = "precision_macro"
            case recallMacro = "recall_macro"
            case f1Macro = "f1_macro"
            case precisionWeighted = "precision_weighted"
            case recallWeighted = "recall_weighted"
            case f1Weighted = "f1_weighted"
            case logLoss = "log_loss"
            case rocAuc = "roc_auc"
        }
    }

    struct PerClass: Decodable, Sendable {
        var precision: [Double]
        var recall: [Double]
        var f1: [Double]
        var support: [Int]
    }

    struct Binary: Decodable, Sendable {
        var precision: Double
        var recall: Double
        var f1: Double
        var specificity: Double
    }

    var name: String
    var truth: [Int]
    var predicted: [Int]
    var classCount: Int?
    var probabilities: [[Double]]?
    var expected: Expected
    var testDescription: String { name }

    enum CodingKeys: String, CodingKey {
        case name, truth, predicted, probabilities, expected
        case classCount = "class_count"
    }
}

struct RegressionReference: Decodable, Sendable, CustomTestStringConvertible {
    struct Expected: Decodable, Sendable {
        var mse: Double
        var rmse: Double
        var mae: Double
        var r2: Double
    }

    var name: String
    var truth: [Double]
    var predicted: [Double]
    var expected: Expected
    var testDescription: String { name }
}

struct ClusteringReference: Decodable, Sendable, CustomTestStringConvertible {
    struct Expected: Decodable, Sendable {
        var inertia: Double
        var silhouette: Double
    }

    var name: String
    var points: [[Double]]
    var centers: [[Double]]
    var labels: [Int]
    var expected: Expected
    var testDescription: String { name }
}
