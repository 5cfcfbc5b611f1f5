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

    /// The file's stat, as the test sees it.
    func status(_ path: String) throws -> stat {
        var info = stat()
        try #require(stat(path, &info) == 0)
        return info
    }

    /// Waits until the kernel's coarse clock, which stamps file times, has passed the file's
    /// change time, so that the next write is bound to give it a new one (writes within one
    /// clock tick share a change time: that is what the racy interval is for).
    func waitForTheClockToPassTheChangeTime(of path: String) throws {
        let changed = try status(path).st_ctim
        var now = timespec()
        repeat {
            usleep(1000)
            clock_gettime(CLOCK_REALTIME_COARSE, &now)
        } while (now.tv_sec, now.tv_nsec) <= (changed.tv_sec, changed.tv_nsec)
    }

    /// The saved cache file as JSON, to forge what an earlier run remembered.
    func savedEntries() throws -> [String: Any] {
        let object = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: cacheFile)))
        return try #require(object as? [String: Any])
    }

    func saveEntries(_ contents: [String: Any]) throws {
        try JSONSerialization.data(withJSONObject: contents).write(to: URL(fileURLWithPath: cacheFile))
    }

    /// Rewrites the saved entry of `data`: a hasher that returns the forged hash trusted the entry
    /// without reading the file.
    func forgeSavedEntry(_ change: (inout [String: Any]) -> Void) throws {
        var contents = try savedEntries()
        var files = try #require(contents["files"] as? [String: Any])
        var entry = try #require(files[data] as? [String: Any])
        change(&entry)
        files[data] = entry
        contents["files"] = files
        try saveEntries(contents)
    }

    static let forged = String(repeating: "f", count: 64)

    @Test func hashIsTheContentHash() throws {
        let hasher = FileHasher(cacheFile: cacheFile)
        let expected = try ContentHash.sha256(fileAt: data)
        #expect(expected.sha256 == ContentHash.sha256(Array("label,x\n0,1.5\n1,2.5\n".utf8)))
        #expect(expected.bytes == 20)
        #expect(try hasher.hash(data) == expected)
        #expect(try hasher.hash(data) == expected)
    }

    @Test func unchangedStatIsNotReadAgain() throws {
        let first = FileHasher(cacheFile: cacheFile, racyInterval: .zero)
        _ = try first.hash(data)
        try first.save()
        try forgeSavedEntry { $0["sha256"] = Self.forged }
        // Only an entry trusted without reading the file can give the forged hash back.
        let second = FileHasher(cacheFile: cacheFile, racyInterval: .zero)
        #expect(try second.hash(data) == (Self.forged, 20))
        // One nanosecond later is a change.
        try setModificationTime(data, seconds: 1_600_000_000, nanoseconds: 123_456_790)
        #expect(try second.hash(data) == (try ContentHash.sha256(fileAt: data)))
    }

    @Test func sameSizeEditWithItsModificationTimePutBackIsReadAgain() throws {
        let hasher = FileHasher(cacheFile: cacheFile, racyInterval: .zero)
        let original = try hasher.hash(data)
        #expect(original.sha256 == ContentHash.sha256(Array("label,x\n0,1.5\n1,2.5\n".utf8)))
        let before = try status(data)
        try waitForTheClockToPassTheChangeTime(of: data)
        // What `touch -r`, `cp -p` or `rsync -t` leave: new bytes, same size, inode and mtime.
        try write("label,x\n0,9.5\n1,9.5\n", to: data)
        try setModificationTime(data, seconds: 1_600_000_000, nanoseconds: 123_456_789)
        let after = try status(data)
        try #require(after.st_size == before.st_size && after.st_ino == before.st_ino)
        try #require(after.st_mtim.tv_sec == before.st_mtim.tv_sec && after.st_mtim.tv_nsec == before.st_mtim.tv_nsec)
        #expect(try hasher.hash(data) == (ContentHash.sha256(Array("label,x\n0,9.5\n1,9.5\n".utf8)), 20))
    }

    @Test(arguments: ["ctime", "device", "inode", "size"])
    func savedEntryWithAnotherStatIsReadAgain(key: String) throws {
        let first = FileHasher(cacheFile: cacheFile, racyInterval: .zero)
        let original = try first.hash(data)
        try first.save()
        try forgeSavedEntry { entry in
            entry["sha256"] = Self.forged
            entry[key] = ((entry[key] as? Int) ?? 0) + 1
        }
        #expect(try FileHasher(cacheFile: cacheFile, racyInterval: .zero).hash(data) == original)
    }

    @Test func entriesOfTheOldFormatWithoutChangeTimeAreReadAgain() throws {
        try FileManager.default.createDirectory(
            atPath: directory.file(".athanor/cache"), withIntermediateDirectories: true)
        let info = try status(data)
        // What version 1 wrote: size, mtime and inode only, all matching the file.
        let old: [String: Any] = [
            "version": 1,
            "files": [
                data: [
                    "size": 20, "mtime": 1_600_000_000_123_456_789, "inode": Int(info.st_ino), "sha256": Self.forged,
                ]
            ],
        ]
        try saveEntries(old)
        let hasher = FileHasher(cacheFile: cacheFile, racyInterval: .zero)
        #expect(try hasher.hash(data) == (try ContentHash.sha256(fileAt: data)))
        try hasher.save()
        #expect(try savedEntries()["version"] as? Int == 2)
    }

    @Test func recentlyChangedFileIsNotRemembered() throws {
        // The file was just written (its change time is now) though its mtime is years old.
        let hasher = FileHasher(cacheFile: cacheFile)
        #expect(try hasher.hash(data) == (try ContentHash.sha256(fileAt: data)))
        try hasher.save()
        #expect(!FileManager.default.fileExists(atPath: cacheFile))
    }

    @Test func sizeChangeIsNoticedEvenWithTheSameModificationTime() throws {
        let hasher = FileHasher(cacheFile: cacheFile, racyInterval: .zero)
        let original = try hasher.hash(data).sha256
        try write("label,x\n0,1.5\n1,2.5\n2,3.5\n", to: data)
        try setModificationTime(data, seconds: 1_600_000_000, nanoseconds: 123_456_789)
        #expect(try hasher.hash(data).sha256 != original)
    }

    @Test func replacedFileIsNoticedByItsInode() throws {
        let hasher = FileHasher(cacheFile: cacheFile, racyInterval: .zero)
        let original = try hasher.hash(data).sha256
        let replacement = directory.file("replacement.csv")
        try write("label,x\n0,9.5\n1,9.5\n", to: replacement)
        try setModificationTime(replacement, seconds: 1_600_000_000, nanoseconds: 123_456_789)
        try #require(rename(replacement, data) == 0)
        #expect(try hasher.hash(data).sha256 == ContentHash.sha256(Array("label,x\n0,9.5\n1,9.5\n".utf8)))
        #expect(try hasher.hash(data).sha256 != original)
    }

    @Test func touchedFileKeepsItsHash() throws {
        let hasher = FileHasher(cacheFile: cacheFile, racyInterval: .zero)
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
        let first = FileHasher(cacheFile: cacheFile, racyInterval: .zero)
        _ = try first.hash(data)
        try first.save()
        #expect(FileManager.default.fileExists(atPath: cacheFile))
        try forgeSavedEntry { $0["sha256"] = Self.forged }
        // Only the saved entry can give the forged hash back.
        let second = FileHasher(cacheFile: URL(fileURLWithPath: cacheFile), racyInterval: .zero)
        #expect(try second.hash(data) == (Self.forged, 20))
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
