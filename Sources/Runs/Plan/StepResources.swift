import Foundation
import Notebook

/// What a step asks of the machine that runs it (`resources: {cpus: 4, memory: 8G, time: 30m, gpus: 1}`):
/// a cluster executor requests the largest of a run's steps for the run's job. A local run ignores it, and it
/// is no part of a cache key: it decides where a step runs, not what it computes.
public struct StepResources: Sendable, Hashable {
    public var cpus: Int?
    /// Megabytes.
    public var memoryMB: Int?
    /// Whole minutes, rounded up.
    public var minutes: Int?
    public var gpus: Int?

    public init(cpus: Int? = nil, memoryMB: Int? = nil, minutes: Int? = nil, gpus: Int? = nil) {
        self.cpus = cpus
        self.memoryMB = memoryMB
        self.minutes = minutes
        self.gpus = gpus
    }

    public static let keys = ["cpus", "memory", "time", "gpus"]

    /// A problem with a `resources:` value, at its place in the notebook.
    public struct Problem: Sendable, Hashable {
        public var message: String
        public var location: SourceLocation
        public var suggestion: String?
    }

    /// Reads `node` (the value of `resources:`); every problem is returned, and the values that were right.
    public static func read(_ node: ConfigNode) -> (resources: StepResources, problems: [Problem]) {
        var resources = StepResources()
        var problems: [Problem] = []
        guard let entries = node.entries else {
            problems.append(
                Problem(
                    message:
                        "'resources' must be a mapping of cpus, memory, time and gpus, not \(node.value.kindDescription)",
                    location: node.location))
            return (resources, problems)
        }
        for entry in entries {
            let value = entry.value
            func bad(_ expected: String) {
                problems.append(
                    Problem(
                        message: "resources: '\(entry.key)' must be \(expected), not \(describe(value))",
                        location: value.location))
            }
            switch entry.key {
            case "cpus":
                guard case .int(let count) = value.value, count >= 1 else {
                    bad("a whole number of CPUs ≥ 1")
                    continue
                }
                resources.cpus = count
            case "gpus":
                guard case .int(let count) = value.value, count >= 0 else {
                    bad("a whole number of GPUs ≥ 0")
                    continue
                }
                resources.gpus = count
            case "memory":
                guard let megabytes = Self.megabytes(value.value) else {
                    bad("a size such as 512M, 8G or 1T (a bare number is megabytes)")
                    continue
                }
                resources.memoryMB = megabytes
            case "time":
                guard let minutes = Self.minutes(value.value) else {
                    bad("a duration such as 90s, 30m, 2h, 1h30m or 1d (a bare number is minutes)")
                    continue
                }
                resources.minutes = minutes
            default:
                problems.append(
                    Problem(
                        message: "unknown key '\(entry.key)' in resources; they are \(keys.joined(separator: ", "))",
                        location: entry.keyLocation, suggestion: Suggestion.closest(to: entry.key, in: keys)))
            }
        }
        return (resources, problems)
    }

    /// The resources of `step`, or nil when it asks for none (or what it asks is wrong, which `check` says).
    public static func of(_ step: PlannedStep) -> StepResources? {
        guard let node = step.configuration["resources"] else { return nil }
        let read = read(node)
        return read.resources == StepResources() ? nil : read.resources
    }

    /// The largest of each request: what a job must ask for to run every one of the steps.
    public func union(_ other: StepResources) -> StepResources {
        func larger(_ a: Int?, _ b: Int?) -> Int? { [a, b].compactMap { $0 }.max() }
        return StepResources(
            cpus: larger(cpus, other.cpus), memoryMB: larger(memoryMB, other.memoryMB),
            minutes: larger(minutes, other.minutes), gpus: larger(gpus, other.gpus))
    }

    static func megabytes(_ value: ConfigValue) -> Int? {
        if case .int(let count) = value { return count >= 1 ? count : nil }
        guard case .string(let text) = value else { return nil }
        var digits = text.trimmingCharacters(in: .whitespaces).uppercased()
        if digits.hasSuffix("B") { digits.removeLast() }
        // Kilobytes round up to a whole megabyte; a bare number is megabytes, as Slurm reads it.
        let scales: [Character: (multiply: Int, divide: Int)] = [
            "K": (1, 1024), "M": (1, 1), "G": (1024, 1), "T": (1024 * 1024, 1),
        ]
        var scale = (multiply: 1, divide: 1)
        if let last = digits.last, let found = scales[last] {
            scale = found
            digits.removeLast()
        }
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }), let count = Int(digits), count >= 1,
            count <= Int(Int32.max) / scale.multiply
        else { return nil }
        return (count * scale.multiply + scale.divide - 1) / scale.divide
    }

    static func minutes(_ value: ConfigValue) -> Int? {
        if case .int(let count) = value { return count >= 1 && count <= 10_000_000 ? count : nil }
        guard case .string(let text) = value else { return nil }
        var seconds = 0
        var number = ""
        var sawUnit = false
        for character in text.trimmingCharacters(in: .whitespaces).lowercased() {
            if character.isASCII, character.isNumber {
                number.append(character)
                continue
            }
            let unit: Int
            switch character {
            case "s": unit = 1
            case "m": unit = 60
            case "h": unit = 3600
            case "d": unit = 86400
            default: return nil
            }
            guard let count = Int(number), count <= 10_000_000 else { return nil }
            seconds += count * unit
            number = ""
            sawUnit = true
        }
        guard number.isEmpty, sawUnit, seconds >= 1 else { return nil }
        return (seconds + 59) / 60
    }

    private static func describe(_ node: ConfigNode) -> String {
        switch node.value {
        case .string(let text): "'\(text)'"
        case .int(let value): "\(value)"
        case .double(let value): "\(value)"
        case .bool(let value): "\(value)"
        default: node.value.kindDescription
        }
    }
}
