import Foundation

/// The page's table of contents, and the `id`s it links to: the report's own sections, the notebook's
/// headings (h1 to h3) and, under the heading they follow, its steps.
///
/// A heading's id is its text as a slug (`## Model evaluation` → `model-evaluation`), so that a link to
/// it keeps working from one run of the notebook to the next; a slug already taken (by the report's
/// sections, a step or an earlier heading) gets `-1`, `-2`… as GitHub numbers repeated headings.
struct Outline {
    struct Step {
        var name: String
        var op: String
        var status: String
    }

    struct Group {
        var id: String?
        var label: String?
        var steps: [Step] = []
    }

    private var used: Set<String>
    private(set) var groups: [Group] = []

    /// `reserved` are the ids the page gives its own sections; `steps` the notebook's step names, whose
    /// sections are `step-NAME`.
    init(reserved: [String], steps: [String]) {
        used = Set(reserved + steps.flatMap { ["step-\($0)", "step-\($0)-title"] })
    }

    /// `html` with an `id` on each heading cmark wrote (`<h2>` has no attributes), those of levels 1 to
    /// 3 entered in the outline.
    mutating func anchorHeadings(_ html: String) -> String {
        var out = ""
        var rest = html[...]
        while let open = rest.range(of: #"<h[1-6]>"#, options: .regularExpression) {
            let level = rest[rest.index(open.lowerBound, offsetBy: 2)]
            guard let close = rest[open.upperBound...].range(of: "</h\(level)>") else { break }
            let inner = rest[open.upperBound..<close.lowerBound]
            let label = Self.plainText(String(inner))
            let id = unique(Self.slug(label))
            out += rest[..<open.lowerBound]
            out += "<h\(level) id=\"\(id)\">\(inner)</h\(level)>"
            if level <= "3" { groups.append(Group(id: id, label: label)) }
            rest = rest[close.upperBound...]
        }
        return out + rest
    }

    /// Enters a step under the latest heading.
    mutating func add(step name: String, op: String, status: String) {
        if groups.isEmpty { groups.append(Group()) }
        groups[groups.count - 1].steps.append(Step(name: name, op: op, status: status))
    }

    /// The notebook's part of the table of contents, for the template; every key set, so that none is
    /// looked up in the page around it.
    var items: [[String: Any]] {
        groups.map { group in
            [
                "heading": group.label != nil, "id": group.id ?? "", "label": group.label ?? "",
                "hasSteps": !group.steps.isEmpty,
                "steps": group.steps.map { step -> [String: Any] in
                    [
                        "name": step.name, "op": step.op, "status": step.status,
                        "failed": step.status == "failed", "notRun": step.status == "not_run",
                    ]
                },
            ]
        }
    }

    private mutating func unique(_ slug: String) -> String {
        var candidate = slug
        var number = 0
        while used.contains(candidate) {
            number += 1
            candidate = "\(slug)-\(number)"
        }
        used.insert(candidate)
        return candidate
    }

    /// Lower-case letters and digits, each run of anything else one `-`: `Results (test set)` →
    /// `results-test-set`; `section` for a heading of punctuation only.
    static func slug(_ text: String) -> String {
        var out = ""
        var pendingDash = false
        for character in text.lowercased() {
            if character.isLetter || character.isNumber {
                if pendingDash && !out.isEmpty { out += "-" }
                pendingDash = false
                out.append(character)
            } else {
                pendingDash = true
            }
        }
        return out.isEmpty ? "section" : out
    }

    /// The text of an HTML fragment cmark wrote: tags dropped, its five entities read back.
    static func plainText(_ html: String) -> String {
        let text = html.replacingOccurrences(of: #"<[^>]*>"#, with: "", options: .regularExpression)
        return text.replacingOccurrences(of: "&lt;", with: "<").replacingOccurrences(of: "&gt;", with: ">")
            .replacingOccurrences(of: "&quot;", with: "\"").replacingOccurrences(of: "&#39;", with: "'")
            .replacingOccurrences(of: "&amp;", with: "&")
    }
}
