/// MLflow's limits on what one `runs/log-batch` holds and on the length of values (`mlflow/utils/validation.py`).
///
/// The server truncates a longer param or tag value without failing, so a push splits such a value in parts
/// and says so; it never lets the server cut it.
public enum MLflowLimits {
    public static let metricsPerBatch = 1000
    public static let paramsPerBatch = 100
    public static let tagsPerBatch = 100
    public static let itemsPerBatch = 1000
    /// The server refuses a log-batch request of more than 1 MB; a batch stays well under.
    public static let bytesPerBatch = 800_000
    public static let paramValueLength = 6000
    public static let tagValueLength = 8000
    public static let keyLength = 250

    /// Packs `params`, `tags` and `metrics` into as few batches as the limits allow, params and tags first.
    public static func batches(params: [KeyValue], tags: [KeyValue], metrics: [MetricPoint]) -> [LogBatch] {
        var batches: [LogBatch] = []
        var current = LogBatch()
        var bytes = 0
        func room(_ size: Int) -> Bool { current.count < itemsPerBatch && bytes + size <= bytesPerBatch }
        func close() {
            if current.count > 0 { batches.append(current) }
            current = LogBatch()
            bytes = 0
        }
        for param in params {
            let size = param.key.utf8.count + param.value.utf8.count * 2 + 32
            if current.params.count == paramsPerBatch || !room(size) { close() }
            current.params.append(param)
            bytes += size
        }
        for tag in tags {
            let size = tag.key.utf8.count + tag.value.utf8.count * 2 + 32
            if current.tags.count == tagsPerBatch || !room(size) { close() }
            current.tags.append(tag)
            bytes += size
        }
        for metric in metrics {
            let size = metric.key.utf8.count + 96
            if current.metrics.count == metricsPerBatch || !room(size) { close() }
            current.metrics.append(metric)
            bytes += size
        }
        close()
        return batches
    }

    /// `value` in parts of at most `limit` characters (Unicode scalars, as Python counts them): one part when
    /// it fits.
    public static func parts(of value: String, limit: Int) -> [String] {
        let scalars = Array(value.unicodeScalars)
        guard scalars.count > limit else { return [value] }
        return stride(from: 0, to: scalars.count, by: limit).map { start in
            var part = String.UnicodeScalarView()
            part.append(contentsOf: scalars[start..<min(start + limit, scalars.count)])
            return String(part)
        }
    }

    /// `key` with every character MLflow does not allow in a name (alphanumerics, `_ - . : /` and space)
    /// replaced by `_`, cut to 250 characters.
    public static func name(_ key: String) -> String {
        let allowed = key.unicodeScalars.map { scalar -> Character in
            let ok =
                scalar.properties.isAlphabetic || scalar.properties.numericType != nil
                || "_-.:/ ".unicodeScalars
                    .contains(scalar)
            return ok ? Character(scalar) : "_"
        }
        return String(String(allowed).unicodeScalars.prefix(keyLength))
    }
}
