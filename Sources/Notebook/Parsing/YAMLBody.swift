import Yams

/// The YAML text of a fenced block or front matter, with the way back to file positions.
struct YAMLBody {
    /// The text handed to the YAML parser.
    var text: String
    /// File line of the body's first line.
    var firstLine: Int
    /// Bytes cut from the start of each body line (a fence's indentation), to add back to columns.
    var offsets: [Int]
    /// Each body line as given to the parser, to convert libyaml's scalar columns to byte columns.
    var lines: [Substring]
    /// Interpolation tokens put in place of `${name}` and `$${`, by index.
    var tokens: [Token] = []
    /// Whether each line is ASCII, where a column in scalars is a column in bytes.
    private let isASCII: [Bool]

    enum Token {
        case parameter(String, SourceLocation)
        case literal(String)
    }

    init(lines source: ArraySlice<Substring>, firstLine: Int, indent: Int) {
        var lines: [Substring] = []
        var offsets: [Int] = []
        for line in source {
            var cut = 0
            var rest = line
            while cut < indent, rest.first == " " {
                rest = rest.dropFirst()
                cut += 1
            }
            lines.append(rest)
            offsets.append(cut)
        }
        self.lines = lines
        self.isASCII = lines.map { $0.utf8.allSatisfy { $0 < 0x80 } }
        self.offsets = offsets
        self.firstLine = firstLine
        self.text = lines.joined(separator: "\n") + "\n"
    }

    /// A body whose lines were already cut from their file lines, `offsets[i]` bytes from the start of line
    /// `firstLine + i`: a code step's options without their `#| ` prefix.
    init(cutLines lines: [Substring], offsets: [Int], firstLine: Int) {
        self.lines = lines
        self.isASCII = lines.map { $0.utf8.allSatisfy { $0 < 0x80 } }
        self.offsets = offsets
        self.firstLine = firstLine
        self.text = lines.joined(separator: "\n") + "\n"
    }

    var isBlank: Bool { lines.allSatisfy { $0.allSatisfy(\.isWhitespace) } }

    /// The file position of a 1-based body line and 1-based column in Unicode scalars.
    func location(line: Int, scalarColumn: Int) -> SourceLocation {
        let index = min(max(line, 1), max(lines.count, 1)) - 1
        guard index < lines.count else { return SourceLocation(line: firstLine, column: 1) }
        let text = lines[index]
        // Most lines are ASCII, where a scalar is a byte; walking the line for every node of a long
        // flow collection would make reading it quadratic.
        if isASCII[index] {
            return SourceLocation(line: firstLine + index, column: offsets[index] + scalarColumn)
        }
        var bytes = 0
        var count = 1
        for scalar in text.unicodeScalars {
            if count >= scalarColumn { break }
            bytes += UTF8.width(scalar)
            count += 1
        }
        return SourceLocation(line: firstLine + index, column: offsets[index] + bytes + 1)
    }

    /// The file position of a 1-based body line and 0-based byte offset within it.
    func location(line index: Int, byteOffset: Int) -> SourceLocation {
        SourceLocation(line: firstLine + index, column: (index < offsets.count ? offsets[index] : 0) + byteOffset + 1)
    }

    func location(_ mark: Mark?) -> SourceLocation {
        guard let mark else { return SourceLocation(line: firstLine, column: 1) }
        return location(line: mark.line, scalarColumn: mark.column)
    }
}
