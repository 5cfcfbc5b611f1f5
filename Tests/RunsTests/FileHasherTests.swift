import Foundation
import Runs
import Testing

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

@Suite struct FileHasherTests {
    let directory: CacheTestDirectory
    let data: String
    let cacheFile: String

    init() throws {
        directory = try CacheTestDirectory()
        data = directory.file("digits.csv")
        cacheFile = directory.file(".athanor/cache/file-hashes.json")
        try write("label,x\n0,1.5\n1,2.5\n", to: data)
        // Well in the past, so that the file is not "racy" (modified too recently to trust its stat).
        try setModificationTime(data, seconds: 1_600_000_000, nanoseconds: 123_456_789)
    }

    /// Replaces the file's content in place: same inode.
    func write(_ text: String, to path: String) throws {
        if !FileManager.default.fileExists(atPath: path) {
            try #require(FileManager.default.createFile(atPath: path, contents: nil))
        }
        let handle = try #require(FileHandle(forWritingAtPath: path))
        try handle.truncate(atOffset: 0)
        try handle.write(contentsOf: Data(text.utf8))
        try handle.close()
    }

    func setModificationTime(_ path: String, seconds: Int, nanoseconds: Int) throws {
        let time = timespec(tv_sec: seconds, tv_nsec: nanoseconds)
        let times = [time, time]
        try #require(utimensat(AT_FDCWD, path, times, 0) == 0)
    }

    func inode(_ path: String) throws -> Int? {
        try FileManager.default.attributesOfItem(atPath: path)[.systemFileNumber] as? Int
    }

    @Test func hashIsTheContentHash() throws {
        let hasher = FileHasher(cacheFile: cacheFile)
        let expected = try ContentHash.sha256(fileAt: data)
        #expect(expected.sha256 == ContentHash.sha256(Array("label,x\n0,1.5\n1,2.5\n".utf8)))
        #expect(expected.bytes == 20)
        #expect(try hasher.hash(data) == expected)
        #expect(try hasher.hash(data) == expected)
    }

    @Test func unchangedStatIsNotReadAgain() throws {
        let hasher = FileHasher(cacheFile: cacheFile)
        let original = try hasher.hash(data).sha256
        let inodeBefore = try inode(data)
        // Different bytes, same size, same mtime, same inode: only a re-read could notice.
        try write("label,x\n0,9.5\n1,9.5\n", to: data)
        try setModificationTime(data, seconds: 1_600_000_000, nanoseconds: 123_456_789)
        try #require(try inode(data) == inodeBefore)
        #expect(try hasher.hash(data).sha256 == original)
        // One nanosecond later is a change.
        try setModificationTime(data, seconds: 1_600_000_000, nanoseconds: 123_456_790)
        let changed = try hasher.hash(data)
        #expect(changed.sha256 == ContentHash.sha256(Array("label,x\n0,9.5\n1,9.5\n".utf8)))
        #expect(changed.sha256 != original)
    }

    @Test func sizeChangeIsNoticedEvenWithTheSameModificationTime() throws {
        let hasher = FileHasher(cacheFile: cacheFile)
        let original = try hasher.hash(data).sha256
        try write("label,x\n0,1.5\n1,2.5\n2,3.5\n", to: data)
        try setModificationTime(data, seconds: 1_600_000_000, nanoseconds: 123_456_789)
        #expect(try hasher.hash(data).sha256 != original)
    }

    @Test func replacedFileIsNoticedByItsInode() throws {
        let hasher = FileHasher(cacheFile: cacheFile)
        let original = try hasher.hash(data).sha256
        let replacement = directory.file("replacement.csv")
        try write("label,x\n0,9.5\n1,9.5\n", to: replacement)
        try setModificationTime(replacement, seconds: 1_600_000_000, nanoseconds: 123_456_789)
        try #require(rename(replacement, data) == 0)
        #expect(try hasher.hash(data).sha256 == ContentHash.sha256(Array("label,x\n0,9.5\n1,9.5\n".utf8)))
        #expect(try hasher.hash(data).sha256 != original)
    }

