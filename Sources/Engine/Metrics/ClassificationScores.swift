/// Precision, recall and F1, averaged over classes two ways, as scikit-learn's `average="macro"` and
/// `average="weighted"` with `zero_division=0`.
public struct ClassificationScores: Sendable, Hashable, Codable {
    /// Unweighted mean over the classes seen in the truth or the predictions.
    public var precisionMacro: Double
    public var recallMacro: Double
    public var f1Macro: Double
    /// Mean weighted by each class's support in the truth.
    public var precisionWeighted: Double
    public var recallWeighted: Double
    public var f1Weighted: Double

    public init(
        precisionMacro: Double, recallMacro: Double, f1Macro: Double,
        precisionWeighted: Double, recallWeighted: Double, f1Weighted: Double
    ) {
        self.precisionMacro = precisionMacro
        self.recallMacro = recallMacro
        self.f1Macro = f1Macro
        self.precisionWeighted = precisionWeighted
        self.recallWeighted = recallWeighted
        self.f1Weighted = f1Weighted
    }
}
