import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// The commit and dirty state of the repository a notebook lives in, asked of git in a way that never lets
/// the repository's own configuration run a program.
///
/// A run records them (DESIGN §3), and `reproduce REPORT.html` runs inside a folder someone else made: its
/// `.git/config` and `.gitattributes` are theirs. Of what `git status` reads, these can start a program:
/// - `core.fsmonitor`, a hook run on every status: turned off (`core.fsmonitor=` is off in every git version;
///   `false` would name a hook called `false` before git 2.36);
/// - hooks (`post-index-change` runs when status rewrites the index): `core.hooksPath=/dev/null`, and
///   `--no-optional-locks`, so that status never writes the index at all;
/// - filter drivers (`filter.NAME.clean` / `.process`), chosen by `.gitattributes`: status runs the clean
///   filter on every file whose timestamps no longer match the index (touched, or racily clean after a
///   checkout) to compare its content. Drivers defined by the repository (local or worktree scope) are
///   blanked (`filter.NAME.clean=`, which git skips, and `required=false`, or git would die); a driver the
///   user or the system defines (git-lfs in `~/.gitconfig`) keeps its trusted value, so that a clean LFS
///   file does not read as modified;
/// - submodules, where status would start another git under the submodule's configuration:
///   `--ignore-submodules=dirty` compares their commits only (read in-process);
/// - the pager and external diff (`core.pager`, `diff.external`, `GIT_PAGER`, `GIT_EXTERNAL_DIFF`): unused
///   by status into a pipe, turned off anyway. `diff.NAME.textconv` and `diff.NAME.command` are used by
///   `git diff` only.
/// Every inherited `GIT_*` variable but those that choose the user's own configuration is dropped: a
/// `GIT_DIR` or `GIT_CONFIG_PARAMETERS` set by an enclosing git hook would point git elsewhere.
///
/// Should a driver's name be one that `-c` cannot carry (it holds `=`), the dirty state is not asked and
/// records as unknown.
struct GitState: Sendable, Hashable {
    var commit: String?
    var dirty: Bool?

    /// Options given to every git command, before the subcommand.
    static let hardening = [
        "--no-pager", "--no-optional-locks", "-c", "core.fsmonitor=", "-c", "core.hooksPath=/dev/null",
        "-c", "core.pager=cat", "-c", "diff.external=",
    ]

    /// The inherited variables git may keep: they choose the user's own configuration, or stop discovery.
    static let keptVariables: Set<String> = [
        "GIT_CONFIG_GLOBAL", "GIT_CONFIG_SYSTEM", "GIT_CONFIG_NOSYSTEM", "GIT_CEILING_DIRECTORIES",
        "GIT_DISCOVERY_ACROSS_FILESYSTEM",
    ]

