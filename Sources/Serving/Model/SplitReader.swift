import Foundation
import Workflows

/// The request most clients send, `{"dataframe_split": {"columns": [names], "data": [[values]]}}`, read byte by
/// byte: `JSONSerialization` makes an `NSNumber` of every number, which cost a tenth of a single-row request.
///
/// It reads that shape and nothing else: strict JSON (numbers by the JSON grammar, no escape in a string) with
/// exactly those keys, each once. Any other body, valid or not, is nil, and `ScoringRequest.general` reads it
/// or says what is wrong with it, so that this changes no answer, only its speed.
enum SplitReader {
    static func table(_ body: Data) -> RawTable? {
        body.withUnsafeBytes { bytes in
            var reader = Cursor(bytes: bytes)
            return reader.body()
        }
    }

    private struct Cursor {
        let bytes: UnsafeRawBufferPointer
        var at = 0

        /// The whole body: one object of one key.
        mutating func body() -> RawTable? {
            guard take(UInt8(ascii: "{")), string() == "dataframe_split", take(UInt8(ascii: ":")),
                let table = split(), take(UInt8(ascii: "}"))
            else { return nil }
            skipSpace()
            return at == bytes.count ? table : nil
        }

        /// `{"columns": [...], "data": [[...]]}`, in either order.
        mutating func split() -> RawTable? {
            guard take(UInt8(ascii: "{")) else { return nil }
            var columns: [String]?
            var rows: [[RawValue]]?
            repeat {
                switch string() {
                case "columns" where columns == nil:
                    guard take(UInt8(ascii: ":")), let names = list({ $0.string() }) else { return nil }
                    columns = names
                case "data" where rows == nil:
                    guard take(UInt8(ascii: ":")), let data = list({ $0.list({ $0.value() }) }) else { return nil }
                    rows = data
                default:
                    return nil
                }
            } while take(UInt8(ascii: ","))
            guard take(UInt8(ascii: "}")), let columns, let rows else { return nil }
            return RawTable(columns: columns, rows: rows)
        }

        /// `[item, …]`.
        mutating func list<T>(_ item: (inout Cursor) -> T?) -> [T]? {
            guard take(UInt8(ascii: "[")) else { return nil }
            var items: [T] = []
            if take(UInt8(ascii: "]")) { return items }
            repeat {
                guard let next = item(&self) else { return nil }
                items.append(next)
            } while take(UInt8(ascii: ","))
            return take(UInt8(ascii: "]")) ? items : nil
        }

        /// A number, text, null, true or false (as the general way reads a Boolean: its text).
        mutating func value() -> RawValue? {
            skipSpace()
            guard at < bytes.count else { return nil }
            switch bytes[at] {
            case UInt8(ascii: "\""): return string().map(RawValue.text)
            case UInt8(ascii: "n"): return word("null") ? .missing : nil
            case UInt8(ascii: "t"): return word("true") ? .text("true") : nil
            case UInt8(ascii: "f"): return word("false") ? .text("false") : nil
            default: return number().map(RawValue.number)
            }
        }

        /// A string of UTF-8 without escapes or control characters.
        mutating func string() -> String? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = at
            while at < bytes.count {
                let byte = bytes[at]
                if byte == UInt8(ascii: "\"") {
                    at += 1
                    // Not UTF-8: the general way refuses the body.
                    return String(validating: UnsafeRawBufferPointer(rebasing: bytes[start..<(at - 1)]), as: UTF8.self)
                }
                if byte == UInt8(ascii: "\\") || byte < 0x20 { return nil }
                at += 1
            }
            return nil
        }

        /// A number by JSON's grammar: `-? (0 | [1-9][0-9]*) (. [0-9]+)? ([eE] [+-]? [0-9]+)?`.
        mutating func number() -> Double? {
            let start = at
            func digits() -> Int {
                let first = at
                while at < bytes.count, bytes[at] >= UInt8(ascii: "0"), bytes[at] <= UInt8(ascii: "9") { at += 1 }
                return at - first
            }
            if at < bytes.count, bytes[at] == UInt8(ascii: "-") { at += 1 }
            guard at < bytes.count else { return nil }
            if bytes[at] == UInt8(ascii: "0") {
                at += 1
            } else if digits() == 0 {
                return nil
            }
            if at < bytes.count, bytes[at] == UInt8(ascii: ".") {
                at += 1
                guard digits() > 0 else { return nil }
            }
            if at < bytes.count, bytes[at] | 0x20 == UInt8(ascii: "e") {
                at += 1
                if at < bytes.count, bytes[at] == UInt8(ascii: "+") || bytes[at] == UInt8(ascii: "-") { at += 1 }
                guard digits() > 0 else { return nil }
            }
            let text = String(decoding: UnsafeRawBufferPointer(rebasing: bytes[start..<at]), as: UTF8.self)
            // Too large for a double: the general way says so.
            return Double(text).flatMap { $0.isFinite ? $0 : nil }
        }

        mutating func word(_ word: StaticString) -> Bool {
            let count = word.utf8CodeUnitCount
            guard at + count <= bytes.count else { return false }
            let expected = UnsafeRawBufferPointer(start: word.utf8Start, count: count)
            guard bytes[at..<(at + count)].elementsEqual(expected) else { return false }
            at += count
            return true
        }

        /// Whether the next byte past white space is `byte`, taken if it is.
        mutating func take(_ byte: UInt8) -> Bool {
            skipSpace()
            guard at < bytes.count, bytes[at] == byte else { return false }
            at += 1
            return true
        }

        mutating func skipSpace() {
            while at < bytes.count {
                switch bytes[at] {
                case 0x20, 0x09, 0x0A, 0x0D: at += 1
                default: return
                }
            }
        }
    }
}
