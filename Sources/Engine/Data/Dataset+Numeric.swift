extension Dataset {
    /// The feature matrix for a model, once every column is a number and nothing is missing.
    ///
    /// Categorical columns hold level indices, which a model must not read as quantities, and NaN
    /// poisons every sum: both are errors that say which preprocess step fixes them. A model that
    /// handles NaN itself (gradient boosting) passes `allowingMissing`.
    public func numericFeatures(allowingMissing: Bool = false) throws -> Matrix {
        let categorical = columns.filter { column in
            if case .categorical = column.kind { return true }
            return false
        }.map(\.name)
        if !categorical.isEmpty {
            let one = categorical.count == 1
            throw EngineError(
                "\(Self.columnList(categorical)) \(one ? "is" : "are") categorical; one-hot encode \(one ? "it" : "them") "
                    + "with a preprocess step (onehot: [\(categorical.joined(separator: ", "))])")
        }
        let width = features.columns
        var missing = [Int](repeating: 0, count: width)
        var firstInfinite: Int?
        for (offset, value) in features.values.enumerated() where !value.isFinite {
            if value.isNaN {
                missing[offset % width] += 1
            } else if firstInfinite == nil {
                firstInfinite = offset
            }
        }
        let incomplete = missing.indices.filter { missing[$0] > 0 }
        if !incomplete.isEmpty, !allowingMissing {
            let names = incomplete.map { columns[$0].name }
            let counts = incomplete.map { "'\(columns[$0].name)' (\(missing[$0]) missing)" }
            let one = incomplete.count == 1
            throw EngineError(
                "\(one ? "column" : "columns") \(Self.sentence(counts)) \(one ? "has" : "have") missing values; "
                    + "impute them with a preprocess step (impute: [\(names.joined(separator: ", "))])")
        }
        if let offset = firstInfinite {
            let name = columns[offset % width].name
            throw EngineError(
                "column '\(name)' has an infinite value (at row \(offset / width + 1) of this dataset)")
        }
        return features
    }

    /// "column 'a'" or "columns 'a', 'b' and 'c'".
    private static func columnList(_ names: [String]) -> String {
        (names.count == 1 ? "column " : "columns ") + sentence(names.map { "'\($0)'" })
    }

    /// "a", "a and b", "a, b and c".
    private static func sentence(_ items: [String]) -> String {
        guard let last = items.last, items.count > 1 else { return items.first ?? "" }
        return items.dropLast().joined(separator: ", ") + " and " + last
    }

    /// The target, or an error saying that `purpose` (as "training a logistic model") needs one.
    public func requireTarget(for purpose: String) throws -> Target {
        guard let target else {
            throw EngineError(
                "\(purpose) needs a target, and this dataset has none; name the column to predict with "
                    + "`target:` in the step that loads it")
        }
        return target
    }
}

extension EngineError {
    /// A column name that is not there, with the names it may have meant (or the ones there are).
    public static func unknownColumn(_ name: String, setting: String, among names: [String], file: String? = nil)
        -> EngineError
    {
        let word = name.lowercased()
        let limit = max(1, min(3, word.count / 3 + 1))
        let distances = names.map { editDistance(word, $0.lowercased()) }
        // The closest names only: a likely typo has one clear fix, or a few equally likely ones.
        let best = distances.filter { $0 <= limit }.min()
        let close = names.indices.filter { distances[$0] == best }.prefix(3).map { "'\(names[$0])'" }
        let hint: String
        if close.isEmpty {
            let shown = names.prefix(12).map { "'\($0)'" }.joined(separator: ", ")
            hint = "the columns are \(shown)" + (names.count > 12 ? " and \(names.count - 12) more" : "")
        } else if close.count == 1 {
            hint = "did you mean \(close[0])?"
        } else {
            hint = "did you mean " + close.dropLast().joined(separator: ", ") + " or \(close[close.count - 1])?"
        }
        return EngineError("`\(setting)` names no column '\(name)'; \(hint)", file: file, column: name)
    }

    /// Optimal string alignment distance (insertions, deletions, substitutions, swaps of neighbours),
    /// capped at 64 characters so that a hostile name cannot make it slow.
    private static func editDistance(_ a: String, _ b: String) -> Int {
        let a = Array(a.unicodeScalars.prefix(64))
        let b = Array(b.unicodeScalars.prefix(64))
        if a.isEmpty { return b.count }
        if b.isEmpty { return a.count }
        var previous2 = [Int](repeating: 0, count: b.count + 1)
        var previous = Array(0...b.count)
        var current = [Int](repeating: 0, count: b.count + 1)
        for i in 1...a.count {
            current[0] = i
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                var value = min(previous[j] + 1, current[j - 1] + 1, previous[j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    value = min(value, previous2[j - 2] + 1)
                }
                current[j] = value
            }
            (previous2, previous, current) = (previous, current, previous2)
        }
        return previous[b.count]
    }
}
