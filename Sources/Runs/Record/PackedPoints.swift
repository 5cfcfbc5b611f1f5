/// A series' points as bytes: each point's index (Int64) and value (IEEE 754 bits), little-endian, in order.
///
/// The one compact form of a series, for its digest, its cache entry and its row in the run store: a curve of
/// a million points is 16 MB to copy, not a million objects to encode.
enum PackedPoints {
    static let bytesPerPoint = 16

    static func bytes(_ points: [RecordedPoint]) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: points.count * bytesPerPoint) { buffer, count in
            let raw = UnsafeMutableRawBufferPointer(buffer)
            for (position, point) in points.enumerated() {
                let offset = position * bytesPerPoint
                raw.storeBytes(of: Int64(point.index).littleEndian, toByteOffset: offset, as: Int64.self)
                raw.storeBytes(of: point.value.bitPattern.littleEndian, toByteOffset: offset + 8, as: UInt64.self)
            }
            count = points.count * bytesPerPoint
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
