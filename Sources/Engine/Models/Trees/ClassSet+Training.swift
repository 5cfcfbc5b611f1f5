extension ClassSet {
    /// The classes of `target` and each row's class, for a tree model to train on: at least two classes must
    /// occur in the rows, not merely be named (a split can leave a text target's other levels without rows).
    static func encodeTwoOrMore(_ target: Target) throws -> (ClassSet, [Int]) {
        let (set, indices) = encode(target)
        let present = Set(indices).filter { $0 >= 0 && $0 < set.count }
        guard present.count >= 2 else {
            let name = present.first.map { set.names[$0] } ?? set.names.first ?? ""
            throw EngineError(
                "target '\(target.name)' has a single class ('\(name)'); a classifier needs at least two",
                column: target.name)
        }
        return (set, indices)
    }
}
