/// What an operation accepts, declared beside the operation so that `athanor check` can validate a
/// step before anything runs.
public struct OperationSchema: Sendable {
    /// The `op:` value.
    public var name: String
    public var summary: String
    public var settings: [SettingSpec]
    /// Where the outputs that later steps refer to come from.
    public var outputs: OutputRule
    /// Settings that depend on the value of one key, as `train` depends on `model`.
    public var variants: Variants?
    /// Rules that relate several settings.
    public var constraints: [Constraint]

    public init(
        name: String, summary: String, settings: [SettingSpec], outputs: OutputRule, variants: Variants? = nil,
        constraints: [Constraint] = []
    ) {
        self.name = name
        self.summary = summary
        self.settings = settings
        self.outputs = outputs
        self.variants = variants
        self.constraints = constraints
    }

    /// The settings that apply when the variant key has `value` (all of them if there are no variants);
    /// a variant's setting replaces the operation's of the same name, as boosting's `validation` does.
    public func settings(forVariant value: String?) -> [SettingSpec] {
        guard let variants, let value, let extra = variants.cases.first(where: { $0.name == value }) else {
            return settings
        }
        return settings.filter { spec in !extra.settings.contains { $0.name == spec.name } } + extra.settings
    }
}

/// One key of an operation: its type, whether it must be given, and its default.
public struct SettingSpec: Sendable {
    public var name: String
    public var type: SettingType
    public var isRequired: Bool
    /// The default as a user would write it, for help and reports.
    public var defaultValue: String?
    public var summary: String

    public static func required(_ name: String, _ type: SettingType, _ summary: String) -> SettingSpec {
        SettingSpec(name: name, type: type, isRequired: true, defaultValue: nil, summary: summary)
    }

    public static func optional(_ name: String, _ type: SettingType, default value: String? = nil, _ summary: String)
        -> SettingSpec
    {
        SettingSpec(name: name, type: type, isRequired: false, defaultValue: value, summary: summary)
    }
}

/// The type of a setting's value, with its allowed range.
public indirect enum SettingType: Sendable {
    case integer(Bounds<Int>)
    case number(Bounds<Double>)
    case boolean
    case text
    /// A single character, as a delimiter.
    case character
    case choice([String])
    case list(SettingType, minimumCount: Int)
    /// A reference to an earlier step's dataset: `data`, `split.train`.
    case dataset
    /// A reference to an earlier step's dataset, or a value of the other type: boosting's
    /// `validation` is a dataset or the fraction of the input to hold out.
    case datasetOr(SettingType)
    /// One of some words, or a value of the other type: a forest's `features` is `sqrt`, `all` or a fraction.
    case choiceOr([String], SettingType)
    /// A reference to an earlier step's model.
    case model
    /// `all`, or a list of column names.
    case columns
    /// A mapping of output names to dataset references, as `preprocess`'s `apply`.
    case datasets
    /// Metric names valid for the model that the `model` key refers to.
    case metrics
    /// A mapping of names to scalars, as environment variables.
    case variables

    public static let anyInteger = SettingType.integer(Bounds())
    public static let seed = SettingType.integer(Bounds(minimum: 0))
    public static let positiveInteger = SettingType.integer(Bounds(minimum: 1))
    public static let fraction = SettingType.number(
        Bounds(minimum: 0, maximum: 1, includesMinimum: false, includesMaximum: false))
    public static let nonNegative = SettingType.number(Bounds(minimum: 0))
    public static let positive = SettingType.number(Bounds(minimum: 0, includesMinimum: false))

    /// A few words for messages: "an integer ≥ 1", "one of relu, tanh".
    public var description: String {
        switch self {
        case .integer(let bounds): "an integer" + bounds.description
        case .number(let bounds): "a number" + bounds.description
        case .boolean: "true or false"
        case .text: "text"
        case .character: "a single character"
        case .choice(let values): "one of " + values.joined(separator: ", ")
        case .list(let element, let count):
            (count > 0 ? "a non-empty list of " : "a list of ") + element.pluralDescription
        case .dataset: "a dataset of an earlier step"
        case .datasetOr(let other): "a dataset of an earlier step, or " + other.description
        case .choiceOr(let values, let other): values.joined(separator: ", ") + ", or " + other.description
        case .model: "a model of an earlier step"
        case .columns: "'all' or a list of column names"
        case .datasets: "a mapping of names to datasets of earlier steps"
        case .metrics: "a list of metric names"
        case .variables: "a mapping of names to values"
        }
    }

    var pluralDescription: String {
        switch self {
        case .integer(let bounds): "integers" + bounds.description
        case .number(let bounds): "numbers" + bounds.description
        case .text: "text values"
        default: description
        }
    }
}

