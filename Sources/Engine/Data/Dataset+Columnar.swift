import Foundation

/// The binary form in which datasets travel between steps and live in the cache
/// (docs/dataset-format.md): a JSON header that names the columns, then one little-endian float64
/// buffer per column, each starting on a 64-byte boundary so that a reader can map the file and
/// view a column in place (`numpy.frombuffer(..., dtype="<f8", offset=...)`). NaN and ±infinity
/// are ordinary values, as they are in the engine.
///
/// ```
/// 0   "ATHDATA1"                 8 bytes
/// 8   header length H            UInt64, little-endian
/// 16  header                     H bytes of UTF-8 JSON, padded with spaces to a multiple of 64
/// …   column 0, column 1, …      rows × 8 bytes each, each padded with zeros to a multiple of 64
/// ```
///
/// JSON was the form before; encoding 300k rows through `JSONEncoder` cost most of a pipeline's time,
/// and it cannot hold NaN at all.
public enum ColumnarFormat {
    public static let magic: [UInt8] = Array("ATHDATA1".utf8)
    public static let version = 1
    static let alignment = 64
    /// A header larger than this is not one this code wrote (levels of a text column included).
    static let largestHeader = 1 << 30

    static func padded(_ count: Int) -> Int { (count + alignment - 1) / alignment * alignment }
}

