import Foundation
import Runs
import Testing

/// `reproduce`'s comparison of two records: bit-equal by default, within `--tolerance` when asked.
@Suite struct ReproductionTests {
    func record(_ value: Double) -> RunRecord {
        RunRecord(
            id: "0000000a", notebook: "nb.md", notebookSHA256: "x", notebookSource: "", title: nil, started: Date(),
            status: .succeeded, command: [], parameters: [], metrics: [MetricRecord(name: "eval.r2", value: value)],
            environment: EnvironmentRecord(
                toolVersion: "1", engineVersion: "1", os: "", cpuModel: "", cores: 1, gitCommit: nil, gitDirty: nil))
    }

    @Test func toleranceAcceptsARelativeDifferenceAndNoMore() {
        let (was, now) = (record(0.5), record(0.5000004))
        #expect(
            Reproduction.differences(was, now, tolerance: nil) == [
                "metric eval.r2: 0.5 → 0.5000004 (difference \(0.5000004 - 0.5))"
            ])
        #expect(Reproduction.differences(was, now, tolerance: 1e-6).isEmpty)
        #expect(Reproduction.differences(was, now, tolerance: 1e-7).count == 1)
        #expect(Reproduction.differences(was, was, tolerance: nil).isEmpty)
    }
}
