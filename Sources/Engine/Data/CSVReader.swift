import Foundation

/// Reads RFC 4180 CSV from bytes: a header row, then records whose fields may be quoted (`""` escapes a
/// quote; delimiters and line breaks may sit inside quotes), ended by `\n`, `\r\n` or a lone `\r`.
///
/// It works on bytes, not `Character`s, and parses numbers itself, so that a file of millions of
/// fields reads in about a second. The body is cut at record boundaries into chunks that threads read
/// at once (see `CSVReader+Chunks.swift`). Each chunk is tokenized once to check its records' shape,
/// parse numbers and find which columns hold text; from a column's first text value on, its values
/// are looked up by their bytes in the chunk's `LevelTable` of that column in the same pass. Only the
/// values that came before (numbers, in a column found to hold text later or in another chunk) are
/// read again. The result is the same, bit for bit, whatever the chunks.
struct CSVReader {
    /// The file as the user named it, for messages.
    let file: String
    let delimiter: UInt8
    let header: [String]
    let bytes: UnsafeBufferPointer<UInt8>
    /// The mapping behind `bytes`, whose pages are given back once parsed; nil for bytes in memory.
    let pages: MappedFile?
    let missing: MissingValues
    /// Where the first record after the header starts, and its line.
    let bodyStart: Int
    let bodyLine: Int

    /// How many bytes a reader gets through between releases of the pages behind it.
    static let releaseStep = 8 << 20

    /// The shape of the tables that text columns are looked up in; tests make them tiny, or collide.
    var levelShape = LevelTable.Shape()

    /// The columns that were asked for. Text columns hold indices into their sorted levels.
    struct Table {
        var rowCount: Int
        /// Row-major, one value per feature column asked for.
        var features: [Double]
        /// For each feature column, its sorted levels if it held text.
        var featureLevels: [[String]?]
        var target: [Double]?
        var targetLevels: [String]?
    }

