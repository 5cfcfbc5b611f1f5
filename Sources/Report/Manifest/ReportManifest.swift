import Foundation
import Runs

/// What a report embeds so that it can be re-run: the run's record (its notebook's source, parameters, data
/// hashes, metrics, steps), with each series reduced to a digest and data previews left out (the page shows
/// them), so that the report's size stays bounded whatever the length of the run.
public struct ReportManifest: Sendable, Codable {
    public static let currentFormat = "athanor-report/1"
    /// The `id` of the `<script type="application/json">` element that holds the manifest.
    public static let elementID = "athanor-manifest"

    public var format: String
    public var run: RunRecord
    public var series: [SeriesDigest]

    public init(run: RunRecord) {
        format = Self.currentFormat
        series = run.series.map(SeriesDigest.init)
        var run = run
        run.series = []
        for index in run.steps.indices { run.steps[index].previews = [] }
        self.run = run
    }

    /// The manifest as JSON text, ready to stand inside a `<script>` element.
    func scriptText() throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(Self.timeFormatter().string(from: date))
        }
        return HTML.scriptJSON(String(decoding: try encoder.encode(self), as: UTF8.self))
    }

    /// The manifest embedded in a report's HTML.
    public static func extract(fromReport html: String, path: String) throws -> ReportManifest {
        guard let id = html.range(of: "id=\"\(elementID)\""),
            let open = html[id.upperBound...].firstIndex(of: ">"),
            let close = html[open...].range(of: "</script>")
        else {
            throw ReportError("\(path): not an Athanor report: it has no embedded manifest (\(elementID))")
        }
        let json = html[html.index(after: open)..<close.lowerBound]
        let manifest: ReportManifest
        do {
            let decoder = JSONDecoder()
            decoder.dateDecodingStrategy = .custom(Self.decodeTime)
            manifest = try decoder.decode(ReportManifest.self, from: Data(json.utf8))
        } catch {
            throw ReportError("\(path): the report's manifest cannot be read: \(error)")
        }
        guard manifest.format == currentFormat else {
            throw ReportError(
                "\(path): the report's manifest has format '\(manifest.format)'; this Athanor reads '\(currentFormat)'")
        }
        guard RunRecord.isRunID(manifest.run.id) else {
            throw ReportError("\(path): the report's run id is not an Athanor run id (eight hex digits)")
        }
        return manifest
    }

    // MARK: Times

    /// `2026-12-02T14:07:11.482Z`: the manifest's times, in UTC to the millisecond.
    static func timeFormatter() -> ISO8601DateFormatter {
        let formatter = ISO8601DateFormatter()
        formatter.formatOptions = [.withInternetDateTime, .withFractionalSeconds]
        return formatter
    }

    /// A time as this version writes it (ISO 8601, with or without fractions of a second), or as reports
    /// before it did (seconds since 2001-01-01, JSONEncoder's default).
    static func decodeTime(_ decoder: Decoder) throws -> Date {
        let container = try decoder.singleValueContainer()
        if let seconds = try? container.decode(Double.self), seconds.isFinite {
            return Date(timeIntervalSinceReferenceDate: seconds)
        }
        let text = try container.decode(String.self)
        let plain = ISO8601DateFormatter()
        guard let date = timeFormatter().date(from: text) ?? plain.date(from: text) else {
            throw DecodingError.dataCorruptedError(
                in: container, debugDescription: "'\(text)' is not an ISO 8601 time such as 2026-12-02T14:07:11Z")
        }
        return date
    }
}
