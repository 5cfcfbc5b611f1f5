/// Sorts the (rank, row) keys a tree node orders its rows by: least significant digit first, 11 bits a pass,
/// over only the bits that can be set (the row's `rowBits` low bits, the rank's `rankBits` from bit 32),
/// so that a node of 200,000 rows takes four linear passes where a comparison sort took eighteen levels.
/// The order is exactly `sort()`'s: every bit that can differ is a digit.
enum RadixSort {
    static let digitBits = 11

    /// Below this many keys `sort()` is faster than the passes.
    static let smallest = 512

    /// `keys[0..<count]` sorted in place; `spare` holds at least `count` keys, its contents are overwritten.
    static func sort(
        _ keys: UnsafeMutablePointer<UInt64>, count: Int, spare: UnsafeMutablePointer<UInt64>, rowBits: Int,
        rankBits: Int
    ) {
        guard count >= smallest else {
            var small = UnsafeMutableBufferPointer(start: keys, count: count)
            small.sort()
            return
        }
        var digits: [(shift: Int, width: Int)] = []
        for (start, bits) in [(0, rowBits), (32, rankBits)] {
            var low = 0
            while low < bits {
                digits.append((start + low, min(digitBits, bits - low)))
                low += digitBits
            }
        }
        var source = keys
        var target = spare
        var counts = [Int](repeating: 0, count: 1 << digitBits)
        counts.withUnsafeMutableBufferPointer { counts in
            for (shift, width) in digits {
                let mask = UInt64(1) << UInt64(width) - 1
                let buckets = 1 << width
                for bucket in 0..<buckets { counts[bucket] = 0 }
                for i in 0..<count { counts[Int(truncatingIfNeeded: (source[i] >> UInt64(shift)) & mask)] += 1 }
                // Every key has this digit: the pass would move nothing.
                if counts[Int(truncatingIfNeeded: (source[0] >> UInt64(shift)) & mask)] == count { continue }
                var start = 0
                for bucket in 0..<buckets {
                    let size = counts[bucket]
                    counts[bucket] = start
                    start += size
                }
                for i in 0..<count {
                    let key = source[i]
                    let bucket = Int(truncatingIfNeeded: (key >> UInt64(shift)) & mask)
                    target[counts[bucket]] = key
                    counts[bucket] += 1
                }
                swap(&source, &target)
            }
        }
        if source != keys { keys.update(from: source, count: count) }
    }

    /// The bits needed to write every value below `limit`.
    static func bits(below limit: Int) -> Int {
        limit <= 1 ? 0 : Int.bitWidth - (limit - 1).leadingZeroBitCount
    }
}
