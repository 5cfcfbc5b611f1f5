import Foundation

/// Each feature cut into at most `bins` quantile bins of the training data, as scikit-learn's
/// `_BinMapper` does: boosting then sums gradients per bin instead of sorting values per node.
///
/// A feature with few distinct values gets one bin per value, cut at the midpoints; otherwise the
/// cuts are the midpoint percentiles. A value `x` falls in the bin of the first cut `≥ x`, so a
/// split after bin `b` sends `x ≤ cuts[b]` left, which is what the fitted tree tests on raw values.
/// NaN has a bin of its own after the others (`missingBin`), so that a feature with few values
/// has a short histogram.
struct FeatureBins: Sendable {
    /// Per feature, the ascending cuts between its bins (one fewer than its bins).
    var cuts: [[Double]]
    /// Per feature, whether the training data had a NaN in it.
    var hasMissing: [Bool]
    /// Where each feature's bins start in a node's histogram, and the histogram's length.
    var offsets: [Int]
    var histogramLength: Int

    /// Bins of a feature's non-missing values.
    func binCount(_ feature: Int) -> Int { cuts[feature].count + 1 }

    /// The bin of a feature's missing values: the last, after every cut (at most 255, one byte).
    func missingBin(_ feature: Int) -> Int { cuts[feature].count + 1 }

    /// The cuts of each column of `x` (NaN allowed), with at most `bins` bins per feature (2…255).
    /// The features are cut in parallel, each into its own slot.
    init(fitting x: Matrix, bins: Int) {
        var cuts = [[Double]](repeating: [], count: x.columns)
        var hasMissing = [Bool](repeating: false, count: x.columns)
        cuts.withUnsafeMutableBufferPointer { cutSlots in
            hasMissing.withUnsafeMutableBufferPointer { missingSlots in
                let slots = BinSlots(cuts: cutSlots, hasMissing: missingSlots)
                ThreadBudget.concurrentPerform(iterations: x.columns) { feature in
                    let column = x.column(feature)
                    let present = sortedDoubles(column.filter { !$0.isNaN })
                    slots.hasMissing[feature] = present.count < column.count
                    slots.cuts[feature] = Self.cuts(sorted: present, bins: bins)
                }
            }
        }
        self.cuts = cuts
        self.hasMissing = hasMissing
        var offsets: [Int] = []
        var length = 0
        for featureCuts in cuts {
            offsets.append(length)
            length += featureCuts.count + 2
        }
        self.offsets = offsets
        histogramLength = length
    }

    /// Midpoints between distinct values when they are few, else midpoint percentiles, deduplicated.
    static func cuts(sorted values: [Double], bins: Int) -> [Double] {
        var distinct: [Double] = []
        for value in values where distinct.last != value { distinct.append(value) }
        if distinct.count <= bins {
            return zip(distinct, distinct.dropFirst()).map { ($0 + $1) / 2 }
        }
        // numpy's percentile with method="midpoint" at 100·i/bins, i = 1…bins-1.
        var result: [Double] = []
        let last = Double(values.count - 1)
        for i in 1..<bins {
            let position = last * Double(i) / Double(bins)
            let low = Int(position.rounded(.down))
            let high = Int(position.rounded(.up))
            let cut = (values[low] + values[high]) / 2
            if result.last != cut { result.append(cut) }
        }
        return result
    }

    /// The bin of every value, column-major (`rows` bytes per feature), the features in parallel.
    func bin(_ x: Matrix) -> BinnedFeatures {
        let rows = x.rows
        let width = x.columns
        var codes = [UInt8](repeating: 0, count: rows * width)
        codes.withUnsafeMutableBufferPointer { output in
            x.values.withUnsafeBufferPointer { input in
                let shared = SharedBins(columns: output, input: input)
                ThreadBudget.concurrentPerform(iterations: width) { feature in
                    cuts[feature].withUnsafeBufferPointer { cut in
                        for row in 0..<rows {
                            let code = UInt8(Self.bin(of: shared.input[row * width + feature], cuts: cut))
                            shared.columns[feature * rows + row] = code
                        }
                    }
                }
            }
        }
        return BinnedFeatures(rows: rows, features: width, codes: codes)
    }

    /// The number of cuts below `value` (binary search), or the missing bin for NaN.
    @inline(__always)
    static func bin(of value: Double, cuts: UnsafeBufferPointer<Double>) -> Int {
        if value.isNaN { return cuts.count + 1 }
        var low = 0
        var high = cuts.count
        while low < high {
            let middle = (low + high) / 2
            if value <= cuts[middle] { high = middle } else { low = middle + 1 }
        }
        return low
    }
}

/// Binned training data: one byte per value, each feature's rows contiguous.
struct BinnedFeatures: Sendable {
    var rows: Int
    var features: Int
    var codes: [UInt8]
}

/// The slots the binning threads fill, one feature each.
private struct BinSlots: @unchecked Sendable {
    // @unchecked: each thread writes only index `feature` of both buffers.
    let cuts: UnsafeMutableBufferPointer<[Double]>
    let hasMissing: UnsafeMutableBufferPointer<Bool>
}

/// The codes the binning threads write, each its own feature's bytes; the input is read only.
private struct SharedBins: @unchecked Sendable {
    // @unchecked: thread `feature` writes only that feature's bytes of `columns`.
    let columns: UnsafeMutableBufferPointer<UInt8>
    let input: UnsafeBufferPointer<Double>
}

/// `values` (no NaN) in ascending order: a radix sort on the bits, 16 at a time, for long arrays,
/// which orders what `sorted()` orders (−0 before +0, which it keeps in input order: they compare
/// equal, so every cut made from them compares the same).
func sortedDoubles(_ values: [Double]) -> [Double] {
    let count = values.count
    guard count >= 1 << 12 else { return values.sorted() }
    // Order-preserving keys: negative numbers' bits flipped, positive numbers' sign bit set.
    var keys = values.map { value -> UInt64 in
        let bits = value.bitPattern
        return bits >> 63 == 1 ? ~bits : bits | (1 << 63)
    }
    var other = [UInt64](repeating: 0, count: count)
    var counts = [Int](repeating: 0, count: 1 << 16)
    for shift in stride(from: 0, to: 64, by: 16) {
        keys.withUnsafeMutableBufferPointer { source in
            other.withUnsafeMutableBufferPointer { target in
                counts.withUnsafeMutableBufferPointer { counts in
                    for i in 0..<counts.count { counts[i] = 0 }
                    for key in source { counts[Int(truncatingIfNeeded: key >> UInt64(shift)) & 0xFFFF] += 1 }
                    // A digit every key shares moves nothing.
                    guard !counts.contains(count) else {
                        target.update(fromContentsOf: source)
                        return
                    }
                    var start = 0
                    for i in 0..<counts.count {
                        let n = counts[i]
                        counts[i] = start
                        start += n
                    }
                    for key in source {
                        let digit = Int(truncatingIfNeeded: key >> UInt64(shift)) & 0xFFFF
                        target[counts[digit]] = key
                        counts[digit] += 1
                    }
                }
            }
        }
        swap(&keys, &other)
    }
    return keys.map { key in Double(bitPattern: key >> 63 == 1 ? key & ~(1 << 63) : ~key) }
}
