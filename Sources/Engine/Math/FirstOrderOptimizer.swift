import Foundation

/// Stochastic gradient descent with Nesterov momentum, or Adam, with scikit-learn's constants.
struct FirstOrderOptimizer {
    enum Kind { case sgd, adam }

    let kind: Kind
    let lr: Double
    var momentum = 0.9
    var beta1 = 0.9
    var beta2 = 0.999
    var epsilon = 1e-8
    private var velocity: [Double]
    private var second: [Double]
    private var t = 0

    init(kind: Kind, lr: Double, count: Int) {
        self.kind = kind
        self.lr = lr
        velocity = [Double](repeating: 0, count: count)
        second = [Double](repeating: 0, count: count)
    }

    mutating func step(_ parameters: inout [Double], _ gradient: [Double]) {
        t += 1
        switch kind {
        case .sgd:
            for i in 0..<parameters.count {
                velocity[i] = momentum * velocity[i] - lr * gradient[i]
                parameters[i] += momentum * velocity[i] - lr * gradient[i]
            }
        case .adam:
            let correction = lr * (1 - pow(beta2, Double(t))).squareRoot() / (1 - pow(beta1, Double(t)))
            for i in 0..<parameters.count {
                velocity[i] = beta1 * velocity[i] + (1 - beta1) * gradient[i]
                second[i] = beta2 * second[i] + (1 - beta2) * gradient[i] * gradient[i]
                parameters[i] -= correction * velocity[i] / (second[i].squareRoot() + epsilon)
            }
        }
    }
}
