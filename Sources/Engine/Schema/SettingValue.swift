/// A checked setting's value as the engine receives it, already validated against its schema.
public indirect enum SettingValue: Sendable, Hashable {
    case int(Int)
    case double(Double)
    case bool(Bool)
    case string(String)
    case list([SettingValue])

    public var int: Int? {
        if case .int(let value) = self { return value }
        return nil
    }

    public var double: Double? {
        switch self {
        case .int(let value): Double(value)
        case .double(let value): value
        default: nil
        }
    }

    public var bool: Bool? {
        if case .bool(let value) = self { return value }
        return nil
    }

    public var string: String? {
        if case .string(let value) = self { return value }
        return nil
    }

    public var ints: [Int]? {
        guard case .list(let items) = self else { return nil }
        let values = items.compactMap(\.int)
        return values.count == items.count ? values : nil
    }
}

/// A step's settings by key, with typed look-ups that fall back to a default.
public struct Settings: Sendable, Hashable {
    public var values: [String: SettingValue]

    public init(_ values: [String: SettingValue] = [:]) {
        self.values = values
    }

    public func int(_ key: String, default value: Int) throws -> Int {
        guard let setting = values[key] else { return value }
        guard let number = setting.int else { throw EngineError("'\(key)' must be an integer") }
        return number
    }

    public func double(_ key: String, default value: Double) throws -> Double {
        guard let setting = values[key] else { return value }
        guard let number = setting.double, number.isFinite else { throw EngineError("'\(key)' must be a number") }
        return number
    }

    public func bool(_ key: String, default value: Bool) throws -> Bool {
        guard let setting = values[key] else { return value }
        guard let flag = setting.bool else { throw EngineError("'\(key)' must be true or false") }
        return flag
    }

    public func string(_ key: String, default value: String) throws -> String {
        guard let setting = values[key] else { return value }
        guard let text = setting.string else { throw EngineError("'\(key)' must be text") }
        return text
    }

    public func ints(_ key: String, default value: [Int]) throws -> [Int] {
        guard let setting = values[key] else { return value }
        if let number = setting.int { return [number] }
        guard let numbers = setting.ints else { throw EngineError("'\(key)' must be a list of integers") }
        return numbers
    }
}

extension Settings {
    /// Settings as a step runs with them: the schema's defaults, then the values given.
    public init(_ values: [String: SettingValue], defaults: [String: SettingValue]) {
        self.init(defaults.merging(values) { _, given in given })
    }

    /// A setting that is given or has a default in the schema. These look-ups take no default of their own,
    /// so that the schema stays the one place defaults are written; the `0`s below are never returned, as
    /// the key is present.
    public func int(_ key: String) throws -> Int {
        try requirePresent(key)
        return try int(key, default: 0)
    }

    public func double(_ key: String) throws -> Double {
        try requirePresent(key)
        return try double(key, default: 0)
    }

    public func bool(_ key: String) throws -> Bool {
        try requirePresent(key)
        return try bool(key, default: false)
    }

    public func string(_ key: String) throws -> String {
        try requirePresent(key)
        return try string(key, default: "")
    }

    private func requirePresent(_ key: String) throws {
        guard values[key] != nil else { throw EngineError("'\(key)' is missing and has no default") }
    }
}
