extension RunText {
    /// Why each step ran, for `--explain`: one line per reason naming every step it made run, then the steps
    /// restored from the cache; on a run that computed nothing, `all 7 steps from the cache`.
    public static func explanation(of run: RunRecord, prefix: String = "") -> [String] {
        explanation(of: run.steps, prefix: prefix, ran: "re-ran")
    }

    /// The same for steps that a run has or would have (`ran`: "re-ran", "would run").
    static func explanation(of steps: [StepRecord], prefix: String, ran verb: String) -> [String] {
        let ran = steps.filter { $0.cache == .miss }
        let restored = steps.filter { $0.cache == .hit }.map(\.name)
        if ran.isEmpty && restored.count == steps.count {
            return ["\(prefix)all \(restored.count) step\(restored.count == 1 ? "" : "s") from the cache"]
        }
        var reasons: [(reason: String, steps: [String])] = []
        for step in ran {
            let reason = step.explanation ?? "it was not cached"
            if let index = reasons.firstIndex(where: { $0.reason == reason }) {
                reasons[index].steps.append(step.name)
            } else {
                reasons.append((reason, [step.name]))
            }
        }
        var lines = reasons.map { "\(prefix)\($0.steps.joined(separator: ", ")): \(verb) because \($0.reason)" }
        if !restored.isEmpty { lines.append("\(prefix)\(restored.joined(separator: ", ")): from the cache") }
        return lines
    }
}
