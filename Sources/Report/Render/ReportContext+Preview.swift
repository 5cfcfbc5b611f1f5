import Foundation
import Runs

/// A dataset's preview in the page: its first rows and a summary of each column, the target always among
/// the columns shown and, for classes, the rows of each.
extension ReportContext {
    /// Columns of a data preview shown in the page; the manifest and the store keep them all.
    static let previewColumns = 24

    static func preview(_ preview: DataPreview, open: Bool) -> [String: Any] {
        let shown = shownColumns(preview)
        func row(_ cells: (ColumnSummary) -> String) -> [String] { shown.map { cells($0.summary) } }
        func number(_ value: Double?) -> String { value.map(Format.number) ?? "" }
        var summary: [[String: Any]] = [
            ["label": "missing", "cells": row { String($0.missing) }],
            ["label": "min", "cells": row { number($0.minimum) }],
            ["label": "mean", "cells": row { number($0.mean) }],
            ["label": "std", "cells": row { number($0.standardDeviation) }],
            ["label": "max", "cells": row { number($0.maximum) }],
        ]
        if shown.contains(where: { $0.summary.distinct != nil }) {
            summary.append(["label": "distinct", "cells": row { $0.distinct.map(String.init) ?? "" }])
        }
        let target = preview.columns.first { $0.role == .target }
        let classes = target?.classCounts ?? []
        return [
            "name": preview.name,
            "rows": Format.count(preview.rows),
            "columnCount": preview.columnCount,
            "shownText": shownText(shown.map(\.summary), of: preview),
            "showsSome": shown.count < preview.columnCount,
            "open": open,
            "columns": shown.map { column -> [String: Any] in
                ["name": column.summary.name, "target": column.summary.role == .target]
            },
            "head": preview.head.enumerated().map { index, cells -> [String: Any] in
                ["index": index + 1, "cells": shown.map { $0.offset < cells.count ? cells[$0.offset] : "" }]
            },
            "summary": summary,
            "hasClasses": !classes.isEmpty,
            "target": target?.name ?? "",
            "classes": classes.map { ["name": $0.name, "count": Format.count($0.count)] },
        ]
    }

    /// The first columns that fit, the target always among them (last, where the preview keeps it).
    static func shownColumns(_ preview: DataPreview) -> [(offset: Int, summary: ColumnSummary)] {
        let all = Array(preview.columns.enumerated()).map { (offset: $0.offset, summary: $0.element) }
        guard all.count > previewColumns else { return all }
        let targets = all.filter { $0.summary.role == .target }
        let features = all.filter { $0.summary.role != .target }.prefix(previewColumns - targets.count)
        return Array(features) + targets
    }

    /// How many of the dataset's columns the table shows, and which: `Showing 24 of 65 columns: the first
    /// 23 features and the target label.`; empty when it shows them all.
    static func shownText(_ shown: [ColumnSummary], of preview: DataPreview) -> String {
        guard shown.count < preview.columnCount else { return "" }
        let target = shown.first { $0.role == .target }
        let features = shown.count - (target == nil ? 0 : 1)
        var text = "Showing \(shown.count) of \(Format.count(preview.columnCount)) columns: the first "
        text += features == 1 ? "feature" : "\(features) features"
        if let target { text += " and the target \(target.name)" }
        return text + "."
    }
}
