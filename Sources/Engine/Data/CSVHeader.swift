import Foundation

/// The column names of a CSV file, read from its header row alone, so that `athanor check` can
/// tell a misspelt `target` or a missing file before anything runs without reading the data.
///
/// It follows `CSVReader`'s rules for the header: a UTF-8 byte order mark is skipped, so are blank
/// lines before the header; fields may be quoted (`""` escapes a quote, and a quoted name may hold
/// the delimiter or a line break); unquoted names lose surrounding spaces and tabs; the row ends
/// at `\n` or `\r\n`.
enum CSVHeader {
    /// At most this much of a file is read: a header longer than that is not checked ahead.
    static let byteLimit = 1 << 20

    /// The names of the header row in `bytes`, or nil when the row does not end within them and
    /// `complete` says more of the file follows.
    static func names(in bytes: ArraySlice<UInt8>, delimiter: UInt8, complete: Bool) -> [String]? {
        let quote = UInt8(ascii: "\"")
        let newline = UInt8(ascii: "\n")
        let carriageReturn = UInt8(ascii: "\r")
        func isSpace(_ byte: UInt8) -> Bool { byte != delimiter && (byte == 0x20 || byte == 0x09) }
        var i = bytes.startIndex
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) { i += 3 }
        let end = bytes.endIndex
        var names: [String] = []
        var field: [UInt8] = []
        while i < end {
            // One field: optional spaces, then a quoted name or the bytes up to the delimiter.
            var j = i
            while j < end, isSpace(bytes[j]) { j += 1 }
            if j < end, bytes[j] == quote {
                field.removeAll(keepingCapacity: true)
                j += 1
                while true {
                    guard j < end else { return complete ? names + [String(decoding: field, as: UTF8.self)] : nil }
                    if bytes[j] == quote {
                        if j + 1 < end, bytes[j + 1] == quote {
                            field.append(quote)
                            j += 2
                            continue
                        }
                        if j + 1 == end && !complete { return nil }
                        break
                    }
                    field.append(bytes[j])
                    j += 1
                }
                names.append(String(decoding: field, as: UTF8.self))
                j += 1
                while j < end, bytes[j] != delimiter, bytes[j] != newline, bytes[j] != carriageReturn { j += 1 }
            } else {
                j = i
                while j < end, bytes[j] != delimiter, bytes[j] != newline { j += 1 }
                var last = j
                if last > i, bytes[last - 1] == carriageReturn { last -= 1 }
                let blankLine = names.isEmpty && last == i && (j == end || bytes[j] == newline)
                if blankLine {
                    if j == end { return complete ? [] : nil }
                    i = j + 1
                    continue
                }
                var first = i
                while first < last, isSpace(bytes[first]) { first += 1 }
                while last > first, isSpace(bytes[last - 1]) { last -= 1 }
                names.append(String(decoding: bytes[first..<last], as: UTF8.self))
            }
            guard j < end else { return complete ? names : nil }
            if bytes[j] == delimiter {
                i = j + 1
                continue
            }
            // A line break (or a carriage return before one) ends the header.
            return names
        }
        return complete ? names : nil
    }
}

extension Load {
    /// The column names of the file a `load` step reads, from the first row of at most
    /// `CSVHeader.byteLimit` bytes, split at the delimiter `run` would use; nil when the header row
    /// is longer than that.
    ///
    /// - Throws: `EngineError` naming the file when it is missing, a directory, unreadable or empty,
    ///   or when the delimiter is not one `run` accepts.
    public static func header(of options: Options) throws -> [String]? {
        let delimiter = try delimiterByte(options)
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: options.path, isDirectory: &isDirectory) else {
            throw EngineError("no such file", file: options.path)
        }
        guard !isDirectory.boolValue else {
            throw EngineError("this is a directory; `path` must name a CSV file", file: options.path)
        }
        guard let handle = FileHandle(forReadingAtPath: options.path) else {
            throw EngineError("the file cannot be read; check its permissions", file: options.path)
        }
        defer { try? handle.close() }
        let bytes: [UInt8]
        do {
            // One byte past the limit tells whether the file goes on.
            bytes = [UInt8](try handle.read(upToCount: CSVHeader.byteLimit + 1) ?? Data())
        } catch {
            throw EngineError("the file cannot be read: \(error.localizedDescription)", file: options.path)
        }
        let complete = bytes.count <= CSVHeader.byteLimit
        let names = CSVHeader.names(
            in: bytes.prefix(CSVHeader.byteLimit), delimiter: delimiter, complete: complete)
        if names?.isEmpty == true {
            throw EngineError(
                "the file is empty; a CSV file needs a header row and at least one row of data", file: options.path)
        }
        return names
    }
}
