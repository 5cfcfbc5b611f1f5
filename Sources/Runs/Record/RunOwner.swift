import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Musl)
    import Musl
#elseif canImport(Darwin)
    import Darwin
#endif

/// The process that runs a run, so that a reader can tell a run still going from one whose process was
/// killed (SIGKILL, a crash, a power cut) and will never finish.
///
/// A process id alone is not enough: ids are reused. The owner also keeps the process's start time (field 22
/// of `/proc/PID/stat`, clock ticks since boot) and the kernel's boot id, which together name one process of
/// one boot, and the host name, because a project on a shared disk is run from several machines: a process
/// of another host cannot be looked up, and its run is taken to be alive.
public struct RunOwner: Sendable, Hashable, Codable {
    public var host: String
    /// `/proc/sys/kernel/random/boot_id`: a new one at every boot.
    public var boot: String
    public var pid: Int32
    /// When the process started, in clock ticks since boot.
    public var start: UInt64

    public init(host: String, boot: String, pid: Int32, start: UInt64) {
        self.host = host
        self.boot = boot
        self.pid = pid
        self.start = start
    }

    /// Whether the owner still runs, as far as this machine can tell.
    public enum Liveness: Sendable, Hashable {
        case alive
        case gone
        /// A process of another host.
        case unknown
    }

    /// This process; nil where there is no `/proc` to describe it (then no run is ever taken for abandoned).
    public static let current: RunOwner? = {
        let pid = getpid()
        guard let boot = bootID, let start = startTime(of: pid) else { return nil }
        return RunOwner(host: hostName, boot: boot, pid: pid, start: start)
    }()

    /// Whether the owner still runs: gone when its host rebooted since, or no process of that id exists, or
    /// the one that does started at another time (the id was reused), or it is a zombie.
    public var liveness: Liveness {
        guard host == Self.hostName, let boot = Self.bootID else { return .unknown }
        guard boot == self.boot, let start = Self.startTime(of: pid) else { return .gone }
        return start == self.start ? .alive : .gone
    }

    static let hostName: String = {
        var buffer = [CChar](repeating: 0, count: 256)
        guard gethostname(&buffer, buffer.count - 1) == 0 else { return "" }
        return String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
    }()

    static var bootID: String? {
        guard let bytes = try? FileSystem.contents(ofFileAt: "/proc/sys/kernel/random/boot_id") else { return nil }
        let text = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        return text.isEmpty ? nil : text
    }

    /// Field 22 of `/proc/PID/stat`, or nil when there is no such process or it is a zombie. The fields are
    /// counted after the command name's closing parenthesis, since the name may hold spaces and parentheses.
    static func startTime(of pid: Int32) -> UInt64? {
        guard pid > 0, let bytes = try? FileSystem.contents(ofFileAt: "/proc/\(pid)/stat"),
            let close = bytes.lastIndex(of: UInt8(ascii: ")"))
        else { return nil }
        let fields = bytes[(close + 1)...].split(separator: UInt8(ascii: " ")).map {
            String(decoding: $0, as: UTF8.self)
        }
        // fields[0] is field 3, the state; field 22 is fields[19].
        guard fields.count > 19, fields[0] != "Z", fields[0] != "X" else { return nil }
        return UInt64(fields[19])
    }
}
