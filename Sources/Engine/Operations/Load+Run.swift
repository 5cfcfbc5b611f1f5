import Foundation

extension Load {
    /// The settings of a `load` step.
    public struct Options: Sendable, Hashable {
        /// The file, as the step gives it; messages name it so.
        public var path: String
        /// The column to predict; nil for data without one (clustering).
        public var target: String?
        /// Keep only these feature columns, in this order (the target is kept anyway).
        public var columns: [String]?
        /// Leave out these columns.
        public var drop: [String]?
        /// The field separator; `,`, or a tab for `.tsv` and `.tab` files.
        public var delimiter: Character?

        public init(
            path: String, target: String? = nil, columns: [String]? = nil, drop: [String]? = nil,
            delimiter: Character? = nil
        ) {
            self.path = path
            self.target = target
            self.columns = columns
            self.drop = drop
            self.delimiter = delimiter
        }
    }

    /// Reads the CSV file at `options.path`, or `data` when the caller already holds its bytes (to hash
    /// them once, say); messages still name `options.path`.
    ///
    /// Each column is numeric when every value that is not missing reads as a finite number, and
    /// categorical otherwise, its values then being indices into its sorted levels. The target is
    /// categorical (with sorted class names) by the same rule; it may have no missing value.
    public static func run(_ options: Options, data: Data? = nil) throws -> Dataset {
        let delimiter = try delimiterByte(options)
        let bytes = try data.map { [UInt8]($0) } ?? contents(of: options.path)
        let reader = try CSVReader(bytes: bytes, delimiter: delimiter, file: options.path)
        let header = reader.header
        let position = Dictionary(uniqueKeysWithValues: header.enumerated().map { ($1, $0) })
        func index(of name: String, setting: String) throws -> Int {
            guard let index = position[name] else {
                throw EngineError.unknownColumn(name, setting: setting, among: header, file: options.path)
            }
            return index
        }

        let target = try options.target.map { try index(of: $0, setting: "target") }
        var features: [Int]
        if let columns = options.columns {
            features = []
            for name in columns {
                let column = try index(of: name, setting: "columns")
                if column != target, !features.contains(column) { features.append(column) }
            }
        } else {
            features = header.indices.filter { $0 != target }
        }
        if let drop = options.drop {
            var dropped = Set<Int>()
            for name in drop {
                let column = try index(of: name, setting: "drop")
                if column == target {
                    throw EngineError(
                        "'\(name)' is the target, so it cannot be dropped", file: options.path, column: name)
                }
                dropped.insert(column)
            }
            features.removeAll { dropped.contains($0) }
        }
        guard !features.isEmpty else {
            throw EngineError(
                "no feature columns are left" + (target == nil ? "" : " beside the target")
                    + "; check `columns` and `drop`", file: options.path)
        }

        let table = try reader.read(features: features, target: target)
        let columns = features.enumerated().map { slot, index in
            FeatureColumn(
                name: header[index], kind: table.featureLevels[slot].map { .categorical(levels: $0) } ?? .numeric)
        }
        let matrix = Matrix(rows: table.rowCount, columns: features.count, values: table.features)
        let targetColumn = target.map { index in
            Target(name: header[index], values: table.target ?? [], classNames: table.targetLevels)
        }
        return Dataset(features: matrix, columns: columns, target: targetColumn)
    }

    static func delimiterByte(_ options: Options) throws -> UInt8 {
        guard let delimiter = options.delimiter else {
            let lowercased = options.path.lowercased()
            return lowercased.hasSuffix(".tsv") || lowercased.hasSuffix(".tab") ? 0x09 : UInt8(ascii: ",")
        }
        guard let ascii = delimiter.asciiValue, delimiter != "\"", !delimiter.isNewline else {
            throw EngineError(
                "the delimiter must be one ASCII character other than a quote or a line break; got '\(delimiter)'",
                file: options.path)
        }
        return ascii
    }

    private static func contents(of path: String) throws -> [UInt8] {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: path, isDirectory: &isDirectory) else {
            throw EngineError("no such file", file: path)
        }
        guard !isDirectory.boolValue else {
            throw EngineError("this is a directory; `path` must name a CSV file", file: path)
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw EngineError("the file cannot be read; check its permissions", file: path)
        }
        return [UInt8](data)
    }
}
