import Testing

@testable import Runs

/// The follower's check that a metrics file still begins with what it read: pieces of any size fingerprint
/// as the bytes whole, and any change of content or length shows.
@Suite struct ByteFingerprintTests {
    static func fingerprint(_ bytes: [UInt8], pieces size: Int) -> ByteFingerprint {
        var fingerprint = ByteFingerprint()
        bytes.withUnsafeBytes { raw in
            for start in stride(from: 0, to: raw.count, by: size) {
                fingerprint.update(UnsafeRawBufferPointer(rebasing: raw[start..<min(start + size, raw.count)]))
            }
        }
        return fingerprint
    }

    static let bytes = (0..<1_000).map { UInt8(truncatingIfNeeded: $0 &* 131 &+ 7) }

    @Test func piecesOfAnySizeFingerprintAsTheWhole() {
        let whole = Self.fingerprint(Self.bytes, pieces: Self.bytes.count)
        for size in [1, 3, 7, 8, 31, 32, 33, 100, 999] {
            #expect(Self.fingerprint(Self.bytes, pieces: size) == whole, "pieces of \(size)")
        }
        #expect(whole.count == 1_000)
    }

    @Test func anyChangedByteOrLengthShows() {
        let whole = Self.fingerprint(Self.bytes, pieces: 64)
        for position in Self.bytes.indices {
            var changed = Self.bytes
            changed[position] ^= 0x20
            #expect(Self.fingerprint(changed, pieces: 64) != whole, "byte \(position)")
        }
        #expect(Self.fingerprint(Self.bytes + [0], pieces: 64) != whole)
        #expect(Self.fingerprint(Array(Self.bytes.dropLast()), pieces: 64) != whole)
        // Two words swapped, within a lane and across lanes.
        var swapped = Self.bytes
        swapped.swapAt(0, 32)
        #expect(Self.fingerprint(swapped, pieces: 64) != whole)
        swapped = Self.bytes
        swapped.swapAt(0, 8)
        #expect(Self.fingerprint(swapped, pieces: 64) != whole)
        #expect(ByteFingerprint() == Self.fingerprint([], pieces: 1))
        #expect(ByteFingerprint() != Self.fingerprint([0], pieces: 1))
    }
}
