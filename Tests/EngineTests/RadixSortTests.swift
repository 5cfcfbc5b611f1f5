import Testing

@testable import Engine

/// The radix sort of a node's (rank, row) keys orders them exactly as `sort()` does.
struct RadixSortTests {
    @Test(arguments: [0, 1, 511, 512, 5_000, 70_000])
    func sortsAsSortDoes(_ count: Int) {
        var generator = SeededGenerator(seed: count + 1)
        let rows = 200_000
        for distinct in [1, 17, 3_000, rows] {
            // Bootstrap-like: rows repeat, and many share a rank.
            let keys = (0..<count).map { _ in
                UInt64(UInt32.random(in: 0..<UInt32(distinct), using: &generator)) << 32
                    | UInt64.random(in: 0..<UInt64(rows), using: &generator)
            }
            var sorted = keys
            var spare = [UInt64](repeating: 0, count: count)
            sorted.withUnsafeMutableBufferPointer { keys in
                spare.withUnsafeMutableBufferPointer { spare in
                    guard let keys = keys.baseAddress, let spare = spare.baseAddress else { return }
                    RadixSort.sort(
                        keys, count: count, spare: spare, rowBits: RadixSort.bits(below: rows),
                        rankBits: RadixSort.bits(below: distinct))
                }
            }
            #expect(sorted == keys.sorted(), "\(count) keys of \(distinct) ranks")
        }
    }

    @Test func bitsCoverEveryValueBelowTheLimit() {
        #expect(RadixSort.bits(below: 0) == 0)
        #expect(RadixSort.bits(below: 1) == 0)
        #expect(RadixSort.bits(below: 2) == 1)
        #expect(RadixSort.bits(below: 2_048) == 11)
        #expect(RadixSort.bits(below: 2_049) == 12)
        #expect(RadixSort.bits(below: 200_000) == 18)
    }
}
