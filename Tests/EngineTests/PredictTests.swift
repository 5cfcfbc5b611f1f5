import Engine
import Testing

@Suite struct PredictTests {
    @Test func classifierPredictionsAreCSVWithProbabilitiesAndTheActualClass() throws {
        let data = Dataset(
            features: Matrix([[0], [0.2], [3], [3.2]]), columns: [FeatureColumn(name: "x", kind: .numeric)],
            target: Target(name: "kind", values: [0, 0, 1, 1], classNames: ["low", "high, \"quoted\""]))
        let trained = try Train.run(model: "logistic", settings: Settings(), input: data)
        let lines = try Predict.run(model: trained.model, input: data).split(separator: "\n").map(String.init)
        #expect(lines.first == "prediction,probability_low,\"probability_high, \"\"quoted\"\"\",actual")
        #expect(lines.count == 5)
        #expect(lines[1].hasPrefix("low,"))
        #expect(lines[4].hasPrefix("\"high, \"\"quoted\"\"\","))
        #expect(lines[1].hasSuffix(",low"))
    }

    @Test func regressionAndClusteringPredictionsAreOneColumn() throws {
        let data = Dataset(
            features: Matrix([[1], [2], [3], [10]]), columns: [FeatureColumn(name: "x", kind: .numeric)],
            target: Target(name: "y", values: [2, 4, 6, 20], classNames: nil))
        let linear = try Train.run(model: "linear", settings: Settings(), input: data)
        let csv = try Predict.run(model: linear.model, input: data)
        #expect(csv == "prediction,actual\n2,2\n4,4\n6,6\n20,20\n")
        let unlabelled = Dataset(features: data.features, columns: data.columns, target: nil)
        let clusters = try Train.run(model: "kmeans", settings: Settings(["k": .int(2)]), input: unlabelled)
        let lines = try Predict.run(model: clusters.model, input: unlabelled).split(separator: "\n")
        #expect(lines.first == "prediction")
        #expect(lines.count == 5)
        #expect(lines[1] == lines[2] && lines[2] == lines[3] && lines[3] != lines[4])
    }
}
