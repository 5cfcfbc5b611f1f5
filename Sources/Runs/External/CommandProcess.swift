import Engine
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// How a command ended, with what it printed.
struct CommandOutcome: Sendable {
    enum Ending: Sendable, Hashable {
        case exited(Int32)
        case signalled(Int32)
        case timedOut(seconds: Double)
    }

    var ending: Ending
    /// Standard output and error, line by line as they came, bounded.
    var log: String?
    /// The last lines of standard error, for the message of a failure.
    var standardErrorTail: [String]
}

/// A command run through `/bin/sh -c` in a process group of its own, so that a timeout or an
/// interrupted run can stop it with everything it started (`kill(-group, SIGKILL)`).
///
/// Spawned with posix_spawn rather than Foundation's `Process`, which can neither start a new
/// process group nor reset the signals that `athanor run` ignores (ignored signals survive
/// `exec`). Standard output and error are read through two pipes with `poll`, so that neither
/// blocks the other, and handed on line by line as they arrive.
struct CommandProcess {
    var command: String
    var directory: String
    /// The complete environment of the command.
    var environment: [String: String]
    var timeout: Double?
    /// Lines of standard error kept for a failure's message.
    static let tailLines = 20

    /// Runs the command to its end; `line` gets each line it prints, without the newline.
    func run(line: (String) -> Void) throws -> CommandOutcome {
        var output: [Int32] = [-1, -1]
        var errors: [Int32] = [-1, -1]
        guard makePipe(&output) else { throw systemError("cannot create a pipe") }
        guard makePipe(&errors) else {
            close(output[0])
            close(output[1])
            throw systemError("cannot create a pipe")
        }
        var pid: pid_t = 0
        let spawned = spawn(&pid, standardOutput: output[1], standardError: errors[1])
        close(output[1])
        close(errors[1])
        defer {
            close(output[0])
            close(errors[0])
        }
        guard spawned == 0 else {
            throw systemError("cannot start /bin/sh", code: spawned)
        }
        RunningCommands.shared.insert(pid)
        defer { RunningCommands.shared.remove(pid) }

        var reader = OutputReader()
        let deadline = timeout.map { Date().addingTimeInterval($0) }
        var status: Int32?
        var timedOut = false
        var open = [output[0], errors[0]]
        /// After the command ended, how long to wait for what its pipes still hold.
        var drainDeadline: Date?
        while !open.isEmpty {
            if status == nil, let deadline, Date() >= deadline {
                timedOut = true
                kill(-pid, SIGKILL)
                status = waitForExit(pid)
                drainDeadline = Date().addingTimeInterval(2)
            }
            if let drainDeadline, Date() >= drainDeadline { break }
            var descriptors = open.map { pollfd(fd: $0, events: Int16(POLLIN), revents: 0) }
            var wait = 100
            if status == nil, let deadline { wait = min(wait, max(0, Int(deadline.timeIntervalSinceNow * 1000) + 1)) }
            let ready = poll(&descriptors, nfds_t(descriptors.count), Int32(wait))
            if ready < 0 && errno != EINTR { throw systemError("cannot read the command's output") }
            for descriptor in descriptors where descriptor.revents != 0 {
                let (lines, isOpen) = reader.read(descriptor.fd, isError: descriptor.fd == errors[0])
                lines.forEach(line)
                if !isOpen { open.removeAll { $0 == descriptor.fd } }
            }
            if status == nil {
                var raw: Int32 = 0
                if waitpid(pid, &raw, WNOHANG) == pid {
                    status = raw
                    // What the command left running in its group would hold the pipes open.
                    kill(-pid, SIGKILL)
                    drainDeadline = Date().addingTimeInterval(2)
                }
            }
        }
        reader.finish().forEach(line)
        let raw = status ?? waitForExit(pid)
        let ending: CommandOutcome.Ending
        if timedOut {
            ending = .timedOut(seconds: timeout ?? 0)
        } else if raw & 0x7f == 0 {
            ending = .exited((raw >> 8) & 0xff)
        } else {
            ending = .signalled(raw & 0x7f)
        }
        return CommandOutcome(ending: ending, log: reader.log.text, standardErrorTail: reader.errorTail)
    }

    /// A pipe whose ends a later spawn does not inherit (the child gets copies through dup2).
    private func makePipe(_ ends: inout [Int32]) -> Bool {
        guard pipe(&ends) == 0 else { return false }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        return true
    }

    private func waitForExit(_ pid: pid_t) -> Int32 {
        var raw: Int32 = 0
        while waitpid(pid, &raw, 0) < 0 && errno == EINTR {}
        return raw
    }

