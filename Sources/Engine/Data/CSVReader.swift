/// Reads RFC 4180 CSV from bytes: a header row, then records whose fields may be quoted (`""` escapes a
/// quote; delimiters and line breaks may sit inside quotes), ended by `\n` or `\r\n`.
///
/// It works on bytes, not `Character`s, so that a file of millions of fields parses in about a
/// second. Records are tokenized twice at most: once to check the shape, find each column's kind and
/// parse its numbers, and once more, only if some column holds text, to collect its levels.
struct CSVReader {
    /// The file as the user named it, for messages.
    let file: String
    let delimiter: UInt8
    let header: [String]
    private let bytes: [UInt8]
    /// Where the first record after the header starts, and its line.
    private let bodyStart: Int
    private let bodyLine: Int

    /// A parsed column: numbers, or text turned into sorted levels with each value an index.
    struct Column {
        var values: [Double]
        /// Sorted level names when the column held text.
        var levels: [String]?
    }

    /// The columns that were asked for, in the order asked, with the file line of every record.
    struct Table {
        var rowCount: Int
        var columns: [Column]
        var lines: [Int]
    }

    init(bytes: [UInt8], delimiter: UInt8, file: String) throws {
        self.bytes = bytes
        self.delimiter = delimiter
        self.file = file
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        let tokenizer = Tokenizer(delimiter: delimiter, file: file)
        var line = 1
        var fields: [Field] = []
        var position = start
        var header: [String] = []
        try bytes.withUnsafeBufferPointer { buffer in
            // Blank lines before the header are skipped, as after it.
            while position < buffer.count {
                let recordLine = line
                position = try tokenizer.record(in: buffer, from: position, line: &line, into: &fields)
                if Tokenizer.isBlank(fields) { continue }
                header = fields.map { Tokenizer.text(of: $0, in: buffer) }
                try Self.checkHeader(header, file: file, line: recordLine)
                return
            }
        }
        guard !header.isEmpty else {
            throw EngineError(
                "the file is empty; a CSV file needs a header row and at least one row of data", file: file)
        }
        self.header = header
        bodyStart = position
        bodyLine = line
    }

    private static func checkHeader(_ header: [String], file: String, line: Int) throws {
        var seen: [String: Int] = [:]
        for (index, name) in header.enumerated() {
            guard !name.isEmpty else {
                throw EngineError(
                    "field \(index + 1) of the header is empty; every column needs a name", file: file, line: line)
            }
            if let first = seen[name] {
                throw EngineError(
                    "the header names '\(name)' twice (fields \(first + 1) and \(index + 1)); column names must be unique",
                    file: file, line: line, column: name)
            }
            seen[name] = index
        }
    }

    /// Parses the columns at `indices` (header positions). Values in `required` columns may not be missing.
    /// Every record is checked for its field count, wanted or not.
    func read(columns indices: [Int], required: Set<Int> = []) throws -> Table {
        try bytes.withUnsafeBufferPointer { buffer in
            var table = try firstPass(buffer, indices: indices, required: required)
            let textual = table.columns.indices.filter { table.columns[$0].levels != nil }
            if !textual.isEmpty {
                try collectLevels(buffer, indices: indices, slots: textual, into: &table)
            }
            return table
        }
    }

