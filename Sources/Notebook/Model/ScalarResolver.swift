/// Types plain YAML scalars by the YAML 1.2 core schema, so `no` stays a string and `1e-3` is a float.
enum ScalarResolver {
    static func resolve(_ text: String, tag: String?) -> ConfigValue {
        switch tag.map(shortTag) {
        case "str"?: return .string(text)
        case "int"?: return integer(text).map(ConfigValue.int) ?? .string(text)
        case "float"?: return float(text).map(ConfigValue.double) ?? .string(text)
        case "bool"?: return boolean(text).map(ConfigValue.bool) ?? .string(text)
        case "null"?: return .null
        default: break
        }
        if ["", "~", "null", "Null", "NULL"].contains(text) { return .null }
        if let value = boolean(text) { return .bool(value) }
        if let value = integer(text) { return .int(value) }
        if let value = float(text) { return .double(value) }
        return .string(text)
    }

    private static func shortTag(_ tag: String) -> String {
        for prefix in ["tag:yaml.org,2002:", "!!"] where tag.hasPrefix(prefix) {
            return String(tag.dropFirst(prefix.count))
        }
        return tag
    }

    static func boolean(_ text: String) -> Bool? {
        switch text {
        case "true", "True", "TRUE": true
        case "false", "False", "FALSE": false
        default: nil
        }
    }

    static func integer(_ text: String) -> Int? {
        var digits = Substring(text)
        var sign = 1
        if let first = digits.first, first == "-" || first == "+" {
            sign = first == "-" ? -1 : 1
            digits = digits.dropFirst()
        }
        if digits.hasPrefix("0x") { return Int(digits.dropFirst(2), radix: 16).map { $0 * sign } }
        if digits.hasPrefix("0o") { return Int(digits.dropFirst(2), radix: 8).map { $0 * sign } }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCIIDigit) else { return nil }
        return Int(digits).map { $0 * sign }
    }

    static func float(_ text: String) -> Double? {
        switch text {
        case ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF": return .infinity
        case "-.inf", "-.Inf", "-.INF": return -.infinity
        case ".nan", ".NaN", ".NAN": return .nan
        default: break
        }
        // Core schema: [-+]? ( \. [0-9]+ | [0-9]+ ( \. [0-9]* )? ) ( [eE] [-+]? [0-9]+ )?
        let scalars = Array(text.utf8)
        var i = 0
        func digits() -> Int {
            let start = i
            while i < scalars.count, scalars[i] >= 48, scalars[i] <= 57 { i += 1 }
            return i - start
        }
        if i < scalars.count, scalars[i] == 43 || scalars[i] == 45 { i += 1 }
        let whole = digits()
        var fraction = 0
        if i < scalars.count, scalars[i] == 46 {
            i += 1
            fraction = digits()
        }
        guard whole + fraction > 0 else { return nil }
        if i < scalars.count, scalars[i] == 69 || scalars[i] == 101 {
            i += 1
            if i < scalars.count, scalars[i] == 43 || scalars[i] == 45 { i += 1 }
            guard digits() > 0 else { return nil }
        }
        guard i == scalars.count else { return nil }
        return Double(text)
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
