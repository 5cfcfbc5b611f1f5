/// The text of a notebook split into lines, for turning parser positions into file positions and for quoting
/// a diagnostic's line.
public struct SourceText: Sendable {
    /// Lines without their terminators (`\n`, `\r\n` or a lone `\r`, as CommonMark counts them).
    public let lines: [Substring]

    public init(_ text: String) {
        var lines: [Substring] = []
        let bytes = text.utf8
        var start = bytes.startIndex
        var index = bytes.startIndex
        while index < bytes.endIndex {
            let byte = bytes[index]
            if byte == UInt8(ascii: "\n") || byte == UInt8(ascii: "\r") {
                lines.append(text[start..<index])
                var next = bytes.index(after: index)
                if byte == UInt8(ascii: "\r"), next < bytes.endIndex, bytes[next] == UInt8(ascii: "\n") {
                    next = bytes.index(after: next)
                }
                start = next
                index = next
            } else {
                index = bytes.index(after: index)
            }
        }
        if start < bytes.endIndex { lines.append(text[start..<bytes.endIndex]) }
        self.lines = lines
    }

    /// The line with 1-based number `number`, or an empty line past the end.
    func line(_ number: Int) -> Substring {
        guard number >= 1, number <= lines.count else { return "" }
        return lines[number - 1]
    }
}
