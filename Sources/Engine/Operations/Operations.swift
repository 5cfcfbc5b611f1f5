/// Every operation a step can name with `op:`; each declares its schema in its own file.
public enum Operations {
    public static let schemas: [OperationSchema] = [
        Load.schema, Synthetic.schema, Split.schema, Preprocess.schema, Train.schema, Evaluate.schema,
        Predict.schema,
    ]

    public static func schema(named name: String) -> OperationSchema? {
        schemas.first { $0.name == name }
    }

    /// Keys every step may have, whatever it runs.
    public static let commonSettings: [SettingSpec] = [
        .optional("description", .text, "what the step is for, shown in the report"),
        .optional("cache", .boolean, default: "true", "false recomputes the step on every run"),
        .optional(
            "resources", .variables,
            "what a cluster job running the step asks for: {cpus: 4, memory: 8G, time: 30m, gpus: 1}"),
    ]
}

/// The engine's version; it goes into every cache key, so that a new engine recomputes.
public enum EngineVersion {
    public static let current = "0.3.0"
}
