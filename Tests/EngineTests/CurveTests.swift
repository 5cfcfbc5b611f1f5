import Engine
import Foundation
import Testing

/// ROC and precision–recall curves against scikit-learn's (Fixtures/curve_references.json, made by
/// make_curve_references.py), and `evaluate` recording them for a binary classifier.
@Suite struct CurveTests {
    struct Reference: Decodable, CustomTestStringConvertible {
        struct Expected: Decodable {
            var fpr: [Double]
            var tpr: [Double]
            var precision: [Double]
            var recall: [Double]
            var averagePrecision: Double
            var rocAUC: Double

            enum CodingKeys: String, CodingKey {
                case fpr, tpr, precision, recall
                case averagePrecision = "average_precision"
                case rocAUC = "roc_auc"
            }
        }
        var name: String
        var truth: [Int]
        var scores: [Double]
        var positive: Int
        var expected: Expected
        var testDescription: String { name }
    }

    static let references: [Reference] = {
        struct File: Decodable { var cases: [Reference] }
        do {
            guard let url = Bundle.module.url(forResource: "Fixtures/curve_references", withExtension: "json") else {
                throw EngineError("Fixtures/curve_references.json is missing from the test bundle")
            }
            return try JSONDecoder().decode(File.self, from: Data(contentsOf: url)).cases
        } catch {
            Issue.record(error)
            return []
        }
    }()

    @Test(arguments: references)
    func curvesMatchScikitLearn(_ reference: Reference) throws {
        let positive = reference.truth.map { $0 == reference.positive }
        let roc = try Metrics.rocCurve(scores: reference.scores, positive: positive, positiveName: "p")
        expectClose(roc.x, reference.expected.fpr, "fpr")
        expectClose(roc.y, reference.expected.tpr, "tpr")
        let pr = try Metrics.precisionRecallCurve(scores: reference.scores, positive: positive, positiveName: "p")
        expectClose(pr.x, reference.expected.recall, "recall")
        expectClose(pr.y, reference.expected.precision, "precision")
        let average = try Metrics.averagePrecision(scores: reference.scores, positive: positive)
        expectClose([average], [reference.expected.averagePrecision], "average_precision")
        let probabilities = Matrix(reference.scores.map { [1 - $0, $0] })
        let auc = try Metrics.rocAUC(truth: positive.map { $0 ? 1 : 0 }, probabilities: probabilities)
        expectClose([auc], [reference.expected.rocAUC], "roc_auc")
    }

    @Test func thinningKeepsBothEndsAndAtMostTheLimit() {
        let count = 10_001
        let curve = Curve(
            x: (0..<count).map { Double($0) / Double(count - 1) }, y: (0..<count).map { sqrt(Double($0)) },
            positive: "yes")
        let thinned = curve.thinned()
        #expect(thinned.x.count == Curve.recordedPoints)
        #expect(thinned.y.count == Curve.recordedPoints)
        #expect(thinned.x.first == 0 && thinned.x.last == 1)
        #expect(thinned.y.first == 0 && thinned.y.last == sqrt(Double(count - 1)))
        #expect(thinned.positive == "yes")
        let short = Curve(x: [0, 0.5, 1], y: [0, 0.7, 1], positive: "yes")
        #expect(short.thinned() == short)
    }

    /// A dataset of two classes named `no` and `yes`, overlapping along one feature.
    static func binary(rows: Int = 600) -> Dataset {
        let x = (0..<rows).map { row in [Double((row * 7919) % 1000) / 1000] }
        let labels = x.enumerated().map { row, value in (value[0] + Double((row * 31) % 17) / 40 > 0.7) ? 1.0 : 0 }
        return Dataset(
            features: Matrix(x), columns: [FeatureColumn(name: "x", kind: .numeric)],
            target: Target(name: "label", values: labels, classNames: ["no", "yes"]))
    }

    @Test func evaluateRecordsThinnedCurvesOfThePositiveClass() throws {
        let data = Self.binary()
        let model = try Train.run(model: "logistic", settings: Settings([:]), input: data).model
        let scores = try Evaluate.run(
            model: model, input: data, metrics: [.rocCurve, .precisionRecallCurve, .averagePrecision, .rocAUC])
        #expect(scores.map(\.name) == ["roc_curve", "precision_recall_curve", "average_precision", "roc_auc"])
        guard case .curve(let roc) = scores[0].value, case .curve(let pr) = scores[1].value else {
            Issue.record("no curves in \(scores)")
            return
        }
        #expect(roc.positive == "yes" && pr.positive == "yes")
        #expect(roc.x.count <= Curve.recordedPoints && pr.x.count <= Curve.recordedPoints)
        #expect(roc.x.first == 0 && roc.y.first == 0 && roc.x.last == 1 && roc.y.last == 1)
        #expect(pr.x.last == 0 && pr.y.last == 1 && pr.x.first == 1)

        // `positive: no` ranks the other class: its curve's precision starts at the share of `no`.
        let other = try Evaluate.run(
            model: model, input: data, metrics: [.precisionRecallCurve, .averagePrecision], positive: "no")
        guard case .curve(let prNo) = other[0].value else {
            Issue.record("no curve in \(other)")
            return
        }
        #expect(prNo.positive == "no")
        let share = Double(data.target?.values.filter { $0 == 0 }.count ?? 0) / Double(data.rowCount)
        #expect(prNo.y.first == share)
        #expect(other[1].value.number != scores[2].value.number)
    }

    @Test func aCurveOfAMulticlassModelIsAnErrorNamingTheClasses() throws {
        let x = (0..<30).map { [Double($0)] }
        let data = Dataset(
            features: Matrix(x), columns: [FeatureColumn(name: "x", kind: .numeric)],
            target: Target(name: "label", values: x.map { Double(Int($0[0]) % 3) }, classNames: ["a", "b", "c"]))
        let model = try Train.run(model: "softmax", settings: Settings([:]), input: data).model
        #expect(throws: EngineError.self) {
            try Evaluate.run(model: model, input: data, metrics: [.rocCurve])
        }
        let error = #expect(throws: EngineError.self) {
            try Evaluate.run(model: model, input: data, metrics: [.precisionRecallCurve])
        }
        #expect(
            error?.description
                == "column 'label': metric 'precision_recall_curve' needs a target of two classes; the model has 3 "
                + "(a, b, c)")
    }
}

private func expectClose(
    _ actual: [Double], _ expected: [Double], _ what: String, sourceLocation: SourceLocation = #_sourceLocation
) {
    guard actual.count == expected.count else {
        Issue.record(
            "\(what): \(actual.count) points, scikit-learn has \(expected.count)", sourceLocation: sourceLocation)
        return
    }
    for (index, (a, e)) in zip(actual, expected).enumerated() where abs(a - e) > 1e-12 * max(abs(a), abs(e), 1) {
        Issue.record("\(what)[\(index)]: \(a) vs scikit-learn's \(e)", sourceLocation: sourceLocation)
        return
    }
}