    /// The state of the repository holding `directory`; both nil when git cannot say (no repository,
    /// no git).
    static func of(_ directory: URL, environment: [String: String] = ProcessInfo.processInfo.environment)
        -> GitState
    {
        let variables = Self.variables(environment)
        let run = { (arguments: [String]) in Self.run(hardening + arguments, in: directory, environment: variables) }
        guard let head = run(["rev-parse", "--verify", "--quiet", "HEAD"]), head.status == 0 else {
            return GitState(commit: nil, dirty: nil)
        }
        let commit = head.text
        // `git config --get-regexp` exits 1 when nothing matches.
        guard let filters = run(["config", "-z", "--show-scope", "--get-regexp", #"^filter\."#]),
            filters.status == 0 || filters.status == 1,
            let overrides = filterOverrides(filters.status == 0 ? filters.output : [])
        else { return GitState(commit: commit, dirty: nil) }
        let status = run(
            overrides + ["status", "--porcelain", "--untracked-files=no", "--ignore-submodules=dirty", "--no-renames"])
        guard let status, status.status == 0 else { return GitState(commit: commit, dirty: nil) }
        return GitState(commit: commit, dirty: !status.text.isEmpty)
    }

    /// `-c` options that blank every filter driver the repository defines, keeping what trusted scopes
    /// (system, global) say of the same driver; nil when a driver's name cannot be passed through `-c`.
    ///
    /// `listing` is `git config -z --show-scope --get-regexp '^filter\.'`: `SCOPE NUL KEY [LF VALUE] NUL`.
    static func filterOverrides(_ listing: [UInt8]) -> [String]? {
        let fields = listing.split(separator: 0, omittingEmptySubsequences: false).map {
            String(decoding: $0, as: UTF8.self)
        }
        var trusted: [String: String] = [:]
        var untrusted: [String] = []
        var untrustedDrivers: [String] = []
        var index = 0
        while index + 1 < fields.count {
            let scope = fields[index]
            let entry = fields[index + 1]
            index += 2
            let parts = entry.split(separator: "\n", maxSplits: 1, omittingEmptySubsequences: false)
            let key = String(parts[0])
            // `filter.DRIVER.VARIABLE`; the driver's name may itself hold dots.
            let prefix = "filter."
            guard key.hasPrefix(prefix), let dot = key.lastIndex(of: "."), dot >= key.index(key.startIndex, offsetBy: 7)
            else { continue }
            let driver = String(key[key.index(key.startIndex, offsetBy: prefix.count)..<dot])
            if scope == "system" || scope == "global" {
                trusted[key] = parts.count > 1 ? String(parts[1]) : "true"
            } else {
                untrusted.append(key)
                if !untrustedDrivers.contains(driver) { untrustedDrivers.append(driver) }
            }
        }
        var options: [String] = []
        for driver in untrustedDrivers {
            guard !driver.contains("="), !driver.contains("\n") else { return nil }
            // An empty value turns a program off, but an empty `process` also turns `clean` off: a variable
            // the repository did not set is left alone.
            for variable in ["clean", "smudge", "process"] {
                let key = "filter.\(driver).\(variable)"
                if let value = trusted[key] {
                    options += ["-c", "\(key)=\(value)"]
                } else if untrusted.contains(key) {
                    options += ["-c", "\(key)="]
                }
            }
            let required = "filter.\(driver).required"
            options += ["-c", "\(required)=\(trusted[required] ?? "false")"]
        }
        return options
    }

    /// The environment git runs in: the user's configuration choices, no redirection, no prompt.
    static func variables(_ environment: [String: String]) -> [String] {
        var kept = environment.filter { name, _ in !name.hasPrefix("GIT_") || keptVariables.contains(name) }
        kept["GIT_TERMINAL_PROMPT"] = "0"
        kept["GIT_OPTIONAL_LOCKS"] = "0"
        kept["GIT_PAGER"] = "cat"
        return kept.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
    }

    /// What a git command printed on standard output and its exit status; nil when git could not start.
    ///
    /// Spawned with posix_spawn and read from a pipe directly: Foundation's `Process` costs tens of
    /// milliseconds per command here, more than the rest of a cached run.
    static func run(_ arguments: [String], in directory: URL, environment: [String]) -> (
        status: Int32, output: [UInt8], text: String
    )? {
        var pipe: [Int32] = [0, 0]
        guard Glibc.pipe(&pipe) == 0 else { return nil }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, pipe[1], 1)
        posix_spawn_file_actions_addclose(&actions, pipe[0])
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        var argv = (["git", "-C", directory.path] + arguments).map { strdup($0) }
        var envp = environment.map { strdup($0) }
        defer {
            for pointer in argv + envp { free(pointer) }
        }
        argv.append(nil)
        envp.append(nil)
        var pid: pid_t = 0
        let spawned = posix_spawnp(&pid, "git", &actions, nil, argv, envp)
        close(pipe[1])
        defer { close(pipe[0]) }
        guard spawned == 0 else { return nil }
        var output: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = read(pipe[0], &buffer, buffer.count)
            if count < 0 && errno == EINTR { continue }
            if count <= 0 { break }
            output += buffer[0..<count]
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        // A normal exit's code, or -1 for a signal.
        let code = (status & 0x7f) == 0 ? (status >> 8) & 0xff : -1
        let text = String(decoding: output, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return (code, output, text)
    }
}
