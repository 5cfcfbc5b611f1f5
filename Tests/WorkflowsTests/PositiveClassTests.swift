import Foundation
import TestSupport
import Testing
import Workflows

/// `evaluate` with `positive:`: precision, recall, f1 and specificity of the named class, and the per-class
/// table, against scikit-learn on a fixed case, and the check-time errors that go with them.
@Suite struct PositiveClassTests {
    /// A logistic regression learns `x > 5 → malignant`; the test rows are placed so that its predictions are
    /// `predicted` below while the truth is `truth`.
    static let truth = [
        "benign", "malignant", "malignant", "benign", "benign", "malignant", "benign", "benign", "malignant", "benign",
    ]
    static let predicted = [
        "benign", "malignant", "benign", "benign", "malignant", "malignant", "benign", "malignant", "malignant",
        "benign",
    ]

    static func notebook(positive: String) -> String {
        """
        ```step train_data
        op: load
        path: train.csv
        target: diagnosis
        ```

        ```step test_data
        op: load
        path: test.csv
        target: diagnosis
        ```

        ```step model
        op: train
        model: logistic
        input: train_data
        ```

        ```step eval
        op: evaluate
        model: model
        input: test_data
        positive: \(positive)
        metrics: [accuracy, precision, recall, f1, specificity, per_class]
        ```

        """
    }

    static func workspace(positive: String) throws -> Workspace {
        let workspace = try Workspace()
        let train = (0..<4).map { "\($0),benign" } + (7..<11).map { "\($0),malignant" }
        try workspace.folder.write("x,diagnosis\n" + train.joined(separator: "\n") + "\n", to: "train.csv")
        let test = zip(truth, predicted).map { actual, guess in "\(guess == "malignant" ? 8 : 2),\(actual)" }
        try workspace.folder.write("x,diagnosis\n" + test.joined(separator: "\n") + "\n", to: "test.csv")
        try workspace.folder.write(notebook(positive: positive), to: "cancer.md")
        return workspace
    }

    /// scikit-learn 1.9.1: `precision_score(truth, predicted, pos_label=…)` and so on, zero_division=0;
    /// specificity is the recall of the other class.
    @Test(arguments: [
        ("malignant", [0.6, 0.75, 2.0 / 3, 2.0 / 3]),
        ("benign", [0.8, 2.0 / 3, 0.7272727272727273, 0.75]),
    ])
    func thePositiveClassDecidesWhatTheBinaryMetricsMean(positive: String, expected: [Double]) throws {
        let workspace = try Self.workspace(positive: positive)
        defer { workspace.remove() }
        let (status, console) = workspace.run("cancer.md")
        #expect(status == .success, "\(console.error)")
        let metrics = try Workspace.record(console)["metrics"] as? [String: Any] ?? [:]
        let values = ["precision", "recall", "f1", "specificity"].map { metrics["eval.\($0)"] as? Double ?? .nan }
        for (value, reference) in zip(values, expected) {
            #expect(abs(value - reference) <= 1e-12, "\(values) vs scikit-learn's \(expected)")
        }
        #expect(metrics["eval.accuracy"] as? Double == 0.7)
    }

    @Test func theReportShowsEachClassAgainstTheRest() throws {
        let workspace = try Self.workspace(positive: "malignant")
        defer { workspace.remove() }
        let (status, console) = workspace.run("cancer.md")
        #expect(status == .success, "\(console.error)")
        let path = try Workspace.record(console)["report"] as? String ?? ""
        let html = try String(contentsOf: workspace.folder.url.appendingPathComponent(path), encoding: .utf8)
        // classification_report: benign 0.8 / 0.6667 / 0.7273 / 6, malignant 0.6 / 0.75 / 0.6667 / 4.
        let rows = """
            <tr><th scope="row">benign</th><td class="num">0.8</td><td class="num">0.6667</td>\
            <td class="num">0.7273</td><td class="num">6</td></tr>
            <tr><th scope="row">malignant</th><td class="num">0.6</td><td class="num">0.75</td>\
            <td class="num">0.6667</td><td class="num">4</td></tr>
            """
        #expect(html.contains("<caption><code>eval.per_class</code>: each class against the rest</caption>"))
        #expect(html.contains(rows), "\(html.components(separatedBy: "per-class").dropFirst().first ?? html)")
    }

    @Test func aBinaryMetricWithoutAPositiveClassAndATypoAreCheckErrors() throws {
        let workspace = try Self.workspace(positive: "malignant")
        defer { workspace.remove() }
        let text = Self.notebook(positive: "malignant")
            .replacingOccurrences(of: "positive: malignant\n", with: "")
            .replacingOccurrences(of: "accuracy, precision", with: "acuracy, msee, precision")
        try workspace.folder.write(text, to: "typo.md")
        let (invocation, console) = workspace.invocation("check typo.md")
        #expect(CheckWorkflow(notebooks: ["typo.md"], quiet: true, in: invocation).run() == .invalid)
        // Only metrics for a classifier are offered: `msee` is not answered with `mse`.
        let valid =
            "accuracy, precision_macro, recall_macro, f1_macro, precision_weighted, recall_weighted, "
            + "f1_weighted, log_loss, roc_auc, average_precision, roc_curve, precision_recall_curve, precision, "
            + "recall, f1, specificity, confusion, per_class"
        #expect(
            console.error == """
                typo.md:23:11: error: unknown metric 'acuracy'; metrics for a classification model are \(valid); \
                did you mean 'accuracy'?
                typo.md:23:20: error: unknown metric 'msee'; metrics for a classification model are \(valid)
                typo.md:23:26: error: metrics 'precision', 'recall', 'f1', 'specificity' score one class against \
                the rest: name it with 'positive: CLASS'

                """)
    }
}
