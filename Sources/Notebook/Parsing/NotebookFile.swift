import Foundation

/// Reading a notebook from disk, with a clear diagnostic for each way a file can be unusable.
public enum NotebookFile {
    public static func read(_ path: String) -> Result<String, Diagnostic> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            return .failure(.error("no such file", file: path, at: nil))
        }
        if isDirectory.boolValue {
            return .failure(.error("is a directory, not a notebook", file: path, at: nil))
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            return .failure(.error("cannot read the file (permission denied?)", file: path, at: nil))
        }
        guard var text = String(validatingUTF8: data) else {
            return .failure(.error("the file is not UTF-8 text\(firstInvalidByte(in: data))", file: path, at: nil))
        }
        if text.hasPrefix("\u{FEFF}") { text.removeFirst() }
        if text.allSatisfy(\.isWhitespace) {
            return .failure(.error("the notebook is empty", file: path, at: SourceLocation(line: 1, column: 1)))
        }
        return .success(text)
    }

    /// Reads and parses; a file that cannot be read gives a notebook-less result with its diagnostic.
    public static func parse(_ path: String) -> Result<ParsedNotebook, Diagnostic> {
        read(path).map { NotebookParser.parse($0, path: path) }
    }

    private static func firstInvalidByte(in data: Data) -> String {
        var line = 1
        var offset = 0
        let bytes = [UInt8](data)
        while offset < bytes.count {
            let length = sequenceLength(bytes, at: offset)
            if length == 0 { return " (invalid byte 0x\(String(bytes[offset], radix: 16)) on line \(line))" }
            if bytes[offset] == 10 { line += 1 }
            offset += length
        }
        return ""
    }

    /// The length of the well-formed UTF-8 sequence at `offset`, or 0 if there is none.
    private static func sequenceLength(_ bytes: [UInt8], at offset: Int) -> Int {
        let first = bytes[offset]
        let length: Int
        switch first {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF: length = 2
        case 0xE0...0xEF: length = 3
        case 0xF0...0xF4: length = 4
        default: return 0
        }
        guard offset + length <= bytes.count,
            bytes[(offset + 1)..<(offset + length)].allSatisfy({ $0 & 0xC0 == 0x80 })
        else { return 0 }
        return length
    }
}

extension String {
    /// Strict UTF-8 decoding: nil where `String(decoding:as:)` would repair the bytes.
    init?(validatingUTF8 data: Data) {
        guard let text = String(data: data, encoding: .utf8) else { return nil }
        self = text
    }
}
