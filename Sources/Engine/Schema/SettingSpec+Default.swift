import Foundation

extension SettingSpec {
    /// The default as the engine receives it, read from `defaultValue`; nil when there is none or it is
    /// said in words (`by model kind`, `, (\t for .tsv)`), which the operation works out itself.
    ///
    /// This is the one place a default is written: whoever runs a step takes the schema's defaults, so that
    /// what `athanor ops` and the report say is what runs.
    public var defaultSetting: SettingValue? {
        defaultValue.flatMap { Self.setting($0, as: type) }
    }

    private static func setting(_ text: String, as type: SettingType) -> SettingValue? {
        switch type {
        case .integer: return Int(text).map(SettingValue.int)
        case .number: return Double(text).map(SettingValue.double)
        case .boolean: return Bool(text).map(SettingValue.bool)
        case .text: return .string(text)
        case .character: return text.count == 1 ? .string(text) : nil
        case .choice(let values): return values.contains(text) ? .string(text) : nil
        case .list(let element, _):
            guard text.hasPrefix("["), text.hasSuffix("]") else { return nil }
            let inner = text.dropFirst().dropLast().split(separator: ",")
            let items = inner.map { setting($0.trimmingCharacters(in: .whitespaces), as: element) }
            guard items.allSatisfy({ $0 != nil }) else { return nil }
            return .list(items.compactMap { $0 })
        case .datasetOr(let other): return setting(text, as: other)
        case .choiceOr(let values, let other): return values.contains(text) ? .string(text) : setting(text, as: other)
        case .dataset, .model, .columns, .datasets, .metrics, .variables: return nil
        }
    }
}

extension OperationSchema {
    /// Every default of the settings that apply when the variant key has `value`, by key.
    public func defaults(forVariant value: String? = nil) -> [String: SettingValue] {
        var defaults: [String: SettingValue] = [:]
        for spec in settings(forVariant: value) {
            if let setting = spec.defaultSetting { defaults[spec.name] = setting }
        }
        return defaults
    }
}
