import Foundation
import TestSupport
import Testing

/// Issue 19: bash completes run ids from the store of the folder it is in, and notebooks by extension, through
/// the script `athanor --generate-completion-script bash` writes.
@Suite struct CompletionCommandTests {
    /// What bash offers for `athanor WORDS…` with the cursor after the last word, in `directory`.
    func complete(_ words: [String], in directory: URL) throws -> [String] {
        let binary = BinaryRunner.binary.path
        let quoted = ([binary] + words).map { "'\($0)'" }.joined(separator: " ")
        let line = ([binary] + words).joined(separator: " ")
        let script = """
            source <('\(binary)' --generate-completion-script bash) || exit 3
            COMP_WORDS=(\(quoted))
            COMP_CWORD=\(words.count)
            COMP_LINE='\(line)'
            COMP_POINT=${#COMP_LINE}
            _athanor || exit 4
            printf '%s\\n' "${COMPREPLY[@]}"
            """
        let shell = Process()
        shell.executableURL = URL(fileURLWithPath: "/bin/bash")
        shell.arguments = ["-c", script]
        shell.currentDirectoryURL = directory
        let output = Pipe()
        shell.standardOutput = output
        shell.standardError = FileHandle.nullDevice
        try shell.run()
        let data = output.fileHandleForReading.readDataToEndOfFile()
        shell.waitUntilExit()
        #expect(shell.terminationStatus == 0)
        return String(decoding: data, as: UTF8.self).split(separator: "\n").map(String.init).sorted()
    }

    @Test func bashCompletesRunIDsAndNotebooks() throws {
        let project = try RunCommandTests.Project()
        defer { project.remove() }
        try "# notes".write(
            to: project.directory.appendingPathComponent("notes.txt"), atomically: true, encoding: .utf8)
        #expect(try complete(["show", ""], in: project.directory).isEmpty, "no store yet, so no ids")
        let ran = try project.athanor(["run", "nb.md", "--json", "-q"])
        let run = try #require(try JSONSerialization.jsonObject(with: Data(ran.stdout.utf8)) as? [String: Any])
        let id = try #require(run["id"] as? String)

        #expect(try complete(["show", ""], in: project.directory) == [id, "latest"].sorted())
        #expect(try complete(["diff", String(id.prefix(2))], in: project.directory) == [id])
        #expect(try complete(["run", ""], in: project.directory).contains("nb.md"))
        #expect(try !complete(["run", ""], in: project.directory).contains("notes.txt"))
        #expect(try complete(["reproduce", "nb"], in: project.directory) == ["nb.html"])
    }
}
