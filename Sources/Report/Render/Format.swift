import Foundation
import Runs

/// How numbers, durations and dates read in a report.
enum Format {
    /// A value for a table or a sentence: whole numbers bare, others to 4 significant digits.
    static func number(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value > 0 ? "∞" : "-∞" }
        return ColumnSummary.text(value)
    }

    /// The value in full, for a tooltip: Swift's shortest form that reads back exactly.
    static func exact(_ value: Double) -> String {
        ConfigText.exact(value)
    }

    static func seconds(_ seconds: Double) -> String {
        guard seconds.isFinite else { return "–" }
        if seconds < 1 { return "\(Int((seconds * 1000).rounded())) ms" }
        if seconds < 60 { return String(format: "%.2f s", seconds) }
        let whole = Int(seconds.rounded())
        if whole < 3600 { return String(format: "%d min %02d s", whole / 60, whole % 60) }
        return String(format: "%d h %02d min", whole / 3600, (whole % 3600) / 60)
    }

    /// `2026-11-29 15:40:12 UTC`.
    static func date(_ date: Date) -> String {
        let parts = utc(date)
        return String(
            format: "%04d-%02d-%02d %02d:%02d:%02d UTC", parts.year, parts.month, parts.day, parts.hour, parts.minute,
            parts.second)
    }

    /// `2026-11-29T15:40:12Z`.
    static func iso(_ date: Date) -> String {
        let parts = utc(date)
        return String(
            format: "%04d-%02d-%02dT%02d:%02d:%02dZ", parts.year, parts.month, parts.day, parts.hour, parts.minute,
            parts.second)
    }

    /// The calendar fields of `date` in UTC, by the C library: Foundation's formatters load ICU's data,
    /// which costs a short command like `render` more than the rendering itself.
    private static func utc(_ date: Date) -> (year: Int, month: Int, day: Int, hour: Int, minute: Int, second: Int) {
        var seconds = time_t(date.timeIntervalSince1970.rounded(.down))
        var fields = tm()
        gmtime_r(&seconds, &fields)
        return (
            Int(fields.tm_year) + 1900, Int(fields.tm_mon) + 1, Int(fields.tm_mday), Int(fields.tm_hour),
            Int(fields.tm_min), Int(fields.tm_sec)
        )
    }

    /// A whole number with thin groups: `1 797`.
    static func count(_ value: Int) -> String {
        let digits = String(value.magnitude)
        var grouped = ""
        for (offset, digit) in digits.enumerated() {
            if offset > 0 && (digits.count - offset) % 3 == 0 { grouped += "\u{202F}" }
            grouped.append(digit)
        }
        return (value < 0 ? "-" : "") + grouped
    }
}
