/// What a command printed, kept within bounds: the first and the last lines of a huge output
/// with a marker of what was cut between them, so that a run record and its report stay small
/// while the start (the configuration a script prints) and the end (the error) remain.
struct BoundedLog: Sendable {
    /// Bytes kept from the start, and as many from the end.
    let limit: Int
    private var head: [UInt8] = []
    private var tail: [UInt8] = []
    private var headIsFull = false
    private(set) var totalBytes = 0

    init(limit: Int = 32 * 1024) {
        self.limit = limit
    }

    /// Adds a line, its newline included.
    mutating func append(_ line: [UInt8]) {
        totalBytes += line.count
        if !headIsFull {
            if head.count + line.count <= limit {
                head += line
                return
            }
            headIsFull = true
        }
        tail += line
        // Trim in batches, so that appending stays linear in the output's size.
        if tail.count > 2 * limit { tail.removeFirst(tail.count - limit) }
    }

    /// The log as text; nil when the command printed nothing.
    var text: String? {
        guard totalBytes > 0 else { return nil }
        var kept = tail
        if kept.count > limit {
            kept.removeFirst(kept.count - limit)
            // Start on a whole line.
            if let newline = kept.firstIndex(of: UInt8(ascii: "\n")) { kept.removeFirst(newline + 1) }
        }
        let cut = totalBytes - head.count - kept.count
        var text = String(decoding: head, as: UTF8.self)
        if cut > 0 { text += "[… \(cut) bytes of output cut …]\n" }
        text += String(decoding: kept, as: UTF8.self)
        return text
    }
}
