import Foundation

/// A step's series in the cache: each one an object of its own, its `PackedPoints`, which the entry names by
/// key. A curve of a million points is one 16 MB file written and read back at the speed of the disk, never
/// text inside the entry's JSON to encode and decode.
extension StepEntry {
    /// A series object an entry names that the store cannot give back whole.
    struct SeriesObjectError: Error, Sendable, Hashable, CustomStringConvertible {
        enum Problem: Sendable, Hashable {
            case missing
            /// Its size is not a whole number of points.
            case notPoints(bytes: Int)
        }

        var series: String
        var object: String
        var problem: Problem

        var description: String {
            switch problem {
            case .missing:
                "the object \(object.prefix(12)) of its series '\(series)' is missing"
            case .notPoints(let bytes):
                "the object \(object.prefix(12)) of its series '\(series)' holds \(bytes) bytes, "
                    + "not a whole number of \(PackedPoints.bytesPerPoint)-byte points"
            }
        }
    }

    /// Stores each series as an object and names it in `seriesObjects`.
    mutating func storeSeries(in objects: ObjectStore) throws {
        for (name, points) in series.sorted(by: { $0.key < $1.key }) {
            // Packed a piece at a time into the object's file: 16 MB for a million points, never held whole.
            seriesObjects[name] = try objects.put(writing: { write in try PackedPoints.forEachPiece(of: points, write) }
            )
        }
    }

    /// The entry with the points of each series read back from its object, verified against its key.
    ///
    /// - Throws: `ObjectStoreError.corrupted` when an object no longer matches its key (it is removed), and
    ///   `SeriesObjectError` when one is missing or is not points: either way the step runs again.
    func loadingSeries(from objects: ObjectStore) throws -> StepEntry {
        var entry = self
        for (name, object) in seriesObjects.sorted(by: { $0.key < $1.key }) {
            let points = try objects.withObject(object) { bytes in
                PackedPoints.points(bytes).map { Result<[RecordedPoint], SeriesObjectError>.success($0) }
                    ?? .failure(
                        SeriesObjectError(series: name, object: object, problem: .notPoints(bytes: bytes.count)))
            }
            guard let points else { throw SeriesObjectError(series: name, object: object, problem: .missing) }
            entry.series[name] = try points.get()
        }
        return entry
    }
}