    init(
        bytes: UnsafeBufferPointer<UInt8>, pages: MappedFile? = nil, delimiter: UInt8, missing: MissingValues,
        file: String
    ) throws {
        self.bytes = bytes
        self.pages = pages
        self.delimiter = delimiter
        self.missing = missing
        self.file = file
        var start = 0
        if bytes.count >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { start = 3 }
        let tokenizer = Tokenizer(delimiter: delimiter, file: file, names: [])
        var line = 1
        var position = start
        var header: [String] = []
        var fields = FieldBuffer(capacity: 64)
        defer { fields.deallocate() }
        // Blank lines before the header are skipped, as after it.
        while position < bytes.count {
            let recordLine = line
            position = try tokenizer.record(in: bytes, from: position, line: &line, into: &fields, growing: true)
            if fields.isBlank { continue }
            var scratch: [UInt8] = []
            for index in 0..<fields.count {
                let name = Self.withContent(of: fields[index], in: bytes, scratch: &scratch) {
                    String(validating: $0, as: UTF8.self)
                }
                guard let name else {
                    throw EngineError(
                        "field \(index + 1) of the header is not valid UTF-8; the file must be UTF-8 "
                            + "(save it with that encoding)", file: file, line: recordLine)
                }
                header.append(name)
            }
            try Self.checkHeader(header, file: file, line: recordLine)
            break
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

    /// Parses the columns at header positions `features`, and `target`, which may have no missing value,
    /// in at most `chunks` pieces at once. Every record is checked for its field count, whether its
    /// columns are wanted or not.
    func read(features: [Int], target: Int?, chunks: Int) throws -> Table {
        let plan = plan(chunks: chunks)
        let width = features.count
        let indices = features + (target.map { [$0] } ?? [])
        var targetValues = [Double](repeating: .nan, count: target == nil ? 0 : plan.capacity)
        var parsed: [ChunkNumbers] = []
        var used = plan.chunks
        let planned = plan.chunks
        var values = try [Double](unsafeUninitializedCapacity: plan.capacity * width) { output, initialized in
            try targetValues.withUnsafeMutableBufferPointer { targetOutput in
                let rows = Rows(features: output, target: targetOutput, width: width)
                let outcomes = Self.parallel(planned.count) { k in
                    Result { try parseNumbers(planned[k], indices: indices, into: rows) }
                }
                // A chunk that fails, or ends off its last line, may have started inside a quoted field:
                // the whole body is then read again in one piece, which also gives the first error in
                // file order.
                let consistent = outcomes.indices.allSatisfy { k in
                    (try? outcomes[k].get()).map { $0.endLine == planned[k].line + planned[k].lineEnds } ?? false
                }
                if consistent {
                    parsed = outcomes.compactMap { try? $0.get() }
                } else {
                    used = [plan.whole]
                    parsed = [try parseNumbers(plan.whole, indices: indices, into: rows)]
                }
                let rowCount = compact(rows, chunks: &used, parsed: parsed)
                initialized = rowCount * width
            }
        }
        let rowCount = parsed.reduce(0) { $0 + $1.rows }
        guard rowCount > 0 else {
            throw EngineError("the file has a header but no rows of data", file: file)
        }
        let isText = indices.indices.map { slot in parsed.contains { $0.isText[slot] } }
        // Infinity in a column of numbers is an error; in a column of text it is just a word.
        var worst: (line: Int, slot: Int)?
        for slot in indices.indices where !isText[slot] {
            if let line = parsed.lazy.compactMap({ $0.firstInfinite[slot] }).first, line < (worst?.line ?? .max) {
                worst = (line, slot)
            }
        }
        if let worst {
            throw EngineError(
                "infinite value in a numeric column; only finite numbers are allowed "
                    + "(NaN, NA or an empty field mark a missing value)",
                file: file, line: worst.line, column: header[indices[worst.slot]])
        }
        if let invalid = parsed.lazy.compactMap(\.firstInvalid).first {
            throw EngineError(
                "field \(invalid.column + 1) is not valid UTF-8; the file must be UTF-8 (save it with that encoding)",
                file: file, line: invalid.line, column: header[invalid.column])
        }
        targetValues.removeLast(targetValues.count - (target == nil ? 0 : rowCount))
        var table = Table(
            rowCount: rowCount, features: values, featureLevels: (0..<width).map { isText[$0] ? [] : nil },
            target: target == nil ? nil : targetValues, targetLevels: target != nil && isText[width] ? [] : nil)
        values = []
        targetValues = []
        // (slot, header index) of every text column; slot `width` is the target.
        let textual = indices.enumerated().filter { isText[$0.offset] }.map { (slot: $0.offset, column: $0.element) }
        if !textual.isEmpty {
            // A chunk in which a text column held no text has no table for it yet.
            var tables = parsed.map { chunk in
                textual.map { chunk.tables[$0.slot] ?? LevelTable(shape: levelShape, missing: missing) }
            }
            let uncoded = parsed.map { chunk in
                textual.map { chunk.tables[$0.slot] == nil ? chunk.rows : chunk.uncoded[$0.slot] }
            }
            parsed = []
            try collectLevels(
                chunks: used, tables: &tables, uncoded: uncoded, textual: textual, width: width, into: &table)
        }
        return table
    }

    /// Moves each chunk's rows down to follow the previous chunk's, in place, and sets each chunk's
    /// `rowOffset` to where its rows now start. Returns the number of rows.
    private func compact(_ rows: Rows, chunks: inout [Chunk], parsed: [ChunkNumbers]) -> Int {
        var next = 0
        for k in chunks.indices {
            let count = parsed[k].rows
            let from = chunks[k].rowOffset
            if from != next, count > 0, let features = rows.features.baseAddress {
                memmove(
                    features + next * rows.width, features + from * rows.width,
                    count * rows.width * MemoryLayout<Double>.stride)
                if !rows.target.isEmpty, let target = rows.target.baseAddress {
                    memmove(target + next, target + from, count * MemoryLayout<Double>.stride)
                }
            }
            chunks[k].rowOffset = next
            chunks[k].rowCount = count
            next += count
        }
        return next
    }

    /// What reading one chunk's numbers found.
    struct ChunkNumbers {
        var rows: Int
        /// The line after the chunk's last.
        var endLine: Int
        /// Per slot that held text: the levels met from its first text value on, whose codes the
        /// rows hold.
        var tables: [LevelTable?]
        /// Per slot that held text: how many rows came before its first text value, and hold numbers.
        var uncoded: [Int]
        /// Per slot: the first line with an infinite value.
        var firstInfinite: [Int?]
        /// The first value in a text column that is not UTF-8: its line and header index.
        var firstInvalid: (line: Int, column: Int)?

        /// Per slot: whether some value was text.
        var isText: [Bool] { tables.map { $0 != nil } }
    }

    /// Checks the shape of every record of `chunk`, parses numbers into `rows` from the chunk's row
    /// offset on, and marks the slots that hold text; from a slot's first text value on, writes the
    /// code of each value's level instead.
    private func parseNumbers(_ chunk: Chunk, indices: [Int], into rows: Rows) throws -> ChunkNumbers {
        let buffer = UnsafeBufferPointer(rebasing: bytes[..<chunk.end])
        let tokenizer = Tokenizer(delimiter: delimiter, file: file, names: header)
        var fields = FieldBuffer(capacity: header.count)
        defer { fields.deallocate() }
        let width = rows.width
        var tables = [LevelTable?](repeating: nil, count: indices.count)
        var uncoded = [Int](repeating: 0, count: indices.count)
        var firstInfinite = [Int?](repeating: nil, count: indices.count)
        var firstInvalid: (line: Int, column: Int)?
        var scratch: [UInt8] = []
        var position = chunk.start
        var released = chunk.start
        var line = chunk.line
        var row = chunk.rowOffset
        let rowEnd = chunk.rowOffset + chunk.capacity
        while position < chunk.end {
            let recordLine = line
            position = try tokenizer.record(in: buffer, from: position, line: &line, into: &fields)
            if fields.isBlank { continue }
            guard fields.count == header.count else { throw ragged(fields.count, line: recordLine) }
            // Cannot happen: `plan` bounds the rows of a chunk by its line breaks and its length.
            guard row < rowEnd else {
                throw EngineError("line \(recordLine) is one record too many for the file's size", file: file)
            }
            for (slot, index) in indices.enumerated() {
                var value = Double.nan
                if let table = tables[slot] {
                    let code = Self.withContent(of: fields[index], in: buffer, scratch: &scratch) { table.code(of: $0) }
                    value = try self.value(of: code, slot: slot, width: width, index: index, line: recordLine)
                    if code == LevelTable.invalidCode, firstInvalid == nil { firstInvalid = (recordLine, index) }
                } else {
                    let cell = Self.withContent(of: fields[index], in: buffer, scratch: &scratch) {
                        missing.classify($0)
                    }
                    switch cell {
                    case .number(let number):
                        value = number
                    case .missing:
                        if slot == width { throw missingTarget(index, line: recordLine) }
                    case .infinite:
                        if firstInfinite[slot] == nil { firstInfinite[slot] = recordLine }
                    case .text:
                        let table = LevelTable(shape: levelShape, missing: missing)
                        tables[slot] = table
                        uncoded[slot] = row - chunk.rowOffset
                        let code = Self.withContent(of: fields[index], in: buffer, scratch: &scratch) {
                            table.code(of: $0)
                        }
                        value = try self.value(of: code, slot: slot, width: width, index: index, line: recordLine)
                        if code == LevelTable.invalidCode, firstInvalid == nil { firstInvalid = (recordLine, index) }
                    }
                }
                if slot < width {
                    rows.features[row * width + slot] = value
                } else {
                    rows.target[row] = value
                }
            }
            row += 1
            if position - released >= Self.releaseStep { released = pages?.release(released..<position) ?? position }
        }
        pages?.release(released..<chunk.end)
        return ChunkNumbers(
            rows: row - chunk.rowOffset, endLine: line, tables: tables, uncoded: uncoded,
            firstInfinite: firstInfinite, firstInvalid: firstInvalid)
    }

    /// What a text value's code writes until codes are ranked: the code, or NaN for a missing value
    /// (an error in the target) or one that is not UTF-8 (reported once the chunks are read).
    @inline(__always)
    private func value(of code: Int32, slot: Int, width: Int, index: Int, line: Int) throws -> Double {
        if code >= 0 { return Double(code) }
        if code == LevelTable.missingCode {
            if slot == width { throw missingTarget(index, line: line) }
        } else if code == LevelTable.fullCode {
            throw EngineError(
                "the column has more than \(LevelTable.maximumEntries) distinct values in one piece of the file; "
                    + "a text column cannot hold that many levels", file: file, line: line, column: header[index])
        }
        return .nan
    }

    private func ragged(_ count: Int, line: Int) -> EngineError {
        let counted = "line \(line) has \(count) field\(count == 1 ? "" : "s"); the header has \(header.count)"
        guard count > header.count else {
            // The first column left without a value.
            return EngineError(counted, file: file, line: line, column: header[count])
        }
        return EngineError(counted + "; field \(header.count + 1) has no column", file: file, line: line)
    }

    private func missingTarget(_ index: Int, line: Int) -> EngineError {
        EngineError(
            "the target column has a missing value; every row needs one (drop or fill such rows before loading)",
            file: file, line: line, column: header[index])
    }

    /// Codes the values of text columns that the first pass read as numbers, then stores each value
    /// as the index of its level among the sorted ones. Each chunk numbered the levels it met in its
    /// own order; the levels of all chunks are sorted together and each chunk's numbers replaced by
    /// their ranks. `tables[c][k]` and `uncoded[c][k]` are chunk `c`'s for text column `k`; the tables
    /// are emptied once coded, so that their bytes are given back before the levels are sorted.
    private func collectLevels(
        chunks: [Chunk], tables: inout [[LevelTable]], uncoded: [[Int]], textual: [(slot: Int, column: Int)],
        width: Int,
        into table: inout Table
    ) throws {
        // Taken out of the table while written, so that writing never copies it.
        var targetValues = table.target ?? []
        let hasTarget = table.target != nil
        table.target = nil
        var featureValues = table.features
        table.features = []
        let levels: [[String]] = try featureValues.withUnsafeMutableBufferPointer { features in
            try targetValues.withUnsafeMutableBufferPointer { target in
                let rows = Rows(features: features, target: target, width: width)
                if uncoded.contains(where: { $0.contains { $0 > 0 } }) {
                    let outcomes = Self.parallel(chunks.count) { c in
                        Result {
                            try codePrefixes(
                                chunks[c], tables: tables[c], uncoded: uncoded[c], textual: textual, into: rows)
                        }
                    }
                    for outcome in outcomes { try outcome.get() }
                }
                let local = tables.map { $0.map(\.levels) }
                tables = []
                var levels: [[String]] = []
                var ranks = chunks.map { _ in [[Double]]() }
                for k in textual.indices {
                    let sorted = Set(local.lazy.flatMap { $0[k] }).sorted()
                    let rank = Dictionary(uniqueKeysWithValues: sorted.enumerated().map { ($1, Double($0)) })
                    for c in chunks.indices { ranks[c].append(local[c][k].map { rank[$0] ?? .nan }) }
                    levels.append(sorted)
                }
                _ = Self.parallel(chunks.count) { c in
                    for (k, column) in textual.enumerated() {
                        let rank = ranks[c][k]
                        for row in chunks[c].rowOffset..<chunks[c].rowOffset + chunks[c].rowCount {
                            let index = column.slot == width ? row : row * width + column.slot
                            let code = column.slot == width ? target[index] : features[index]
                            let value = code.isNaN ? code : rank[Int(code)]
                            if column.slot == width { target[index] = value } else { features[index] = value }
                        }
                    }
                }
                return levels
            }
        }
        for (k, column) in textual.enumerated() {
            if column.slot == width {
                table.targetLevels = levels[k]
            } else {
                table.featureLevels[column.slot] = levels[k]
            }
        }
        table.features = featureValues
        if hasTarget { table.target = targetValues }
    }

    /// Reads again the first `uncoded[k]` rows of `chunk` for each text column `k`, those the first
    /// pass read as numbers before the column's first text value, and writes the code of each
    /// value's level from `tables[k]`, adding the levels not met yet.
    private func codePrefixes(
        _ chunk: Chunk, tables: [LevelTable], uncoded: [Int], textual: [(slot: Int, column: Int)], into rows: Rows
    ) throws {
        let needed = uncoded.max() ?? 0
        guard needed > 0 else { return }
        let buffer = UnsafeBufferPointer(rebasing: bytes[..<chunk.end])
        let tokenizer = Tokenizer(delimiter: delimiter, file: file, names: header)
        var fields = FieldBuffer(capacity: header.count)
        defer { fields.deallocate() }
        let width = rows.width
        var scratch: [UInt8] = []
        var position = chunk.start
        var released = chunk.start
        var line = chunk.line
        var read = 0
        while position < chunk.end, read < needed {
            let recordLine = line
            position = try tokenizer.record(in: buffer, from: position, line: &line, into: &fields)
            if fields.isBlank { continue }
            let row = chunk.rowOffset + read
            for (k, column) in textual.enumerated() where read < uncoded[k] {
                let code = Self.withContent(of: fields[column.column], in: buffer, scratch: &scratch) {
                    tables[k].code(of: $0)
                }
                // What is read again read as a number or a missing value (never in the target): valid UTF-8.
                let value = try self.value(
                    of: code, slot: column.slot, width: width, index: column.column, line: recordLine)
                if column.slot == width {
                    rows.target[row] = value
                } else {
                    rows.features[row * width + column.slot] = value
                }
            }
            read += 1
            if position - released >= Self.releaseStep { released = pages?.release(released..<position) ?? position }
        }
        pages?.release(released..<position)
    }

    /// Calls `body` with the field's content: quotes removed, `""` unescaped, spaces around an unquoted
    /// value trimmed.
    @inline(__always)
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

/// Where chunks write their rows: one allocation, of which each chunk writes only its own rows, so
/// that no two threads touch the same element.
struct Rows: @unchecked Sendable {
    let features: UnsafeMutableBufferPointer<Double>
    /// Empty when there is no target.
    let target: UnsafeMutableBufferPointer<Double>
    let width: Int
}

/// Where one field lies in the buffer. For a quoted field, the bytes between the quotes.
private struct Field {
    var start: Int
    var end: Int
    var quoted: Bool
    /// Whether the quoted content holds `""` pairs that stand for one quote.
    var escaped: Bool
}

/// The fields of one record, kept without the cost of an array's growth and uniqueness checks. A
/// record with more fields than the header is counted in full but only its first fields are kept.
private struct FieldBuffer {
    private var storage: UnsafeMutableBufferPointer<Field>
    private(set) var count = 0

    init(capacity: Int) {
        storage = .allocate(capacity: max(1, capacity))
    }

    func deallocate() { storage.deallocate() }

    subscript(index: Int) -> Field { storage[index] }

    mutating func removeAll() { count = 0 }

    @inline(__always)
    mutating func append(_ field: Field, growing: Bool) {
        if count == storage.count, growing {
            let larger = UnsafeMutableBufferPointer<Field>.allocate(capacity: storage.count * 2)
            _ = larger.initialize(fromContentsOf: storage)
            storage.deallocate()
            storage = larger
        }
        if count < storage.count { storage[count] = field }
        count += 1
    }

    /// An empty line: one unquoted, empty field.
    var isBlank: Bool {
        count == 1 && !storage[0].quoted && storage[0].start == storage[0].end
    }
}

struct Tokenizer {
    static let quote = UInt8(ascii: "\"")
    static let newline = UInt8(ascii: "\n")
    static let carriageReturn = UInt8(ascii: "\r")

    let delimiter: UInt8
    let file: String
    /// The header's names, for messages; empty while the header itself is read.
    let names: [String]

    /// Splits the record that starts at `position` into `fields`; returns where the next one starts.
    /// `line` advances past every line break read (`\n`, `\r\n` or a lone `\r`), those inside quotes
    /// included.
    fileprivate func record(
        in buffer: UnsafeBufferPointer<UInt8>, from position: Int, line: inout Int, into fields: inout FieldBuffer,
        growing: Bool = false
    ) throws -> Int {
        fields.removeAll()
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
                        throw error(
                            "quoted \(field(fields.count)) starts on this line and is never closed; "
                                + "a quote inside quotes is written \"\"", field: fields.count, line: startLine)
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
                    if byte == Self.newline
                        || (byte == Self.carriageReturn && (j + 1 == count || buffer[j + 1] != Self.newline))
                    {
                        line += 1
                    }
                    j += 1
                }
                fields.append(Field(start: contentStart, end: j, quoted: true, escaped: escaped), growing: growing)
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
                    line += 1
                    return j + 1 < count && buffer[j + 1] == Self.newline ? j + 2 : j + 1
                }
                throw error(
                    "text follows the closing quote of \(field(fields.count - 1)); a quote inside quotes is written \"\"",
                    field: fields.count - 1, line: line)
            }
            j = i
            while j < count {
                let byte = buffer[j]
                if byte == delimiter || byte == Self.newline || byte == Self.carriageReturn { break }
                j += 1
            }
            fields.append(Field(start: i, end: j, quoted: false, escaped: false), growing: growing)
            guard j < count else { return count }
            let byte = buffer[j]
            if byte == delimiter {
                i = j + 1
                continue
            }
            line += 1
            return byte == Self.carriageReturn && j + 1 < count && buffer[j + 1] == Self.newline ? j + 2 : j + 1
        }
    }

    /// How messages name field `index` (0-based).
    private func field(_ index: Int) -> String {
        names.isEmpty ? "field \(index + 1) of the header" : "field \(index + 1)"
    }

    /// An error about field `index` (0-based) of the record on `line`, naming its column if it has one.
    private func error(_ message: String, field index: Int, line: Int) -> EngineError {
        EngineError(message, file: file, line: line, column: index >= 0 && index < names.count ? names[index] : nil)
    }
}
/// The spellings of a missing value: pandas' defaults (`read_csv`'s `na_values`), `?`, `NA`, `N/A`,
/// `NaN` and `null` in any case, and those a step adds with `missing:`, compared after trimming.
public struct MissingValues: Sendable {
    private let extra: [[UInt8]]

