/// A problem with data or settings that the user can act on, with where it was found.
public struct EngineError: Error, Sendable, Hashable, CustomStringConvertible {
    public var message: String
    /// The file it concerns, as given in the step.
    public var file: String?
    /// 1-based row in the file, counting the header as row 1.
    public var line: Int?
    /// The column's name.
    public var column: String?

    public init(_ message: String, file: String? = nil, line: Int? = nil, column: String? = nil) {
        self.message = message
        self.file = file
        self.line = line
        self.column = column
    }

    public var description: String {
        var place = ""
        if let file { place = file }
        if let line { place += (place.isEmpty ? "line " : ":") + String(line) }
        if let column { place += (place.isEmpty ? "" : ", ") + "column '\(column)'" }
        return place.isEmpty ? message : "\(place): \(message)"
    }
}