    @Test func touchedFileKeepsItsHash() throws {
        let hasher = FileHasher(cacheFile: cacheFile)
        let original = try hasher.hash(data)
        try setModificationTime(data, seconds: 1_700_000_000, nanoseconds: 0)
        #expect(try hasher.hash(data) == original)
        // Touched just now, too recently for its stat to be trusted: still the same hash.
        try FileManager.default.setAttributes([.modificationDate: Date()], ofItemAtPath: data)
        #expect(try hasher.hash(data) == original)
    }

    @Test func recentlyModifiedFileIsReadAgain() throws {
        let hasher = FileHasher(cacheFile: cacheFile)
        // Modified "now" (a minute ahead of the clock, so that a slow machine cannot age it out of
        // the racy interval during the test).
        let recent = Int(Date().timeIntervalSince1970) + 60
        try setModificationTime(data, seconds: recent, nanoseconds: 0)
        let original = try hasher.hash(data).sha256
        // Rewritten within the same timestamp tick: its stat cannot tell, so it must not be trusted.
        try write("label,x\n0,9.5\n1,9.5\n", to: data)
        try setModificationTime(data, seconds: recent, nanoseconds: 0)
        #expect(try hasher.hash(data).sha256 != original)
    }

    @Test func entriesPersistAcrossInstances() throws {
        let first = FileHasher(cacheFile: cacheFile)
        let original = try first.hash(data)
        try first.save()
        #expect(FileManager.default.fileExists(atPath: cacheFile))
        try write("label,x\n0,9.5\n1,9.5\n", to: data)
        try setModificationTime(data, seconds: 1_600_000_000, nanoseconds: 123_456_789)
        // Only the saved entry can give the old hash back.
        let second = FileHasher(cacheFile: URL(fileURLWithPath: cacheFile))
        #expect(try second.hash(data) == original)
    }

    @Test func saveWithoutChangesWritesNothing() throws {
        let hasher = FileHasher(cacheFile: cacheFile)
        try hasher.save()
        #expect(!FileManager.default.fileExists(atPath: cacheFile))
    }

    @Test func damagedCacheFileIsAnEmptyCache() throws {
        try FileManager.default.createDirectory(
            atPath: directory.file(".athanor/cache"), withIntermediateDirectories: true)
        try Data("{not json".utf8).write(to: URL(fileURLWithPath: cacheFile))
        let hasher = FileHasher(cacheFile: cacheFile)
        #expect(try hasher.hash(data) == (try ContentHash.sha256(fileAt: data)))
        try hasher.save()
        #expect(try FileHasher(cacheFile: cacheFile).hash(data) == (try ContentHash.sha256(fileAt: data)))
    }

    @Test func relativePathsHashTheSameFile() throws {
        let hasher = FileHasher(cacheFile: cacheFile)
        let absolute = try hasher.hash(data)
        // The same file by a path relative to the current directory, which the test must not change.
        let depth = FileManager.default.currentDirectoryPath.split(separator: "/").count
        let relative = String(repeating: "../", count: depth) + data.dropFirst()
        #expect(try hasher.hash(relative) == absolute)
    }

    @Test func missingFileNamesItsPath() throws {
        let hasher = FileHasher(cacheFile: cacheFile)
        let missing = directory.file("data/absent.csv")
        let error = #expect(throws: FileAccessError.self) { try hasher.hash(missing) }
        #expect(error?.description == "cannot read \(missing): No such file or directory")
        let direct = #expect(throws: FileAccessError.self) { try ContentHash.sha256(fileAt: missing) }
        #expect(direct?.description == "cannot read \(missing): No such file or directory")
    }

    @Test func directoryIsNotAFileToHash() throws {
        let hasher = FileHasher(cacheFile: cacheFile)
        let error = #expect(throws: FileAccessError.self) { try hasher.hash(directory.path) }
        #expect(error?.description == "cannot read \(directory.path): Is a directory")
    }

    @Test func largeFileIsHashedAcrossChunks() throws {
        // Two and a half chunks, so that the chunk boundaries are crossed.
        let bytes = (0..<(5 << 19)).map { UInt8(truncatingIfNeeded: $0 &* 31) }
        let path = directory.file("large.bin")
        try Data(bytes).write(to: URL(fileURLWithPath: path))
        let hashed = try ContentHash.sha256(fileAt: path)
        #expect(hashed.sha256 == ContentHash.sha256(bytes))
        #expect(hashed.bytes == bytes.count)
    }
}