extension Dataset {
    /// Writes the dataset in the columnar form through `write(offset, bytes)`, in pieces of at most
    /// 8 MiB that may come in any order, so that a large dataset is never copied whole.
    ///
    /// The matrix is row-major and the form column-major: rows are taken a tile at a time, read in
    /// order, transposed in a buffer that stays in cache, and each column's piece of the tile is written
    /// at its place in the file. (Gathering a column at a time from the whole matrix reads every cache
    /// line once per column.)
    public func writeColumnar(_ write: (_ offset: Int, _ bytes: UnsafeRawBufferPointer) throws -> Void) throws {
        let rows = rowCount
        let width = columnCount
        let columnBytes = ColumnarFormat.padded(rows * 8)
        var descriptions: [[String: Any]] = []
        func describe(name: String, role: String, levels: [String]?) -> [String: Any] {
            var description: [String: Any] = [
                "name": name, "role": role, "dtype": "<f8", "kind": levels == nil ? "numeric" : "categorical",
            ]
            if let levels { description["levels"] = levels }
            return description
        }
        for column in columns {
            switch column.kind {
            case .numeric: descriptions.append(describe(name: column.name, role: "feature", levels: nil))
            case .categorical(let levels):
                descriptions.append(describe(name: column.name, role: "feature", levels: levels))
            }
        }
        if let target { descriptions.append(describe(name: target.name, role: "target", levels: target.classNames)) }

        // The offsets depend on the header's length, which depends on the offsets' digits: lay the
        // header out with room for them, and again until it fits.
        func header(start: Int) throws -> [UInt8] {
            var entries: [[String: Any]] = []
            for (index, description) in descriptions.enumerated() {
                var entry = description
                entry["offset"] = start + index * columnBytes
                entry["length"] = rows * 8
                entries.append(entry)
            }
            let object: [String: Any] = [
                "format": "athanor-dataset", "version": ColumnarFormat.version, "byte_order": "little",
                "rows": rows, "columns": entries,
            ]
            return Array(try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]))
        }
        var start = ColumnarFormat.padded(16 + (try header(start: 0)).count + 24)
        var text = try header(start: start)
        while 16 + text.count > start {
            start = ColumnarFormat.padded(16 + text.count + 24)
            text = try header(start: start)
        }
        var prefix = ColumnarFormat.magic
        withUnsafeBytes(of: UInt64(start - 16).littleEndian) { prefix += $0 }
        prefix += text
        prefix += [UInt8](repeating: UInt8(ascii: " "), count: start - prefix.count)
        try prefix.withUnsafeBytes { try write(0, $0) }

        let tileRows = max(64, min(rows, (1 << 20) / max(1, width)))
        var tile = [Double](repeating: 0, count: max(1, tileRows * width))
        try features.values.withUnsafeBufferPointer { source in
            try tile.withUnsafeMutableBufferPointer { tile in
                var first = 0
                while first < rows {
                    let count = min(tileRows, rows - first)
                    for row in 0..<count {
                        let from = (first + row) * width
                        for column in 0..<width {
                            tile[column * tileRows + row] = source[from + column].littleEndianBits
                        }
                    }
                    for column in 0..<width {
                        let piece = UnsafeRawBufferPointer(
                            start: tile.baseAddress.map { $0 + column * tileRows }, count: count * 8)
                        try write(start + column * columnBytes + first * 8, piece)
                    }
                    first += count
                }
            }
        }
        let padding = [UInt8](repeating: 0, count: columnBytes - rows * 8)
        if let target {
            let values = target.values.map(\.littleEndianBits)
            try values.withUnsafeBytes { try write(start + width * columnBytes, $0) }
        }
        // Every column's padding, so that the file ends where its last column's padding does.
        for column in 0..<descriptions.count where !padding.isEmpty {
            try padding.withUnsafeBytes { try write(start + column * columnBytes + rows * 8, $0) }
        }
    }

    /// The columnar form in memory; for tests and small datasets.
    public func columnarBytes() throws -> [UInt8] {
        var bytes: [UInt8] = []
        try writeColumnar { offset, piece in
            if bytes.count < offset + piece.count {
                bytes += [UInt8](repeating: 0, count: offset + piece.count - bytes.count)
            }
            bytes.withUnsafeMutableBytes {
                UnsafeMutableRawBufferPointer(rebasing: $0[offset..<(offset + piece.count)]).copyMemory(from: piece)
            }
        }
        return bytes
    }

    /// Reads a dataset from its columnar form, checking that every offset and length lies inside
    /// `bytes`: the bytes come from a file, which may be damaged or written by someone else.
    public init(columnar bytes: UnsafeRawBufferPointer) throws {
        func damaged(_ why: String) -> EngineError { EngineError("not a dataset in Athanor's columnar form: \(why)") }
        guard bytes.count >= 16, bytes.prefix(8).elementsEqual(ColumnarFormat.magic) else {
            throw damaged("it does not start with \"ATHDATA1\"")
        }
        var length: UInt64 = 0
        withUnsafeMutableBytes(of: &length) { $0.copyMemory(from: UnsafeRawBufferPointer(rebasing: bytes[8..<16])) }
        let headerLength = Int(clamping: UInt64(littleEndian: length))
        guard headerLength <= ColumnarFormat.largestHeader, headerLength <= bytes.count - 16 else {
            throw damaged("its header length \(headerLength) exceeds the file")
        }
        let headerBytes = Data(bytes[16..<(16 + headerLength)])
        guard let header = try? JSONSerialization.jsonObject(with: headerBytes) as? [String: Any],
            header["format"] as? String == "athanor-dataset"
        else { throw damaged("its header is not the expected JSON object") }
        guard let version = header["version"] as? Int, version == ColumnarFormat.version else {
            throw damaged("version \(header["version"] ?? "none") is not \(ColumnarFormat.version)")
        }
        guard let rows = header["rows"] as? Int, rows >= 0, let entries = header["columns"] as? [[String: Any]] else {
            throw damaged("the header lacks its row count or columns")
        }
        struct Column {
            var name: String
            var levels: [String]?
            var offset: Int
        }
        var features: [Column] = []
        var target: Column?
        for entry in entries {
            guard let name = entry["name"] as? String, let role = entry["role"] as? String,
                let offset = entry["offset"] as? Int, let length = entry["length"] as? Int,
                entry["dtype"] as? String == "<f8", rows.multipliedReportingOverflow(by: 8) == (length, false),
                offset >= 16 + headerLength, offset <= bytes.count, length <= bytes.count - offset
            else { throw damaged("a column's description does not fit the file") }
            let levels: [String]?
            switch entry["kind"] as? String {
            case "numeric": levels = nil
            case "categorical":
                guard let names = entry["levels"] as? [String] else { throw damaged("column '\(name)' has no levels") }
                levels = names
            default: throw damaged("column '\(name)' is of no known kind")
            }
            let column = Column(name: name, levels: levels, offset: offset)
            switch role {
            case "feature": features.append(column)
            case "target" where target == nil: target = column
            default: throw damaged("column '\(name)' has the role '\(role)'")
            }
        }
        // Columns may not share bytes, so that what is allocated below is bounded by the file's size.
        let spans = (features + (target.map { [$0] } ?? [])).map(\.offset).sorted()
        for (before, after) in zip(spans, spans.dropFirst()) where after - before < rows * 8 {
            throw damaged("two columns overlap")
        }
        let width = features.count
        /// The value at `row` of the column starting at `offset`.
        func value(at offset: Int, _ row: Int) -> Double {
            Double(
                bitPattern: UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + row * 8, as: UInt64.self))
            )
        }
        let offsets = features.map(\.offset)
        // Transposed in blocks of rows, so that both sides stay in cache.
        let values = [Double](unsafeUninitializedCapacity: rows * width) { output, initialized in
            HugePages.advise(output)
            let block = 512
            var first = 0
            while first < rows {
                let last = min(rows, first + block)
                for (c, offset) in offsets.enumerated() {
                    for row in first..<last {
                        output[row * width + c] = value(at: offset, row)
                    }
                }
                first = last
            }
            initialized = rows * width
        }
        self.init(
            features: Matrix(rows: rows, columns: width, values: values),
            columns: features.map {
                FeatureColumn(name: $0.name, kind: $0.levels.map { .categorical(levels: $0) } ?? .numeric)
            },
            target: target.map { column in
                Target(
                    name: column.name, values: (0..<rows).map { value(at: column.offset, $0) },
                    classNames: column.levels)
            })
    }
}

extension Double {
    /// The same bits in little-endian order, as the columnar form stores them (a no-op on x86 and ARM).
    @inline(__always)
    fileprivate var littleEndianBits: Double { Double(bitPattern: bitPattern.littleEndian) }
}
