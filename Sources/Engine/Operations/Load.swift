/// `op: load`: a CSV or TSV file with a header row.
public enum Load {
    public static let schema = OperationSchema(
        name: "load", summary: "read a CSV or TSV file with a header row",
        settings: [
            .required("path", .text, "the file, relative to the notebook"),
            .optional("target", .text, "the column to predict; none for clustering"),
            .optional("columns", .list(.text, minimumCount: 1), "keep only these columns"),
            .optional("drop", .list(.text, minimumCount: 1), "leave out these columns"),
            .optional("delimiter", .character, default: ", (\\t for .tsv)", "the field separator"),
            .optional(
                "missing", .list(.text, minimumCount: 1),
                "more spellings of a missing value, besides empty, NA, N/A, NaN, null, ? and pandas' others"),
        ],
        outputs: .dataset)
}
