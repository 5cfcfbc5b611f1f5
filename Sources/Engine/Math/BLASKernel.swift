/// The BLIS kernel (sub-configuration) the engine's products run on, and who chose it.
///
/// BLIS 0.9 picks its kernel from CPUID but knows no CPU newer than Zen 3 and Skylake-X: on Zen 5
/// it falls back to `generic`, five times slower. So before BLIS starts, the engine reads the
/// CPU's features and sets `BLIS_ARCH_TYPE` to the best configuration that the CPU can run,
/// unless the user set `BLIS_ARCH_TYPE` to a usable one (docs/blas.md).
public struct BLASKernel: Sendable, Hashable, CustomStringConvertible {
    public enum Source: String, Sendable, Hashable {
        /// Athanor set `BLIS_ARCH_TYPE` from the CPU's features.
        case athanor
        /// The user's `BLIS_ARCH_TYPE`.
        case user
        /// BLIS's own detection: Athanor knew no better configuration.
        case blis
    }

    /// BLIS's name of the active configuration, as `bli_arch_string` gives it: "skx", "zen3", "generic".
    public var name: String
    public var source: Source
    /// Why a user's `BLIS_ARCH_TYPE` was not followed, when it was not.
    public var note: String?

    public init(name: String, source: Source, note: String? = nil) {
        self.name = name
        self.source = source
        self.note = note
    }

    /// The kernel of this process's products; the first use starts BLIS.
    public static var current: BLASKernel { BLAS.library.kernel }

    public var description: String {
        let by =
            switch source {
            case .athanor: "chosen by Athanor"
            case .user: "set by BLIS_ARCH_TYPE"
            case .blis: "chosen by BLIS"
            }
        return "\(name) (\(by))" + (note.map { "; \($0)" } ?? "")
    }

    /// What to do with `BLIS_ARCH_TYPE` before BLIS starts.
    struct Choice: Sendable, Hashable {
        enum Action: Sendable, Hashable {
            /// Set it to this configuration's id.
            case set(BLISConfiguration)
            /// Leave it as it is (the user's id, or unset).
            case keep
            /// Remove it (an unusable value, and nothing better to put in its place).
            case unset
        }

        var action: Action
        var source: Source
        var note: String?
    }

    /// The choice for `cpu` (nil: unknown, as off Linux) when `BLIS_ARCH_TYPE` is `requested`.
    ///
    /// BLIS 0.9 reads the variable with `strtol`: a name such as `zen3` reads as 0, `skx`, which
    /// dies of an illegal instruction on a CPU without AVX-512; an id whose configuration is not
    /// built in aborts. So a name is turned into its id, and a value that BLIS cannot run here is
    /// replaced by Athanor's choice, with a note.
    static func choose(for cpu: CPUFeatures?, requested: String?) -> Choice {
        var note: String?
        if let requested {
            let text = requested.trimmingCharacters(in: .whitespaces)
            let asked = Int(text).flatMap(BLISConfiguration.init(rawValue:)) ?? BLISConfiguration(name: text)
            if let asked, let cpu, !asked.runs(on: cpu) {
                note = "BLIS_ARCH_TYPE=\(requested) ignored: this CPU cannot run BLIS's '\(asked.name)'"
            } else if let asked {
                return Choice(action: Int(text) == nil ? .set(asked) : .keep, source: .user)
            } else {
                note = "BLIS_ARCH_TYPE=\(requested) ignored: not a BLIS 0.9 configuration id or name"
            }
        }
        if let cpu, let best = BLISConfiguration.best(for: cpu) {
            return Choice(action: .set(best), source: .athanor, note: note)
        }
        return Choice(action: requested == nil ? .keep : .unset, source: .blis, note: note)
    }
}

/// A BLIS 0.9 configuration, numbered as `arch_t` in bli_type_defs.h (the value BLIS_ARCH_TYPE takes).
enum BLISConfiguration: Int, Sendable, CaseIterable {
    case skx = 0
    case knl, knc, haswell, sandybridge, penryn
    case zen3, zen2, zen, excavator, steamroller, piledriver, bulldozer
    case armsve, a64fx, firestorm, thunderx2, cortexa57, cortexa53, cortexa15, cortexa9
    case power10, power9, power7, bgq
    case generic

    /// `bli_arch_string`'s name.
    var name: String { "\(self)" }

    init?(name: String) {
        guard let match = Self.allCases.first(where: { $0.name == name.lowercased() }) else { return nil }
        self = match
    }

    /// The best configuration for `cpu`, or nil to leave the choice to BLIS.
    ///
    /// AVX-512 F/DQ/BW/VL: `skx` (Zen 4 and 5 included, which BLIS 0.9 runs as `zen3` and
    /// `generic`). AMD with AVX2 and FMA: `zen3` from family 0x19 on, `zen2` or `zen` for family
    /// 0x17 by model (as BLIS splits them). Any other x86 with AVX2 and FMA: `haswell`.
    static func best(for cpu: CPUFeatures) -> BLISConfiguration? {
        if cpu.hasAVX512 { return .skx }
        guard cpu.hasAVX2FMA else { return nil }
        if cpu.vendor == .amd {
            if cpu.family >= 0x19 { return .zen3 }
            if cpu.family == 0x17 { return cpu.model >= 0x30 ? .zen2 : .zen }
            return nil
        }
        return .haswell
    }

    /// Whether Debian's x86-64 BLIS has this configuration built in and `cpu` has its instructions.
    func runs(on cpu: CPUFeatures) -> Bool {
        switch self {
        case .skx: cpu.hasAVX512
        case .knl: cpu.flags.isSuperset(of: ["avx512f", "avx512pf"])
        case .haswell, .zen3, .zen2, .zen: cpu.hasAVX2FMA
        case .excavator, .steamroller, .piledriver, .bulldozer: cpu.flags.isSuperset(of: ["avx", "fma4"])
        case .sandybridge: cpu.flags.contains("avx")
        case .penryn: cpu.flags.contains("ssse3")
        case .generic: true
        case .knc, .armsve, .a64fx, .firestorm, .thunderx2, .cortexa57, .cortexa53, .cortexa15, .cortexa9,
            .power10, .power9, .power7, .bgq:
            false
        }
    }
}