    /// Checks every record's shape, parses numbers, and marks the columns that hold text.
    private func firstPass(
        _ buffer: UnsafeBufferPointer<UInt8>, indices: [Int], required: Set<Int>
    ) throws -> Table {
        let tokenizer = Tokenizer(delimiter: delimiter, file: file)
        var fields: [Field] = []
        fields.reserveCapacity(header.count)
        var columns = indices.map { _ in Column(values: [], levels: nil) }
        var firstInfinite: [Int?] = Array(repeating: nil, count: indices.count)
        let isRequired = indices.map { required.contains($0) }
        var lines: [Int] = []
        var scratch: [UInt8] = []
        var position = bodyStart
        var line = bodyLine
        while position < buffer.count {
            let recordLine = line
            position = try tokenizer.record(in: buffer, from: position, line: &line, into: &fields)
            if Tokenizer.isBlank(fields) { continue }
            guard fields.count == header.count else {
                throw EngineError(
                    "line \(recordLine) has \(fields.count) field\(fields.count == 1 ? "" : "s"); "
                        + "the header has \(header.count)",
                    file: file, line: recordLine)
            }
            lines.append(recordLine)
            for (slot, index) in indices.enumerated() {
                let field = fields[index]
                if columns[slot].levels != nil {
                    // Already text: only a required column still needs its missing values caught.
                    if isRequired[slot] {
                        let value = Self.withContent(of: field, in: buffer, scratch: &scratch) { Cell.classify($0) }
                        if case .missing = value { throw missing(index, line: recordLine) }
                    }
                    columns[slot].values.append(.nan)
                    continue
                }
                switch Self.withContent(of: field, in: buffer, scratch: &scratch, Cell.classify) {
                case .number(let value):
                    columns[slot].values.append(value)
                case .missing:
                    if isRequired[slot] { throw missing(index, line: recordLine) }
                    columns[slot].values.append(.nan)
                case .infinite:
                    if firstInfinite[slot] == nil { firstInfinite[slot] = recordLine }
                    columns[slot].values.append(.nan)
                case .text:
                    columns[slot].levels = []
                    columns[slot].values.append(.nan)
                }
            }
        }
        guard !lines.isEmpty else {
            throw EngineError("the file has a header but no rows of data", file: file)
        }
        // Infinity in a column of numbers is an error; in a column of text it is just a word.
        var worst: (line: Int, slot: Int)?
        for slot in indices.indices where columns[slot].levels == nil {
            if let line = firstInfinite[slot], line < (worst?.line ?? .max) { worst = (line, slot) }
        }
        if let worst {
            throw EngineError(
                "infinite value in a numeric column; only finite numbers are allowed (NaN, NA or an empty field mark a missing value)",
                file: file, line: worst.line, column: header[indices[worst.slot]])
        }
        return Table(rowCount: lines.count, columns: columns, lines: lines)
    }

    private func missing(_ index: Int, line: Int) -> EngineError {
        EngineError(
            "the target column has a missing value; every row needs one (drop or fill such rows before loading)",
            file: file, line: line, column: header[index])
    }

    /// Reads the text columns' values again, and turns them into indices of sorted levels.
    private func collectLevels(
        _ buffer: UnsafeBufferPointer<UInt8>, indices: [Int], slots: [Int], into table: inout Table
    ) throws {
        let tokenizer = Tokenizer(delimiter: delimiter, file: file)
        var fields: [Field] = []
        var scratch: [UInt8] = []
        var ids = slots.map { _ in [String: Int]() }
        var codes = slots.map { _ in [Int](repeating: -1, count: table.rowCount) }
        var position = bodyStart
        var line = bodyLine
        var row = 0
        while position < buffer.count {
            position = try tokenizer.record(in: buffer, from: position, line: &line, into: &fields)
            if Tokenizer.isBlank(fields) { continue }
            for (k, slot) in slots.enumerated() {
                let text: String? = Self.withContent(of: fields[indices[slot]], in: buffer, scratch: &scratch) {
                    content in
                    if case .missing = Cell.classify(content) { return nil }
                    return String(decoding: content, as: UTF8.self)
                }
                guard let text else { continue }
                if let id = ids[k][text] {
                    codes[k][row] = id
                } else {
                    let id = ids[k].count
                    ids[k][text] = id
                    codes[k][row] = id
                }
            }
            row += 1
        }
        for (k, slot) in slots.enumerated() {
            let levels = ids[k].keys.sorted()
            var rank = [Int](repeating: 0, count: levels.count)
            for (position, level) in levels.enumerated() {
                if let id = ids[k][level] { rank[id] = position }
            }
            table.columns[slot].levels = levels
            table.columns[slot].values = codes[k].map { $0 < 0 ? .nan : Double(rank[$0]) }
        }
    }

