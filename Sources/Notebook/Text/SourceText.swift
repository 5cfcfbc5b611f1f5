/// The text of a notebook split into lines, for turning parser positions into file positions.
struct SourceText: Sendable {
    /// Lines without their terminators (`\n` or `\r\n`).
    let lines: [Substring]

    init(_ text: String) {
        var lines: [Substring] = []
        var start = text.startIndex
        var index = text.startIndex
        while index < text.endIndex {
            // "\r\n" is one Character in Swift, so it compares equal to neither "\n" nor "\r".
            let character = text[index]
            let next = text.index(after: index)
            if character == "\n" || character == "\r\n" || character == "\r" {
                lines.append(text[start..<index])
                start = next
            }
            index = next
        }
        if start < text.endIndex { lines.append(text[start..<text.endIndex]) }
        self.lines = lines
    }

    /// The line with 1-based number `number`, or an empty line past the end.
    func line(_ number: Int) -> Substring {
        guard number >= 1, number <= lines.count else { return "" }
        return lines[number - 1]
    }

    /// Converts a 1-based column counted in Unicode scalars (libyaml's unit) to one counted in UTF-8 bytes.
    func byteColumn(line number: Int, scalarColumn: Int) -> Int {
        let text = line(number).unicodeScalars
        var bytes = 0
        var count = 1
        for scalar in text {
            if count >= scalarColumn { break }
            bytes += UTF8.width(scalar)
            count += 1
        }
        return bytes + 1 + max(0, scalarColumn - count)
    }
}