    init(extra: [String] = []) {
        self.extra = extra.map { Array($0.utf8) }
    }

    func contains(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        Cell.isMissing(text) || isExtra(text)
    }

    /// What `text` means in a column that holds numbers so far. A number is never one of the default
    /// spellings, so those are looked for only in what is not a number.
    fileprivate func classify(_ text: UnsafeBufferPointer<UInt8>) -> Cell {
        if text.isEmpty || isExtra(text) { return .missing }
        let cell = Cell.number(text)
        if case .text = cell, Cell.isMissing(text) { return .missing }
        return cell
    }

    private func isExtra(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        extra.contains { $0.count == text.count && $0.elementsEqual(text) }
    }
}

/// What a field's text means in a column that may hold numbers.
private enum Cell {
    case number(Double)
    case missing
    case infinite
    case text

    /// One of the default spellings of a missing value.
    static func isMissing(_ text: UnsafeBufferPointer<UInt8>) -> Bool {
        switch text.count {
        case 0: return true
        case 1: return text[0] == UInt8(ascii: "?")
        case 2: return matches(text, "na")
        case 3: return matches(text, "n/a") || matches(text, "nan") || equals(text, "#NA")
        case 4:
            return matches(text, "null") || equals(text, "-NaN") || equals(text, "-nan") || equals(text, "None")
                || equals(text, "<NA>") || equals(text, "#N/A")
        case 6: return equals(text, "1.#IND")
        case 7: return equals(text, "-1.#IND") || equals(text, "1.#QNAN")
        case 8: return equals(text, "-1.#QNAN") || equals(text, "#N/A N/A")
        default: return false
        }
    }

