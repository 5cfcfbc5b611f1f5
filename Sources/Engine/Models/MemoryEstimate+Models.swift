import Foundation

/// The estimates of the models and operations whose size a notebook's settings or data choose.
extension MemoryEstimate {
    /// Training an MLP on `rows` rows of `features` columns, in single precision: every parameter is held
    /// six times (the initial layers, the trainer's weights, gradients, both Adam moments, the layers it
    /// returns); each layer's outputs twice per batch row (activations and their deltas); the training data
    /// twice (converted, and the trainer's copy); a validation set's forward pass twice its widest layer.
    static func mlp(sizes: [Int], rows: Int, batch: Int, validationRows: Int) -> MemoryEstimate {
        var estimate = MemoryEstimate(
            "an MLP with layers " + sizes.map(String.init).joined(separator: " → "),
            advice: "use smaller 'hidden' layers or a smaller 'batch'")
        let layers = zip(sizes, sizes.dropFirst())
        let parameters = sum(layers.map { inputs, outputs in sum([product([inputs, outputs]), outputs]) })
        let units = sum(sizes.dropFirst().map { $0 })
        let float = MemoryLayout<Float>.size
        let features = sizes.first ?? 0
        estimate.parts.append(
            Part(name: "weights, gradients and optimizer state", bytes: parameters.flatMap { product([$0, 6, float]) }))
        estimate.parts.append(
            Part(
                name: "activations for a batch of \(batch) rows",
                bytes: sum([units.flatMap { product([$0, batch, 2, float]) }, product([batch, features, float])])))
        estimate.add("the training data in single precision", bytesPerValue: float, rows, features, 2)
        if validationRows > 0 {
            estimate.add(
                "a pass over \(validationRows) validation rows", bytesPerValue: float, validationRows,
                sizes.max() ?? 0, 2)
        }
        return estimate
    }

    /// Predicting `rows` rows with an MLP: the whole set goes through each layer at once, two layers' outputs
    /// alive at a time.
    static func mlpPrediction(sizes: [Int], rows: Int) -> MemoryEstimate {
        var estimate = MemoryEstimate(
            "predicting \(rows) rows with an MLP with layers " + sizes.map(String.init).joined(separator: " → "),
            advice: "predict fewer rows at a time, or train smaller 'hidden' layers")
        estimate.add("each layer's outputs", bytesPerValue: MemoryLayout<Float>.size, rows, sizes.max() ?? 0, 2)
        return estimate
    }

    /// Logistic or softmax regression of `rows` rows, `features` columns and `classes` outputs, in double
    /// precision: the parameters some thirty times (L-BFGS keeps ten pairs of steps), the scores of every
    /// row for every class (the whole set for L-BFGS, a batch otherwise), a validation set's probabilities.
    static func logistic(rows: Int, features: Int, outputs: Int, batch: Int?, validationRows: Int)
        -> MemoryEstimate
    {
        var estimate = MemoryEstimate(
            "a logistic regression of \(features) features and \(outputs) outputs",
            advice: "use fewer features or classes, or the 'sgd' or 'adam' solver with a smaller 'batch'")
        let double = MemoryLayout<Double>.size
        let parameters = sum([product([features, outputs]), outputs])
        estimate.parts.append(
            Part(name: "weights, gradients and solver state", bytes: parameters.flatMap { product([$0, 30, double]) }))
        let scored = batch.map { min($0, rows) } ?? rows
        estimate.add("scores of \(scored) rows for each output", bytesPerValue: double, scored, outputs, 2)
        if validationRows > 0 {
            estimate.add(
                "probabilities of \(validationRows) validation rows", bytesPerValue: double, validationRows,
                max(outputs, 2), 2)
        }
        return estimate
    }

    /// k-means of `rows` rows and `features` columns: each restart running at once holds every row's distance
    /// to every centre and to k-means++'s candidates; every restart's centres are kept to pick the best.
    static func kmeans(rows: Int, features: Int, k: Int, restarts: Int, concurrent: Int) -> MemoryEstimate {
        var estimate = MemoryEstimate(
            "k-means with k = \(k) and \(restarts) restart\(restarts == 1 ? "" : "s") on \(rows) rows",
            advice: "use a smaller 'k' or fewer 'restarts'")
        let double = MemoryLayout<Double>.size
        let trials = 2 + (k > 1 ? Int(log(Double(k))) : 0)
        let perRestart = sum([
            product([rows, k, double]), product([rows, trials, 2, double]), product([k, features, 3, double]),
            product([rows, 2, double]),
        ])
        estimate.parts.append(
            Part(
                name: "distances for \(concurrent) restart\(concurrent == 1 ? "" : "s") at a time",
                bytes: perRestart.flatMap { product([$0, concurrent]) }))
        estimate.parts.append(
            Part(
                name: "the centres of every restart",
                bytes: sum([product([k, features, double]), 64]).flatMap { product([$0, restarts]) }))
        return estimate
    }

    /// `samples` rows of `features` generated columns: each row its own array while generated, then the
    /// shuffled matrix.
    static func synthetic(samples: Int, features: Int) -> MemoryEstimate {
        var estimate = MemoryEstimate(
            "synthetic data of \(samples) samples × \(features) features", advice: "use fewer 'samples' or 'features'")
        estimate.parts.append(
            Part(
                name: "the generated rows",
                bytes: sum([product([features, 3, MemoryLayout<Double>.size]), 64]).flatMap { product([$0, samples]) }))
        return estimate
    }

    /// One-hot encoding `column`'s `levels` levels over `rows` rows: a column of doubles per level.
    static func onehot(column: String, levels: Int, rows: Int) -> MemoryEstimate {
        var estimate = MemoryEstimate(
            "one-hot encoding column '\(column)' (\(levels) levels) over \(rows) rows",
            advice: "encode a column with fewer distinct values, or leave it out with 'drop'")
        estimate.add("a column per level", bytesPerValue: MemoryLayout<Double>.size, levels, rows)
        return estimate
    }
}
