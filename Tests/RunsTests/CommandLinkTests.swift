import Foundation
import Testing

@testable import Runs

/// A command step's files and symbolic links: a cache hit never writes through a link out of the notebook's
/// folder, and collecting never reads what a link in `ATHANOR_OUTPUT` points to.
@Suite struct CommandLinkTests {
    /// A directory outside the fixture's folder, removed afterwards, and its path with links resolved.
    struct Outside {
        let url: URL
        var real: String { url.resolvingSymlinksInPath().path }

        init() throws {
            url = FileManager.default.temporaryDirectory.appendingPathComponent("athanor-outside-\(UUID())")
            try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        }

        func contents() -> [String] { (try? FileManager.default.contentsOfDirectory(atPath: url.path)) ?? [] }
        func remove() { try? FileManager.default.removeItem(at: url) }
    }

    static let notebook = """
        ```step train
        run: mkdir -p out; echo weights > out/model.bin
        outputs: [out/model.bin]
        ```
        """

    func link(_ name: String, to target: String, in fixture: ExternalStepTests.Fixture) throws {
        try FileManager.default.createSymbolicLink(
            atPath: fixture.directory.appendingPathComponent(name).path, withDestinationPath: target)
    }

    @Test func aCacheHitDoesNotWriteThroughALinkOutOfTheFolder() throws {
        let fixture = try ExternalStepTests.Fixture(Self.notebook)
        defer { fixture.cleanUp() }
        let outside = try Outside()
        defer { outside.remove() }
        #expect(try fixture.run().status == .succeeded)
        try fixture.remove("out")
        try link("out", to: outside.url.path, in: fixture)

        let hit = try fixture.run()
        #expect(hit.status == .failed)
        #expect(
            hit.steps.first?.error
                == "outputs: 'out/model.bin' goes through the symbolic link 'out', which leads out of the notebook's "
                + "folder (to '\(outside.real)'); Athanor does not read or write files through it")
        #expect(outside.contents() == [])
    }

    @Test func aLinkThatStaysInTheFolderIsWrittenThrough() throws {
        let fixture = try ExternalStepTests.Fixture(Self.notebook)
        defer { fixture.cleanUp() }
        #expect(try fixture.run().status == .succeeded)
        try fixture.remove("out")
        try FileManager.default.createDirectory(
            at: fixture.directory.appendingPathComponent("kept"), withIntermediateDirectories: true)
        try link("out", to: "kept", in: fixture)

        let hit = try fixture.run()
        #expect(hit.status == .succeeded, "\(hit.steps)")
        #expect(hit.steps.map(\.cache) == [.hit])
        #expect(fixture.read("kept/model.bin") == "weights\n")
    }

    @Test func outputsBehindALinkOutOfTheFolderAreNotCollected() throws {
        let fixture = try ExternalStepTests.Fixture(
            """
            ```step train
            run: "true"
            outputs: [out/model.bin]
            ```
            """)
        defer { fixture.cleanUp() }
        let outside = try Outside()
        defer { outside.remove() }
        try "secret\n".write(to: outside.url.appendingPathComponent("model.bin"), atomically: true, encoding: .utf8)
        try link("out", to: outside.url.path, in: fixture)

        let run = try fixture.run()
        #expect(run.status == .failed)
        #expect(
            run.steps.first?.error
                == "outputs: 'out/model.bin' goes through the symbolic link 'out', which leads out of the notebook's "
                + "folder (to '\(outside.real)'); Athanor does not read or write files through it")
        #expect(run.artifacts == [])
    }

    @Test func aLinkInTheOutputDirectoryIsSkippedAndSaidSo() throws {
        let outside = try Outside()
        defer { outside.remove() }
        let secret = outside.url.appendingPathComponent("secret.txt")
        try "secret\n".write(to: secret, atomically: true, encoding: .utf8)
        let fixture = try ExternalStepTests.Fixture(
            """
            ```step train
            run: ln -s '\(secret.path)' "$ATHANOR_OUTPUT/leak.txt"; ln -s '\(outside.url.path)' "$ATHANOR_OUTPUT/dir"; echo real > "$ATHANOR_OUTPUT/real.txt"
            ```
            """)
        defer { fixture.cleanUp() }
        let lines = ExternalStepTests.Lines()
        let run = try fixture.run(observer: lines)
        #expect(run.status == .succeeded, "\(run.steps)")
        #expect(run.artifacts.map(\.name) == ["real.txt"])
        let notes = [
            "athanor: ATHANOR_OUTPUT/dir is a symbolic link, not collected (write the file itself)",
            "athanor: ATHANOR_OUTPUT/leak.txt is a symbolic link, not collected (write the file itself)",
        ]
        #expect(run.steps.first?.log == notes.map { $0 + "\n" }.joined())
        #expect(lines.lines == notes.map { "train: " + $0 })
    }
}
