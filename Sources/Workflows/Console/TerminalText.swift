/// Text from files, reports and the network, made safe for a terminal: a control character in a crafted
/// report's id or message must show as what it is, not move the cursor or clear the screen.
public enum TerminalText {
    /// `text` with every control character but newline and tab written as `\x1B`, `\u{9B}`.
    public static func escaped(_ text: String) -> String {
        guard text.unicodeScalars.contains(where: isControl) else { return text }
        var result = ""
        result.unicodeScalars.reserveCapacity(text.unicodeScalars.count)
        for scalar in text.unicodeScalars {
            if isControl(scalar) {
                result +=
                    scalar.value < 0x100 ? hex(scalar.value, digits: 2, prefix: "\\x") : "\\u{\(hex(scalar.value))}"
            } else {
                result.unicodeScalars.append(scalar)
            }
        }
        return result
    }

    static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        let value = scalar.value
        if value == 0x0A || value == 0x09 { return false }
        // C0, DEL, C1, and the bidirectional overrides that reorder what a reader sees.
        return value < 0x20 || (0x7F...0x9F).contains(value) || (0x202A...0x202E).contains(value)
            || (0x2066...0x2069).contains(value)
    }

    private static func hex(_ value: UInt32, digits: Int = 0, prefix: String = "") -> String {
        let text = String(value, radix: 16, uppercase: true)
        return prefix + String(repeating: "0", count: max(0, digits - text.count)) + text
    }
}
