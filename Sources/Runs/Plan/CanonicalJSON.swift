import Foundation
import Notebook

/// A deterministic JSON text of configuration values, for cache keys: keys sorted, integers and
/// floats kept apart (`1` vs `1.0`), floats in Swift's shortest round-trip form.
public enum CanonicalJSON {
    static func text(_ node: ConfigNode) -> String {
        text(node.value)
    }

    static func text(_ value: ConfigValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let flag): return flag ? "true" : "false"
        case .int(let number): return String(number)
        case .double(let number): return number.isFinite ? String(number) : "\"\(number)\""
        case .string(let text): return quoted(text)
        case .list(let items): return "[" + items.map { text($0.value) }.joined(separator: ",") + "]"
        case .mapping(let entries):
            let sorted = entries.sorted { $0.key < $1.key }
            return "{" + sorted.map { quoted($0.key) + ":" + text($0.value.value) }.joined(separator: ",") + "}"
        }
    }

    public static func text(_ value: ParameterValue) -> String {
        switch value {
        case .int(let number): return String(number)
        case .double(let number): return number.isFinite ? "\(number)" : "\"\(number)\""
        case .bool(let flag): return flag ? "true" : "false"
        case .string(let text): return quoted(text)
        case .list(let items): return "[" + items.map(text).joined(separator: ", ") + "]"
        }
    }

    /// `text` as a JSON string: quotes, backslashes and control characters escaped, the rest as it is.
    public static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\r": result += "\\r"
            case "\t": result += "\\t"
            case _ where scalar.value < 0x20: result += String(format: "\\u%04x", scalar.value)
            default: result.unicodeScalars.append(scalar)
            }
        }
        return result + "\""
    }
}
