import Foundation
// GRDB is used directly only to point a recorded step at the key an older Athanor gave it.
import GRDB
import Testing

@testable import Runs

/// A step's series in the cache as objects of their own (cache format 4): a hit gives back every point,
/// `cache gc` keeps what an entry names and only that, a damaged object is recomputed with a warning, and an
/// entry of the format before is a miss that says why.
@Suite struct SeriesObjectTests {
    static let notebook = """
        ```step train
        run: sh gen.sh
        ```
        """

    /// 5,000 points of `loss` at steps -7, -4, ... (more than one piece of `PackedPoints.forEachPiece`), and 5 of
    /// `val_loss`, printed with every digit.
    static let script = #"""
        awk 'BEGIN {
            for (i = 0; i < 5000; i++) {
                printf "{\"name\": \"loss\", \"value\": %.17g, \"step\": %d}\n", 1 / (i + 1), 3 * i - 7
                if (i % 1000 == 0) printf "{\"name\": \"val_loss\", \"value\": %.17g, \"step\": %d}\n", -2 / (i + 3), i
            }
        }' >> "$ATHANOR_METRICS"
        """#

    static func fixture() throws -> ExternalStepTests.Fixture {
        let fixture = try ExternalStepTests.Fixture(notebook)
        try fixture.write(script, to: "gen.sh")
        return fixture
    }

    static func objects(_ fixture: ExternalStepTests.Fixture) -> ObjectStore {
        ObjectStore(directory: fixture.project.cacheDirectory)
    }

    /// The JSON object of the entry the step's key names, and that entry's own key.
    static func entry(_ fixture: ExternalStepTests.Fixture, key: String) throws -> (json: [String: Any], object: String)
    {
        let store = objects(fixture)
        let object = try #require(try store.reference(key))
        let bytes = try #require(try store.get(object))
        return (try #require(try JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any]), object)
    }

    static func points(_ run: RunRecord, _ name: String) -> [RecordedPoint] {
        run.series.first { $0.name == name }?.points ?? []
    }

    @Test func aHitRestoresEachSeriesFromItsOwnObject() throws {
        let fixture = try Self.fixture()
        defer { fixture.cleanUp() }
        let first = try fixture.run()
        let step = try #require(first.steps.first)
        #expect(step.cache == .miss && step.status == .succeeded)
        let loss = Self.points(first, "train.loss")
        #expect(loss.count == 5_000)
        #expect(loss.first == RecordedPoint(-7, 1))
        #expect(loss.last == RecordedPoint(14_990, 1.0 / 5_000))
        #expect(Self.points(first, "train.val_loss").map(\.index) == [0, 1_000, 2_000, 3_000, 4_000])

        // The entry names one object a series, which holds the points packed, and no point itself.
        let (json, _) = try Self.entry(fixture, key: step.cacheKey)
        let lossKey = ContentHash.sha256(PackedPoints.bytes(loss))
        let valKey = ContentHash.sha256(PackedPoints.bytes(Self.points(first, "train.val_loss")))
        #expect(json["series"] as? [String: String] == ["loss": lossKey, "val_loss": valKey])
        #expect((json["ingredients"] as? [String: Any])?["format"] as? Int == 4)
        #expect(try Self.objects(fixture).get(lossKey) == PackedPoints.bytes(loss))

        let second = try fixture.run()
        #expect(second.steps.first?.cache == .hit)
        #expect(second.series == first.series)
        #expect(second.metrics == first.metrics)
    }

    @Test func garbageCollectionKeepsTheSeriesOfAKeptEntryAndNoOther() throws {
        let fixture = try Self.fixture()
        defer { fixture.cleanUp() }
        let first = try fixture.run()
        let key = try #require(first.steps.first?.cacheKey)
        let store = Self.objects(fixture)
        let (json, entry) = try Self.entry(fixture, key: key)
        let series = try #require(json["series"] as? [String: String])
        let orphan = try store.put(PackedPoints.bytes([RecordedPoint(1, 0.5)]))

        let collected = try CacheCollector.collect(store, keepingStepsWithKeys: [key])
        #expect(collected.removed == 1 && collected.bytes == PackedPoints.bytesPerPoint)
        #expect(!store.contains(orphan))
        #expect(series.values.allSatisfy(store.contains) && store.contains(entry))
        let second = try fixture.run()
        #expect(second.steps.first?.cache == .hit)
        #expect(second.series == first.series)

        // Once no run keeps the entry, its series go with it.
        _ = try CacheCollector.collect(store, keepingStepsWithKeys: [])
        #expect(!series.values.contains(where: store.contains) && !store.contains(entry))
        #expect(try store.stats().objects == 0)
    }

    enum Damage: CaseIterable {
        case changed, missing, notPoints
    }

    @Test(arguments: Damage.allCases)
    func aDamagedSeriesObjectIsRecomputedWithAWarning(damage: Damage) throws {
        let fixture = try Self.fixture()
        defer { fixture.cleanUp() }
        let first = try fixture.run()
        let key = try #require(first.steps.first?.cacheKey)
        let store = Self.objects(fixture)
        let (json, _) = try Self.entry(fixture, key: key)
        let series = try #require(json["series"] as? [String: String])
        let loss = try #require(series["loss"])
        let path = try store.path(of: loss)
        let expected: String
        switch damage {
        case .changed:
            var bytes = try #require(try store.get(loss))
            bytes[20] ^= 1
            try Data(bytes).write(to: URL(fileURLWithPath: path))
            expected =
                "cache object \(loss.prefix(12)) at \(path) is corrupted (its content no longer matches its SHA-256) "
                + "and has been removed; recomputing"
        case .missing:
            try FileManager.default.removeItem(atPath: path)
            expected =
                "cache entry \(key.prefix(12)) is unreadable (the object \(loss.prefix(12)) of its series 'loss' "
                + "is missing); recomputing"
        case .notPoints:
            // An object whose key matches its 15 bytes, which no Athanor writes for a series.
            let odd = try store.put(Array(repeating: 7, count: 15))
            var changed = json
            changed["series"] = ["loss": odd, "val_loss": series["val_loss"] ?? ""]
            let entry = try store.put(
                Array(try JSONSerialization.data(withJSONObject: changed, options: [.sortedKeys])))
            try store.setReference(key, to: entry)
            expected =
                "cache entry \(key.prefix(12)) is unreadable (the object \(odd.prefix(12)) of its series 'loss' "
                + "holds 15 bytes, not a whole number of 16-byte points); recomputing"
        }

        let warnings = CacheDamageTests.Warnings()
        let second = try fixture.run(observer: warnings)
        #expect(warnings.all == [expected])
        #expect(second.steps.first?.cache == .miss && second.status == .succeeded)
        #expect(second.series == first.series)
        // Recomputing stored the series again.
        let third = try fixture.run()
        #expect(third.steps.first?.cache == .hit)
        #expect(third.series == first.series)
        #expect(try store.get(loss) == PackedPoints.bytes(Self.points(first, "train.loss")))
    }

    @Test func anEntryOfTheFormatBeforeIsAMissThatSaysSo() throws {
        let fixture = try Self.fixture()
        defer { fixture.cleanUp() }
        let first = try fixture.run()
        let key = try #require(first.steps.first?.cacheKey)
        let store = Self.objects(fixture)

        // The cache as Athanor with format 3 left it: the points inside the entry, in base64, under its key.
        var (json, _) = try Self.entry(fixture, key: key)
        var ingredients = try #require(json["ingredients"] as? [String: Any])
        ingredients["format"] = 3
        json["ingredients"] = ingredients
        json["series"] = [
            "loss": Data(PackedPoints.bytes(Self.points(first, "train.loss"))).base64EncodedString(),
            "val_loss": Data(PackedPoints.bytes(Self.points(first, "train.val_loss"))).base64EncodedString(),
        ]
        let old = try JSONDecoder().decode(
            CacheKeyIngredients.self, from: try JSONSerialization.data(withJSONObject: ingredients)
        ).key
        #expect(old != key)
        let entry = try store.put(Array(try JSONSerialization.data(withJSONObject: json, options: [.sortedKeys])))
        try store.setReference(old, to: entry)
        try store.removeReference(key)
        try DatabaseQueue(path: fixture.project.storePath).write { db in
            try db.execute(sql: "UPDATE steps SET cache_key = ?", arguments: [old])
        }

        let second = try fixture.run()
        let step = try #require(second.steps.first)
        #expect(step.cache == .miss && step.status == .succeeded)
        #expect(step.explanation == "the cache format changed")
        #expect(second.series == first.series)
        #expect(try fixture.run().steps.first?.cache == .hit)
    }

    // MARK: The entry alone

    @Test func pointsGoThroughTheirObjectExactly() throws {
        let fixture = try Self.fixture()
        defer { fixture.cleanUp() }
        let points = [
            RecordedPoint(0, 0.1), RecordedPoint(-3, -.infinity), RecordedPoint(Int.max, .leastNonzeroMagnitude),
            RecordedPoint(Int.min, -0.0),
        ]
        var entry = StepEntry(
            ingredients: CacheKeyIngredients(configuration: "{}", upstream: [:], files: [:]), outputs: [],
            metrics: [], series: ["loss": points, "empty": []], datasets: [], artifacts: [], previews: nil, log: nil)
        // An entry whose series are not stored has nothing to name them by.
        #expect(throws: EncodingError.self) { try JSONEncoder().encode(entry) }
        try entry.storeSeries(in: Self.objects(fixture))
        let decoded = try JSONDecoder().decode(StepEntry.self, from: try JSONEncoder().encode(entry))
        #expect(decoded.series == [:])
        #expect(decoded.seriesObjects == entry.seriesObjects)
        let loaded = try decoded.loadingSeries(from: Self.objects(fixture))
        #expect(loaded.series == ["loss": points, "empty": []])
        #expect(loaded.series["loss"]?[3].value.sign == .minus)
    }

    @Test func piecesOfPointsAreTheirBytesWhole() {
        let points = (0..<10_000).map { RecordedPoint($0 * 7 - 3, 1 / Double($0 + 1)) }
        var pieces: [UInt8] = []
        PackedPoints.forEachPiece(of: points) { offset, piece in
            #expect(offset == pieces.count)
            pieces += piece
        }
        #expect(pieces == PackedPoints.bytes(points))
        #expect(PackedPoints.data(points) == Data(PackedPoints.bytes(points)))
        #expect(
            SeriesDigest(SeriesRecord(name: "loss", points: points)).sha256
                == ContentHash.sha256(PackedPoints.bytes(points)))
        #expect(PackedPoints.data([]).isEmpty)
    }

    @Test func anEntryNamingSomethingElseThanAKeyDoesNotDecode() throws {
        let entry = StepEntry(
            ingredients: CacheKeyIngredients(configuration: "{}", upstream: [:], files: [:]), outputs: [],
            metrics: [], series: [:], datasets: [], artifacts: [], previews: nil, log: nil)
        var json = try #require(
            try JSONSerialization.jsonObject(with: try JSONEncoder().encode(entry)) as? [String: Any])
        json["series"] = ["loss": "../../etc/passwd"]
        #expect(throws: DecodingError.self) {
            try JSONDecoder().decode(StepEntry.self, from: try JSONSerialization.data(withJSONObject: json))
        }
    }
}
