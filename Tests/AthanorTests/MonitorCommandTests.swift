import Foundation
import TestSupport
import Testing

/// `athanor monitor` as cron and CI call it: its exit status says whether the data drifted.
struct MonitorCommandTests {
    static let notebook = """
        ```step data
        op: load
        path: train.csv
        target: y
        ```

        ```step split
        op: split
        input: data
        ```

        ```step model
        op: train
        model: logistic
        input: split.train
        ```

        """

    static func csv(shift: Double) -> String {
        var lines = ["x1,x2,y"]
        for row in 0..<1_000 {
            let x1 = Double((row * 7_919) % 1_000) / 100
            let x2 = Double((row * 104_729) % 997) / 997
            lines.append("\(x1 + shift),\(x2),\(x1 + x2 > 5 ? "yes" : "no")")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    @Test func exitsZeroOnTheTrainingDataOneOnDriftTwoOnBadInput() throws {
        let folder = try TemporaryFolder(prefix: "athanor-monitor")
        defer { folder.remove() }
        _ = try folder.write(Self.notebook, to: "nb.md")
        _ = try folder.write(Self.csv(shift: 0), to: "train.csv")
        _ = try folder.write(Self.csv(shift: 4), to: "shifted.csv")
        #expect(try BinaryRunner.run(["run", "nb.md", "-q"], in: folder.url).status == 0)
        let same = try BinaryRunner.run(["monitor", "latest", "--data", "train.csv"], in: folder.url)
        #expect(same.status == 0, "\(same.stdout) \(same.stderr)")
        let shifted = try BinaryRunner.run(["monitor", "latest:model", "--data", "shifted.csv"], in: folder.url)
        #expect(shifted.status == 1, "\(shifted.stderr)")
        #expect(shifted.stdout.contains("\n  x1 "))
        #expect(!shifted.stdout.contains("\n  x2 "))
        let missing = try BinaryRunner.run(["monitor", "latest", "--data", "absent.csv"], in: folder.url)
        #expect(missing.status == 2)
        #expect(missing.stderr == "athanor: error: no file absent.csv\n")
        #expect(try BinaryRunner.run(["monitor", "latest"], in: folder.url).status == 2)
    }
}
