import Foundation

#if canImport(Glibc)
    import Glibc
#endif

extension MetricsFile {
    /// A line of the common shape, read without JSONDecoder: one object whose keys are `name` (plain ASCII text,
    /// without escapes), `value` and optionally `step` (JSON numbers), each once, in any order.
    ///
    /// `init` returns nil for anything else, escapes, other keys, `null`, a number too large for a Double, bad
    /// JSON, which then goes to JSONDecoder: the quick path decides nothing that JSONDecoder would decide
    /// differently, it only gets there sooner.
    struct QuickLine: Equatable {
        /// Where the name's bytes are in the line, between its quotes.
        var name: Range<Int>
        var value: Double
        var step: Double?

        init?(_ line: UnsafeBufferPointer<UInt8>) {
            var reader = LineCursor(bytes: line)
            var name: Range<Int>?
            var value: Double?
            var step: Double?
            var hasStep = false
            reader.skipSpace()
            guard reader.take(UInt8(ascii: "{")) else { return nil }
            repeat {
                reader.skipSpace()
                guard let key = reader.plainString() else { return nil }
                reader.skipSpace()
                guard reader.take(UInt8(ascii: ":")) else { return nil }
                reader.skipSpace()
                switch Key(line, key) {
                case .name?:
                    guard name == nil, let text = reader.plainString() else { return nil }
                    name = text
                case .value?:
                    guard value == nil, let number = reader.number() else { return nil }
                    value = number
                case .step?:
                    guard !hasStep, let number = reader.number() else { return nil }
                    (step, hasStep) = (number, true)
                case nil:
                    return nil
                }
                reader.skipSpace()
            } while reader.take(UInt8(ascii: ","))
            guard reader.take(UInt8(ascii: "}")) else { return nil }
            reader.skipSpace()
            guard reader.isAtEnd, let name, let value else { return nil }
            self.name = name
            self.value = value
            self.step = step
        }

        private enum Key {
            case name, value, step

            init?(_ line: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) {
                let key = UnsafeBufferPointer(rebasing: line[range])
                if Self.equal(key, "name") {
                    self = .name
                } else if Self.equal(key, "value") {
                    self = .value
                } else if Self.equal(key, "step") {
                    self = .step
                } else {
                    return nil
                }
            }

            /// Whether `key` holds the bytes of `literal`: compared as memory, once a line.
            private static func equal(_ key: UnsafeBufferPointer<UInt8>, _ literal: StaticString) -> Bool {
                guard key.count == literal.utf8CodeUnitCount, let base = key.baseAddress else { return false }
                return memcmp(base, literal.utf8Start, key.count) == 0
            }
        }
    }

    /// A cursor over a line's bytes that reads the few JSON tokens `QuickLine` accepts.
    private struct LineCursor {
        let bytes: UnsafeBufferPointer<UInt8>
        var position = 0

        var isAtEnd: Bool { position == bytes.count }

        private var current: UInt8? { position < bytes.count ? bytes[position] : nil }

        /// Skips JSON's white space; a line holds no newline.
        mutating func skipSpace() {
            while let byte = current, byte == 0x20 || byte == 0x09 || byte == 0x0D { position += 1 }
        }

        mutating func take(_ byte: UInt8) -> Bool {
            guard current == byte else { return false }
            position += 1
            return true
        }

        /// The bytes between the quotes of a string of printable ASCII without escapes.
        mutating func plainString() -> Range<Int>? {
            guard take(UInt8(ascii: "\"")) else { return nil }
            let start = position
            while let byte = current, byte != UInt8(ascii: "\"") {
                guard byte >= 0x20, byte < 0x7F, byte != UInt8(ascii: "\\") else { return nil }
                position += 1
            }
            guard current != nil else { return nil }
            position += 1
            return start..<(position - 1)
        }

