import Engine
import Foundation

extension ModelBundle {
    /// What makes a decoded bundle unusable, or nil: a file is someone else's, and a model whose shapes do
    /// not fit together would fail (or worse) only at the first request. The transforms must turn the raw
    /// columns into the model's features, and the model's parameters must have the shapes its features and
    /// classes give.
    var inconsistency: String? {
        let raw = schema.columns.map { FeatureColumn(name: $0.name, kind: $0.kind) }
        var features = Dataset(features: Matrix(rows: 0, columns: raw.count, values: []), columns: raw, target: nil)
        for (index, fitted) in transforms.enumerated() {
            guard fitted.inputColumns == features.columns else {
                return "transform \(index + 1) was fitted on other columns than it is given"
            }
            do {
                features = try fitted.apply(features)
            } catch {
                return "transform \(index + 1): \(error)"
            }
        }
        let names = model.featureNames
        guard features.columns.map(\.name) == names else {
            return "the transforms give \(features.columnCount) columns, and the model takes \(names.count) others"
        }
        if let classes = schema.classes, classes.isEmpty || classes.count != Set(classes).count {
            return "its classes are empty or repeated"
        }
        if let values = schema.classValues, values.count != schema.classes?.count {
            return "its classes and their values differ in number"
        }
        return shapeProblem(features: names.count)
    }

    private func shapeProblem(features: Int) -> String? {
        func matrix(_ matrix: Matrix, rows: Int, columns: Int? = nil) -> Bool {
            matrix.rows == rows && (columns.map { $0 == matrix.columns } ?? true) && matrix.columns > 0
                && matrix.values.count == matrix.rows * matrix.columns
        }
        switch model {
        case .linear(let linear):
            return linear.coefficients.count == features ? nil : "its coefficients do not match its features"
        case .logistic(let logistic):
            let k = logistic.weights.columns
            let classes = logistic.classes.count
            guard matrix(logistic.weights, rows: features), k == classes || (k == 1 && classes == 2),
                logistic.intercepts.count == k
            else {
                return "its weights do not match its features and classes"
            }
            return nil
        case .mlp(let mlp):
            var inputs = features
            for layer in mlp.layers {
                guard layer.inputs == inputs, layer.outputs > 0, layer.weights.count == layer.inputs * layer.outputs,
                    layer.biases.count == layer.outputs
                else { return "its layers do not fit together" }
                inputs = layer.outputs
            }
            guard !mlp.layers.isEmpty, inputs == (mlp.classes.map { $0.count } ?? 1) else {
                return "its last layer does not match its classes"
            }
            return nil
        case .kmeans(let kmeans):
            return matrix(kmeans.centers, rows: kmeans.centers.rows, columns: features) && kmeans.centers.rows > 0
                ? nil : "its centres do not match its features"
        case .gradientBoosting, .decisionTree, .randomForest:
            // Their decoders check their trees (`Forest.init(from:)`, `GradientBoosting.init(from:)`).
            return nil
        }
    }
}
