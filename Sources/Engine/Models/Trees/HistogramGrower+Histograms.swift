import Foundation

/// A histogram: per feature and bin, the sums over a node's rows whose value falls in the bin, as
/// (gradient, hessian, count, 0), so that one vector add counts a row.
typealias Histogram = [SIMD4<Double>]

extension HistogramGrower {
    /// Buffers reused by every node of every tree: room to partition a node's rows and to gather
    /// its pairs, and the histograms of leaves no longer open.
    struct Scratch {
        var rows: [Int32]
        var ordered: [SIMD4<Double>]
        var free: [Histogram] = []

        init(rows count: Int) {
            rows = [Int32](repeating: 0, count: count)
            ordered = [SIMD4<Double>](repeating: .zero, count: count)
        }

        /// A zeroed histogram, reused when one is free.
        mutating func take(_ length: Int) -> Histogram {
            guard var histogram = free.popLast() else { return Histogram(repeating: .zero, count: length) }
            histogram.withUnsafeMutableBufferPointer { buffer in
                guard let base = buffer.baseAddress else { return }
                base.update(repeating: .zero, count: buffer.count)
            }
            return histogram
        }

        mutating func give(_ histogram: Histogram) {
            if !histogram.isEmpty { free.append(histogram) }
        }
    }

    /// Below this many values (rows × features) a histogram is summed on the calling thread:
    /// starting threads would cost more than it saves.
    static let parallelMinimum = 1 << 15

    /// The histogram (each feature's bins, then its missing bin) of the rows `samples[range]`, whose
    /// (gradient, hessian, 1, 0) are `pairs[row]`, into `histogram` (zeroed, `histogramLength` long).
    /// The node's pairs are first gathered in sample order, so that every feature reads them in
    /// order; features are summed in parallel, each into its own bins, so the sums are the same at
    /// any thread count. The root (every row, in order) reads its pairs and codes as they are.
    func build(
        _ range: Range<Int>, _ samples: UnsafeMutableBufferPointer<Int32>, _ pairs: UnsafePointer<SIMD4<Double>>,
        into histogram: inout Histogram, _ scratch: inout Scratch
    ) {
        let count = range.count
        guard count > 0, let base = samples.baseAddress else { return }
        let rows = UnsafePointer(base + range.lowerBound)
        let whole = count == data.rows
        let features = data.features
        let rowCount = data.rows
        data.codes.withUnsafeBufferPointer { codes in
            bins.offsets.withUnsafeBufferPointer { offsets in
                histogram.withUnsafeMutableBufferPointer { output in
                    scratch.ordered.withUnsafeMutableBufferPointer { ordered in
                        guard let codes = codes.baseAddress, let offsets = offsets.baseAddress,
                            let output = output.baseAddress, let ordered = ordered.baseAddress
                        else { return }
                        if !whole {
                            for i in 0..<count { ordered[i] = pairs[Int(rows[i])] }
                        }
                        let job = HistogramJob(
                            codes: codes, rowCount: rowCount, offsets: offsets,
                            pairs: whole ? pairs : UnsafePointer(ordered),
                            rows: whole ? nil : rows, count: count, output: output)
                        if count * features < Self.parallelMinimum {
                            for feature in 0..<features { job.sum(feature) }
                        } else {
                            ThreadBudget.concurrentPerform(iterations: features) { job.sum($0) }
                        }
                    }
                }
            }
        }
    }

    /// The histogram of a parent's larger child: the parent's minus the smaller child's, in place.
    func subtract(_ child: Histogram, from parent: inout Histogram) {
        parent.withUnsafeMutableBufferPointer { result in
            child.withUnsafeBufferPointer { child in
                for i in 0..<min(result.count, child.count) { result[i] -= child[i] }
            }
        }
    }

    /// Reorders `samples[range]` so that the rows the split sends left come first, each side in its
    /// previous order; returns where the right side starts.
    func partition(
        _ range: Range<Int>, _ split: Split, _ samples: UnsafeMutableBufferPointer<Int32>, _ scratch: inout Scratch
    ) -> Int {
        let column = split.feature * data.rows
        let cut = UInt8(truncatingIfNeeded: split.bin)
        let missing = UInt8(truncatingIfNeeded: bins.missingBin(split.feature))
        let missingLeft = split.missingLeft
        var next = range.lowerBound
        var rightCount = 0
        data.codes.withUnsafeBufferPointer { codes in
            scratch.rows.withUnsafeMutableBufferPointer { right in
                guard let codes = codes.baseAddress, let right = right.baseAddress, let samples = samples.baseAddress
                else { return }
                let feature = codes + column
                // Without branches: each row is written to both sides, and only one side's end moves.
                for i in range {
                    let row = samples[i]
                    let code = feature[Int(row)]
                    let goesLeft = code == missing ? missingLeft : code <= cut
                    samples[next] = row
                    right[rightCount] = row
                    next += goesLeft ? 1 : 0
                    rightCount += goesLeft ? 0 : 1
                }
                (samples + next).update(from: right, count: rightCount)
            }
        }
        return next
    }
}

/// The inputs of one histogram, shared by the threads that sum its features.
private struct HistogramJob: @unchecked Sendable {
    // @unchecked: the pointers are read only, except `output`, where each feature's thread writes
    // its own bins; all of them outlive the parallel loop that uses them.
    let codes: UnsafePointer<UInt8>
    let rowCount: Int
    let offsets: UnsafePointer<Int>
    /// The node's pairs in sample order (or every row's, for the root).
    let pairs: UnsafePointer<SIMD4<Double>>
    /// The node's rows; nil for the root, whose rows are 0, 1, ….
    let rows: UnsafePointer<Int32>?
    let count: Int
    let output: UnsafeMutablePointer<SIMD4<Double>>

    func sum(_ feature: Int) {
        let column = codes + feature * rowCount
        let bins = output + offsets[feature]
        guard let rows else {
            for i in 0..<count { bins[Int(column[i])] += pairs[i] }
            return
        }
        for i in 0..<count { bins[Int(column[Int(rows[i])])] += pairs[i] }
    }
}
