import Yams

/// Reads one YAML body into located values, collecting problems as diagnostics.
///
/// Before libyaml sees the text, each `${name}` is swapped for a placeholder of the same width (so
/// that YAML accepts it anywhere a value may stand and columns stay true), and bodies that are too
/// large, too deeply nested or use aliases are refused, so that no input can exhaust the stack or
/// expand exponentially.
struct YAMLReader {
    static let maximumBytes = 1 << 20
    static let maximumDepth = 64

    private(set) var body: YAMLBody
    let file: String
    private(set) var diagnostics: [Diagnostic] = []
    private var tokenizedLines: [String]

    init(_ body: YAMLBody, file: String) {
        self.body = body
        self.file = file
        self.tokenizedLines = body.lines.map(String.init)
    }

    /// The body as a step template, with `${name}` kept as parameter references.
    mutating func readTemplate() -> TemplateNode? {
        replaceInterpolations()
        guard let node = compose() else { return nil }
        var budget = 100_000
        return template(node, budget: &budget)
    }

    /// The body as plain values (front matter, `params`), where `${` has no meaning.
    mutating func readValues() -> ConfigNode? {
        guard let node = compose() else { return nil }
        var budget = 100_000
        return config(node, budget: &budget)
    }

    private mutating func error(_ message: String, at location: SourceLocation, suggestion: String? = nil) {
        diagnostics.append(.error(message, file: file, at: location, suggestion: suggestion))
    }

    // MARK: Interpolation

    private mutating func replaceInterpolations() {
        for index in tokenizedLines.indices {
            let line = Array(tokenizedLines[index].utf8)
            guard line.contains(UInt8(ascii: "$")) else { continue }
            var output: [UInt8] = []
            var i = 0
            while i < line.count {
                let dollar = UInt8(ascii: "$")
                let brace = UInt8(ascii: "{")
                if line[i] == dollar, i + 2 < line.count, line[i + 1] == dollar, line[i + 2] == brace {
                    output += placeholder(for: .literal("${"), width: 3)
                    i += 3
                } else if line[i] == dollar, i + 1 < line.count, line[i + 1] == brace {
                    let start = body.location(line: index, byteOffset: i)
                    guard let close = line[(i + 2)...].firstIndex(of: UInt8(ascii: "}")) else {
                        error("unclosed '${'; write '$${' for a literal '${'", at: start)
                        output += line[i...]
                        break
                    }
                    let name = String(decoding: line[(i + 2)..<close], as: UTF8.self)
                    if Identifier.isParameterName(name) {
                        output += placeholder(for: .parameter(name, start), width: close + 1 - i)
                    } else {
                        error("'${\(name)}' does not name a parameter: names are letters, digits and '_'", at: start)
                        output += line[i...close]
                    }
                    i = close + 1
                } else {
                    output.append(line[i])
                    i += 1
                }
            }
            tokenizedLines[index] = String(decoding: output, as: UTF8.self)
        }
        body.text = tokenizedLines.joined(separator: "\n") + "\n"
    }

    /// `⟦7⟧`, padded with `_` to `width` Unicode scalars so that later columns do not move.
    private mutating func placeholder(for token: YAMLBody.Token, width: Int) -> [UInt8] {
        let index = String(body.tokens.count)
        body.tokens.append(token)
        let padding = String(repeating: "_", count: max(0, width - 2 - index.count))
        return Array("⟦\(index)\(padding)⟧".utf8)
    }

    private func templateParts(_ text: String, at location: SourceLocation) -> [TemplateScalar.Part] {
        guard !body.tokens.isEmpty, text.contains("⟦") else { return [.text(text)] }
        var parts: [TemplateScalar.Part] = []
        var literal = ""
        var rest = Substring(text)
        while let open = rest.firstIndex(of: "⟦") {
            literal += rest[..<open]
            let after = rest[rest.index(after: open)...]
            let digits = after.prefix { $0.isASCIIDigit }
            let tail = after.dropFirst(digits.count).drop { $0 == "_" }
            if let index = Int(digits), index < body.tokens.count, tail.first == "⟧" {
                switch body.tokens[index] {
                case .literal(let text):
                    literal += text
                case .parameter(let name, let location):
                    if !literal.isEmpty { parts.append(.text(literal)) }
                    literal = ""
                    parts.append(.parameter(name, location))
                }
                rest = tail.dropFirst()
            } else {
                literal += "⟦"
                rest = after
            }
        }
        literal += rest
        if !literal.isEmpty || parts.isEmpty { parts.append(.text(literal)) }
        return parts
    }

    // MARK: Composition

