import Foundation
import Notebook

/// A step's resolved configuration as YAML a reader would write: one key per line, lists and nested
/// mappings in flow style, strings quoted only where plain YAML would read them as something else.
///
/// A run records this text for each step (`StepConfiguration`), and its report shows it as recorded.
public enum ConfigText {
    public static func yaml(_ node: ConfigNode) -> String {
        guard let entries = node.entries else { return flow(node.value) }
        return entries.map { entry in
            if case .string(let text) = entry.value.value, text.contains("\n") {
                let body = text.split(separator: "\n", omittingEmptySubsequences: false).map { "  \($0)" }
                return "\(entry.key): |\n" + body.joined(separator: "\n")
            }
            return "\(entry.key): \(flow(entry.value.value))"
        }.joined(separator: "\n")
    }

    public static func flow(_ value: ConfigValue) -> String {
        switch value {
        case .null: return "null"
        case .bool(let value): return value ? "true" : "false"
        case .int(let value): return String(value)
        case .double(let value): return exact(value)
        case .string(let text): return scalar(text)
        case .list(let items): return "[" + items.map { flow($0.value) }.joined(separator: ", ") + "]"
        case .mapping(let entries):
            return "{" + entries.map { "\($0.key): \(flow($0.value.value))" }.joined(separator: ", ") + "}"
        }
    }

    /// A number in full: Swift's shortest form that reads back exactly, whole numbers without `.0`.
    public static func exact(_ value: Double) -> String {
        value == value.rounded() && abs(value) < 1e15 ? String(Int(value)) : String(value)
    }

    private static let reserved: Set<String> = ["true", "false", "null", "~", "yes", "no", "on", "off", ""]

    private static func scalar(_ text: String) -> String {
        let plain =
            !reserved.contains(text.lowercased()) && Double(text) == nil
            && text.first.map { !"-?:,[]{}#&*!|>'\"%@` ".contains($0) } ?? false
            && !text.contains(": ") && !text.contains(" #") && !text.contains("\n") && text.last != " "
            && !text.contains(",") && !text.contains("[") && !text.contains("]") && !text.contains("{")
            && !text.contains("}")
        if plain { return text }
        let data = (try? JSONSerialization.data(withJSONObject: [text], options: [.withoutEscapingSlashes])) ?? Data()
        let array = String(decoding: data, as: UTF8.self)
        return String(array.dropFirst().dropLast())
    }
}
