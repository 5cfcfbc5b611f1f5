/// A step's configuration as it ran, parameters in place: what its report shows.
///
/// Recorded with the run, so that the report of an old run shows what ran, whatever a later Athanor's
/// checker makes of its notebook.
public struct StepConfiguration: Sendable, Hashable, Codable {
    /// The resolved configuration as YAML, one key per line (`ConfigText`).
    public var text: String
    /// The step's `description:`.
    public var description: String?
    /// The value of the key the operation's settings depend on: `train`'s `model`.
    public var variant: String?

    public init(text: String, description: String? = nil, variant: String? = nil) {
        self.text = text
        self.description = description
        self.variant = variant
    }

    /// What a run records of a planned step.
    public init(_ step: PlannedStep) {
        let configuration = step.configuration
        text = ConfigText.yaml(configuration)
        description = configuration["description"]?.string
        variant = step.kind?.schema.variants.flatMap { configuration[$0.key]?.string }
    }
}
