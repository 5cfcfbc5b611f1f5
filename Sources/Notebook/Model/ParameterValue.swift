/// A parameter's value: an integer, float, boolean, string, or a list of those.
public indirect enum ParameterValue: Sendable, Hashable, CustomStringConvertible {
    case int(Int)
    case double(Double)
    case bool(Bool)
    case string(String)
    case list([ParameterValue])

    /// The value's type, which `-p` overrides must match.
    public var type: ParameterType {
        switch self {
        case .int: .integer
        case .double: .float
        case .bool: .boolean
        case .string: .string
        case .list(let items): .list(ParameterType.common(items.map(\.type)) ?? .string)
        }
    }

    /// The value as spliced into text: `0.05`, `true`, `a,b` for a list.
    public var text: String {
        switch self {
        case .int(let value): String(value)
        case .double(let value): String(value)
        case .bool(let value): String(value)
        case .string(let value): value
        case .list(let items): items.map(\.text).joined(separator: ",")
        }
    }

    public var description: String {
        switch self {
        case .string(let value): "'\(value)'"
        case .list(let items): "[" + items.map(\.description).joined(separator: ", ") + "]"
        default: text
        }
    }

    func configValue(at location: SourceLocation) -> ConfigValue {
        switch self {
        case .int(let value): .int(value)
        case .double(let value): .double(value)
        case .bool(let value): .bool(value)
        case .string(let value): .string(value)
        case .list(let items): .list(items.map { ConfigNode($0.configValue(at: location), at: location) })
        }
    }

    /// Reads `text` as a value of `type`, as given on the command line (`-p lr=0.1`, `-p hidden=64,32`).
    public static func parse(_ text: String, as type: ParameterType) -> ParameterValue? {
        switch type {
        case .integer: return ScalarResolver.integer(text).map(ParameterValue.int)
        case .float:
            if let value = ScalarResolver.integer(text) { return .double(Double(value)) }
            return ScalarResolver.float(text).map(ParameterValue.double)
        case .boolean: return ScalarResolver.boolean(text).map(ParameterValue.bool)
        case .string: return .string(text)
        case .list(let element):
            let body = text.hasPrefix("[") && text.hasSuffix("]") ? String(text.dropFirst().dropLast()) : text
            if body.trimmingSpaces.isEmpty { return .list([]) }
            var items: [ParameterValue] = []
            for piece in body.split(separator: ",", omittingEmptySubsequences: false) {
                guard let item = parse(String(piece).trimmingSpaces, as: element) else { return nil }
                items.append(item)
            }
            return .list(items)
        }
    }
}

/// The declared type of a parameter, taken from its default value.
public indirect enum ParameterType: Sendable, Hashable, CustomStringConvertible {
    case integer
    case float
    case boolean
    case string
    case list(ParameterType)

    public var description: String {
        switch self {
        case .integer: "integer"
        case .float: "float"
        case .boolean: "boolean"
        case .string: "string"
        case .list(let element): "list of \(element)"
        }
    }

    /// The one type that holds all of `types`: integers widen to floats; anything else must agree.
    static func common(_ types: [ParameterType]) -> ParameterType? {
        guard var result = types.first else { return nil }
        for type in types.dropFirst() where type != result {
            if Set([type, result]) == [.integer, .float] {
                result = .float
            } else {
                return nil
            }
        }
        return result
    }
}

extension String {
    var trimmingSpaces: String { trimming(" \t") }
}
