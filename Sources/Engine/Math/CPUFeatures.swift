import Foundation

/// What the processor is and which vector instructions the OS lets programs use, as Linux reports
/// it in /proc/cpuinfo (its `flags` leave out what the kernel does not enable, such as AVX-512
/// without the ZMM state saved).
public struct CPUFeatures: Sendable, Hashable {
    public enum Vendor: Sendable, Hashable {
        case amd, intel
        case other(String)
    }

    public var vendor: Vendor
    /// The display family (base plus extended family): 0x19 for Zen 3 and 4, 0x1A for Zen 5.
    public var family: Int
    /// The display model (extended model shifted in).
    public var model: Int
    public var flags: Set<String>

    public init(vendor: Vendor, family: Int, model: Int, flags: Set<String>) {
        self.vendor = vendor
        self.family = family
        self.model = model
        self.flags = flags
    }

    /// The first processor's entry of a /proc/cpuinfo text; nil when it names no vendor.
    public init?(cpuinfo text: String) {
        var fields: [String: String] = [:]
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            // The first blank line ends the first processor's entry.
            if line.trimmingCharacters(in: .whitespaces).isEmpty {
                if !fields.isEmpty { break }
                continue
            }
            guard let colon = line.firstIndex(of: ":") else { continue }
            let key = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            if fields[key] == nil { fields[key] = value }
        }
        guard let vendorID = fields["vendor_id"] else { return nil }
        switch vendorID {
        case "AuthenticAMD": vendor = .amd
        case "GenuineIntel": vendor = .intel
        default: vendor = .other(vendorID)
        }
        family = fields["cpu family"].flatMap { Int($0) } ?? 0
        model = fields["model"].flatMap { Int($0) } ?? 0
        flags = Set((fields["flags"] ?? "").split(separator: " ").map(String.init))
    }

    /// This machine's, from /proc/cpuinfo; nil where there is none (not Linux) or it is unreadable.
    public static func current() -> CPUFeatures? {
        guard let text = try? String(contentsOfFile: "/proc/cpuinfo", encoding: .utf8) else { return nil }
        return CPUFeatures(cpuinfo: text)
    }

    public var hasAVX512: Bool { flags.isSuperset(of: ["avx512f", "avx512dq", "avx512bw", "avx512vl"]) }
    public var hasAVX2FMA: Bool { flags.isSuperset(of: ["avx", "avx2", "fma"]) }
}