    /// Calls `body` with the field's content: quotes removed, `""` unescaped, outer spaces trimmed.
    fileprivate static func withContent<R>(
        of field: Field, in buffer: UnsafeBufferPointer<UInt8>, scratch: inout [UInt8],
        _ body: (UnsafeBufferPointer<UInt8>) throws -> R
    ) rethrows -> R {
        if !field.escaped {
            var start = field.start
            var end = field.end
            if !field.quoted {
                while start < end, isSpace(buffer[start]) { start += 1 }
                while end > start, isSpace(buffer[end - 1]) { end -= 1 }
            }
            return try body(UnsafeBufferPointer(rebasing: buffer[start..<end]))
        }
        scratch.removeAll(keepingCapacity: true)
        var i = field.start
        while i < field.end {
            scratch.append(buffer[i])
            i += buffer[i] == Tokenizer.quote ? 2 : 1
        }
        return try scratch.withUnsafeBufferPointer(body)
    }

    fileprivate static func isSpace(_ byte: UInt8) -> Bool { byte == 0x20 || byte == 0x09 }
}

/// Where one field lies in the buffer. For a quoted field, the bytes between the quotes.
private struct Field {
    var start: Int
    var end: Int
    var quoted: Bool
    /// Whether the quoted content holds `""` pairs that stand for one quote.
    var escaped: Bool
}

private struct Tokenizer {
    static let quote = UInt8(ascii: "\"")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")

    let delimiter: UInt8
    let file: String

    /// An empty line: one unquoted, empty field.
    static func isBlank(_ fields: [Field]) -> Bool {
        fields.count == 1 && !fields[0].quoted && fields[0].start == fields[0].end
    }

    static func text(of field: Field, in buffer: UnsafeBufferPointer<UInt8>) -> String {
        var scratch: [UInt8] = []
        return CSVReader.withContent(of: field, in: buffer, scratch: &scratch) { String(decoding: $0, as: UTF8.self) }
    }

    /// Splits the record that starts at `position` into `fields`; returns where the next one starts.
    /// `line` advances past every line break read, those inside quotes included.
    func record(
        in buffer: UnsafeBufferPointer<UInt8>, from position: Int, line: inout Int, into fields: inout [Field]
    ) throws -> Int {
        fields.removeAll(keepingCapacity: true)
        let count = buffer.count
        var i = position
        while true {
            var j = i
            while j < count, buffer[j] != delimiter, CSVReader.isSpace(buffer[j]) { j += 1 }
            if j < count, buffer[j] == Self.quote {
                let startLine = line
                let contentStart = j + 1
                var escaped = false
                j = contentStart
                while true {
                    guard j < count else {
                        throw EngineError(
                            "a quoted field starts on this line and is never closed; a quote inside quotes is written \"\"",
                            file: file, line: startLine)
                    }
                    let byte = buffer[j]
                    if byte == Self.quote {
                        if j + 1 < count, buffer[j + 1] == Self.quote {
                            escaped = true
                            j += 2
                            continue
                        }
                        break
                    }
                    if byte == Self.newline { line += 1 }
                    j += 1
                }
                fields.append(Field(start: contentStart, end: j, quoted: true, escaped: escaped))
                j += 1
                while j < count, buffer[j] != delimiter, CSVReader.isSpace(buffer[j]) { j += 1 }
                guard j < count else { return count }
                let byte = buffer[j]
                if byte == delimiter {
                    i = j + 1
                    continue
                }
                if byte == Self.newline {
                    line += 1
                    return j + 1
                }
                if byte == Self.carriageReturn {
                    if j + 1 == count { return count }
                    if buffer[j + 1] == Self.newline {
                        line += 1
                        return j + 2
                    }
                }
                throw EngineError(
                    "text follows the closing quote of field \(fields.count); a quote inside quotes is written \"\"",
                    file: file, line: line)
            }
            j = i
            while j < count {
                let byte = buffer[j]
                if byte == delimiter || byte == Self.newline { break }
                j += 1
            }
            var end = j
            if end > i, buffer[end - 1] == Self.carriageReturn, j == count || buffer[j] == Self.newline { end -= 1 }
            fields.append(Field(start: i, end: end, quoted: false, escaped: false))
            guard j < count else { return count }
            if buffer[j] == delimiter {
                i = j + 1
                continue
            }
            line += 1
            return j + 1
        }
    }
}

/// What a field's text means in a column that may hold numbers.
private enum Cell {
    case number(Double)
    case missing
    case infinite
    case text