    /// posix_spawn with its own process group, default signal handling and standard input from
    /// `/dev/null`; returns 0 or an error number.
    private func spawn(_ pid: inout pid_t, standardOutput: Int32, standardError: Int32) -> Int32 {
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, standardOutput, 1)
        posix_spawn_file_actions_adddup2(&actions, standardError, 2)

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        posix_spawnattr_setflags(
            &attributes, Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK))
        posix_spawnattr_setpgroup(&attributes, 0)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGINT, SIGTERM, SIGQUIT, SIGHUP, SIGPIPE, SIGCHLD] { sigaddset(&defaults, signal) }
        posix_spawnattr_setsigdefault(&attributes, &defaults)
        var mask = sigset_t()
        sigemptyset(&mask)
        posix_spawnattr_setsigmask(&attributes, &mask)

        // Glibc's posix_spawn_file_actions_addchdir_np is not visible to Swift: a first shell
        // changes directory, then replaces itself with the one that runs the command.
        let arguments = [
            "/bin/sh", "-c", #"cd -- "$1" || exit 126; exec /bin/sh -c "$2""#, "athanor", directory, command,
        ]
        let variables = environment.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
        var argv = arguments.map { strdup($0) }
        var envp = variables.map { strdup($0) }
        defer {
            for pointer in argv { free(pointer) }
            for pointer in envp { free(pointer) }
        }
        argv.append(nil)
        envp.append(nil)
        return posix_spawn(&pid, "/bin/sh", &actions, &attributes, argv, envp)
    }
}

/// Splits the two streams into lines as they arrive, for the terminal and the bounded log.
private struct OutputReader {
    var log = BoundedLog()
    private var partial: [Int32: [UInt8]] = [:]
    private var errorBytes: [UInt8] = []
    private var buffer = [UInt8](repeating: 0, count: 65_536)
    /// Lines completed since the last call, handed back to the caller.
    private var lines: [String] = []

    /// Reads what `descriptor` holds: the lines it completed, and false at its end.
    mutating func read(_ descriptor: Int32, isError: Bool) -> (lines: [String], open: Bool) {
        lines = []
        let count = buffer.withUnsafeMutableBytes { Glibc.read(descriptor, $0.baseAddress, $0.count) }
        if count < 0 { return ([], errno == EINTR || errno == EAGAIN) }
        if count == 0 {
            flush(descriptor)
            return (lines, false)
        }
        let chunk = buffer[0..<count]
        if isError {
            errorBytes += chunk
            if errorBytes.count > 16_384 { errorBytes.removeFirst(errorBytes.count - 8_192) }
        }
        var pending = partial[descriptor, default: []] + chunk
        while let newline = pending.firstIndex(of: UInt8(ascii: "\n")) {
            emit(Array(pending[...newline]))
            pending.removeFirst(newline + 1)
        }
        // A line without end (a progress bar redrawn with \r) is passed on in pieces.
        if pending.count >= log.limit {
            emit(pending + [UInt8(ascii: "\n")])
            pending = []
        }
        partial[descriptor] = pending
        return (lines, true)
    }

    /// The lines left without a newline at the end.
    mutating func finish() -> [String] {
        lines = []
        for descriptor in partial.keys.sorted() { flush(descriptor) }
        return lines
    }

    private mutating func flush(_ descriptor: Int32) {
        if let pending = partial[descriptor], !pending.isEmpty { emit(pending + [UInt8(ascii: "\n")]) }
        partial[descriptor] = nil
    }

    private mutating func emit(_ bytes: [UInt8]) {
        log.append(bytes)
        lines.append(String(decoding: bytes.dropLast(), as: UTF8.self))
    }

    /// The last lines of standard error.
    var errorTail: [String] {
        let lines = String(decoding: errorBytes, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true)
        return lines.suffix(CommandProcess.tailLines).map(String.init)
    }
}

/// The process groups of the commands running now, so that an interrupted run can stop them.
final class RunningCommands: @unchecked Sendable {
    // @unchecked: `groups` is only touched while holding `lock`; a signal handler's queue reads it.
    static let shared = RunningCommands()
    private let lock = NSLock()
    private var groups: Set<pid_t> = []

    func insert(_ group: pid_t) { lock.withLock { _ = groups.insert(group) } }
    func remove(_ group: pid_t) { lock.withLock { _ = groups.remove(group) } }

    /// Kills every running command with everything it started.
    func killAll() {
        for group in lock.withLock({ groups }) { kill(-group, SIGKILL) }
    }
}

/// `message` with what the system said of `code`.
private func systemError(_ message: String, code: Int32 = errno) -> EngineError {
    EngineError("\(message): \(String(cString: strerror(code)))")
}
