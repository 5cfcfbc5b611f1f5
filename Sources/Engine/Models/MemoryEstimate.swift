import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// What a step is about to allocate, counted before it allocates: a size a notebook sets too large
/// (`hidden: [100000000]`, `k` near the number of rows) then fails as the step's error, naming the sizes,
/// instead of aborting the whole process when the allocation fails.
///
/// The parts count the buffers that grow with the sizes the user chose, not every temporary: an estimate is
/// a lower bound. It is held against the machine's memory (`MemoryEstimate.limit`); each size is multiplied
/// with overflow checked, and a product past `Int.max` counts as too large.
public struct MemoryEstimate: Sendable, Hashable {
    /// One buffer or family of buffers, in the user's words: "weights, gradients and optimizer state".
    public struct Part: Sendable, Hashable {
        public var name: String
        /// Nil when the size overflows `Int`.
        public var bytes: Int?
    }

    /// What is being built: "an MLP with layers 2 → 100000000 → 2".
    public var subject: String
    public var parts: [Part] = []
    /// How to need less: "use smaller 'hidden' layers or a smaller 'batch'".
    public var advice: String

    public init(_ subject: String, advice: String) {
        self.subject = subject
        self.advice = advice
    }

    /// Adds a part of `count` values of `width` bytes, `count` being the product of `factors`.
    public mutating func add(_ name: String, bytesPerValue width: Int, _ factors: Int...) {
        parts.append(Part(name: name, bytes: Self.product([width] + factors)))
    }

    /// The whole estimate; nil when it overflows.
    public var bytes: Int? {
        var total = 0
        for part in parts {
            guard let bytes = part.bytes else { return nil }
            let (sum, overflow) = total.addingReportingOverflow(bytes)
            if overflow { return nil }
            total = sum
        }
        return total
    }

    /// Throws when the estimate is more than `limit` bytes, saying what was asked and how much it needs.
    public func check(limit: Int = MemoryEstimate.limit) throws {
        if let bytes, bytes <= limit { return }
        let needs = bytes.map { "needs about \(Self.text($0))" } ?? "needs more memory than can be counted"
        let listed = parts.map { "\($0.name) \($0.bytes.map(Self.text) ?? "beyond counting")" }
        throw EngineError(
            "\(subject) \(needs) (\(listed.joined(separator: "; "))), more than this machine's "
                + "\(Self.text(limit)) of memory; \(advice)")
    }

    /// The product of `factors`, or nil when it overflows; a negative factor counts as 0.
    public static func product(_ factors: [Int]) -> Int? {
        var result = 1
        for factor in factors {
            let (next, overflow) = result.multipliedReportingOverflow(by: max(factor, 0))
            if overflow { return nil }
            result = next
        }
        return result
    }

    /// The sum of `terms`, or nil when it overflows or a term is nil.
    public static func sum(_ terms: [Int?]) -> Int? {
        var result = 0
        for term in terms {
            guard let term else { return nil }
            let (next, overflow) = result.addingReportingOverflow(term)
            if overflow { return nil }
            result = next
        }
        return result
    }

    /// "25.6 GB", "312.5 MB", "4096 bytes": decimal units, as `df -H` and the size of a disk are given.
    public static func text(_ bytes: Int) -> String {
        let value = Double(bytes)
        for (unit, scale) in [("TB", 1e12), ("GB", 1e9), ("MB", 1e6), ("kB", 1e3)] where value >= scale {
            return String(format: "%.1f", value / scale) + " " + unit
        }
        return "\(bytes) bytes"
    }

    // MARK: The limit

    /// The most a step may plan to allocate: the machine's physical memory, or the memory limit of the
    /// control group the process runs in (a container, a cluster job) when that is lower.
    ///
    /// The whole memory, not a fraction: the estimate is a lower bound, so a step it refuses could never
    /// have run, and one close to the limit is left to try.
    public static var limit: Int { limitOverride ?? machineLimit }

    /// Replaces the limit for the current task, for tests of what a step says when it is too large.
    @TaskLocal public static var limitOverride: Int?

    static let machineLimit: Int = {
        let pages = sysconf(Int32(_SC_PHYS_PAGES))
        let pageSize = sysconf(Int32(_SC_PAGESIZE))
        var physical = Int.max
        if pages > 0, pageSize > 0 {
            physical = product([pages, pageSize]) ?? Int.max
        }
        return min(physical, controlGroupLimit() ?? Int.max)
    }()

    /// The memory limit of this process's control group (v2 `memory.max`, else v1's), or nil when unlimited.
    static func controlGroupLimit() -> Int? {
        for path in ["/sys/fs/cgroup/memory.max", "/sys/fs/cgroup/memory/memory.limit_in_bytes"] {
            guard let text = try? String(contentsOfFile: path, encoding: .utf8) else { continue }
            let trimmed = text.trimmingCharacters(in: .whitespacesAndNewlines)
            // "max", or v1's way of saying unlimited: a number near Int.max.
            if let value = Int(trimmed), value > 0, value < Int.max / 2 { return value }
            return nil
        }
        return nil
    }
}
