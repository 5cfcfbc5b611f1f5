import Crypto
import Engine
import Foundation

/// A model file (`athanor export`) that cannot be read, said so that its owner knows what to do.
public struct ModelFileError: Error, Sendable, Hashable, CustomStringConvertible {
    public var description: String

    init(_ path: String, _ why: String) {
        description = "\(path): \(why)"
    }
}

extension ModelBundle {
    /// The file's first bytes: what it is, then the format's version.
    static let magic = Array("ATHMODEL".utf8)
    /// 1: a 56-byte header (magic, version, 4 zero bytes, payload length, payload SHA-256) and the bundle as
    /// JSON. A reader refuses any other version rather than guess.
    public static let fileFormatVersion: UInt32 = 1
    static let headerSize = 56
    /// The largest file read: far above any model the engine trains, and a bound on what a file can make us
    /// allocate.
    public static let maximumFileSize = 1 << 30

    /// The bundle as one portable file: header, then JSON with sorted keys (NaN and infinities as strings, as
    /// the cache stores models), which decodes to a bundle giving identical predictions.
    public func fileBytes() throws -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.nonConformingFloatEncodingStrategy = .convertToString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let payload = Array(try encoder.encode(self))
        var bytes = Self.magic
        bytes.reserveCapacity(Self.headerSize + payload.count)
        func append<T: FixedWidthInteger>(_ value: T) {
            withUnsafeBytes(of: value.littleEndian) { bytes.append(contentsOf: $0) }
        }
        append(Self.fileFormatVersion)
        append(UInt32(0))
        append(UInt64(payload.count))
        bytes += SHA256.hash(data: payload)
        return bytes + payload
    }

    /// Writes the file atomically (a temporary name, then renamed).
    public func write(to url: URL) throws {
        try Data(try fileBytes()).write(to: url, options: .atomic)
    }

    /// The bundle in the model file at `url`.
    ///
    /// - Throws: `ModelFileError` for a file that is not one, of another format version, truncated or damaged,
    ///   too large, or made by another engine.
    public static func read(file url: URL) throws -> ModelBundle {
        let path = url.path
        let size = (try? FileManager.default.attributesOfItem(atPath: path)[.size] as? Int) ?? nil
        guard let size else { throw ModelFileError(path, "cannot read the file") }
        guard size <= maximumFileSize else {
            throw ModelFileError(path, "\(size) bytes is larger than a model file may be (\(maximumFileSize))")
        }
        guard let data = FileManager.default.contents(atPath: path) else {
            throw ModelFileError(path, "cannot read the file")
        }
        return try decode(Array(data.prefix(maximumFileSize)), path: path)
    }

    /// The bundle in `bytes`, a model file's content; `path` names it in errors.
    public static func decode(_ bytes: [UInt8], path: String) throws -> ModelBundle {
        guard bytes.count >= magic.count, bytes.prefix(magic.count).elementsEqual(magic) else {
            throw ModelFileError(path, "not an Athanor model file (it does not start with \"ATHMODEL\")")
        }
        guard bytes.count >= headerSize else {
            throw ModelFileError(path, "the file is truncated (\(bytes.count) bytes, shorter than its header)")
        }
        func integer<T: FixedWidthInteger>(_: T.Type, at offset: Int) -> T {
            var value = T.zero
            for index in (0..<MemoryLayout<T>.size).reversed() { value = value << 8 | T(bytes[offset + index]) }
            return value
        }
        let version = integer(UInt32.self, at: 8)
        guard version == fileFormatVersion else {
            throw ModelFileError(
                path,
                "model file format \(version), and this Athanor reads format \(fileFormatVersion); "
                    + "export the model again with this version")
        }
        let length = integer(UInt64.self, at: 16)
        let body = bytes.count - headerSize
        guard length == UInt64(body) else {
            throw ModelFileError(
                path,
                length > UInt64(body)
                    ? "the file is truncated (\(body) of \(length) bytes of model)"
                    : "the file has \(UInt64(body) - length) bytes after its end")
        }
        let payload = bytes[headerSize...]
        guard SHA256.hash(data: payload).elementsEqual(bytes[24..<56]) else {
            throw ModelFileError(path, "the file is damaged (its content does not match its SHA-256)")
        }
        let decoder = JSONDecoder()
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(
            positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let bundle: ModelBundle
        do {
            bundle = try decoder.decode(ModelBundle.self, from: Data(payload))
        } catch {
            throw ModelFileError(path, "the file's model cannot be read (\(error))")
        }
        guard bundle.lineage.engineVersion == EngineVersion.current else {
            throw ModelFileError(
                path,
                "the model was trained by engine \(bundle.lineage.engineVersion), and this is engine "
                    + "\(EngineVersion.current); reproduce run \(bundle.lineage.runID) and export it again")
        }
        if let problem = bundle.inconsistency {
            throw ModelFileError(path, "the file's model is inconsistent: \(problem)")
        }
        return bundle
    }
}
