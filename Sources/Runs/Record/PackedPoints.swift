import Foundation

/// A series' points as bytes: each point's index (Int64) and value (IEEE 754 bits), little-endian, in order.
///
/// The one compact form of a series, for its digest, its cache entry and its row in the run store: a curve of
/// a million points is 16 MB to copy, not a million objects to encode.
enum PackedPoints {
    static let bytesPerPoint = 16

    static func bytes(_ points: [RecordedPoint]) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: points.count * bytesPerPoint) { buffer, count in
            pack(points[...], into: UnsafeMutableRawBufferPointer(buffer))
            count = points.count * bytesPerPoint
        }
    }

    /// The bytes of `points` as `Data`, packed in place: the store binds them as one BLOB, and a copy from an
    /// array would touch 16 MB more for a curve of a million points.
    static func data(_ points: [RecordedPoint]) -> Data {
        var data = Data(count: points.count * bytesPerPoint)
        data.withUnsafeMutableBytes { raw in pack(points[...], into: raw) }
        return data
    }

    /// Calls `body` with the bytes of `points` in order, a piece of at most 64 KB at a time, each at its
    /// offset: for hashing or writing a long series without holding its bytes whole.
    static func forEachPiece(
        of points: [RecordedPoint], _ body: (_ offset: Int, _ bytes: UnsafeRawBufferPointer) throws -> Void
    ) rethrows {
        let perPiece = 4_096
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: perPiece * bytesPerPoint, alignment: 8)
        defer { buffer.deallocate() }
        for start in stride(from: 0, to: points.count, by: perPiece) {
            let slice = points[start..<min(start + perPiece, points.count)]
            let piece = UnsafeMutableRawBufferPointer(rebasing: buffer[..<(slice.count * bytesPerPoint)])
            pack(slice, into: piece)
            try body(start * bytesPerPoint, UnsafeRawBufferPointer(piece))
        }
    }

    /// Writes `points` into `raw`, which holds exactly their bytes.
    private static func pack(_ points: ArraySlice<RecordedPoint>, into raw: UnsafeMutableRawBufferPointer) {
        for (position, point) in zip(0..., points) {
            let offset = position * bytesPerPoint
            raw.storeBytes(of: Int64(point.index).littleEndian, toByteOffset: offset, as: Int64.self)
            raw.storeBytes(of: point.value.bitPattern.littleEndian, toByteOffset: offset + 8, as: UInt64.self)
        }
    }

    /// The points `bytes` holds, or nil when their count is not a whole number of points.
    static func points(_ bytes: UnsafeRawBufferPointer) -> [RecordedPoint]? {
        guard bytes.count % bytesPerPoint == 0 else { return nil }
        let count = bytes.count / bytesPerPoint
        return [RecordedPoint](unsafeUninitializedCapacity: count) { buffer, initialized in
            for position in 0..<count {
                let offset = position * bytesPerPoint
                let index = Int64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset, as: Int64.self))
                let bits = UInt64(littleEndian: bytes.loadUnaligned(fromByteOffset: offset + 8, as: UInt64.self))
                buffer.initializeElement(
                    at: position, to: RecordedPoint(Int(truncatingIfNeeded: index), Double(bitPattern: bits)))
            }
            initialized = count
        }
    }
}
