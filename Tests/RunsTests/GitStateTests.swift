import Foundation
import Testing

@testable import Runs

/// Recording a run's git commit and dirty state in a folder someone else made: its repository's
/// configuration must not get to run a program (issue 12, item 3).
@Suite struct GitStateTests {
    /// A repository with one commit, whose configuration names programs that leave a marker file when run.
    struct HostileRepository {
        let directory: URL
        var markers: URL { directory.appendingPathComponent("markers") }

        init() throws {
            directory = FileManager.default.temporaryDirectory.appendingPathComponent("athanor-git-\(UUID())")
            try FileManager.default.createDirectory(at: markers, withIntermediateDirectories: true)
            try write("data.csv", "x,y\n1,2\n")
            try write("notes.txt", "clean\n")
            try write("nb.md", "# notebook\n")
            try git("init", "-q")
            try git("add", ".")
            try git("-c", "user.name=t", "-c", "user.email=t@t", "commit", "-q", "-m", "first")
            // Set after the commit, so that the stored blobs are the files' own bytes.
            let markersPath = directory.appendingPathComponent("markers").path
            let marker = { (name: String) in "touch '\(markersPath)/\(name)'" }
            try write(".git/fsmonitor", "#!/bin/sh\n\(marker("fsmonitor"))\nexit 1\n", executable: true)
            try write(".git/hooks/post-index-change", "#!/bin/sh\n\(marker("hook"))\n", executable: true)
            try git("config", "core.fsmonitor", directory.appendingPathComponent(".git/fsmonitor").path)
            try git("config", "filter.evil.clean", "\(marker("clean")); cat")
            try git("config", "filter.evil.required", "true")
            try git("config", "filter.worse.process", "sh -c \"\(marker("process")); exit 1\"")
            try write(".git/info/attributes", "*.csv filter=evil\n*.txt filter=worse\n")
            try touchEverything()
        }

        /// Gives every tracked file a new modification time, so that status compares content, through the
        /// filters, rather than trusting timestamps.
        func touchEverything() throws {
            let later = Date().addingTimeInterval(5)
            for name in ["data.csv", "notes.txt", "nb.md"] {
                try FileManager.default.setAttributes(
                    [.modificationDate: later], ofItemAtPath: directory.appendingPathComponent(name).path)
            }
        }

        func write(_ name: String, _ text: String, executable: Bool = false) throws {
            let url = directory.appendingPathComponent(name)
            try FileManager.default.createDirectory(
                at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try text.write(to: url, atomically: false, encoding: .utf8)
            if executable {
                try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: url.path)
            }
        }

        @discardableResult
        func git(_ arguments: String...) throws -> String {
            let process = Process()
            process.executableURL = URL(fileURLWithPath: "/usr/bin/env")
            process.arguments = ["git", "-C", directory.path] + arguments
            let output = Pipe()
            process.standardOutput = output
            process.standardError = FileHandle.nullDevice
            try process.run()
            let data = output.fileHandleForReading.readDataToEndOfFile()
            process.waitUntilExit()
            guard process.terminationStatus == 0 else { throw CocoaError(.executableLoad) }
            return String(decoding: data, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        }

        var ranPrograms: [String] {
            ((try? FileManager.default.contentsOfDirectory(atPath: markers.path)) ?? []).sorted()
        }

        func remove() {
            try? FileManager.default.removeItem(at: directory)
        }
    }

    /// No trusted configuration: only the repository's own counts.
    static let isolated = [
        "PATH": ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin", "HOME": "/nonexistent",
    ]

    @Test func recordingTheEnvironmentRunsNothingTheRepositoryConfigures() throws {
        let repository = try HostileRepository()
        defer { repository.remove() }
        let head = try repository.git("rev-parse", "HEAD")

        #expect(GitState.of(repository.directory, environment: Self.isolated) == GitState(commit: head, dirty: false))
        #expect(repository.ranPrograms == [])

        try repository.write("data.csv", "x,y\n1,3\n")
        try repository.touchEverything()
        #expect(GitState.of(repository.directory, environment: Self.isolated) == GitState(commit: head, dirty: true))
        #expect(repository.ranPrograms == [])

        // Through the run's own entry point, from a folder inside the repository.
        let inside = repository.directory.appendingPathComponent("notebooks")
        try FileManager.default.createDirectory(at: inside, withIntermediateDirectories: true)
        let environment = Environment.current(directory: inside)
        #expect(environment.gitCommit == head)
        #expect(environment.gitDirty == true)
        #expect(repository.ranPrograms == [])
    }

    @Test func aDriverTheUserConfiguresStillCleansAndOneTheRepositoryRedefinesDoesNot() throws {
        let repository = try HostileRepository()
        defer { repository.remove() }
        // The user's own driver (as git-lfs installs one in ~/.gitconfig), which the repository redefines.
        let home = repository.directory.appendingPathComponent("home")
        try FileManager.default.createDirectory(at: home, withIntermediateDirectories: true)
        try """
        [filter "evil"]
            clean = "touch '\(repository.markers.path)/trusted'; cat"
        """.write(to: home.appendingPathComponent(".gitconfig"), atomically: false, encoding: .utf8)
        var environment = Self.isolated
        environment["HOME"] = home.path

        let state = GitState.of(repository.directory, environment: environment)
        #expect(state == GitState(commit: try repository.git("rev-parse", "HEAD"), dirty: false))
        #expect(repository.ranPrograms == ["trusted"])
    }

    @Test func aDriverNameThatCannotBeOverriddenLeavesTheDirtyStateUnknown() throws {
        let repository = try HostileRepository()
        defer { repository.remove() }
        try repository.git("config", "filter.a=b.clean", "touch '\(repository.markers.path)/equals'; cat")
        try repository.write(".git/info/attributes", "*.csv filter=a=b\n")
        let state = GitState.of(repository.directory, environment: Self.isolated)
        #expect(state == GitState(commit: try repository.git("rev-parse", "HEAD"), dirty: nil))
        #expect(repository.ranPrograms == [])
    }

    @Test func variablesThatRedirectGitAreDropped() {
        let variables = GitState.variables([
            "GIT_DIR": "/elsewhere", "GIT_CONFIG_PARAMETERS": "'core.fsmonitor'='x'", "GIT_CONFIG_GLOBAL": "/g",
            "HOME": "/h",
        ])
        #expect(
            variables == [
                "GIT_CONFIG_GLOBAL=/g", "GIT_OPTIONAL_LOCKS=0", "GIT_PAGER=cat", "GIT_TERMINAL_PROMPT=0", "HOME=/h",
            ])
    }
}