    /// Whether `text` is `word`, exactly.
    private static func equals(_ text: UnsafeBufferPointer<UInt8>, _ word: StaticString) -> Bool {
        word.utf8CodeUnitCount == text.count
            && UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount).elementsEqual(text)
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
        guard count > 0 else { return .text }
        var i = 0
        var negative = false
        if text[0] == UInt8(ascii: "+") || text[0] == UInt8(ascii: "-") {
            negative = text[0] == UInt8(ascii: "-")
            i = 1
        }
        let signEnd = i
        // The value is significand × 10^exponent, the significand keeping up to 19 digits.
        var significand: UInt64 = 0
        var digits = 0
        var exponent = 0
        var truncated = false
        var sawDigit = false
        while i < count {
            let d = text[i] &- UInt8(ascii: "0")
            guard d < 10 else { break }
            sawDigit = true
            if digits < 19 {
                significand = significand * 10 + UInt64(d)
                if significand != 0 { digits += 1 }
            } else {
                exponent += 1
                if d != 0 { truncated = true }
            }
            i += 1
        }
        if i < count, text[i] == UInt8(ascii: ".") {
            i += 1
            while i < count {
                let d = text[i] &- UInt8(ascii: "0")
                guard d < 10 else { break }
                sawDigit = true
                if digits < 19 {
                    significand = significand * 10 + UInt64(d)
                    if significand != 0 { digits += 1 }
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
            while i < count {
                let d = text[i] &- UInt8(ascii: "0")
                guard d < 10 else { break }
                sawExponentDigit = true
                if written < 100_000 { written = written * 10 + Int(d) }
                i += 1
            }
            guard sawExponentDigit else { return .text }
            exponent += negativeExponent ? -written : written
        }
        guard i == count else { return .text }
        if significand == 0 { return .number(negative ? -0.0 : 0.0) }
        if !truncated, let value = Decimal64.value(significand, exponent) {
            return .number(negative ? -value : value)
        }
        // Rare: more digits than fit in 64 bits, or a far exponent. The standard library rounds exactly.
        guard let value = Double(String(decoding: text, as: UTF8.self)) else { return .text }
        return value.isFinite ? .number(value) : .infinite
    }

    private static func isInfinity(_ text: UnsafeBufferPointer<UInt8>, from start: Int) -> Bool {
        let rest = UnsafeBufferPointer(rebasing: text[start...])
        return matches(rest, "inf") || matches(rest, "infinity")
    }
}

/// The double nearest to w × 10^q, for the decimal numbers that data files hold.
///
/// Clinger's fast path when w and 10^|q| are both exact doubles; otherwise the Eisel–Lemire
/// algorithm (as in Lemire's fast_float, which Mushtak and Lemire proved never needs a fallback for
/// a significand of at most 19 digits) over a table of 128-bit powers of five for q in -64...64.
private enum Decimal64 {
    static func value(_ w: UInt64, _ q: Int) -> Double? {
        if w <= 1 << 53, q >= -22, q <= 22 {
            let value = Double(w)
            return q >= 0 ? value * powersOfTen[q] : value / powersOfTen[-q]
        }
        guard w != 0, q >= smallestPower, q <= largestPower else { return nil }
        let zeros = w.leadingZeroBitCount
        let normalized = w << zeros
        let index = 2 * (q - smallestPower)
        var (high, low) = normalized.multipliedFullWidth(by: powersOfFive[index])
        // The low bits matter only when the first product leaves the rounding undecided.
        if high & 0x1FF == 0x1FF {
            let second = normalized.multipliedFullWidth(by: powersOfFive[index + 1])
            let (sum, overflow) = low.addingReportingOverflow(second.high)
            low = sum
            if overflow { high &+= 1 }
        }
        let upperBit = Int(high >> 63)
        let shift = upperBit + 64 - 52 - 3
        var mantissa = high >> UInt64(shift)
        var power2 = (((152_170 + 65_536) * q) >> 16) + 63 + upperBit - zeros + 1023
        // Within the table's range every result is a normal double.
        guard power2 > 0, power2 < 0x7FF else { return nil }
        if low <= 1, q >= -4, q <= 23, mantissa & 3 == 1, mantissa << UInt64(shift) == high {
            mantissa &= ~1  // exactly halfway: round to even
        }
        mantissa += mantissa & 1
        mantissa >>= 1
        if mantissa >= 2 << 52 {
            mantissa = 1 << 52
            power2 += 1
        }
        mantissa &= ~(1 << 52)
        guard power2 < 0x7FF else { return nil }
        return Double(sign: .plus, exponentBitPattern: UInt(power2), significandBitPattern: mantissa)
    }

