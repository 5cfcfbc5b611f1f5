import Foundation
import Testing

@testable import Engine

#if canImport(Glibc)
    import Glibc
#endif

/// Sizes a notebook sets too large fail as the step's error, before anything is allocated (issue 12, item 8).
@Suite struct MemoryEstimateTests {
    static let blobs = try? Synthetic.generate(kind: "blobs", samples: 200, features: 64, classes: 2, noise: 0, seed: 1)

    /// The most memory this process has held, in bytes.
    static func peakMemory() -> Int {
        var usage = rusage()
        getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
        return usage.ru_maxrss * 1024
    }

    @Test func aHundredMillionHiddenUnitsFailBeforeAllocating() throws {
        let data = try #require(Self.blobs)
        var options = MultilayerPerceptron.Options()
        options.hidden = [100_000_000]
        let before = Self.peakMemory()
        let error = MemoryEstimate.$limitOverride.withValue(16_000_000_000) {
            #expect(throws: EngineError.self) {
                try MultilayerPerceptron.fit(data, validation: nil, options: options)
            }
        }
        #expect(
            error?.description
                == "an MLP with layers 64 → 100000000 → 2 needs about 320.8 GB (weights, gradients and optimizer "
                + "state 160.8 GB; activations for a batch of 200 rows 160.0 GB; the training data in single "
                + "precision 102.4 kB), more than this machine's 16.0 GB of memory; use smaller 'hidden' layers or "
                + "a smaller 'batch'")
        // The 6.7 billion weights were never drawn: the process grew by far less than their 27 GB.
        #expect(Self.peakMemory() - before < 200_000_000)
    }

    @Test func sizesWhoseProductOverflowsAreRefusedToo() throws {
        let data = try #require(Self.blobs)
        var options = MultilayerPerceptron.Options()
        options.hidden = [1 << 62, 1 << 62]
        let error = #expect(throws: EngineError.self) {
            try MultilayerPerceptron.fit(data, validation: nil, options: options)
        }
        #expect(
            error?.description
                == "an MLP with layers 64 → 4611686018427387904 → 4611686018427387904 → 2 needs more memory than "
                + "can be counted (weights, gradients and optimizer state beyond counting; activations for a batch "
                + "of 200 rows beyond counting; the training data in single precision 102.4 kB), more than this "
                + "machine's \(MemoryEstimate.text(MemoryEstimate.limit)) of memory; use smaller 'hidden' layers or "
                + "a smaller 'batch'")
    }

    @Test func kMeansWithKNearTheRowCountIsRefused() throws {
        let data = try #require(
            try? Synthetic.generate(kind: "blobs", samples: 50_000, features: 2, classes: 2, noise: 0, seed: 1))
        var options = KMeans.Options()
        options.k = 50_000
        options.restarts = 1
        let error = MemoryEstimate.$limitOverride.withValue(8_000_000_000) {
            #expect(throws: EngineError.self) { try KMeans.fit(data, options: options) }
        }
        #expect(
            error?.description
                == "k-means with k = 50000 and 1 restart on 50000 rows needs about 20.0 GB (distances for 1 "
                + "restart at a time 20.0 GB; the centres of every restart 800.1 kB), more than this machine's "
                + "8.0 GB of memory; use a smaller 'k' or fewer 'restarts'")
    }

    @Test func softmaxOverAsManyClassesAsRowsIsRefused() throws {
        let rows = 60_000
        let data = Dataset(
            features: Matrix(rows: rows, columns: 1, values: (0..<rows).map(Double.init)),
            columns: [FeatureColumn(name: "x", kind: .numeric)],
            target: Target(name: "id", values: (0..<rows).map(Double.init), classNames: nil))
        let error = MemoryEstimate.$limitOverride.withValue(8_000_000_000) {
            #expect(throws: EngineError.self) {
                try LogisticRegression.fit(
                    data, validation: nil, options: try LogisticRegression.Options(multinomial: true, Settings([:])))
            }
        }
        #expect(
            error?.description
                == "a logistic regression of 1 features and 60000 outputs needs about 57.6 GB (weights, gradients "
                + "and solver state 28.8 MB; scores of 60000 rows for each output 57.6 GB), more than this "
                + "machine's 8.0 GB of memory; use fewer features or classes, or the 'sgd' or 'adam' solver with a "
                + "smaller 'batch'")
    }

    @Test func oneHotOfAColumnWithAMillionLevelsIsRefused() {
        let estimate = MemoryEstimate.onehot(column: "id", levels: 1_000_000, rows: 1_000_000)
        let error = #expect(throws: EngineError.self) { try estimate.check(limit: 8_000_000_000) }
        #expect(
            error?.description
                == "one-hot encoding column 'id' (1000000 levels) over 1000000 rows needs about 8.0 TB (a column per "
                + "level 8.0 TB), more than this machine's 8.0 GB of memory; encode a column with fewer distinct "
                + "values, or leave it out with 'drop'")
    }

    @Test func theLimitIsThePhysicalMemoryOrLess() {
        let physical = Int(sysconf(Int32(_SC_PHYS_PAGES))) * Int(sysconf(Int32(_SC_PAGESIZE)))
        #expect(MemoryEstimate.machineLimit > 0)
        #expect(MemoryEstimate.machineLimit <= physical)
        #expect(MemoryEstimate.text(25_600_000_032) == "25.6 GB")
        #expect(MemoryEstimate.text(999) == "999 bytes")
    }
}
