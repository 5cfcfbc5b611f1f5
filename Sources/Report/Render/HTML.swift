/// Text made safe for the places a report puts it.
enum HTML {
    /// `text` as element content or a quoted attribute value: `&`, `<`, `>`, `"` and `'` escaped.
    static func escape(_ text: String) -> String {
        replacing(text) { character in
            switch character {
            case "&": "&amp;"
            case "<": "&lt;"
            case ">": "&gt;"
            case "\"": "&quot;"
            case "'": "&#39;"
            default: nil
            }
        }
    }

    /// JSON text as the content of a `<script type="application/json">`: `<`, `>` and `&` written as
    /// `\u003c`…, which JSON reads back as the same characters, so that no `</script>` or `<!--` in a
    /// value can end the element early.
    static func scriptJSON(_ json: String) -> String {
        replacing(json) { character in
            switch character {
            case "<": "\\u003c"
            case ">": "\\u003e"
            case "&": "\\u0026"
            case "\u{2028}": "\\u2028"
            case "\u{2029}": "\\u2029"
            default: nil
            }
        }
    }

    private static func replacing(_ text: String, _ replacement: (Unicode.Scalar) -> String?) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        for character in text.unicodeScalars {
            if let replaced = replacement(character) {
                out += replaced
            } else {
                out.unicodeScalars.append(character)
            }
        }
        return out
    }
}
