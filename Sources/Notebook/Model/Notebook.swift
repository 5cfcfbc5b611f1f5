/// A parsed notebook: front matter, and the document as prose, `params` and `step` blocks, in order.
public struct Notebook: Sendable, Hashable {
    /// The path the notebook was read from, as given; diagnostics name it.
    public var path: String
    /// The full text, front matter included.
    public var source: String
    public var frontMatter: FrontMatter
    public var blocks: [Block]
    /// Inline code spans such as `` `=eval.accuracy` ``, in document order.
    public var inlineResults: [InlineResult]
    /// Steps whose fence names them but whose body could not be read (a YAML error, already reported):
    /// what refers to them gets no second "unknown step" error.
    public var unreadableSteps: Set<String> = []

    public init(
        path: String, source: String, frontMatter: FrontMatter, blocks: [Block], inlineResults: [InlineResult]
    ) {
        self.path = path
        self.source = source
        self.frontMatter = frontMatter
        self.blocks = blocks
        self.inlineResults = inlineResults
    }

    /// Every parameter of every `params` block, in the order declared.
    public var parameters: [Parameter] {
        blocks.flatMap { block -> [Parameter] in
            if case .params(let params) = block { return params.parameters }
            return []
        }
    }

    /// Default values by name.
    public var defaultValues: [String: ParameterValue] {
        Dictionary(parameters.map { ($0.name, $0.value) }, uniquingKeysWith: { first, _ in first })
    }

    public var steps: [StepBlock] {
        blocks.compactMap {
            if case .step(let step) = $0 { return step }
            return nil
        }
    }
}

/// A source range of whole lines, 1-based and inclusive.
public struct LineRange: Sendable, Hashable {
    public var first: Int
    public var last: Int

    public init(_ first: Int, _ last: Int) {
        self.first = first
        self.last = last
    }
}

/// The YAML header between `---` lines.
public struct FrontMatter: Sendable, Hashable {
    public var title: String?
    public var description: String?
    public var authors: [String]
    public var tags: [String]
    /// The lines it spans, fences included; nil when the notebook has none.
    public var lines: LineRange?

    public init(
        title: String? = nil, description: String? = nil, authors: [String] = [], tags: [String] = [],
        lines: LineRange? = nil
    ) {
        self.title = title
        self.description = description
        self.authors = authors
        self.tags = tags
        self.lines = lines
    }
}

public enum Block: Sendable, Hashable {
    /// Markdown rendered as written.
    case prose(ProseBlock)
    case params(ParamsBlock)
    case step(StepBlock)
}

public struct ProseBlock: Sendable, Hashable {
    /// The Markdown source of these lines.
    public var markdown: String
    public var lines: LineRange
}

/// A ```` ```params ```` block.
public struct ParamsBlock: Sendable, Hashable {
    public var parameters: [Parameter]
    /// The lines of the block, fences included.
    public var lines: LineRange
}

public struct Parameter: Sendable, Hashable {
    public var name: String
    public var value: ParameterValue
    /// The trailing `# comment` of its line, shown in the report.
    public var description: String?
    public var location: SourceLocation

    public var type: ParameterType { value.type }
}

/// A ```` ```step NAME ```` block, or a code step ```` ```python step NAME ````.
public struct StepBlock: Sendable, Hashable {
    public var name: String
    /// Where the name stands on the fence line.
    public var nameLocation: SourceLocation
    /// The body as written, with `${...}` still in place; a code step's `#|` options.
    public var body: TemplateNode
    /// The body's YAML text as written; a code step's options without their `#| ` prefix.
    public var bodyText: String
    /// The lines of the block, fences included.
    public var lines: LineRange
    /// A code step's code; nil for a ```` ```step NAME ```` block, whose body is all there is.
    public var code: CodeBody? = nil

    /// The fence line's position, where problems of the step as a whole are reported.
    public var location: SourceLocation { SourceLocation(line: lines.first, column: 1) }

    /// The body with parameters' values in place.
    public func configuration(with parameters: [String: ParameterValue]) -> ConfigNode {
        body.resolved(with: parameters)
    }
}

/// The languages a code step may be written in: the word before `step` on its fence line.
public enum CodeLanguage: String, Sendable, Hashable, CaseIterable {
    case python
    case sh
    case bash
}

/// The code of a code step, exactly as written below its `#|` options: `${...}` means nothing here,
/// since parameters reach the code as variables.
public struct CodeBody: Sendable, Hashable {
    public var language: CodeLanguage
    /// The code's lines, each ending in a newline, without the fence's indentation.
    public var text: String
    /// The file line of the code's first line, so that a line of the code maps back to the notebook.
    public var firstLine: Int
    /// Bytes of the fence's indentation cut from the start of each line, by line of the code.
    public var indents: [Int]

    public init(language: CodeLanguage, text: String, firstLine: Int, indents: [Int]) {
        self.language = language
        self.text = text
        self.firstLine = firstLine
        self.indents = indents
    }
}

/// An inline code span whose text starts with `=`: `=STEP.METRIC` or `=PARAMETER`, replaced in the
/// report by the recorded value.
public struct InlineResult: Sendable, Hashable {
    /// The text after `=`, trimmed.
    public var expression: String
    public var location: SourceLocation

    /// `eval` of `eval.accuracy`; the whole expression when it has no dot.
    public var subject: String {
        String(expression.prefix { $0 != "." })
    }

    /// `accuracy` of `eval.accuracy`; nil when there is no dot.
    public var member: String? {
        guard let dot = expression.firstIndex(of: ".") else { return nil }
        return String(expression[expression.index(after: dot)...])
    }
}
