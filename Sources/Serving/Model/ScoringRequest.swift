import Engine
import Foundation
import Workflows

/// The body of a `POST /invocations`, in MLflow's scoring protocol, read as raw rows.
enum ScoringRequest {
    /// A body the server cannot read, said as the 400's message.
    struct Malformed: Error, CustomStringConvertible {
        var description: String
    }

    /// The rows of `body`: JSON with one of `dataframe_split`, `dataframe_records`, `instances`, `inputs`, or
    /// CSV (`text/csv`, a header row), read against `schema` (CSV fields of numeric columns are numbers).
    static func table(_ body: Data, contentType: String?, schema: RawSchema) throws -> RawTable {
        // The media type, without parameters, space or case (no Foundation: this runs for every request).
        let type = contentType?.split(separator: ";").first?.filter { $0 != " " && $0 != "\t" }.lowercased()
        if type == "text/csv" { return try csv(body, schema: schema) }
        if let table = SplitReader.table(body) { return table }
        return try general(body, schema: schema)
    }

    /// Any of the JSON formats, through `JSONSerialization`, with what is wrong with a body that fits none.
    static func general(_ body: Data, schema: RawSchema) throws -> RawTable {
        let object: Any
        do {
            object = try JSONSerialization.jsonObject(with: body)
        } catch {
            throw Malformed(description: "the body is not JSON (or give Content-Type: text/csv)")
        }
        guard let fields = object as? [String: Any] else {
            throw Malformed(description: formats)
        }
        let keys = fields.keys.filter { ["dataframe_split", "dataframe_records", "instances", "inputs"].contains($0) }
        guard keys.count == 1, let key = keys.first, let content = fields[key] else {
            throw Malformed(description: formats)
        }
        switch key {
        case "dataframe_split":
            guard let split = content as? [String: Any], let columns = split["columns"] as? [String],
                let data = split["data"] as? [Any]
            else {
                throw Malformed(description: "dataframe_split needs {\"columns\": [names], \"data\": [[values]]}")
            }
            return RawTable(columns: columns, rows: try data.map { try row($0, width: columns.count) })
        default:
            return try records(content, key: key, schema: schema)
        }
    }

    static let formats =
        "give one of {\"dataframe_split\": {\"columns\": [...], \"data\": [[...]]}}, {\"dataframe_records\": "
        + "[{...}]}, {\"instances\": [...]} or {\"inputs\": ...}, or CSV with Content-Type: text/csv"

    /// `dataframe_records`, `instances` or `inputs`: a list of objects (column → value), a list of lists in
    /// the schema's column order, or one object of columns (column → list of values).
    private static func records(_ content: Any, key: String, schema: RawSchema) throws -> RawTable {
        if let columns = content as? [String: Any], key != "dataframe_records" {
            let names = columns.keys.sorted()
            let lists = try names.map { name -> [Any] in
                if let list = columns[name] as? [Any] { return list }
                throw Malformed(description: "\(key) as an object needs a list of values for each column")
            }
            guard let count = lists.first?.count, lists.allSatisfy({ $0.count == count }) else {
                throw Malformed(description: "\(key): every column needs as many values")
            }
            return RawTable(
                columns: names, rows: try (0..<count).map { index in try lists.map { try value($0[index]) } })
        }
        guard let list = content as? [Any] else { throw Malformed(description: "\(key) needs a list of rows") }
        if list.allSatisfy({ $0 is [Any] }), key != "dataframe_records" {
            let names = schema.columns.map(\.name)
            return RawTable(columns: names, rows: try list.map { try row($0, width: names.count) })
        }
        var names: [String] = []
        var seen: Set<String> = []
        let objects = try list.map { item -> [String: Any] in
            guard let object = item as? [String: Any] else {
                throw Malformed(description: "\(key) needs a list of objects, column → value")
            }
            for name in object.keys.sorted() where seen.insert(name).inserted { names.append(name) }
            return object
        }
        return RawTable(
            columns: names, rows: try objects.map { object in try names.map { try value(object[$0] ?? NSNull()) } })
    }

    private static func row(_ item: Any, width: Int) throws -> [RawValue] {
        guard let cells = item as? [Any] else { throw Malformed(description: "each row must be a list of values") }
        return try cells.map(value)
    }

    /// A JSON value as a raw one: numbers, text, null for missing; anything else is not a value of a column.
    private static func value(_ item: Any) throws -> RawValue {
        switch item {
        case is NSNull: return .missing
        case let text as String: return .text(text)
        case let number as NSNumber:
            if String(cString: number.objCType) == "c" { return .text(number.boolValue ? "true" : "false") }
            return .number(number.doubleValue)
        default:
            throw Malformed(description: "a value is a list or an object; give numbers, text or null")
        }
    }

    /// CSV with a header row; fields of numeric columns read as numbers, the missing spellings of `load` and
    /// an empty field as missing.
    static func csv(_ body: Data, schema: RawSchema) throws -> RawTable {
        let text = String(decoding: body, as: UTF8.self)
        var records = try CSVRecords.parse(text)
        guard !records.isEmpty else { throw Malformed(description: "the CSV has no header row") }
        let columns = records.removeFirst()
        let numeric = Set(schema.columns.filter(\.isNumeric).map(\.name))
        let kinds = columns.map { numeric.contains($0) }
        let rows = records.map { fields in
            fields.enumerated().map { index, field -> RawValue in
                let trimmed = field.trimmingCharacters(in: .whitespaces)
                if trimmed.isEmpty || MissingValues.isDefaultSpelling(trimmed) { return .missing }
                if index < kinds.count, kinds[index], let number = Double(trimmed) { return .number(number) }
                return .text(field)
            }
        }
        return RawTable(columns: columns, rows: rows)
    }
}

/// RFC 4180 records: fields split on commas, quoted fields may hold commas, quotes (doubled) and newlines.
enum CSVRecords {
    static func parse(_ text: String) throws -> [[String]] {
        var records: [[String]] = []
        var record: [String] = []
        var field = ""
        var quoted = false
        var afterQuote = false
        var iterator = text.unicodeScalars.makeIterator()
        var pending: Unicode.Scalar? = nil
        func endRecord() {
            record.append(field)
            field = ""
            if !(record.count == 1 && record[0].isEmpty) { records.append(record) }
            record = []
        }
        while let scalar = pending ?? iterator.next() {
            pending = nil
            if quoted {
                if scalar == "\"" {
                    if let next = iterator.next() {
                        if next == "\"" {
                            field.unicodeScalars.append("\"")
                        } else {
                            quoted = false
                            afterQuote = true
                            pending = next
                        }
                    } else {
                        quoted = false
                    }
                } else {
                    field.unicodeScalars.append(scalar)
                }
                continue
            }
            switch scalar {
            case "\"" where field.isEmpty && !afterQuote: quoted = true
            case ",":
                record.append(field)
                field = ""
                afterQuote = false
            case "\n":
                endRecord()
                afterQuote = false
            case "\r": continue
            default:
                if afterQuote { throw ScoringRequest.Malformed(description: "the CSV has text after a closing quote") }
                field.unicodeScalars.append(scalar)
            }
        }
        if quoted { throw ScoringRequest.Malformed(description: "the CSV ends inside a quoted field") }
        if !field.isEmpty || !record.isEmpty { endRecord() }
        return records
    }
}
