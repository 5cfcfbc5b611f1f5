import Engine

/// `run: COMMAND`: a step that runs a command in the notebook's directory (DESIGN §5).
public enum ExternalStep {
    public static let schema = OperationSchema(
        name: "run", summary: "run a command through /bin/sh -c in the notebook's directory",
        settings: [
            .required("run", .text, "the command"),
            .optional("inputs", .list(.text, minimumCount: 0), "files and globs whose content goes into the cache key"),
            .optional("outputs", .list(.text, minimumCount: 0), "files collected as artifacts"),
            .optional("env", .variables, "extra environment variables"),
            .optional("timeout", .positive, "seconds before the command is stopped"),
        ],
        outputs: .artifact)
}
