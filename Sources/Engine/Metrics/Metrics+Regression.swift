extension Metrics {
    /// Mean of squared errors (`mean_squared_error`).
    public static func meanSquaredError(truth: [Double], predicted: [Double]) throws -> Double {
        let metric = "mse"
        try checkRegression(truth: truth, predicted: predicted, metric: metric)
        return try finite(squaredErrorSum(truth, predicted) / Double(truth.count), metric: metric)
    }

    /// Square root of the mean squared error (`root_mean_squared_error`), in the target's own unit.
    public static func rootMeanSquaredError(truth: [Double], predicted: [Double]) throws -> Double {
        let metric = "rmse"
        try checkRegression(truth: truth, predicted: predicted, metric: metric)
        return try finite((squaredErrorSum(truth, predicted) / Double(truth.count)).squareRoot(), metric: metric)
    }

    /// Mean of absolute errors (`mean_absolute_error`).
    public static func meanAbsoluteError(truth: [Double], predicted: [Double]) throws -> Double {
        let metric = "mae"
        try checkRegression(truth: truth, predicted: predicted, metric: metric)
        var sum = 0.0
        for (actual, guess) in zip(truth, predicted) { sum += abs(actual - guess) }
        return try finite(sum / Double(truth.count), metric: metric)
    }

    /// Coefficient of determination (`r2_score`, `force_finite=True`): 1 − SSE / SST.
    ///
    /// When the truth is constant there is no variance to explain: 1 if the predictions are perfect, else 0,
    /// as scikit-learn's `force_finite`. Constancy is tested on the values themselves, so that a constant such as
    /// 0.1, whose floating-point mean is not exactly 0.1, still counts (scikit-learn then divides by a
    /// rounding residue and returns about −1e27). Fewer than two samples is an error (scikit-learn: NaN).
    public static func r2(truth: [Double], predicted: [Double]) throws -> Double {
        let metric = "r2"
        try checkRegression(truth: truth, predicted: predicted, metric: metric)
        guard truth.count >= 2 else { throw EngineError("\(metric): needs at least two samples, got 1") }
        let residual = squaredErrorSum(truth, predicted)
        var sum = 0.0
        for value in truth { sum += value }
        let mean = sum / Double(truth.count)
        var total = 0.0
        for value in truth { total += (value - mean) * (value - mean) }
        let constant = truth.allSatisfy { $0 == truth[0] }
        if constant || total == 0 { return residual == 0 ? 1 : 0 }
        return try finite(1 - residual / total, metric: metric)
    }
}

extension Metrics {
    private static func checkRegression(truth: [Double], predicted: [Double], metric: String) throws {
        try checkPaired(truth.count, predicted.count, metric: metric)
        try checkFinite(truth, "the truth", metric: metric)
        try checkFinite(predicted, "the prediction", metric: metric)
    }

    private static func squaredErrorSum(_ truth: [Double], _ predicted: [Double]) -> Double {
        var sum = 0.0
        for (actual, guess) in zip(truth, predicted) { sum += (actual - guess) * (actual - guess) }
        return sum
    }
}
