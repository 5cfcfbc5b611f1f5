/// Least squares with intercept (`linear`), or with an L2 penalty (`ridge`).
///
/// Features and target are centred first, so the intercept is not penalised. Plain least squares
/// is solved by Householder QR of the centred features (stable where the normal equations lose
/// half the digits); ridge by Cholesky of XᵀX + αI, which α > 0 keeps positive definite.
public struct LinearRegression: Sendable, Hashable, Codable {
    public var featureNames: [String]
    public var coefficients: [Double]
    public var intercept: Double
    public var alpha: Double

    public static let linearVariant = Variants.Variant(
        name: "linear", summary: "least squares with intercept", task: .regression, settings: [])

    public static let ridgeVariant = Variants.Variant(
        name: "ridge", summary: "least squares with an L2 penalty", task: .regression,
        settings: [.optional("alpha", .nonNegative, default: "1.0", "L2 penalty strength")])

    public static func fit(_ dataset: Dataset, alpha: Double) throws -> LinearRegression {
        let x = try dataset.numericFeatures()
        let target = try dataset.requireTarget(for: "a linear model")
        guard target.classNames == nil else {
            throw EngineError(
                "target '\(target.name)' holds text; linear and ridge need a numeric target", column: target.name)
        }
        let n = x.rows
        let p = x.columns
        guard n >= 2 else { throw EngineError("a linear model needs at least 2 rows, not \(n)") }
        let xMean = (0..<p).map { column in (0..<n).reduce(0.0) { $0 + x[$1, column] } / Double(n) }
        let yMean = target.values.reduce(0, +) / Double(n)
        var centred = x
        for r in 0..<n {
            for c in 0..<p { centred[r, c] -= xMean[c] }
        }
        let y = target.values.map { $0 - yMean }
        let w: [Double]
        if alpha > 0 {
            w = try solveRidge(centred, y, alpha: alpha)
        } else {
            guard n > p else {
                throw EngineError(
                    "least squares needs more rows than features (\(n) rows, \(p) features); use model: ridge")
            }
            w = try solveLeastSquares(centred, y, names: dataset.columns.map(\.name))
        }
        var shift = 0.0
        for (weight, mean) in zip(w, xMean) { shift += weight * mean }
        let intercept = yMean - shift
        return LinearRegression(
            featureNames: dataset.columns.map(\.name), coefficients: w, intercept: intercept, alpha: alpha)
    }

    public func predict(_ features: Matrix) throws -> Prediction {
        guard features.columns == coefficients.count else {
            throw EngineError("the model expects \(coefficients.count) features, not \(features.columns)")
        }
        let product = features.multiplied(by: Matrix(rows: coefficients.count, columns: 1, values: coefficients))
        return .values(product.values.map { $0 + intercept })
    }

    /// Householder QR: min ‖Xw − y‖, refusing a rank-deficient X.
    static func solveLeastSquares(_ x: Matrix, _ y: [Double], names: [String]) throws -> [Double] {
        let n = x.rows
        let p = x.columns
        // Column-major copy for column operations.
        var a = x.transposed.values
        var b = y
        var diagonal = [Double](repeating: 0, count: p)
        var largest = 0.0
        for k in 0..<p {
            var norm = 0.0
            for i in k..<n { norm += a[k * n + i] * a[k * n + i] }
            norm = norm.squareRoot()
            let alpha = a[k * n + k] > 0 ? -norm : norm
            diagonal[k] = alpha
            largest = max(largest, abs(alpha))
            guard norm > 0 else { continue }
            a[k * n + k] -= alpha
            var vNorm = 0.0
            for i in k..<n { vNorm += a[k * n + i] * a[k * n + i] }
            guard vNorm > 0 else { continue }
            for j in (k + 1)..<max(p, k + 1) {
                var dot = 0.0
                for i in k..<n { dot += a[k * n + i] * a[j * n + i] }
                let factor = 2 * dot / vNorm
                for i in k..<n { a[j * n + i] -= factor * a[k * n + i] }
            }
            var dot = 0.0
            for i in k..<n { dot += a[k * n + i] * b[i] }
            let factor = 2 * dot / vNorm
            for i in k..<n { b[i] -= factor * a[k * n + i] }
        }
        let tolerance = largest * Double(max(n, p)) * Double.ulpOfOne
        for k in 0..<p where abs(diagonal[k]) <= tolerance {
            throw EngineError(
                "feature '\(names[k])' is constant or a linear combination of others; drop it or use model: ridge",
                column: names[k])
        }
        var w = [Double](repeating: 0, count: p)
        for k in stride(from: p - 1, through: 0, by: -1) {
            var sum = b[k]
            for j in (k + 1)..<max(p, k + 1) { sum -= a[j * n + k] * w[j] }
            w[k] = sum / diagonal[k]
        }
        return w
    }

    /// (XᵀX + αI) w = Xᵀy by Cholesky.
    static func solveRidge(_ x: Matrix, _ y: [Double], alpha: Double) throws -> [Double] {
        let p = x.columns
        var gram = x.multiplied(by: x, transposingSelf: true)
        for i in 0..<p { gram[i, i] += alpha }
        let rhs = x.multiplied(by: Matrix(rows: y.count, columns: 1, values: y), transposingSelf: true).values
        return try Cholesky.solve(gram, rhs)
    }
}

/// Solving symmetric positive definite systems.
enum Cholesky {
    static func solve(_ matrix: Matrix, _ rhs: [Double]) throws -> [Double] {
        let p = matrix.rows
        var l = [Double](repeating: 0, count: p * p)
        for i in 0..<p {
            for j in 0...i {
                var sum = matrix[i, j]
                for k in 0..<j { sum -= l[i * p + k] * l[j * p + k] }
                if i == j {
                    guard sum > 0, sum.isFinite else {
                        throw EngineError("the system is not positive definite; increase alpha")
                    }
                    l[i * p + i] = sum.squareRoot()
                } else {
                    l[i * p + j] = sum / l[j * p + j]
                }
            }
        }
        var z = rhs
        for i in 0..<p {
            for k in 0..<i { z[i] -= l[i * p + k] * z[k] }
            z[i] /= l[i * p + i]
        }
        for i in stride(from: p - 1, through: 0, by: -1) {
            for k in (i + 1)..<max(p, i + 1) { z[i] -= l[k * p + i] * z[k] }
            z[i] /= l[i * p + i]
        }
        return z
    }
}
