import Foundation

/// The distinct values of one text column in one chunk of a CSV file, looked up by their bytes.
///
/// A field is hashed and compared as bytes where it lies, so that a column of millions of values
/// with a few levels builds a `String` once per level, not once per value. Each distinct value's
/// bytes are kept once, end to end in one arena, so that a column of millions of distinct values
/// (an id) costs memory in proportion to its distinct bytes. Open addressing with linear probing;
/// each slot holds an entry's number and the high half of its hash, so that a probe rarely reads
/// the arena in vain.
///
/// A class, because it owns the memory behind its table and arena.
final class LevelTable {
    /// The first size of the table, and a mask applied to every hash: tests start tiny, or clear
    /// every bit, to force collisions.
    struct Shape: Sendable {
        var capacity = 64
        var hashMask: UInt64 = .max
    }

    /// The code of a value that spells a missing one.
    static let missingCode: Int32 = -1
    /// The code of a value that is not valid UTF-8.
    static let invalidCode: Int32 = -2
    /// The code returned once the table holds `maximumEntries` and a new value comes: the caller
    /// reports the column as having too many distinct values.
    static let fullCode: Int32 = -3
    /// Entry numbers and level codes must fit in 32 bits.
    static let maximumEntries = Int(Int32.max) - 1

    /// The levels met, in the order met: what a code stands for.
    private(set) var levels: [String] = []

    private let missing: MissingValues
    private let hashMask: UInt64
    /// Per slot: 0 if empty, else the high 32 bits of the hash above the entry's number plus one.
    private var slots: UnsafeMutablePointer<UInt64>
    private var capacity: Int
    /// Entry `e` holds `arena[offsets[e]..<offsets[e + 1]]`.
    private var offsets: UnsafeMutablePointer<Int>
    private var codes: UnsafeMutablePointer<Int32>
    private var entryCapacity: Int
    private var entryCount = 0
    private var arena: UnsafeMutablePointer<UInt8>
    private var arenaCapacity: Int

    init(shape: Shape = Shape(), missing: MissingValues) {
        self.missing = missing
        hashMask = shape.hashMask
        var size = 1
        while size < shape.capacity { size <<= 1 }
        capacity = size
        slots = .allocate(capacity: size)
        slots.initialize(repeating: 0, count: size)
        entryCapacity = 16
        offsets = .allocate(capacity: entryCapacity + 1)
        offsets.initialize(to: 0)
        codes = .allocate(capacity: entryCapacity)
        arenaCapacity = 256
        arena = .allocate(capacity: arenaCapacity)
    }

    deinit {
        slots.deallocate()
        offsets.deallocate()
        codes.deallocate()
        arena.deallocate()
    }

    /// The bytes of every distinct value met, missing spellings and invalid UTF-8 included.
    var distinctBytes: Int { offsets[entryCount] }

    /// The code of `content`'s level (its number in `levels`), `missingCode`, `invalidCode` or
    /// `fullCode`; a value not met before is added.
    @inline(__always)
    func code(of content: UnsafeBufferPointer<UInt8>) -> Int32 {
        let hash = Self.hash(content) & hashMask
        let tag = hash & 0xFFFF_FFFF_0000_0000
        let mask = capacity - 1
        var index = Int(truncatingIfNeeded: hash) & mask
        while true {
            let slot = slots[index]
            if slot == 0 { return insert(content, hash: hash) }
            if slot & 0xFFFF_FFFF_0000_0000 == tag {
                let entry = Int(truncatingIfNeeded: slot & 0xFFFF_FFFF) - 1
                if holds(entry, content) { return codes[entry] }
            }
            index = (index + 1) & mask
        }
    }

    /// Whether entry `entry` holds exactly the bytes of `content`.
    @inline(__always)
    private func holds(_ entry: Int, _ content: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = offsets[entry]
        let count = offsets[entry + 1] - start
        guard count == content.count else { return false }
        guard count > 0, let base = content.baseAddress else { return true }
        return Self.equal(UnsafeRawPointer(arena + start), UnsafeRawPointer(base), count)
    }

    /// Whether `count` bytes at `a` and `b` are equal; short runs, the common case, in two
    /// overlapping loads each instead of a call.
    @inline(__always)
    private static func equal(_ a: UnsafeRawPointer, _ b: UnsafeRawPointer, _ count: Int) -> Bool {
        if count >= 8, count <= 16 {
            return load64(a, 0) == load64(b, 0) && load64(a, count - 8) == load64(b, count - 8)
        }
        if count >= 4, count < 8 {
            return load32(a, 0) == load32(b, 0) && load32(a, count - 4) == load32(b, count - 4)
        }
        if count < 4 {
            for i in 0..<count
            where a.load(fromByteOffset: i, as: UInt8.self) != b.load(fromByteOffset: i, as: UInt8.self) {
                return false
            }
            return true
        }
        return memcmp(a, b, count) == 0
    }

