import Foundation

/// The one owner of how many threads the engine uses, and of BLIS's thread count.
///
/// The budget is the core count, or `ATHANOR_THREADS` when it is a positive integer. Work that
/// splits into independent tasks (k-means restarts, the CSV reader's chunks, a sweep's runs) asks
/// `workers(for:)` or runs through `concurrentPerform`. While such a parallel region runs, BLIS
/// computes single-threaded, so that threads never nest (k-means restarts on both cores, each
/// calling two-thread BLIS, ran 20 times slower); outside, BLIS gets the whole budget.
/// `BLIS_NUM_THREADS` and `OMP_NUM_THREADS` inherited from the shell do not count: the engine
/// sets BLIS's count itself. Results do not depend on the count (BLIS's products are
/// bit-identical at any thread count, docs/blas.md, and tasks write their own slots).
public enum ThreadBudget {
    /// The budget's state and BLIS's count, changed together under one lock.
    final class State: @unchecked Sendable {
        // @unchecked: every field is read and written under `lock` only.
        private let lock = NSLock()
        private var count: Int
        private var regions = 0
        /// Set once BLIS is initialised: before, there is no count to change.
        private var applyToBLAS: ((Int) -> Void)?

        init(count: Int) { self.count = count }

        func read<T>(_ body: (_ count: Int, _ regions: Int) -> T) -> T {
            lock.withLock { body(count, regions) }
        }

        func change(_ body: (inout Int, inout Int) -> Void) {
            lock.withLock {
                body(&count, &regions)
                applyToBLAS?(ThreadBudget.blasThreads(count: count, regions: regions))
            }
        }

        func startBLAS(_ apply: @escaping (Int) -> Void) {
            lock.withLock {
                applyToBLAS = apply
                apply(ThreadBudget.blasThreads(count: count, regions: regions))
            }
        }
    }

    static let state = State(count: count(environment: ProcessInfo.processInfo.environment, cores: cores))

    static var cores: Int { max(1, ProcessInfo.processInfo.activeProcessorCount) }

    /// The budget: `ATHANOR_THREADS` when it is a positive integer, else `cores`.
    static func count(environment: [String: String], cores: Int) -> Int {
        if let text = environment["ATHANOR_THREADS"], let value = Int(text.trimmingCharacters(in: .whitespaces)),
            value > 0
        {
            return value
        }
        return max(1, cores)
    }

    /// BLIS's thread count for a budget of `count` with `regions` parallel regions running.
    static func blasThreads(count: Int, regions: Int) -> Int { regions > 0 ? 1 : count }

    /// The number of threads the engine may use.
    public static var count: Int { state.read { count, _ in count } }

    /// How many threads to run `tasks` independent tasks on: at most the budget, and 1 inside
    /// another parallel region (its threads already take the budget).
    public static func workers(for tasks: Int) -> Int {
        state.read { count, regions in regions > 0 ? 1 : max(1, min(tasks, count)) }
    }

    /// `body(0)`, …, `body(iterations - 1)` on `workers(for: iterations)` threads, BLIS
    /// single-threaded meanwhile. Each index runs exactly once; write results by index.
    public static func concurrentPerform(iterations: Int, _ body: @Sendable (Int) -> Void) {
        let workers = workers(for: iterations)
        guard workers > 1 else {
            for index in 0..<iterations { body(index) }
            return
        }
        // Each worker takes the next index when it is free: tasks of uneven length (restarts that
        // converge at different iterations) still keep every worker busy.
        let next = NextIndex()
        parallelRegion {
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while let index = next.take(below: iterations) { body(index) }
            }
        }
    }

    final class NextIndex: @unchecked Sendable {
        // @unchecked: `value` is read and written under `lock` only.
        private let lock = NSLock()
        private var value = 0

        func take(below end: Int) -> Int? {
            lock.withLock {
                guard value < end else { return nil }
                defer { value += 1 }
                return value
            }
        }
    }

    /// Runs `body`, which starts threads of its own (a sweep's parallel runs), with BLIS
    /// single-threaded until it returns.
    public static func parallelRegion<T>(_ body: () throws -> T) rethrows -> T {
        state.change { _, regions in regions += 1 }
        defer { state.change { _, regions in regions -= 1 } }
        return try body()
    }

    /// Runs `body` with a budget of `count` threads (a command-line option, tests, benchmarks),
    /// then restores the previous budget.
    public static func withCount<T>(_ count: Int, _ body: () throws -> T) rethrows -> T {
        var previous = 0
        state.change { current, _ in
            previous = current
            current = max(1, count)
        }
        defer { state.change { current, _ in current = previous } }
        return try body()
    }
}

extension ThreadBudget {
    /// Runs `body(range)` over `0..<count` cut into one contiguous range per worker, for loops over
    /// rows that are bound by memory rather than arithmetic (gathering rows, applying a transform):
    /// two cores fetch twice the cache lines. Small counts run on the calling thread. Each index is
    /// in exactly one range, so results that depend only on the index are the same at any count.
    static func forEachRange(of count: Int, minimum: Int = 1 << 16, _ body: (Range<Int>) -> Void) {
        let workers = count < 2 * minimum ? 1 : self.workers(for: count / minimum)
        guard workers > 1 else {
            body(0..<count)
            return
        }
        withoutActuallyEscaping(body) { body in
            let work = RangeWork(body: body)
            parallelRegion {
                DispatchQueue.concurrentPerform(iterations: workers) { worker in
                    work.body((count * worker / workers)..<(count * (worker + 1) / workers))
                }
            }
        }
    }

    /// The body of `forEachRange`, which writes only inside its own range.
    private struct RangeWork: @unchecked Sendable {
        // @unchecked: the closure writes to disjoint parts of one buffer, one range per thread.
        let body: (Range<Int>) -> Void
    }
}

/// A buffer that the threads of `ThreadBudget.forEachRange` fill, each its own range of it.
struct SharedBuffer<Element>: @unchecked Sendable {
    // @unchecked: each thread writes only the indices of its own range.
    let base: UnsafeMutableBufferPointer<Element>
}
