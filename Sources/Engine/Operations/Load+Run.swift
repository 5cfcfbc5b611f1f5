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
        /// More spellings of a missing value, matched exactly after spaces around an unquoted value
        /// are trimmed.
        public var missing: [String]?

        public init(
            path: String, target: String? = nil, columns: [String]? = nil, drop: [String]? = nil,
            delimiter: Character? = nil, missing: [String]? = nil
        ) {
            self.path = path
            self.target = target
            self.columns = columns
            self.drop = drop
            self.delimiter = delimiter
            self.missing = missing
        }
    }

    /// Reads the CSV file at `options.path`, or `data` when the caller already holds its bytes;
    /// messages name `options.path`.
    ///
    /// Each column is numeric when every value that is not missing reads as a finite number, and
    /// categorical otherwise, its values then being indices into its sorted levels. The target is
    /// categorical (with sorted class names) by the same rule; it may have no missing value.
    public static func run(_ options: Options, data: Data? = nil) throws -> Dataset {
        try run(options, data: data, chunks: nil)
    }

    /// Reads the CSV file at `location`, a path that may differ from the one the step gives (resolved
    /// against the notebook's folder, say); messages name `options.path`.
    public static func run(_ options: Options, at location: String) throws -> Dataset {
        try run(options, file: MappedFile(path: location, file: options.path), chunks: nil)
    }

    /// `chunks` overrides how many pieces the body is read in, for tests.
    static func run(_ options: Options, data: Data?, chunks: Int?) throws -> Dataset {
        let file = try data.map(MappedFile.init(copying:)) ?? MappedFile(path: options.path, file: options.path)
        return try run(options, file: file, chunks: chunks)
    }

    /// How many threads a load may use: the engine's budget, or one inside a sweep's parallel runs.
    static func threadCount() -> Int {
        ThreadBudget.workers(for: .max)
    }

    /// Below this many bytes a file is read on one thread: starting threads would cost more.
    static let smallestSplitFile = 1 << 20

    private static func run(_ options: Options, file: MappedFile, chunks: Int?) throws -> Dataset {
        let delimiter = try delimiterByte(options)
        let reader = try CSVReader(
            bytes: file.bytes, pages: file, delimiter: delimiter, missing: MissingValues(extra: options.missing ?? []),
            file: options.path)
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

        let pieces = chunks ?? (file.bytes.count < smallestSplitFile ? 1 : threadCount())
        let table = try reader.read(features: features, target: target, chunks: pieces)
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
}
