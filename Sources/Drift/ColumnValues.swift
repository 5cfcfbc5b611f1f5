import Foundation

/// A column of new data, as read from a file or a request log.
public enum ColumnValues: Sendable {
    /// Numbers, NaN marking a missing value.
    case numbers([Double])
    /// Codes into `levels`; a code that is not an index (NaN) marks a missing value.
    case categories(levels: [String], codes: [Double])

    /// Texts as categories: the `known` levels first, then each new text in the order met; nil is missing.
    public static func categories(of texts: [String?], known: [String] = []) -> ColumnValues {
        var levels = known
        var index = Dictionary(known.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let codes = texts.map { text -> Double in
            guard let text else { return .nan }
            if let found = index[text] { return Double(found) }
            index[text] = levels.count
            levels.append(text)
            return Double(levels.count - 1)
        }
        return .categories(levels: levels, codes: codes)
    }

    public var count: Int {
        switch self {
        case .numbers(let values): values.count
        case .categories(_, let codes): codes.count
        }
    }

    /// The values as numbers; a category that does not read as a number is missing, and counted in `unreadable`.
    func numbers() -> (values: [Double], unreadable: Int) {
        switch self {
        case .numbers(let values):
            return (values, 0)
        case .categories(let levels, let codes):
            let parsed = levels.map { Double($0.trimmingCharacters(in: .whitespaces)) }
            var unreadable = 0
            let values = codes.map { code -> Double in
                guard let index = Self.index(code, levels.count) else { return .nan }
                guard let value = parsed[index] else {
                    unreadable += 1
                    return .nan
                }
                return value
            }
            return (values, unreadable)
        }
    }

    /// Rows per category, and missing rows.
    func categoryCounts() -> (counts: [String: Int], missing: Int) {
        var counts: [String: Int] = [:]
        var missing = 0
        switch self {
        case .numbers(let values):
            for value in values {
                if value.isNaN { missing += 1 } else { counts[Self.text(value), default: 0] += 1 }
            }
        case .categories(let levels, let codes):
            var perLevel = [Int](repeating: 0, count: levels.count)
            for code in codes {
                if let index = Self.index(code, levels.count) { perLevel[index] += 1 } else { missing += 1 }
            }
            for (level, count) in zip(levels, perLevel) where count > 0 { counts[level, default: 0] += count }
        }
        return (counts, missing)
    }

    public static func index(_ code: Double, _ count: Int) -> Int? {
        guard code.isFinite, let index = Int(exactly: code), index >= 0, index < count else { return nil }
        return index
    }

    /// A number as a CSV would spell it: whole numbers without `.0`.
    public static func text(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }
}