/// An allowed range; either end may be open.
public struct Bounds<Value: Comparable & Sendable>: Sendable {
    public var minimum: Value?
    public var maximum: Value?
    public var includesMinimum = true
    public var includesMaximum = true

    public init(
        minimum: Value? = nil, maximum: Value? = nil, includesMinimum: Bool = true, includesMaximum: Bool = true
    ) {
        self.minimum = minimum
        self.maximum = maximum
        self.includesMinimum = includesMinimum
        self.includesMaximum = includesMaximum
    }

    public func contains(_ value: Value) -> Bool {
        if let minimum, includesMinimum ? value < minimum : value <= minimum { return false }
        if let maximum, includesMaximum ? value > maximum : value >= maximum { return false }
        return true
    }

    public var description: String {
        switch (minimum, maximum) {
        case let (low?, high?):
            " in \(includesMinimum ? "[" : "(")\(low), \(high)\(includesMaximum ? "]" : ")")"
        case let (low?, nil): " \(includesMinimum ? "≥" : ">") \(low)"
        case let (nil, high?): " \(includesMaximum ? "≤" : "<") \(high)"
        case (nil, nil): ""
        }
    }
}

/// What an operation gives later steps to refer to.
public enum OutputRule: Sendable {
    /// One dataset, named after the step.
    case dataset
    /// One model, named after the step.
    case model
    /// Metrics only: nothing to refer to as data.
    case metrics
    /// A file for people: nothing to refer to as data.
    case artifact
    /// Named datasets `STEP.NAME`: `always` are always there; each of `when` is there when the
    /// setting it names is given and not zero.
    case datasets(always: [String], when: [(output: String, setting: String)])
    /// A dataset `STEP.KEY` for each key of the mapping under `setting`.
    case datasetsKeyedBy(setting: String)
    /// A dataset `STEP.NAME` for each name in the list under `setting`, as a code step's `produces`.
    case datasetsListedIn(setting: String)
}

/// Settings that depend on one key's value: `train`'s keys depend on `model`.
public struct Variants: Sendable {
    public var key: String
    public var cases: [Variant]

    public struct Variant: Sendable {
        public var name: String
        public var summary: String
        public var task: Task
        public var settings: [SettingSpec]
    }
}

/// Rules across several settings of one step.
public enum Constraint: Sendable {
    /// The settings' numeric values must add up to less than `limit`.
    case sumBelow([String], limit: Double)
    /// At least one of the settings must be given.
    case atLeastOne([String])
    /// The first setting does something only beside the second: `strategy` needs `impute`.
    case requires(String, String)
    /// The setting `key` is given exactly when `setting` has the value `value`: `fill` goes with
    /// `strategy: constant`, and only with it.
    case exactlyWhen(String, setting: String, is: String)
}

/// What a model predicts, which decides the metrics that make sense for it.
public struct Task: OptionSet, Sendable, Hashable {
    public let rawValue: Int
    public init(rawValue: Int) { self.rawValue = rawValue }

    public static let classification = Task(rawValue: 1)
    public static let regression = Task(rawValue: 2)
    public static let clustering = Task(rawValue: 4)

    public var names: [String] {
        var names: [String] = []
        if contains(.classification) { names.append("classification") }
        if contains(.regression) { names.append("regression") }
        if contains(.clustering) { names.append("clustering") }
        return names
    }
}
