import Foundation

/// Cutting the body into chunks that threads read at once.
///
/// A line break is a record boundary only outside quotes, and whether a byte is inside quotes
/// depends on every quote before it. So each thread first counts the line breaks and quotes of an
/// equal share of the body; the parity of the quotes before each share's start then tells where the
/// first line break outside quotes after it lies. That guess can be wrong only in a malformed file
/// (a quote inside an unquoted field); `read` checks that every chunk ended exactly on its last line
/// and reads the body in one piece otherwise, so no result depends on the guess.
extension CSVReader {
    /// A run of whole records, and where its rows go in the output.
    struct Chunk: Sendable {
        var start: Int
        var end: Int
        /// The line `start` is on.
        var line: Int
        /// Line breaks in `start..<end`, those inside quotes included.
        var lineEnds: Int
        /// At most this many records can lie in the chunk.
        var capacity: Int
        /// The chunk's first row in the output.
        var rowOffset: Int
        /// The rows it holds, once read.
        var rowCount = 0
    }

    struct Plan {
        var chunks: [Chunk]
        /// The whole body as one chunk, to fall back on.
        var whole: Chunk
        /// Rows to allocate: enough for the chunks and for the whole.
        var capacity: Int
    }

    /// Line breaks and quote bytes in part of the body.
    struct Tally: Sendable {
        var lineEnds = 0
        var quotes = 0
    }

    /// Cuts the body into at most `wanted` chunks of about equal length.
    func plan(chunks wanted: Int) -> Plan {
        let count = bytes.count
        let length = count - bodyStart
        let pieces = max(1, min(wanted, length))
        let bounds = (0...pieces).map { bodyStart + length / pieces * $0 + min($0, length % pieces) }
        let tallies = Self.parallel(pieces) { k in tally(bounds[k]..<bounds[k + 1]) }
        var points = [bodyStart]
        var endsBefore = [0]
        var ends = 0
        var quotes = 0
        for k in 1..<pieces {
            ends += tallies[k - 1].lineEnds
            quotes += tallies[k - 1].quotes
            guard let boundary = boundary(after: bounds[k], insideQuotes: !quotes.isMultiple(of: 2)),
                boundary.point > points[points.count - 1], boundary.point < count
            else { continue }
            points.append(boundary.point)
            endsBefore.append(ends + boundary.lineEnds)
        }
        let total = tallies.reduce(0) { $0 + $1.lineEnds }
        points.append(count)
        endsBefore.append(total)
        var chunks: [Chunk] = []
        var offset = 0
        for k in 0..<points.count - 1 {
            let lineEnds = endsBefore[k + 1] - endsBefore[k]
            let capacity = rowBound(lineEnds: lineEnds, length: points[k + 1] - points[k])
            chunks.append(
                Chunk(
                    start: points[k], end: points[k + 1], line: bodyLine + endsBefore[k], lineEnds: lineEnds,
                    capacity: capacity, rowOffset: offset))
            offset += capacity
        }
        let whole = Chunk(
            start: bodyStart, end: count, line: bodyLine, lineEnds: total,
            capacity: rowBound(lineEnds: total, length: length), rowOffset: 0)
        return Plan(chunks: chunks, whole: whole, capacity: max(offset, whole.capacity))
    }

    /// The most records `length` bytes with `lineEnds` line breaks can hold: each but the last ends at a
    /// line break, and each holds a byte per column (a delimiter between fields, the line break after).
    private func rowBound(lineEnds: Int, length: Int) -> Int {
        min(lineEnds + 1, length / header.count + 1)
    }

    /// Counts line breaks (`\r\n` once) and quotes, eight bytes at a time where none is either.
    private func tally(_ range: Range<Int>) -> Tally {
        var tally = Tally()
        guard let base = bytes.baseAddress else { return tally }
        let raw = UnsafeRawPointer(base)
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        func holds(_ word: UInt64, _ byte: UInt8) -> Bool {
            let x = word ^ (ones &* UInt64(byte))
            return (x &- ones) & ~x & highs != 0
        }
        var i = range.lowerBound
        var released = i
        while i < range.upperBound {
            if i + 8 <= range.upperBound {
                let word = UInt64(littleEndian: raw.loadUnaligned(fromByteOffset: i, as: UInt64.self))
                if !holds(word, Tokenizer.newline), !holds(word, Tokenizer.carriageReturn),
                    !holds(word, Tokenizer.quote)
                {
                    i += 8
                    continue
                }
            }
            let end = min(i + 8, range.upperBound)
            while i < end {
                let byte = bytes[i]
                if byte == Tokenizer.newline {
                    tally.lineEnds += 1
                } else if byte == Tokenizer.carriageReturn {
                    if i + 1 == bytes.count || bytes[i + 1] != Tokenizer.newline { tally.lineEnds += 1 }
                } else if byte == Tokenizer.quote {
                    tally.quotes += 1
                }
                i += 1
            }
            if i - released >= Self.releaseStep { released = pages?.release(released..<i) ?? i }
        }
        pages?.release(released..<range.upperBound)
        return tally
    }

    /// The first line break at or after `start` that lies outside quotes, and the line breaks up to and
    /// including it; `insideQuotes` says whether `start` is inside quotes.
    private func boundary(after start: Int, insideQuotes: Bool) -> (point: Int, lineEnds: Int)? {
        var inside = insideQuotes
        var ends = 0
        var i = start
        while i < bytes.count {
            let byte = bytes[i]
            if byte == Tokenizer.quote {
                inside.toggle()
            } else if byte == Tokenizer.newline
                || (byte == Tokenizer.carriageReturn && (i + 1 == bytes.count || bytes[i + 1] != Tokenizer.newline))
            {
                ends += 1
                if !inside { return (i + 1, ends) }
            }
            i += 1
        }
        return nil
    }

    /// Runs `body` for each of `0..<count` on up to `count` threads, and returns the results in order.
    static func parallel<T>(_ count: Int, _ body: (Int) -> T) -> [T] {
        guard count > 1 else { return (0..<count).map(body) }
        let results = UnsafeMutableBufferPointer<T?>.allocate(capacity: count)
        results.initialize(repeating: nil)
        defer {
            results.deinitialize()
            results.deallocate()
        }
        let slots = Slots(results: results)
        withoutActuallyEscaping(body) { body in
            let work = Work(body: body)
            DispatchQueue.concurrentPerform(iterations: count) { k in
                slots.results[k] = work.body(k)
            }
        }
        return results.compactMap { $0 }
    }
}

/// The results of `parallel`, each slot written by one thread only.
private struct Slots<T>: @unchecked Sendable {
    let results: UnsafeMutableBufferPointer<T?>
}

/// The work of `parallel`, which reads shared state but writes only where its index says.
private struct Work<T>: @unchecked Sendable {
    let body: (Int) -> T
}
