import Foundation

/// One bin of a node's histogram: the sums over the node's rows whose value falls in the bin.
struct HistogramBin: Sendable {
    var gradient = 0.0
    var hessian = 0.0
    var count = 0
}

extension HistogramGrower {
    /// Buffers reused by every node of a tree: the node's gradients in sample order, and room to
    /// partition its rows.
    struct Scratch {
        var gradients: [Double]
        var hessians: [Double]
        var rows: [Int32]

        init(rows count: Int) {
            gradients = [Double](repeating: 0, count: count)
            hessians = [Double](repeating: 0, count: count)
            rows = [Int32](repeating: 0, count: count)
        }
    }

    /// Below this many values (rows × features) a histogram is summed on the calling thread:
    /// starting threads would cost more than it saves.
    static let parallelMinimum = 1 << 15

    /// The histogram (each feature's bins, then its missing bin) of the rows `samples[range]`.
    func build(
        _ range: Range<Int>, _ samples: UnsafeMutableBufferPointer<Int32>, _ gradients: UnsafePointer<Double>,
        _ hessians: UnsafePointer<Double>, _ scratch: inout Scratch
    ) -> [HistogramBin] {
        let count = range.count
        var histogram = [HistogramBin](repeating: HistogramBin(), count: bins.histogramLength)
        guard count > 0, let base = samples.baseAddress else { return histogram }
        let rows = base + range.lowerBound
        // Gathered once, so that every feature reads them in order.
        for i in 0..<count {
            scratch.gradients[i] = gradients[Int(rows[i])]
            scratch.hessians[i] = hessians[Int(rows[i])]
        }
        let rowCount = data.rows
        let features = data.features
        data.codes.withUnsafeBufferPointer { codes in
            scratch.gradients.withUnsafeBufferPointer { g in
                scratch.hessians.withUnsafeBufferPointer { h in
                    histogram.withUnsafeMutableBufferPointer { output in
                        guard let codes = codes.baseAddress, let g = g.baseAddress, let h = h.baseAddress,
                            let output = output.baseAddress
                        else { return }
                        let job = HistogramJob(
                            codes: codes, rowCount: rowCount, rows: UnsafePointer(rows), count: count, gradients: g,
                            hessians: h, output: output, offsets: bins.offsets)
                        if count * features < Self.parallelMinimum {
                            for feature in 0..<features { job.sum(feature) }
                        } else {
                            ThreadBudget.concurrentPerform(iterations: features) { job.sum($0) }
                        }
                    }
                }
            }
        }
        return histogram
    }

    /// The histogram of a parent's larger child: the parent's minus the smaller child's.
    func subtract(_ parent: [HistogramBin], _ child: [HistogramBin]) -> [HistogramBin] {
        var result = parent
        for i in result.indices {
            result[i].gradient -= child[i].gradient
            result[i].hessian -= child[i].hessian
            result[i].count -= child[i].count
        }
        return result
    }

    /// Reorders `samples[range]` so that the rows the split sends left come first, each side in its
    /// previous order; returns where the right side starts.
    func partition(
        _ range: Range<Int>, _ split: Split, _ samples: UnsafeMutableBufferPointer<Int32>, _ scratch: inout Scratch
    ) -> Int {
        let column = split.feature * data.rows
        let cut = split.bin
        let missing = bins.missingBin(split.feature)
        let missingLeft = split.missingLeft
        var next = range.lowerBound
        var rightCount = 0
        data.codes.withUnsafeBufferPointer { codes in
            for i in range {
                let row = samples[i]
                let code = Int(codes[column + Int(row)])
                let goesLeft = code == missing ? missingLeft : code <= cut
                if goesLeft {
                    samples[next] = row
                    next += 1
                } else {
                    scratch.rows[rightCount] = row
                    rightCount += 1
                }
            }
        }
        for i in 0..<rightCount { samples[next + i] = scratch.rows[i] }
        return next
    }
}

/// The inputs of one histogram, shared by the threads that sum its features.
private struct HistogramJob: @unchecked Sendable {
    // @unchecked: the pointers are read only, except `output`, where each feature's thread writes
    // its own bins; all of them outlive the parallel loop that uses them.
    let codes: UnsafePointer<UInt8>
    let rowCount: Int
    let rows: UnsafePointer<Int32>
    let count: Int
    let gradients: UnsafePointer<Double>
    let hessians: UnsafePointer<Double>
    let output: UnsafeMutablePointer<HistogramBin>
    let offsets: [Int]

    func sum(_ feature: Int) {
        let column = codes + feature * rowCount
        let bins = output + offsets[feature]
        for i in 0..<count {
            let bin = Int(column[Int(rows[i])])
            bins[bin].gradient += gradients[i]
            bins[bin].hessian += hessians[i]
            bins[bin].count += 1
        }
    }
}
