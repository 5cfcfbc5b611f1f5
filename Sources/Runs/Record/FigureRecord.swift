import Engine

/// An image a step made (a matplotlib figure, a `.png` or `.svg` in its output folder), kept in the run's
/// record so that every report of the run shows it, whatever became of the cache.
///
/// Not part of the record's JSON (a report's manifest): the report holds the image itself.
public struct FigureRecord: Sendable, Hashable {
    /// The largest image a record keeps and a report embeds; a larger one stays an artifact only.
    public static let largestKept = 2_000_000
    /// The most images a step keeps; the others stay artifacts only.
    public static let mostPerStep = 20

    public var step: String
    /// The artifact's name, `figures/figure-1.png`.
    public var name: String
    /// `image/png` or `image/svg+xml`.
    public var mediaType: String
    public var size: Int
    /// Nil when the image is over `largestKept` or past `mostPerStep`: the report says so.
    public var bytes: [UInt8]?

    public init(step: String, name: String, mediaType: String, size: Int, bytes: [UInt8]?) {
        self.step = step
        self.name = name
        self.mediaType = mediaType
        self.size = size
        self.bytes = bytes
    }

    /// The image's size as a report gives it: `2.1 MB`.
    public var sizeText: String { MemoryEstimate.text(size) }

    /// Why the record holds no bytes of the image, for the report; nil when it holds them.
    public var whyNotKept: String? {
        guard bytes == nil else { return nil }
        if size > Self.largestKept { return "a report embeds images up to \(MemoryEstimate.text(Self.largestKept))" }
        return "a step keeps at most \(Self.mostPerStep) images for its report, or the cache could not keep it"
    }

    /// The media type of an artifact named `name` that a report shows as an image; nil for other files.
    public static func mediaType(ofArtifact name: String) -> String? {
        let lowered = name.lowercased()
        if lowered.hasSuffix(".png") { return "image/png" }
        if lowered.hasSuffix(".svg") { return "image/svg+xml" }
        return nil
    }
}
