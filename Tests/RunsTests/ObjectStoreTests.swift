import Foundation
import Runs
import Testing

/// A directory of its own for one test, removed when the test ends.
final class CacheTestDirectory {
    let path: String

    init() throws {
        path = FileManager.default.temporaryDirectory.appendingPathComponent("athanor-cache-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: path, withIntermediateDirectories: true)
    }

    deinit {
        try? FileManager.default.removeItem(atPath: path)
    }

    func file(_ name: String) -> String { "\(path)/\(name)" }
}

/// Every file under `path`, relative to it.
private func filesUnder(_ path: String) -> [String] {
    guard let enumerator = FileManager.default.enumerator(atPath: path) else { return [] }
    return enumerator.compactMap { item in
        guard let name = item as? String else { return nil }
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: "\(path)/\(name)", isDirectory: &isDirectory) else { return nil }
        return isDirectory.boolValue ? nil : name
    }
    .sorted()
}

@Suite struct ObjectStoreTests {
    let directory: CacheTestDirectory
    let store: ObjectStore

    init() throws {
        directory = try CacheTestDirectory()
        store = ObjectStore(directory: directory.file("cache"))
    }

    @Test func storedBytesComeBackUnderTheirHash() throws {
        let bytes = Array("a,b\n1,2\n".utf8)
        let key = try store.put(bytes)
        #expect(key == ContentHash.sha256(bytes))
        #expect(try store.get(key) == bytes)
        #expect(store.contains(key))
        let expectedPath = directory.file("cache/objects/\(key.prefix(2))/\(key.dropFirst(2))")
        #expect(try store.path(of: key) == expectedPath)
        #expect(FileManager.default.fileExists(atPath: expectedPath))
        #expect(filesUnder(directory.file("cache/tmp")).isEmpty)
    }

    @Test func emptyObjectRoundTrips() throws {
        let key = try store.put([])
        #expect(key == "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855")
        #expect(try store.get(key) == [])
    }

    @Test func absentObjectIsNil() throws {
        let key = ContentHash.sha256(Array("never stored".utf8))
        #expect(try store.get(key) == nil)
        #expect(!store.contains(key))
    }

    @Test func puttingTheSameBytesTwiceDoesNotRewriteTheObject() throws {
        let bytes = Array(repeating: UInt8(7), count: 1000)
        let key = try store.put(bytes)
        let path = try store.path(of: key)
        let inode = try #require(try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int)
        #expect(try store.put(bytes) == key)
        // A rewrite would rename a new file into place, with a new inode.
        #expect(try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int == inode)
        #expect(try store.stats().objects == 1)
    }

    @Test func corruptedObjectIsReportedAndRemoved() throws {
        let key = try store.put(Array("model weights".utf8))
        let path = try store.path(of: key)
        try Data("model weighTs".utf8).write(to: URL(fileURLWithPath: path))
        #expect(throws: ObjectStoreError.corrupted(key: key, path: path)) { try store.get(key) }
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(try store.get(key) == nil)
        // Storing it again repairs the cache.
        #expect(try store.put(Array("model weights".utf8)) == key)
        #expect(try store.get(key) == Array("model weights".utf8))
    }

    @Test func truncatedObjectIsWrittenAgainByPut() throws {
        let bytes = Array("a longer object".utf8)
        let key = try store.put(bytes)
        try Data("a long".utf8).write(to: URL(fileURLWithPath: try store.path(of: key)))
        #expect(try store.put(bytes) == key)
        #expect(try store.get(key) == bytes)
    }

    @Test func failedPutLeavesNoObjectAndNoTemporaryFile() throws {
        try FileManager.default.createDirectory(atPath: directory.file("cache"), withIntermediateDirectories: true)
        try Data("not a directory".utf8).write(to: URL(fileURLWithPath: directory.file("cache/objects")))
        let bytes = Array("outputs".utf8)
        let error = #expect(throws: ObjectStoreError.self) { try store.put(bytes) }
        #expect(error?.description == "cannot write to \(directory.file("cache/objects")): Not a directory")
        #expect(!store.contains(ContentHash.sha256(bytes)))
        #expect(filesUnder(directory.file("cache/tmp")).isEmpty)
    }

