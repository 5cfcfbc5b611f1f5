import Foundation
import Testing

@testable import Engine

/// The BLIS kernel chosen for the CPU (docs/blas.md): /proc/cpuinfo read, the configuration picked,
/// a user's `BLIS_ARCH_TYPE` followed only where BLIS 0.9 can run it.
@Suite struct BLASKernelTests {
    static func cpuinfo(_ name: String) throws -> String {
        let url = try #require(Bundle.module.url(forResource: "Fixtures/\(name)", withExtension: "txt"))
        return try String(contentsOf: url, encoding: .utf8)
    }

    /// This machine's /proc/cpuinfo (a Zen 3 EPYC KVM guest: AVX2 and FMA, no AVX-512).
    static let zen3Flags: Set<String> = {
        let text = (try? cpuinfo("cpuinfo-zen3-epyc")) ?? ""
        return CPUFeatures(cpuinfo: text)?.flags ?? []
    }()

    static func amd(_ family: Int, _ model: Int, _ flags: Set<String>) -> CPUFeatures {
        CPUFeatures(vendor: .amd, family: family, model: model, flags: flags)
    }

    static let avx2: Set<String> = ["sse3", "ssse3", "avx", "avx2", "fma"]
    static let avx512 = avx2.union(["avx512f", "avx512dq", "avx512bw", "avx512vl"])

    @Test func readsTheFirstProcessorOfProcCPUInfo() throws {
        // Modelled on a Zen 5 EPYC guest: family 0x1A, which BLIS 0.9 does not know; two processors.
        let cpu = try #require(CPUFeatures(cpuinfo: try Self.cpuinfo("cpuinfo-zen5-epyc")))
        #expect(
            cpu
                == CPUFeatures(
                    vendor: .amd, family: 26, model: 2,
                    flags: Self.zen3Flags.union([
                        "avx512f", "avx512dq", "avx512ifma", "avx512cd", "avx512bw", "avx512vl", "avx512vbmi",
                        "avx512_vbmi2", "gfni", "avx512_vnni", "avx512_bitalg", "avx512_vpopcntdq", "avx512_bf16",
                        "avx_vnni", "movdiri", "movdir64b", "avx512_vp2intersect",
                    ])))
        #expect(Self.zen3Flags.isSuperset(of: ["avx2", "fma", "avx"]) && !Self.zen3Flags.contains("avx512f"))
        #expect(CPUFeatures(cpuinfo: "processor\t: 0\nBogoMIPS\t: 50.00\nFeatures\t: fp asimd\n") == nil)
    }

    @Test(arguments: [
        ("Zen 5", amd(0x1A, 2, avx512), BLISConfiguration.skx),
        ("Zen 4", amd(0x19, 0x11, avx512), .skx),
        ("Zen 3", amd(0x19, 1, avx2), .zen3),
        ("Zen 2", amd(0x17, 0x31, avx2), .zen2),
        ("Zen", amd(0x17, 0x01, avx2), .zen),
        ("Intel Skylake-X", CPUFeatures(vendor: .intel, family: 6, model: 0x55, flags: avx512), .skx),
        ("Intel Haswell", CPUFeatures(vendor: .intel, family: 6, model: 0x3C, flags: avx2), .haswell),
        ("Hygon", CPUFeatures(vendor: .other("HygonGenuine"), family: 0x18, model: 1, flags: avx2), .haswell),
    ])
    func choosesTheBestConfigurationByFeatures(cpu: String, features: CPUFeatures, expected: BLISConfiguration) {
        #expect(
            BLASKernel.choose(for: features, requested: nil)
                == BLASKernel.Choice(action: .set(expected), source: .athanor), "\(cpu)")
    }

    @Test func leavesToBLISWhatItKnowsNoBetterFor() {
        let bulldozer = Self.amd(0x15, 1, ["avx", "fma4", "ssse3"])
        #expect(BLASKernel.choose(for: bulldozer, requested: nil) == BLASKernel.Choice(action: .keep, source: .blis))
        #expect(BLASKernel.choose(for: nil, requested: nil) == BLASKernel.Choice(action: .keep, source: .blis))
    }

    @Test func followsAUsersBLISArchTypeOnlyWhereBLISCanRunIt() {
        let zen3 = CPUFeatures(vendor: .amd, family: 0x19, model: 1, flags: Self.zen3Flags)
        // An id: left for BLIS to read.
        #expect(BLASKernel.choose(for: zen3, requested: "3") == BLASKernel.Choice(action: .keep, source: .user))
        // A name: BLIS 0.9 would read "zen2" as 0 (skx); it gets the id.
        #expect(
            BLASKernel.choose(for: zen3, requested: "zen2") == BLASKernel.Choice(action: .set(.zen2), source: .user))
        // skx on a CPU without AVX-512 dies of SIGILL at the first product.
        #expect(
            BLASKernel.choose(for: zen3, requested: "0")
                == BLASKernel.Choice(
                    action: .set(.zen3), source: .athanor,
                    note: "BLIS_ARCH_TYPE=0 ignored: this CPU cannot run BLIS's 'skx'"))
        // An ARM configuration is not built into x86-64 BLIS: BLIS would abort.
        #expect(
            BLASKernel.choose(for: zen3, requested: "17")
                == BLASKernel.Choice(
                    action: .set(.zen3), source: .athanor,
                    note: "BLIS_ARCH_TYPE=17 ignored: this CPU cannot run BLIS's 'cortexa57'"))
        #expect(
            BLASKernel.choose(for: Self.amd(0x15, 1, ["avx"]), requested: "fast")
                == BLASKernel.Choice(
                    action: .unset, source: .blis,
                    note: "BLIS_ARCH_TYPE=fast ignored: not a BLIS 0.9 configuration id or name"))
    }

    @Test func configurationsAreNumberedAsBLIS09sArchT() {
        // bli_type_defs.h of BLIS 0.9.0; checked against bli_arch_string of Debian's libblis4.
        #expect(
            BLISConfiguration.allCases.map { "\($0.rawValue) \($0.name)" }
                == [
                    "0 skx", "1 knl", "2 knc", "3 haswell", "4 sandybridge", "5 penryn", "6 zen3", "7 zen2", "8 zen",
                    "9 excavator", "10 steamroller", "11 piledriver", "12 bulldozer", "13 armsve", "14 a64fx",
                    "15 firestorm", "16 thunderx2", "17 cortexa57", "18 cortexa53", "19 cortexa15", "20 cortexa9",
                    "21 power10", "22 power9", "23 power7", "24 bgq", "25 generic",
                ])
    }

    @Test(.enabled(if: ProcessInfo.processInfo.environment["BLIS_ARCH_TYPE"] == nil, "the user chose the kernel"))
    func theActiveKernelIsTheOneChosenForThisCPU() throws {
        let cpu = try #require(CPUFeatures.current())
        let expected = BLISConfiguration.best(for: cpu)
        // The name comes from BLIS itself (bli_arch_string of bli_arch_query_id).
        #expect(
            BLASKernel.current
                == BLASKernel(
                    name: expected?.name ?? BLASKernel.current.name, source: expected == nil ? .blis : .athanor))
        // The variable was put back as it was: child processes choose for themselves.
        #expect(getenv("BLIS_ARCH_TYPE") == nil)
    }
}
