import Crypto

/// A series in brief: its length, last point and a SHA-256 of every point, so that a report can carry what
/// proves a curve the same without carrying a curve of 100,000 points.
public struct SeriesDigest: Sendable, Hashable, Codable {
    public var name: String
    public var count: Int
    public var last: RecordedPoint?
    /// SHA-256 over each point's index (Int64) and value (IEEE 754 bits), little-endian, in order.
    public var sha256: String

    public init(name: String, count: Int, last: RecordedPoint?, sha256: String) {
        self.name = name
        self.count = count
        self.last = last
        self.sha256 = sha256
    }

    public init(_ series: SeriesRecord) {
        name = series.name
        count = series.points.count
        last = series.points.last
        var hasher = SHA256()
        PackedPoints.forEachPiece(of: series.points) { _, piece in hasher.update(bufferPointer: piece) }
        sha256 = ContentHash.hex(hasher.finalize())
    }
}
