/// One point of a recorded series: the step or epoch index and the value there.
///
/// The record's own type, not the engine's, so that what the store keeps and the report draws does not
/// change shape when the engine does. It encodes as `{"index": ..., "value": ...}`, as every record has.
public struct RecordedPoint: Sendable, Hashable, Codable {
    public var index: Int
    public var value: Double

    public init(_ index: Int, _ value: Double) {
        self.index = index
        self.value = value
    }
}
