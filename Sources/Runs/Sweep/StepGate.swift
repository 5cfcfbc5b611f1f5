import Foundation

/// Lets the runs of a sweep, executing side by side in one process, compute a shared step once.
///
/// A run takes the gate for a step's cache key before it looks in the cache and keeps it until the step's
/// outputs are stored: a second run that reaches the same key meanwhile waits, then finds the entry and takes
/// it from the cache instead of computing it again. (A command step's `ATHANOR_OUTPUT` is each run's own; its
/// `outputs:`, which all runs write, are taken in turns across processes by a `FileLock`.)
///
/// It also keeps the outputs the runs computed or read, by the key of the object that stores them, so that a
/// run taking a shared step from the cache finds its dataset already decoded in memory. Objects are
/// content-addressed, so an entry never goes stale; the oldest are dropped past `capacity`.
public final class StepGate: @unchecked Sendable {
    // @unchecked: `held` is read and changed only with `condition` locked; `outputs` and `order` only with
    // `lock`.
    private let condition = NSCondition()
    private var held: Set<String> = []
    private let lock = NSLock()
    private var outputs: [String: StepOutput] = [:]
    private var order: [String] = []
    let capacity: Int

    public init(capacity: Int = 32) {
        self.capacity = capacity
    }

    /// The output stored as the object `key`, if a run of the sweep has it in memory.
    func output(_ key: String) -> StepOutput? {
        lock.withLock { outputs[key] }
    }

    /// Keeps `output`, stored as the object `key`, for the other runs.
    func keep(_ output: StepOutput, as key: String) {
        lock.withLock {
            guard outputs.updateValue(output, forKey: key) == nil else { return }
            order.append(key)
            if order.count > capacity { outputs[order.removeFirst()] = nil }
        }
    }

    /// Runs `body` holding every one of `names`, taken together once all are free (so that two callers
    /// taking overlapping sets cannot each hold what the other waits for).
    public func withHolding<Result>(_ names: Set<String>, _ body: () throws -> Result) rethrows -> Result {
        guard !names.isEmpty else { return try body() }
        condition.lock()
        while !held.isDisjoint(with: names) { condition.wait() }
        held.formUnion(names)
        condition.unlock()
        defer {
            condition.lock()
            held.subtract(names)
            condition.broadcast()
            condition.unlock()
        }
        return try body()
    }
}
