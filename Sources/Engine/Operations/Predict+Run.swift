import Foundation

extension Predict {
    /// The model's predictions for every row of `input` as CSV: `prediction`, then one
    /// `probability_CLASS` column per class for a classifier, then `actual` when the data has a target.
    public static func run(model: Model, input: Dataset) throws -> String {
        let prediction = try model.predict(input)
        var header = ["prediction"]
        var rows: [[String]] = []
        switch prediction {
        case .classes(let labels, let probabilities, let classes):
            header += classes.names.map { "probability_\($0)" }
            rows = labels.enumerated().map { row, label in
                [classes.names[label]] + (0..<classes.count).map { probabilities[row, $0].shortText }
            }
        case .values(let values):
            rows = values.map { [$0.shortText] }
        case .clusters(let labels, _):
            rows = labels.map { [String($0)] }
        }
        if let target = input.target {
            header.append("actual")
            for (row, value) in target.values.enumerated() {
                rows[row].append(target.classNames.map { $0[Int(value)] } ?? value.shortText)
            }
        }
        return ([header] + rows).map { $0.map(csvField).joined(separator: ",") }.joined(separator: "\n") + "\n"
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
