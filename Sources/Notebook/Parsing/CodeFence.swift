/// The inside of a code step's fence split as Quarto does: the leading `#| key: value` lines are the
/// step's options, one YAML mapping, and everything after them is the code, kept exactly.
struct CodeFence {
    /// The options without their `#|` prefix (and the one space after it), positioned at the key in the file.
    var options: YAMLBody
    var code: CodeBody

    /// Splits the lines between the fences; `firstLine` is the file line of `lines.first`, and `indent` the
    /// fence's indentation, which CommonMark cuts from each line of the block.
    init(lines: ArraySlice<Substring>, firstLine: Int, indent: Int, language: CodeLanguage) {
        var cut: [(text: Substring, offset: Int)] = []
        for line in lines {
            var rest = line
            var offset = 0
            while offset < indent, rest.first == " " {
                rest = rest.dropFirst()
                offset += 1
            }
            cut.append((rest, offset))
        }
        let optionCount = cut.prefix { $0.text.hasPrefix("#|") }.count
        var optionLines: [Substring] = []
        var offsets: [Int] = []
        for (text, offset) in cut.prefix(optionCount) {
            var option = text.dropFirst(2)
            var prefix = 2
            if option.first == " " {
                option = option.dropFirst()
                prefix += 1
            }
            optionLines.append(option)
            offsets.append(offset + prefix)
        }
        options = YAMLBody(cutLines: optionLines, offsets: offsets, firstLine: firstLine)
        let codeLines = cut.dropFirst(optionCount)
        code = CodeBody(
            language: language, text: codeLines.map { $0.text + "\n" }.joined(),
            firstLine: firstLine + optionCount, indents: codeLines.map(\.offset))
    }

    /// Whether there is no code at all, only options and blank lines.
    var hasNoCode: Bool { code.text.allSatisfy(\.isWhitespace) }
}