    /// Exact powers of ten: a mantissa below 2^53 times or divided by one of them rounds correctly.
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
        1e19, 1e20, 1e21, 1e22,
    ]

    static func classify(_ text: UnsafeBufferPointer<UInt8>) -> Cell {
        if isMissing(text) { return .missing }
        return number(text)
    }

    /// Empty, `NA`, `N/A`, `NaN`, `null` or `?`, in any case.
    static func isMissing(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        switch text.count {
        case 0: return true
        case 1: return text[0] == UInt8(ascii: "?")
        case 2: return matches(text, "na")
        case 3: return matches(text, "n/a") || matches(text, "nan")
        case 4: return matches(text, "null")
        default: return false
        }
    }

    private static func matches(_ text: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        let count = word.utf8CodeUnitCount
        guard text.count == count else { return false }
        let pointer = word.utf8Start
        for i in 0..<count where lowercased(text[i]) != pointer[i] { return false }
        return true
    }

    private static func lowercased(_ byte: UInt8) -> UInt8 {
        byte >= UInt8(ascii: "A") && byte <= UInt8(ascii: "Z") ? byte | 0x20 : byte
    }

    /// A decimal number: `[+-] digits [. digits] [e [+-] digits]` (digits on at least one side of the
    /// point), or `inf`/`infinity`. Hexadecimal and other forms are text.
    static func number(_ text: UnsafeBufferPointer<UInt8>) -> Cell {
        let count = text.count
        var i = 0
        var negative = false
        if text[0] == UInt8(ascii: "+") || text[0] == UInt8(ascii: "-") {
            negative = text[0] == UInt8(ascii: "-")
            i = 1
        }
        let signEnd = i
        var mantissa: UInt64 = 0
        var significantDigits = 0
        var exponent = 0
        var truncated = false
        var sawDigit = false
        func digit(_ byte: UInt8) -> UInt64? {
            let value = byte &- UInt8(ascii: "0")
            return value < 10 ? UInt64(value) : nil
        }
        while i < count, let d = digit(text[i]) {
            sawDigit = true
            if significantDigits < 19 {
                mantissa = mantissa * 10 + d
                if mantissa != 0 { significantDigits += 1 }
            } else {
                exponent += 1
                if d != 0 { truncated = true }
            }
            i += 1
        }
        if i < count, text[i] == UInt8(ascii: ".") {
            i += 1
            while i < count, let d = digit(text[i]) {
                sawDigit = true
                if significantDigits < 19 {
                    mantissa = mantissa * 10 + d
                    if mantissa != 0 { significantDigits += 1 }
                    exponent -= 1
                } else if d != 0 {
                    truncated = true
                }
                i += 1
            }
        }
        guard sawDigit else { return isInfinity(text, from: signEnd) ? .infinite : .text }
        if i < count, text[i] | 0x20 == UInt8(ascii: "e") {
            i += 1
            var negativeExponent = false
            if i < count, text[i] == UInt8(ascii: "+") || text[i] == UInt8(ascii: "-") {
                negativeExponent = text[i] == UInt8(ascii: "-")
                i += 1
            }
            var written = 0
            var sawExponentDigit = false
            while i < count, let d = digit(text[i]) {
                sawExponentDigit = true
                if written < 100_000 { written = written * 10 + Int(d) }
                i += 1
            }
            guard sawExponentDigit else { return .text }
            exponent += negativeExponent ? -written : written
        }
        guard i == count else { return .text }
        if mantissa == 0 { return .number(negative ? -0.0 : 0.0) }
        if !truncated, mantissa <= 1 << 53, exponent >= -22, exponent <= 22 {
            var value = Double(mantissa)
            value = exponent >= 0 ? value * powersOfTen[exponent] : value / powersOfTen[-exponent]
            return .number(negative ? -value : value)
        }
        // Rare: more digits than a double holds, or a large exponent. The standard library rounds exactly.
        guard let value = Double(String(decoding: text, as: UTF8.self)) else { return .text }
        return value.isFinite ? .number(value) : .infinite
    }

    private static func isInfinity(_ text: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        let rest = UnsafeBufferPointer(rebasing: text[start...])
        return matches(rest, "inf") || matches(rest, "infinity")
    }
}