    @Test func aDirectoryInPlaceOfAnObjectOrAReferenceIsRemovedAndTheFileWritten() throws {
        let bytes = Array("outputs".utf8)
        let key = ContentHash.sha256(bytes)
        // Directories squatting on an object's and a reference's names, as a stray `mkdir -p` or a sync leaves.
        let path = try store.path(of: key)
        try FileManager.default.createDirectory(atPath: path + "/inside", withIntermediateDirectories: true)
        let reference = directory.file("cache/refs/step")
        try FileManager.default.createDirectory(atPath: reference, withIntermediateDirectories: true)
        #expect(try store.put(bytes) == key)
        #expect(try store.get(key) == bytes)
        try store.setReference("step", to: key)
        #expect(try store.reference("step") == key)
        // And a streamed object over a directory.
        let streamed = Array("streamed".utf8)
        let streamedPath = try store.path(of: ContentHash.sha256(streamed))
        try FileManager.default.createDirectory(atPath: streamedPath, withIntermediateDirectories: true)
        #expect(
            try store.put(writing: { write in try streamed.withUnsafeBytes { try write(0, $0) } })
                == ContentHash.sha256(streamed))
        #expect(try store.get(ContentHash.sha256(streamed)) == streamed)
        #expect(filesUnder(directory.file("cache/tmp")).isEmpty)
    }

    @Test func aFileInPlaceOfAShardDirectoryIsRemoved() throws {
        let bytes = Array("outputs".utf8)
        let key = ContentHash.sha256(bytes)
        let shard = directory.file("cache/objects/\(key.prefix(2))")
        try FileManager.default.createDirectory(
            atPath: directory.file("cache/objects"), withIntermediateDirectories: true)
        try Data("stray".utf8).write(to: URL(fileURLWithPath: shard))
        #expect(try store.put(bytes) == key)
        #expect(try store.get(key) == bytes)
    }

    @Test func statsCountObjectsAndBytes() throws {
        #expect(try store.stats() == (0, 0))
        try store.put(Array(repeating: 1, count: 10))
        try store.put(Array(repeating: 2, count: 20))
        try store.put(Array(repeating: 2, count: 20))
        try store.setReference("step", to: try store.put(Array(repeating: 3, count: 30)))
        #expect(try store.stats() == (3, 60))
    }

    @Test func garbageCollectionKeepsLiveObjectsOnly() throws {
        let live = try store.put(Array("live".utf8))
        let dead = try store.put(Array("dead!".utf8))
        let alsoDead = try store.put(Array("also dead".utf8))
        try store.setReference("kept", to: live)
        try store.setReference("dangling", to: dead)
        let result = try store.collectGarbage(keeping: [live])
        #expect(result == (2, 5 + 9))
        #expect(try store.get(live) == Array("live".utf8))
        #expect(try store.get(dead) == nil)
        #expect(!store.contains(alsoDead))
        #expect(try store.references() == ["kept": live])
        #expect(try store.stats() == (1, 4))
    }

    @Test func garbageCollectionRemovesStaleTemporaryFilesOnly() throws {
        try store.put(Array("anything".utf8))
        let stale = directory.file("cache/tmp/killed.123.tmp")
        let fresh = directory.file("cache/tmp/writing.456.tmp")
        try Data("half".utf8).write(to: URL(fileURLWithPath: stale))
        try Data("half".utf8).write(to: URL(fileURLWithPath: fresh))
        try FileManager.default.setAttributes(
            [.modificationDate: Date(timeIntervalSinceNow: -2 * 3_600)], ofItemAtPath: stale)
        _ = try store.collectGarbage(keeping: [])
        #expect(!FileManager.default.fileExists(atPath: stale))
        #expect(FileManager.default.fileExists(atPath: fresh))
    }

    @Test func collectingGarbageWhereThereIsNoCacheCreatesNothing() throws {
        #expect(try CacheCollector.collect(store, keepingStepsWithKeys: []) == (0, 0))
        #expect(try store.stats() == (0, 0))
        #expect(try FileManager.default.contentsOfDirectory(atPath: directory.path) == [])
    }

    @Test func clearRemovesObjectsAndReferences() throws {
        let key = try store.put(Array("x".utf8))
        try store.setReference("step", to: key)
        try store.clear()
        #expect(try store.stats() == (0, 0))
        #expect(try store.references().isEmpty)
        #expect(try store.get(key) == nil)
        #expect(try store.put(Array("x".utf8)) == key)
        #expect(try store.get(key) == Array("x".utf8))
    }

    @Test func clearingAnEmptyStoreIsFine() throws {
        try store.clear()
        #expect(try store.stats() == (0, 0))
    }

    @Test func referencesRoundTrip() throws {
        let stepKey = ContentHash.sha256(Array("step configuration".utf8))
        let first = try store.put(Array("first".utf8))
        let second = try store.put(Array("second".utf8))
        #expect(try store.reference(stepKey) == nil)
        try store.setReference(stepKey, to: first)
        try store.setReference("latest_v1.2-x", to: first)
        #expect(try store.reference(stepKey) == first)
        try store.setReference(stepKey, to: second)
        #expect(try store.reference(stepKey) == second)
        #expect(try store.references() == [stepKey: second, "latest_v1.2-x": first])
        try store.removeReference(stepKey)
        try store.removeReference(stepKey)
        #expect(try store.reference(stepKey) == nil)
        #expect(try store.references() == ["latest_v1.2-x": first])
        #expect(filesUnder(directory.file("cache/tmp")).isEmpty)
    }

    @Test func referenceHoldingNoKeyIsAbsent() throws {
        try store.setReference("step", to: try store.put(Array("x".utf8)))
        try Data("".utf8).write(to: URL(fileURLWithPath: directory.file("cache/refs/step")))
        #expect(try store.reference("step") == nil)
    }

    @Test(arguments: ["", ".", "..", "../outside", "a/b", "/etc/passwd", ".hidden", "with space", "é"])
    func referenceNamesThatCouldBePathsAreRejected(name: String) throws {
        let key = try store.put(Array("x".utf8))
        #expect(throws: ObjectStoreError.invalidReferenceName(name)) { try store.setReference(name, to: key) }
        #expect(throws: ObjectStoreError.invalidReferenceName(name)) { try store.reference(name) }
        #expect(throws: ObjectStoreError.invalidReferenceName(name)) { try store.removeReference(name) }
        #expect(!FileManager.default.fileExists(atPath: directory.file("outside")))
    }

    @Test(arguments: [
        "", "abc", "../../etc/passwd", String(repeating: "A", count: 64), String(repeating: "0", count: 65),
    ])
    func keysMustBeHashes(key: String) throws {
        #expect(throws: ObjectStoreError.invalidKey(key)) { try store.get(key) }
        #expect(throws: ObjectStoreError.invalidKey(key)) { try store.setReference("step", to: key) }
        #expect(!store.contains(key))
    }

    @Test func unwritableCacheNamesTheDirectory() throws {
        // Permissions do not bind root, which may be running the tests.
        guard getuid() != 0 else { return }
        let root = directory.file("cache")
        try FileManager.default.createDirectory(atPath: root, withIntermediateDirectories: true)
        try FileManager.default.setAttributes([.posixPermissions: 0o555], ofItemAtPath: root)
        defer { try? FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: root) }
        let error = #expect(throws: ObjectStoreError.self) { try store.put(Array("x".utf8)) }
        #expect(error?.description == "cannot write to \(root): Permission denied")
    }
}

