import Foundation
import GRDB

/// Why a stored part of a run cannot be read back, in words: what makes the run damaged.
protocol DamageDescribing: Error, CustomStringConvertible {}

/// A stored value this version has no case for.
struct UnknownValue: DamageDescribing {
    var what: String
    var value: String

    var description: String { "unknown \(what) '\(value)'" }
}

/// A value of the wrong type, or a NULL where a value must be, named by its column.
struct DamagedValue: DamageDescribing {
    var column: String
    var stored: DatabaseValue
    var expected: String

    var description: String {
        if stored.isNull { return "its \(column) is missing" }
        var shown = stored.description
        if shown.count > 40 { shown = shown.prefix(40) + "…" }
        return "its \(column) holds \(shown), not \(expected)"
    }
}

/// Any other part that cannot be read, described where it was found.
struct DamagedPart: DamageDescribing {
    var description: String
}

/// Reading back what `RunStore+Save` stored, each failure naming its column.
extension Row {
    /// Text stored by `RunStore.text(_:)`, as TEXT or, when it holds a NUL, as a BLOB of UTF-8.
    func text(at index: Int) throws -> String {
        guard let text = try optionalText(at: index) else {
            throw DamagedValue(column: column(at: index), stored: .null, expected: "text")
        }
        return text
    }

    func optionalText(at index: Int) throws -> String? {
        let stored: DatabaseValue = self[index]
        if case .string(let text) = stored.storage { return text }
        return try optionalData(at: index).map { String(decoding: $0, as: UTF8.self) }
    }

    /// The bytes of a TEXT or BLOB, nil for NULL.
    func optionalData(at index: Int) throws -> Data? {
        let stored: DatabaseValue = self[index]
        switch stored.storage {
        case .null: return nil
        case .string(let text): return Data(text.utf8)
        case .blob(let data): return data
        case .int64, .double: throw DamagedValue(column: column(at: index), stored: stored, expected: "text")
        }
    }

    /// The value at `index` as `Value`, or an error naming the column and what it holds.
    func value<Value: DatabaseValueConvertible>(_: Value.Type = Value.self, at index: Int) throws -> Value {
        let stored: DatabaseValue = self[index]
        guard let value = Value.fromDatabaseValue(stored) else {
            throw DamagedValue(column: column(at: index), stored: stored, expected: Self.kind(of: Value.self))
        }
        return value
    }

    func optionalValue<Value: DatabaseValueConvertible>(_: Value.Type = Value.self, at index: Int) throws
        -> Value?
    {
        let stored: DatabaseValue = self[index]
        return stored.isNull ? nil : try value(Value.self, at: index)
    }

    /// A REAL stored by `RunStore.real(_:)`: NULL stands for NaN.
    func real(at index: Int) throws -> Double {
        try optionalValue(Double.self, at: index) ?? .nan
    }

    private func column(at index: Int) -> String {
        let names = Array(columnNames)
        return index < names.count ? names[index] : "column \(index)"
    }

    private static func kind(of type: Any.Type) -> String {
        switch type {
        case is Bool.Type: "a boolean"
        case is Int.Type, is Int64.Type: "a whole number"
        case is Double.Type: "a number"
        default: "text"
        }
    }
}
