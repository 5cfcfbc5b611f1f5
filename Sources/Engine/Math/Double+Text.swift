extension Double {
    /// The value as a label or CSV cell: whole numbers without a fraction (`3`, not `3.0`), others in
    /// Swift's shortest form that reads back exactly.
    var shortText: String {
        self == rounded() && abs(self) < 1e15 ? String(Int(self)) : String(self)
    }
}
