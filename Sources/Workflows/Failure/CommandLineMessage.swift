/// The argument parser's messages in the style of every other: `athanor: error: …`, then its usage.
public enum CommandLineMessage {
    /// `Error: Missing expected argument '<notebook>'` → `athanor: error: missing expected argument '<notebook>'`.
    public static func styled(_ message: String) -> String {
        var lines = message.components(separatedBy: "\n")
        guard let first = lines.first else { return message }
        var text = first.hasPrefix("Error: ") ? String(first.dropFirst("Error: ".count)) : first
        // The parser's own sentences are capitalised; the tool's start lowercase, as a compiler's do.
        if let initial = text.first, initial.isUppercase, text.dropFirst().first?.isLowercase == true {
            text = initial.lowercased() + text.dropFirst()
        }
        lines[0] = text.hasPrefix("athanor: ") ? text : "athanor: error: " + text
        return lines.joined(separator: "\n")
    }
}
