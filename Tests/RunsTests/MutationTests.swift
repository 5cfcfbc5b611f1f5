import Foundation
import Notebook
import Runs
import Testing

/// Randomised damage to valid notebooks: whatever comes out, `check` must end with diagnostics
/// that point inside the file, never crash. ATHANOR_MUTATIONS sets the count (default 1500);
/// ATHANOR_MUTATION_SEED the seed.
@Suite struct MutationTests {
    /// SplitMix64: small, seeded, the same sequence on every machine.
    struct Generator: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let pieces: [String] = [
        "`", "```", "~~~", "$", "${", "}", "$${", "{", "[", "]", ":", ": ", "- ", "&a ", "*a", "#", "\n", " ",
        "\t", "'", "\"", "|", ">", "=", "é", "\u{0}", "---\n", "```step x\n", "```params\n", "${seed}", "\r\n",
        "op: train\n", "input: split.", "model: ", "..", "\u{FEFF}", "😀",
    ]

    func mutate(_ source: String, _ generator: inout Generator) -> String {
        var characters = Array(source)
        for _ in 0..<Int.random(in: 1...4, using: &generator) {
            guard !characters.isEmpty else { break }
            let at = Int.random(in: 0..<characters.count, using: &generator)
            switch Int.random(in: 0..<5, using: &generator) {
            case 0:
                let length = Int.random(in: 1...min(40, characters.count - at), using: &generator)
                characters.removeSubrange(at..<(at + length))
            case 1:
                characters.insert(contentsOf: Self.pieces.randomElement(using: &generator) ?? "", at: at)
            case 2:
                let length = Int.random(in: 1...min(80, characters.count - at), using: &generator)
                characters.insert(contentsOf: characters[at..<(at + length)], at: at)
            case 3:
                characters.removeSubrange(at...)
            default:
                let other = Int.random(in: 0..<characters.count, using: &generator)
                characters.swapAt(at, other)
            }
        }
        return String(characters)
    }

    @Test func damagedNotebooksGiveDiagnosticsInsideTheFile() throws {
        let environment = ProcessInfo.processInfo.environment
        let count = environment["ATHANOR_MUTATIONS"].flatMap(Int.init) ?? 1500
        let seed = environment["ATHANOR_MUTATION_SEED"].flatMap(UInt64.init) ?? 20_261_129
        let sources = try Examples.notebookSources()
        #expect(sources.count >= 3)
        var generator = Generator(state: seed)
        var reported = 0
        for index in 0..<count {
            let original = sources[index % sources.count]
            let damaged = mutate(original, &generator)
            let lineCount = damaged.split(separator: "\n", omittingEmptySubsequences: false).count
            let diagnostics = NotebookChecker.check(damaged, path: "m.md").diagnostics
            for diagnostic in diagnostics {
                guard let location = diagnostic.location else { continue }
                #expect(location.line >= 1 && location.line <= lineCount + 1, "case \(index): \(diagnostic)")
                #expect(location.column >= 1, "case \(index): \(diagnostic)")
            }
            if diagnostics.hasErrors { reported += 1 }
        }
        // Damage that breaks nothing is possible, but most of it must be noticed.
        #expect(reported > count / 4)
    }
}