    private mutating func compose() -> Node? {
        guard body.text.utf8.count <= Self.maximumBytes else {
            error(
                "this block is \(body.text.utf8.count) bytes; a block may hold at most 1 MiB",
                at: body.location(line: 1, scalarColumn: 1))
            return nil
        }
        if let problem = StructureScan.firstProblem(in: tokenizedLines, maximumDepth: Self.maximumDepth) {
            error(problem.message, at: body.location(line: problem.line, byteOffset: problem.column - 1))
            return nil
        }
        do {
            return try Yams.compose(yaml: body.text)
        } catch let yamlError as YamlError {
            report(yamlError)
        } catch {
            self.error("invalid YAML: \(error)", at: body.location(line: 1, scalarColumn: 1))
        }
        return nil
    }

    private mutating func report(_ yamlError: YamlError) {
        switch yamlError {
        case .scanner(let context, let problem, let mark, _),
            .parser(let context, let problem, let mark, _),
            .composer(let context, let problem, let mark, _):
            var message = "invalid YAML: \(problem)"
            if let context { message += " (\(context.text) at line \(body.location(context.mark).line))" }
            error(message, at: body.location(mark))
        case .duplicatedKeysInMapping(let duplicates, let context):
            let names = duplicates.map { "'\($0)'" }.joined(separator: ", ")
            error("duplicate key \(names)", at: body.location(context.mark))
        case .reader(let problem, _, _, _):
            error("invalid YAML: \(problem)", at: body.location(line: 1, scalarColumn: 1))
        default:
            error("invalid YAML: \(yamlError)", at: body.location(line: 1, scalarColumn: 1))
        }
    }

    // MARK: Conversion

    private mutating func template(_ node: Node, budget: inout Int) -> TemplateNode? {
        budget -= 1
        if budget == 0 { error("this block holds more than 100000 values", at: body.location(node.mark)) }
        guard budget > 0 else { return nil }
        let location = body.location(node.mark)
        switch node {
        case .scalar(let scalar):
            let isPlain = scalar.style == .plain
            return TemplateNode(
                .scalar(TemplateScalar(parts: templateParts(scalar.string, at: location), isPlain: isPlain, tag: nil)),
                at: location)
        case .sequence(let sequence):
            var items: [TemplateNode] = []
            for item in sequence {
                guard let converted = template(item, budget: &budget) else { return nil }
                items.append(converted)
            }
            return TemplateNode(.sequence(items), at: location)
        case .mapping(let mapping):
            var entries: [TemplateEntry] = []
            for (key, value) in mapping {
                guard let name = keyName(key) else { continue }
                guard let converted = template(value, budget: &budget) else { return nil }
                entries.append(TemplateEntry(key: name, keyLocation: body.location(key.mark), value: converted))
            }
            return TemplateNode(.mapping(entries), at: location)
        case .alias:
            error("YAML aliases are not supported in notebooks; write the value out", at: location)
            return nil
        }
    }

    private mutating func config(_ node: Node, budget: inout Int) -> ConfigNode? {
        budget -= 1
        if budget == 0 { error("this block holds more than 100000 values", at: body.location(node.mark)) }
        guard budget > 0 else { return nil }
        let location = body.location(node.mark)
        switch node {
        case .scalar(let scalar):
            let value: ConfigValue =
                scalar.style == .plain ? ScalarResolver.resolve(scalar.string, tag: nil) : .string(scalar.string)
            return ConfigNode(value, at: location)
        case .sequence(let sequence):
            var items: [ConfigNode] = []
            for item in sequence {
                guard let converted = config(item, budget: &budget) else { return nil }
                items.append(converted)
            }
            return ConfigNode(.list(items), at: location)
        case .mapping(let mapping):
            var entries: [ConfigEntry] = []
            for (key, value) in mapping {
                guard let name = keyName(key) else { continue }
                guard let converted = config(value, budget: &budget) else { return nil }
                entries.append(ConfigEntry(key: name, keyLocation: body.location(key.mark), value: converted))
            }
            return ConfigNode(.mapping(entries), at: location)
        case .alias:
            error("YAML aliases are not supported in notebooks; write the value out", at: location)
            return nil
        }
    }

    /// A mapping key as a plain name; collections and interpolations as keys are reported.
    private mutating func keyName(_ key: Node) -> String? {
        let location = body.location(key.mark)
        guard case .scalar(let scalar) = key else {
            error("a key must be a name, not \(key.mapping != nil ? "a mapping" : "a list")", at: location)
            return nil
        }
        let parts = templateParts(scalar.string, at: location)
        guard parts.count == 1, case .text(let text) = parts[0] else {
            error("parameters cannot be used in keys", at: location)
            return nil
        }
        return text
    }
}

extension Array {
    subscript(safe index: Int) -> Element? {
        indices.contains(index) ? self[index] : nil
    }
}