    /// Adds `content`, known to be absent, and returns its code.
    private func insert(_ content: UnsafeBufferPointer<UInt8>, hash: UInt64) -> Int32 {
        guard entryCount < Self.maximumEntries else { return Self.fullCode }
        if (entryCount + 1) * 4 > capacity * 3 { grow() }
        if entryCount == entryCapacity { growEntries() }
        let start = offsets[entryCount]
        if start + content.count > arenaCapacity { growArena(toHold: start + content.count) }
        if let base = content.baseAddress, !content.isEmpty {
            (arena + start).update(from: base, count: content.count)
        }
        let code: Int32
        if missing.contains(content) {
            code = Self.missingCode
        } else if let text = Self.string(content) {
            code = Int32(levels.count)
            levels.append(text)
        } else {
            code = Self.invalidCode
        }
        codes[entryCount] = code
        (offsets + entryCount + 1).initialize(to: start + content.count)
        place(entryCount, hash: hash)
        entryCount += 1
        return code
    }

    /// Puts entry `entry` in the first free slot of its probe sequence.
    private func place(_ entry: Int, hash: UInt64) {
        let mask = capacity - 1
        var index = Int(truncatingIfNeeded: hash) & mask
        while slots[index] != 0 { index = (index + 1) & mask }
        slots[index] = (hash & 0xFFFF_FFFF_0000_0000) | UInt64(entry + 1)
    }

    /// Doubles the table and places every entry again, hashing its bytes anew.
    private func grow() {
        slots.deallocate()
        capacity *= 2
        slots = .allocate(capacity: capacity)
        slots.initialize(repeating: 0, count: capacity)
        for entry in 0..<entryCount {
            let start = offsets[entry]
            let bytes = UnsafeBufferPointer(start: arena + start, count: offsets[entry + 1] - start)
            place(entry, hash: Self.hash(bytes) & hashMask)
        }
    }

    private func growEntries() {
        let larger = entryCapacity * 2
        let newOffsets = UnsafeMutablePointer<Int>.allocate(capacity: larger + 1)
        newOffsets.initialize(from: offsets, count: entryCount + 1)
        offsets.deallocate()
        offsets = newOffsets
        let newCodes = UnsafeMutablePointer<Int32>.allocate(capacity: larger)
        newCodes.initialize(from: codes, count: entryCount)
        codes.deallocate()
        codes = newCodes
        entryCapacity = larger
    }

    private func growArena(toHold count: Int) {
        var larger = arenaCapacity * 2
        while larger < count { larger *= 2 }
        let newArena = UnsafeMutablePointer<UInt8>.allocate(capacity: larger)
        newArena.initialize(from: arena, count: offsets[entryCount])
        arena.deallocate()
        arena = newArena
        arenaCapacity = larger
    }

    /// `content` as a `String`, or nil if it is not UTF-8; ASCII, the common case, skips validation.
    private static func string(_ content: UnsafeBufferPointer<UInt8>) -> String? {
        var bits: UInt8 = 0
        for byte in content { bits |= byte }
        if bits < 0x80 { return String(decoding: content, as: UTF8.self) }
        return String(validating: content, as: UTF8.self)
    }

    /// A 64-bit hash of `bytes` in the manner of wyhash: words are loaded whole (a short value in
    /// two overlapping halves) and folded by 128-bit multiplication.
    @inline(__always)
    static func hash(_ bytes: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let count = bytes.count
        guard count > 0, let base = bytes.baseAddress else { return 0x2D35_8DCC_AA6C_78A5 }
        let raw = UnsafeRawPointer(base)
        var a: UInt64
        var b: UInt64
        var seed: UInt64 = 0xA076_1D64_78BD_642F ^ UInt64(count)
        if count <= 16 {
            if count >= 4 {
                let quarter = (count >> 3) << 2
                a = UInt64(load32(raw, 0)) << 32 | UInt64(load32(raw, quarter))
                b = UInt64(load32(raw, count - 4)) << 32 | UInt64(load32(raw, count - 4 - quarter))
            } else {
                a = UInt64(base[0]) << 16 | UInt64(base[count >> 1]) << 8 | UInt64(base[count - 1])
                b = 0
            }
        } else {
            var i = 0
            while i + 16 < count {
                seed = mix(load64(raw, i) ^ 0xE703_7ED1_A0B4_28DB, load64(raw, i + 8) ^ seed)
                i += 16
            }
            a = load64(raw, count - 16)
            b = load64(raw, count - 8)
        }
        return mix(0xE703_7ED1_A0B4_28DB ^ UInt64(count), mix(a ^ 0xE703_7ED1_A0B4_28DB, b ^ seed))
    }

    @inline(__always)
    private static func mix(_ a: UInt64, _ b: UInt64) -> UInt64 {
        let (high, low) = a.multipliedFullWidth(by: b)
        return high ^ low
    }

    @inline(__always)
    private static func load32(_ raw: UnsafeRawPointer, _ offset: Int) -> UInt32 {
        UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self))
    }

    @inline(__always)
    private static func load64(_ raw: UnsafeRawPointer, _ offset: Int) -> UInt64 {
        UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt64.self))
    }
}
