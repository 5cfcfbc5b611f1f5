import Engine
import Foundation
import Notebook

/// Runs every member of a sweep as an ordinary recorded run tagged with the sweep's id, `jobs` at a time on
/// threads of this process, sharing one `StepGate` so that steps the members have in common (loading and
/// splitting the data, when only the model's settings are swept) are computed once and taken from the cache
/// by the others. A member that fails does not stop the others.
public final class SweepRunner: @unchecked Sendable {
    // @unchecked: `executors` and `stopped` are shared with the signal handler and guarded by `lock`; the
    // rest is immutable.

    /// How one member ended: its record, or why it could not even be recorded.
    public struct Outcome: Sendable {
        public var member: SweepGrid.Member
        public var run: RunRecord?
        /// Set when the member could not run or be recorded (the store refused it).
        public var error: String?

        public var succeeded: Bool { run?.status == .succeeded && error == nil }

        public init(member: SweepGrid.Member, run: RunRecord?, error: String?) {
            self.member = member
            self.run = run
            self.error = error
        }
    }

    public let id: String
    public let grid: SweepGrid
    public let members: [SweepGrid.Member]
    private let notebook: Notebook
    private let fixed: ParameterOverrides.Resolved
    private let project: Project
    private let store: RunStore
    private let command: [String]
    private let useCache: Bool
    private let jobs: Int
    private let gate = StepGate()
    private let lock = NSLock()
    private var executors: [RunExecutor] = []
    private var stopped = false

    public init(
        notebook: Notebook, fixed: ParameterOverrides.Resolved, grid: SweepGrid, project: Project, store: RunStore,
        command: [String], useCache: Bool = true, jobs: Int
    ) throws {
        self.notebook = notebook
        self.fixed = fixed
        self.grid = grid
        members = grid.members
        self.project = project
        self.store = store
        self.command = command
        self.useCache = useCache
        self.jobs = max(1, jobs)
        id = try Self.newIdentifier(store)
    }

    /// `s` and 7 hex digits, checked against the store: distinct from run ids (8 hex digits) at a glance.
    static func newIdentifier(_ store: RunStore) throws -> String {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<16 {
            let id = "s" + String(format: "%07x", UInt32.random(in: 0...0x0FFF_FFFF, using: &generator))
            if try store.runs(sweep: id).isEmpty { return id }
        }
        throw EngineError("could not find a free sweep id")
    }

    /// The plan of one member: the notebook's defaults, the `-p` overrides, and the member's values.
    public func plan(of member: SweepGrid.Member) -> RunPlan {
        var values = fixed.values
        var overridden = fixed.overridden
        for (name, value) in member.values {
            values[name] = value
            overridden.insert(name)
        }
        return RunPlan(notebook: notebook, parameters: values, overridden: overridden)
    }

    /// Runs every member and returns how each ended, in the grid's order.
    ///
    /// - Parameters:
    ///   - observer: what each member reports its progress to.
    ///   - started: called on the member's thread when its run is created, with its run id.
    ///   - finished: called on the member's thread with its finished record (to write its report); the record
    ///     it returns is the one kept.
    public func run(
        observer: @escaping @Sendable (SweepGrid.Member) -> RunObserver? = { _ in nil },
        started: @escaping @Sendable (SweepGrid.Member, String) -> Void = { _, _ in },
        finished: @escaping @Sendable (RunRecord) -> RunRecord = { $0 }
    ) -> [Outcome] {
        let results = Results(count: members.count)
        let next = NextMember()
        let environment = Environment.current(
            directory: URL(fileURLWithPath: notebook.path).deletingLastPathComponent())
        let group = DispatchGroup()
        let threads = min(jobs, members.count)
        let startAndWait = {
            for _ in 0..<threads {
                group.enter()
                let thread = Thread { [self] in
                    defer { group.leave() }
                    while let index = next.take(below: members.count) {
                        let member = members[index]
                        if isStopped { break }
                        results.set(
                            index,
                            runMember(
                                member, environment: environment, observer: observer(member), started: started,
                                finished: finished))
                    }
                }
                // The engine recurses little, but a run's thread should have the stack of a main thread.
                thread.stackSize = 8 << 20
                thread.start()
            }
            group.wait()
        }
        // Parallel runs share the thread budget: BLIS computes single-threaded until the last one ends.
        if threads > 1 { ThreadBudget.parallelRegion(startAndWait) } else { startAndWait() }
        return members.enumerated().map { index, member in
            results.get(index) ?? Outcome(member: member, run: nil, error: "not run: the sweep was interrupted")
        }
    }

    private var isStopped: Bool { lock.withLock { stopped } }

    private func runMember(
        _ member: SweepGrid.Member, environment: EnvironmentRecord, observer: RunObserver?,
        started: (SweepGrid.Member, String) -> Void, finished: (RunRecord) -> RunRecord
    ) -> Outcome {
        let executor: RunExecutor
        do {
            executor = try RunExecutor(
                plan: plan(of: member), project: project, store: store, command: command, useCache: useCache,
                observer: observer, sweep: id, gate: gate, environment: environment)
        } catch {
            return Outcome(member: member, run: nil, error: "\(error)")
        }
        let registered: Bool = lock.withLock {
            guard !stopped else { return false }
            executors.append(executor)
            return true
        }
        guard registered else {
            return Outcome(member: member, run: nil, error: "not run: the sweep was interrupted")
        }
        started(member, executor.runID)
        do {
            return Outcome(member: member, run: finished(try executor.run()), error: nil)
        } catch {
            return Outcome(member: member, run: nil, error: "run \(executor.runID): \(error)")
        }
    }

    /// Records every running member as interrupted and starts no other; called from a signal handler.
    public func interrupt() {
        let running: [RunExecutor] = lock.withLock {
            stopped = true
            return executors
        }
        for executor in running { executor.interrupt() }
    }

    /// The next member to run, handed to one worker each.
    private final class NextMember: @unchecked Sendable {
        // @unchecked: `value` is guarded by `lock`.
        private let lock = NSLock()
        private var value = 0

        func take(below limit: Int) -> Int? {
            lock.withLock {
                guard value < limit else { return nil }
                defer { value += 1 }
                return value
            }
        }
    }

    /// The members' outcomes as the workers finish them.
    private final class Results: @unchecked Sendable {
        // @unchecked: `outcomes` is guarded by `lock`.
        private let lock = NSLock()
        private var outcomes: [Outcome?]

        init(count: Int) {
            outcomes = Array(repeating: nil, count: count)
        }

        func set(_ index: Int, _ outcome: Outcome) {
            lock.withLock { outcomes[index] = outcome }
        }

        func get(_ index: Int) -> Outcome? {
            lock.withLock { outcomes[index] }
        }
    }
}
