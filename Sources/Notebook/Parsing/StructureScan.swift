/// A quick lexical pass over YAML text that finds what must not reach the parser: aliases and
/// anchors (which can expand exponentially) and nesting deep enough to exhaust the stack.
///
/// It is deliberately conservative: it over-counts depth rather than under-counts.
enum StructureScan {
    struct Problem {
        /// 0-based line index in the body.
        var line: Int
        /// 1-based byte column.
        var column: Int
        var message: String
    }

    static func firstProblem(in lines: [String], maximumDepth: Int) -> Problem? {
        var indents: [Int] = []
        var flowDepth = 0
        var quote: UInt8? = nil
        var blockScalarParent: Int? = nil
        for (index, text) in lines.enumerated() {
            let line = Array(text.utf8)
            let indent = line.prefix { $0 == space }.count
            let isBlank = indent == line.count || line[indent] == hash
            if let parent = blockScalarParent {
                if isBlank || indent > parent { continue }
                blockScalarParent = nil
            }
            if isBlank && quote == nil { continue }
            if quote == nil, flowDepth == 0 {
                while let last = indents.last, last > indent { indents.removeLast() }
                if indents.last.map({ $0 < indent }) ?? true { indents.append(indent) }
            }
            var leading = 0
            var atNodeStart = true
            var i = indent
            var previous: UInt8 = space
            while i < line.count {
                let c = line[i]
                if let open = quote {
                    if c == open {
                        if open == singleQuote, i + 1 < line.count, line[i + 1] == singleQuote {
                            i += 2
                            continue
                        }
                        quote = nil
                    } else if c == backslash, open == doubleQuote {
                        i += 1
                    }
                    previous = c
                    i += 1
                    continue
                }
                if c == hash, previous == space || previous == tab { break }
                if atNodeStart {
                    if c == space || c == tab {
                        previous = c
                        i += 1
                        continue
                    }
                    if c == ampersand || c == star, i + 1 < line.count, line[i + 1] != space {
                        return Problem(
                            line: index, column: i + 1,
                            message: "YAML anchors and aliases are not supported in notebooks; write the value out")
                    }
                    if c == dash || c == question, i + 1 == line.count || line[i + 1] == space {
                        if flowDepth == 0 { leading += 1 }
                        previous = c
                        i += 1
                        continue
                    }
                    atNodeStart = false
                }
                switch c {
                case singleQuote, doubleQuote:
                    if previous == space || previous == tab || previous == colon || previous == comma
                        || previous == openBracket || previous == openBrace || i == indent
                    {
                        quote = c
                    }
                case openBracket, openBrace:
                    flowDepth += 1
                    atNodeStart = true
                case closeBracket, closeBrace:
                    flowDepth = max(0, flowDepth - 1)
                case comma:
                    if flowDepth > 0 { atNodeStart = true }
                case colon:
                    if i + 1 == line.count || line[i + 1] == space || line[i + 1] == tab || flowDepth > 0 {
                        atNodeStart = true
                        if flowDepth == 0 { leading += 1 }
                    }
                case pipe, greater:
                    if previous == space || i == indent {
                        let rest = line[(i + 1)...].prefix { $0 != hash }
                        if rest.allSatisfy({ $0 == space || $0 == plus || $0 == dash || (48...57).contains($0) }) {
                            blockScalarParent = indent
                        }
                    }
                default:
                    break
                }
                if indents.count + leading + flowDepth > maximumDepth {
                    return Problem(
                        line: index, column: i + 1, message: "YAML nested more than \(maximumDepth) levels deep")
                }
                previous = c
                i += 1
            }
            if indents.count + leading + flowDepth > maximumDepth {
                return Problem(
                    line: index, column: indent + 1, message: "YAML nested more than \(maximumDepth) levels deep")
            }
        }
        return nil
    }

    private static let space = UInt8(ascii: " ")
    private static let tab = UInt8(ascii: "\t")
    private static let hash = UInt8(ascii: "#")
    private static let ampersand = UInt8(ascii: "&")
    private static let star = UInt8(ascii: "*")
    private static let dash = UInt8(ascii: "-")
    private static let question = UInt8(ascii: "?")
    private static let colon = UInt8(ascii: ":")
    private static let comma = UInt8(ascii: ",")
    private static let singleQuote = UInt8(ascii: "'")
    private static let doubleQuote = UInt8(ascii: "\"")
    private static let backslash = UInt8(ascii: "\\")
    private static let openBracket = UInt8(ascii: "[")
    private static let closeBracket = UInt8(ascii: "]")
    private static let openBrace = UInt8(ascii: "{")
    private static let closeBrace = UInt8(ascii: "}")
    private static let pipe = UInt8(ascii: "|")
    private static let greater = UInt8(ascii: ">")
    private static let plus = UInt8(ascii: "+")
}