    /// Exact powers of ten: a significand below 2^53 times or divided by one of them rounds correctly.
    private static let powersOfTen: [Double] = [
        1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18,
        1e19, 1e20, 1e21, 1e22,
    ]

    private static let smallestPower = -64
    private static let largestPower = 64

    /// 5^q for q in -64...64 as 128 bits (high word, low word), the top bit set: truncated for q >= 0,
    /// rounded up for q < 0. Generated by fast_float's script (`script/table_generation.py`).
    private static let powersOfFive: [UInt64] = [
        0xA87F_EA27_A539_E9A5, 0x3F23_98D7_47B3_6224, 0xD29F_E4B1_8E88_640E, 0x8EEC_7F0D_19A0_3AAD,
        0x83A3_EEEE_F915_3E89, 0x1953_CF68_3004_24AC, 0xA48C_EAAA_B75A_8E2B, 0x5FA8_C342_3C05_2DD7,
        0xCDB0_2555_6531_31B6, 0x3792_F412_CB06_794D, 0x808E_1755_5F3E_BF11, 0xE2BB_D88B_BEE4_0BD0,
        0xA0B1_9D2A_B70E_6ED6, 0x5B6A_CEAE_AE9D_0EC4, 0xC8DE_0475_64D2_0A8B, 0xF245_825A_5A44_5275,
        0xFB15_8592_BE06_8D2E, 0xEED6_E2F0_F0D5_6712, 0x9CED_737B_B6C4_183D, 0x5546_4DD6_9685_606B,
        0xC428_D05A_A475_1E4C, 0xAA97_E14C_3C26_B886, 0xF533_0471_4D92_65DF, 0xD53D_D99F_4B30_66A8,
        0x993F_E2C6_D07B_7FAB, 0xE546_A803_8EFE_4029, 0xBF8F_DB78_849A_5F96, 0xDE98_5204_72BD_D033,
        0xEF73_D256_A5C0_F77C, 0x963E_6685_8F6D_4440, 0x95A8_6376_2798_9AAD, 0xDDE7_0013_79A4_4AA8,
        0xBB12_7C53_B17E_C159, 0x5560_C018_580D_5D52, 0xE9D7_1B68_9DDE_71AF, 0xAAB8_F01E_6E10_B4A6,
        0x9226_7121_62AB_070D, 0xCAB3_9613_04CA_70E8, 0xB6B0_0D69_BB55_C8D1, 0x3D60_7B97_C5FD_0D22,
        0xE45C_10C4_2A2B_3B05, 0x8CB8_9A7D_B77C_506A, 0x8EB9_8A7A_9A5B_04E3, 0x77F3_608E_92AD_B242,
        0xB267_ED19_40F1_C61C, 0x55F0_38B2_3759_1ED3, 0xDF01_E85F_912E_37A3, 0x6B6C_46DE_C52F_6688,
        0x8B61_313B_BABC_E2C6, 0x2323_AC4B_3B3D_A015, 0xAE39_7D8A_A96C_1B77, 0xABEC_975E_0A0D_081A,
        0xD9C7_DCED_53C7_2255, 0x96E7_BD35_8C90_4A21, 0x881C_EA14_545C_7575, 0x7E50_D641_77DA_2E54,
        0xAA24_2499_6973_92D2, 0xDDE5_0BD1_D5D0_B9E9, 0xD4AD_2DBF_C3D0_7787, 0x955E_4EC6_4B44_E864,
        0x84EC_3C97_DA62_4AB4, 0xBD5A_F13B_EF0B_113E, 0xA627_4BBD_D0FA_DD61, 0xECB1_AD8A_EACD_D58E,
        0xCFB1_1EAD_4539_94BA, 0x67DE_18ED_A581_4AF2, 0x81CE_B32C_4B43_FCF4, 0x80EA_CF94_8770_CED7,
        0xA242_5FF7_5E14_FC31, 0xA125_8379_A94D_028D, 0xCAD2_F7F5_359A_3B3E, 0x096E_E458_13A0_4330,
        0xFD87_B5F2_8300_CA0D, 0x8BCA_9D6E_1888_53FC, 0x9E74_D1B7_91E0_7E48, 0x775E_A264_CF55_347E,
        0xC612_0625_7658_9DDA, 0x9536_4AFE_032A_819E, 0xF796_87AE_D3EE_C551, 0x3A83_DDBD_83F5_2205,
        0x9ABE_14CD_4475_3B52, 0xC492_6A96_7279_3543, 0xC16D_9A00_9592_8A27, 0x75B7_053C_0F17_8294,
        0xF1C9_0080_BAF7_2CB1, 0x5324_C68B_12DD_6339, 0x971D_A050_74DA_7BEE, 0xD3F6_FC16_EBCA_5E04,
        0xBCE5_0864_9211_1AEA, 0x88F4_BB1C_A6BC_F585, 0xEC1E_4A7D_B695_61A5, 0x2B31_E9E3_D06C_32E6,
        0x9392_EE8E_921D_5D07, 0x3AFF_322E_6243_9FD0, 0xB877_AA32_36A4_B449, 0x09BE_FEB9_FAD4_87C3,
        0xE695_94BE_C44D_E15B, 0x4C2E_BE68_7989_A9B4, 0x901D_7CF7_3AB0_ACD9, 0x0F9D_3701_4BF6_0A11,
        0xB424_DC35_095C_D80F, 0x5384_84C1_9EF3_8C95, 0xE12E_1342_4BB4_0E13, 0x2865_A5F2_06B0_6FBA,
        0x8CBC_CC09_6F50_88CB, 0xF93F_87B7_442E_45D4, 0xAFEB_FF0B_CB24_AAFE, 0xF78F_69A5_1539_D749,
        0xDBE6_FECE_BDED_D5BE, 0xB573_440E_5A88_4D1C, 0x8970_5F41_36B4_A597, 0x3168_0A88_F895_3031,
        0xABCC_7711_8461_CEFC, 0xFDC2_0D2B_36BA_7C3E, 0xD6BF_94D5_E57A_42BC, 0x3D32_9076_0469_1B4D,
        0x8637_BD05_AF6C_69B5, 0xA63F_9A49_C2C1_B110, 0xA7C5_AC47_1B47_8423, 0x0FCF_80DC_3372_1D54,
        0xD1B7_1758_E219_652B, 0xD3C3_6113_404E_A4A9, 0x8312_6E97_8D4F_DF3B, 0x645A_1CAC_0831_26EA,
        0xA3D7_0A3D_70A3_D70A, 0x3D70_A3D7_0A3D_70A4, 0xCCCC_CCCC_CCCC_CCCC, 0xCCCC_CCCC_CCCC_CCCD,
        0x8000_0000_0000_0000, 0x0000_0000_0000_0000, 0xA000_0000_0000_0000, 0x0000_0000_0000_0000,
        0xC800_0000_0000_0000, 0x0000_0000_0000_0000, 0xFA00_0000_0000_0000, 0x0000_0000_0000_0000,
        0x9C40_0000_0000_0000, 0x0000_0000_0000_0000, 0xC350_0000_0000_0000, 0x0000_0000_0000_0000,
        0xF424_0000_0000_0000, 0x0000_0000_0000_0000, 0x9896_8000_0000_0000, 0x0000_0000_0000_0000,
        0xBEBC_2000_0000_0000, 0x0000_0000_0000_0000, 0xEE6B_2800_0000_0000, 0x0000_0000_0000_0000,
        0x9502_F900_0000_0000, 0x0000_0000_0000_0000, 0xBA43_B740_0000_0000, 0x0000_0000_0000_0000,
        0xE8D4_A510_0000_0000, 0x0000_0000_0000_0000, 0x9184_E72A_0000_0000, 0x0000_0000_0000_0000,
        0xB5E6_20F4_8000_0000, 0x0000_0000_0000_0000, 0xE35F_A931_A000_0000, 0x0000_0000_0000_0000,
        0x8E1B_C9BF_0400_0000, 0x0000_0000_0000_0000, 0xB1A2_BC2E_C500_0000, 0x0000_0000_0000_0000,
        0xDE0B_6B3A_7640_0000, 0x0000_0000_0000_0000, 0x8AC7_2304_89E8_0000, 0x0000_0000_0000_0000,
        0xAD78_EBC5_AC62_0000, 0x0000_0000_0000_0000, 0xD8D7_26B7_177A_8000, 0x0000_0000_0000_0000,
        0x8786_7832_6EAC_9000, 0x0000_0000_0000_0000, 0xA968_163F_0A57_B400, 0x0000_0000_0000_0000,
        0xD3C2_1BCE_CCED_A100, 0x0000_0000_0000_0000, 0x8459_5161_4014_84A0, 0x0000_0000_0000_0000,
        0xA56F_A5B9_9019_A5C8, 0x0000_0000_0000_0000, 0xCECB_8F27_F420_0F3A, 0x0000_0000_0000_0000,
        0x813F_3978_F894_0984, 0x4000_0000_0000_0000, 0xA18F_07D7_36B9_0BE5, 0x5000_0000_0000_0000,
        0xC9F2_C9CD_0467_4EDE, 0xA400_0000_0000_0000, 0xFC6F_7C40_4581_2296, 0x4D00_0000_0000_0000,
        0x9DC5_ADA8_2B70_B59D, 0xF020_0000_0000_0000, 0xC537_1912_364C_E305, 0x6C28_0000_0000_0000,
        0xF684_DF56_C3E0_1BC6, 0xC732_0000_0000_0000, 0x9A13_0B96_3A6C_115C, 0x3C7F_4000_0000_0000,
        0xC097_CE7B_C907_15B3, 0x4B9F_1000_0000_0000, 0xF0BD_C21A_BB48_DB20, 0x1E86_D400_0000_0000,
        0x9676_9950_B50D_88F4, 0x1314_4480_0000_0000, 0xBC14_3FA4_E250_EB31, 0x17D9_55A0_0000_0000,
        0xEB19_4F8E_1AE5_25FD, 0x5DCF_AB08_0000_0000, 0x92EF_D1B8_D0CF_37BE, 0x5AA1_CAE5_0000_0000,
        0xB7AB_C627_0503_05AD, 0xF14A_3D9E_4000_0000, 0xE596_B7B0_C643_C719, 0x6D9C_CD05_D000_0000,
        0x8F7E_32CE_7BEA_5C6F, 0xE482_0023_A200_0000, 0xB35D_BF82_1AE4_F38B, 0xDDA2_802C_8A80_0000,
        0xE035_2F62_A19E_306E, 0xD50B_2037_AD20_0000, 0x8C21_3D9D_A502_DE45, 0x4526_F422_CC34_0000,
        0xAF29_8D05_0E43_95D6, 0x9670_B12B_7F41_0000, 0xDAF3_F046_51D4_7B4C, 0x3C0C_DD76_5F11_4000,
        0x88D8_762B_F324_CD0F, 0xA588_0A69_FB6A_C800, 0xAB0E_93B6_EFEE_0053, 0x8EEA_0D04_7A45_7A00,
        0xD5D2_38A4_ABE9_8068, 0x72A4_9045_98D6_D880, 0x85A3_6366_EB71_F041, 0x47A6_DA2B_7F86_4750,
        0xA70C_3C40_A64E_6C51, 0x9990_90B6_5F67_D924, 0xD0CF_4B50_CFE2_0765, 0xFFF4_B4E3_F741_CF6D,
        0x8281_8F12_81ED_449F, 0xBFF8_F10E_7A89_21A4, 0xA321_F2D7_2268_95C7, 0xAFF7_2D52_192B_6A0D,
        0xCBEA_6F8C_EB02_BB39, 0x9BF4_F8A6_9F76_4490, 0xFEE5_0B70_25C3_6A08, 0x02F2_36D0_4753_D5B4,
        0x9F4F_2726_179A_2245, 0x01D7_6242_2C94_6590, 0xC722_F0EF_9D80_AAD6, 0x424D_3AD2_B7B9_7EF5,
        0xF8EB_AD2B_84E0_D58B, 0xD2E0_8987_65A7_DEB2, 0x9B93_4C3B_330C_8577, 0x63CC_55F4_9F88_EB2F,
        0xC278_1F49_FFCF_A6D5, 0x3CBF_6B71_C76B_25FB,
    ]
}

extension MissingValues {
    /// Whether `text` is one of the default spellings of a missing value, as `load` reads them: for data that
    /// arrives outside a file (a CSV request to a served model).
    public static func isDefaultSpelling(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { Cell.isMissing($0) }
    }
}