        /// A number as JSON writes it (`-?(0|[1-9][0-9]*)(\.[0-9]+)?([eE][+-]?[0-9]+)?`), correctly rounded;
        /// nil when it is not one or overflows a Double.
        mutating func number() -> Double? {
            let start = position
            let negative = take(UInt8(ascii: "-"))
            // Up to 19 significant digits are kept exactly in `mantissa`; `exponent` scales it.
            var mantissa: UInt64 = 0
            var significant = 0
            var exponent = 0
            var exact = true
            func digit(_ byte: UInt8, fraction: Bool) {
                let value = UInt64(byte &- UInt8(ascii: "0"))
                if mantissa == 0 && value == 0 {
                    if fraction { exponent -= 1 }
                    return
                }
                if significant < 19 {
                    mantissa = mantissa * 10 + value
                    significant += 1
                    if fraction { exponent -= 1 }
                } else {
                    exact = false
                    if !fraction { exponent += 1 }
                }
            }
            guard let first = current, isDigit(first) else { return nil }
            if first == UInt8(ascii: "0") {
                position += 1
            } else {
                while let byte = current, isDigit(byte) {
                    digit(byte, fraction: false)
                    position += 1
                }
            }
            if take(UInt8(ascii: ".")) {
                guard let byte = current, isDigit(byte) else { return nil }
                while let byte = current, isDigit(byte) {
                    digit(byte, fraction: true)
                    position += 1
                }
            }
            if current == UInt8(ascii: "e") || current == UInt8(ascii: "E") {
                position += 1
                let negativeExponent = take(UInt8(ascii: "-"))
                if !negativeExponent { _ = take(UInt8(ascii: "+")) }
                guard let byte = current, isDigit(byte) else { return nil }
                var written = 0
                while let byte = current, isDigit(byte) {
                    written = min(written * 10 + Int(byte - UInt8(ascii: "0")), 100_000)
                    position += 1
                }
                exponent += negativeExponent ? -written : written
            }
            // Both operands exact and one rounding: the correctly rounded value (Clinger's fast path).
            if exact, mantissa < 1 << 53, abs(exponent) <= 22 {
                let scale = Self.powersOfTen[abs(exponent)]
                let magnitude = exponent < 0 ? Double(mantissa) / scale : Double(mantissa) * scale
                return negative ? -magnitude : magnitude
            }
            if exact, let magnitude = Self.extended(mantissa, exponent) {
                return negative ? -magnitude : magnitude
            }
            let text = String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
            // Overflow, and underflow to zero, are JSONDecoder's to judge.
            guard let value = Double(text), value.isFinite, value != 0 || mantissa == 0 else { return nil }
            return value
        }

        private func isDigit(_ byte: UInt8) -> Bool {
            byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9")
        }

        /// `mantissa` × 10^`exponent` correctly rounded, for the 16 to 19 digits a Double's repr prints (`0.1 / 3`
        /// is 0.03333333333333333), which Clinger's path cannot take; nil when this way cannot tell.
        ///
        /// Both operands are exact in a Float80 (64 significant bits: 19 digits, and 10^27), so its one operation
        /// rounds once; rounding that to a Double rounds the exact value the same way unless the Float80 lands
        /// on a midpoint between two Doubles (monotonic rounding keeps it on the exact value's side otherwise),
        /// which is left to `Double(String)`. Results stay far from the subnormals, whose midpoints differ.
        private static func extended(_ mantissa: UInt64, _ exponent: Int) -> Double? {
            #if arch(x86_64) && !os(Windows)
                guard mantissa != 0, abs(exponent) <= 22 else { return nil }
                let scale = Float80(powersOfTen[abs(exponent)])
                let value = exponent < 0 ? Float80(mantissa) / scale : Float80(mantissa) * scale
                // The 11 bits a Double drops are exactly one half: a midpoint, or too close to judge here.
                guard value.significandBitPattern & 0x7FF != 0x400 else { return nil }
                return Double(value)
            #else
                return nil
            #endif
        }

        /// 1e0 through 1e22, each exact in a Double.
        private static let powersOfTen: [Double] = (0...22).map { exponent in
            (0..<exponent).reduce(1.0) { value, _ in value * 10 }
        }
    }
}
