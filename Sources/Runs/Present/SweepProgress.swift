import Engine
import Foundation

/// What one run of a sweep shows while the others run beside it: no step-by-step progress (the lines of
/// parallel runs would interleave), but its warnings and its commands' output, each line headed by the run.
public final class SweepMemberProgress: RunObserver, Sendable {
    let label: String
    let showWarnings: Bool

    /// `label` heads each line: the run's id and swept values.
    public init(label: String, showWarnings: Bool) {
        self.label = label
        self.showWarnings = showWarnings
    }

    public func stepStarted(_ index: Int, of count: Int, name: String) {}
    public func stepFinished(_ record: StepRecord) {}
    public func training(_ event: TrainingEvent) {}

    public func warning(_ message: String) {
        if showWarnings { FileHandle.standardError.write(Data("[\(label)] warning: \(message)\n".utf8)) }
    }

    public func commandOutput(_ line: String, step: String) {
        if showWarnings { FileHandle.standardError.write(Data("[\(label) \(step)] \(line)\n".utf8)) }
    }
}
