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

/// A ```` ```step NAME ```` block.
public struct StepBlock: Sendable, Hashable {
    public var name: String
    /// Where the name stands on the fence line.
    public var nameLocation: SourceLocation
    /// The body as written, with `${...}` still in place.
    public var body: TemplateNode
    /// The body's YAML text as written.
    public var bodyText: String
    /// The lines of the block, fences included.
    public var lines: LineRange

    /// The fence line's position, where problems of the step as a whole are reported.
    public var location: SourceLocation { SourceLocation(line: lines.first, column: 1) }

    /// The body with parameters' values in place.
    public func configuration(with parameters: [String: ParameterValue]) -> ConfigNode {
        body.resolved(with: parameters)
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
