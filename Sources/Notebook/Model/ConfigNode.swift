/// A YAML value with the place it was written, as read from a `params` block or a resolved step body.
public struct ConfigNode: Sendable, Hashable {
    public var value: ConfigValue
    public var location: SourceLocation

    public init(_ value: ConfigValue, at location: SourceLocation) {
        self.value = value
        self.location = location
    }
}

/// A typed YAML value (YAML 1.2 core schema: `true`/`false`, `null`, integers, floats, strings).
public indirect enum ConfigValue: Sendable, Hashable {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)
    case list([ConfigNode])
    case mapping([ConfigEntry])

    /// A short name of the value's type for messages: "an integer", "a list".
    public var kindDescription: String {
        switch self {
        case .null: "nothing (null)"
        case .bool: "a boolean"
        case .int: "an integer"
        case .double: "a number"
        case .string: "a string"
        case .list: "a list"
        case .mapping: "a mapping"
        }
    }
}

/// One `key: value` pair of a mapping, in the order written.
public struct ConfigEntry: Sendable, Hashable {
    public var key: String
    public var keyLocation: SourceLocation
    public var value: ConfigNode

    public init(key: String, keyLocation: SourceLocation, value: ConfigNode) {
        self.key = key
        self.keyLocation = keyLocation
        self.value = value
    }
}

extension ConfigNode {
    /// The entries of a mapping, or nil for any other value.
    public var entries: [ConfigEntry]? {
        if case .mapping(let entries) = value { return entries }
        return nil
    }

    /// The value under `key` of a mapping.
    public subscript(key: String) -> ConfigNode? {
        entries?.first { $0.key == key }?.value
    }

    /// The entry under `key` of a mapping, with the key's own position.
    public func entry(_ key: String) -> ConfigEntry? {
        entries?.first { $0.key == key }
    }

    public var string: String? {
        if case .string(let text) = value { return text }
        return nil
    }
}
