import CCmark

#if canImport(Glibc)
    import Glibc
#endif

/// Markdown rendered as HTML by cmark with its safe default: raw HTML and `javascript:` links are
/// neutralised, so that a notebook's prose cannot inject markup into a report.
public enum MarkdownHTML {
    public static func render(_ markdown: String) -> String {
        guard let html = cmark_markdown_to_html(markdown, markdown.utf8.count, CMARK_OPT_DEFAULT) else { return "" }
        defer { free(html) }
        return String(cString: html)
    }
}

/// What Athanor needs of cmark's tree, as plain values: the fenced code blocks and the inline code
/// spans. The only file that imports CCmark; every cmark object is freed before `scan` returns.
struct MarkdownScanner {
    struct FencedBlock {
        /// The info string after the fence, trimmed: `step data`, `params`.
        var info: String
        /// 1-based lines of the opening fence and of the block's last line.
        var firstLine: Int
        var lastLine: Int
        /// 1-based byte column where the fence starts.
        var column: Int
        /// A direct child of the document, rather than inside a list or quote.
        var isTopLevel: Bool
    }

    struct CodeSpan {
        var text: String
        var line: Int
        var column: Int
    }

    var fencedBlocks: [FencedBlock] = []
    var codeSpans: [CodeSpan] = []

    /// Scans `markdown`; inline code spans are kept only when their text starts with `prefix`.
    static func scan(_ markdown: String, codeSpanPrefix prefix: String) -> MarkdownScanner {
        var result = MarkdownScanner()
        let length = markdown.utf8.count
        guard let document = cmark_parse_document(markdown, length, CMARK_OPT_DEFAULT) else { return result }
        defer { cmark_node_free(document) }
        guard let iterator = cmark_iter_new(document) else { return result }
        defer { cmark_iter_free(iterator) }
        var paragraphLine = 1
        var paragraphColumn = 1
        while true {
            let event = cmark_iter_next(iterator)
            if event == CMARK_EVENT_DONE { break }
            guard event == CMARK_EVENT_ENTER, let node = cmark_iter_get_node(iterator) else { continue }
            switch cmark_node_get_type(node) {
            case CMARK_NODE_CODE_BLOCK:
                // Indented code blocks have no fence and so no info string.
                guard let info = cmark_node_get_fence_info(node).map({ String(cString: $0) }), !info.isEmpty else {
                    continue
                }
                let parent = cmark_node_parent(node)
                result.fencedBlocks.append(
                    FencedBlock(
                        info: info.trimming(" \t"),
                        firstLine: Int(cmark_node_get_start_line(node)),
                        lastLine: Int(cmark_node_get_end_line(node)),
                        column: Int(cmark_node_get_start_column(node)),
                        isTopLevel: parent.map { cmark_node_get_type($0) == CMARK_NODE_DOCUMENT } ?? false))
            case CMARK_NODE_PARAGRAPH, CMARK_NODE_HEADING:
                paragraphLine = Int(cmark_node_get_start_line(node))
                paragraphColumn = Int(cmark_node_get_start_column(node))
            case CMARK_NODE_CODE:
                guard let literal = cmark_node_get_literal(node).map({ String(cString: $0) }),
                    literal.hasPrefix(prefix)
                else { continue }
                let line = Int(cmark_node_get_start_line(node))
                let column = Int(cmark_node_get_start_column(node))
                result.codeSpans.append(
                    CodeSpan(
                        text: literal, line: line > 0 ? line : paragraphLine,
                        column: line > 0 ? column : paragraphColumn))
            default:
                break
            }
        }
        return result
    }
}

extension StringProtocol {
    /// The text without leading and trailing characters of `set`.
    func trimming(_ set: String) -> String {
        let characters = Set(set)
        guard let first = firstIndex(where: { !characters.contains($0) }),
            let last = lastIndex(where: { !characters.contains($0) })
        else { return "" }
        return String(self[first...last])
    }
}