/// Objects written piece by piece and read through a memory map: how datasets reach the cache.
@Suite struct StreamedObjectTests {
    let directory: CacheTestDirectory
    let store: ObjectStore

    init() throws {
        directory = try CacheTestDirectory()
        store = ObjectStore(directory: directory.file("cache"))
    }

    /// Pieces smaller and larger than the writer's 1 MiB buffer, in one object.
    private static let pieces: [[UInt8]] = [
        Array("header".utf8), [UInt8](repeating: 7, count: 3 << 20), Array(0...255),
        [UInt8](repeating: 1, count: 1 << 20),
    ]

    @Test func piecesAreStoredUnderTheHashOfTheirConcatenation() throws {
        let whole = Self.pieces.flatMap { $0 }
        // Written last piece first: the hash follows the file's order, not the writes'.
        let offsets = Self.pieces.indices.map { index in Self.pieces[..<index].reduce(0) { $0 + $1.count } }
        let key = try store.put { write in
            for (piece, offset) in zip(Self.pieces, offsets).reversed() {
                try piece.withUnsafeBytes { try write(offset, $0) }
            }
        }
        #expect(key == ContentHash.sha256(whole))
        #expect(try store.get(key) == whole)
        #expect(try store.withObject(key) { Array($0) } == whole)
        #expect(filesUnder(directory.file("cache/tmp")).isEmpty)
        // The same content again: one object, and no temporary file left behind.
        #expect(try store.put(writing: { write in try whole.withUnsafeBytes { try write(0, $0) } }) == key)
        #expect(filesUnder(directory.file("cache/objects")).count == 1)
        #expect(filesUnder(directory.file("cache/tmp")).isEmpty)
    }

    @Test func aWriterThatFailsLeavesNothingBehind() throws {
        struct Refusal: Error {}
        #expect(throws: Refusal.self) {
            try store.put { write in
                try Array("half".utf8).withUnsafeBytes { try write(0, $0) }
                throw Refusal()
            }
        }
        #expect(filesUnder(directory.file("cache")).isEmpty)
    }

    @Test func aMappedObjectIsVerifiedAndADamagedOneRemoved() throws {
        let key = try store.put(Array("some dataset".utf8))
        #expect(try store.withObject(key) { String(decoding: $0, as: UTF8.self) } == "some dataset")
        let path = try store.path(of: key)
        try Data("some dataseT".utf8).write(to: URL(fileURLWithPath: path))
        let error = try #require(throws: ObjectStoreError.self) { try store.withObject(key) { _ in () } }
        #expect(error == .corrupted(key: key, path: path))
        #expect(!FileManager.default.fileExists(atPath: path))
        #expect(try store.withObject(key) { _ in () } == nil)
        #expect(try store.withObject(ContentHash.sha256([])) { _ in () } == nil)
    }
}
