/// A step body as written: YAML whose scalars may hold `${name}` interpolations, resolved once the
/// parameters' values are known (defaults for `check`, overrides for `run`).
public struct TemplateNode: Sendable, Hashable {
    public indirect enum Kind: Sendable, Hashable {
        case scalar(TemplateScalar)
        case sequence([TemplateNode])
        case mapping([TemplateEntry])
    }

    public var kind: Kind
    public var location: SourceLocation

    public init(_ kind: Kind, at location: SourceLocation) {
        self.kind = kind
        self.location = location
    }
}

public struct TemplateEntry: Sendable, Hashable {
    public var key: String
    public var keyLocation: SourceLocation
    public var value: TemplateNode
}

/// A scalar split into literal text and parameter references.
public struct TemplateScalar: Sendable, Hashable {
    public enum Part: Sendable, Hashable {
        case text(String)
        case parameter(String, SourceLocation)
    }

    public var parts: [Part]
    /// Quoted and block scalars are always strings; plain ones are typed after interpolation.
    public var isPlain: Bool
    /// An explicit YAML tag such as `!!str`, if any.
    public var tag: String?

    /// The single parameter this scalar consists of, as in `epochs: ${epochs}`.
    public var wholeParameter: String? {
        if isPlain, parts.count == 1, case .parameter(let name, _) = parts[0] { return name }
        return nil
    }

    /// Every parameter this scalar refers to, with where.
    public var parameters: [(name: String, location: SourceLocation)] {
        parts.compactMap {
            if case .parameter(let name, let location) = $0 { return (name, location) }
            return nil
        }
    }
}

extension TemplateNode {
    /// Every `${name}` in the body, in the order written.
    public var parameterReferences: [(name: String, location: SourceLocation)] {
        switch kind {
        case .scalar(let scalar): scalar.parameters
        case .sequence(let items): items.flatMap(\.parameterReferences)
        case .mapping(let entries): entries.flatMap(\.value.parameterReferences)
        }
    }

    /// The body with each `${name}` replaced by the parameter's value.
    ///
    /// A scalar that is exactly `${name}` takes the parameter's type; a list parameter standing as
    /// an item of a sequence is spliced into it (`hidden: [${hidden}]` with `hidden: [64, 32]` gives
    /// `[64, 32]`). Inside longer text the value is spliced as text and a plain scalar is typed
    /// again, as if the text had been written there. Unknown names are left as written; the parser
    /// reports them.
    public func resolved(with parameters: [String: ParameterValue]) -> ConfigNode {
        switch kind {
        case .scalar(let scalar):
            return resolve(scalar, parameters)
        case .sequence(let items):
            var nodes: [ConfigNode] = []
            for item in items {
                if case .scalar(let scalar) = item.kind, let name = scalar.wholeParameter,
                    case .list(let values)? = parameters[name]
                {
                    nodes += values.map { ConfigNode($0.configValue(at: item.location), at: item.location) }
                } else {
                    nodes.append(item.resolved(with: parameters))
                }
            }
            return ConfigNode(.list(nodes), at: location)
        case .mapping(let entries):
            return ConfigNode(
                .mapping(
                    entries.map {
                        ConfigEntry(
                            key: $0.key, keyLocation: $0.keyLocation, value: $0.value.resolved(with: parameters))
                    }), at: location)
        }
    }

    private func resolve(_ scalar: TemplateScalar, _ parameters: [String: ParameterValue]) -> ConfigNode {
        if let name = scalar.wholeParameter, let value = parameters[name], scalar.tag == nil {
            return ConfigNode(value.configValue(at: location), at: location)
        }
        var text = ""
        for part in scalar.parts {
            switch part {
            case .text(let literal): text += literal
            case .parameter(let name, _): text += parameters[name]?.text ?? "${\(name)}"
            }
        }
        if scalar.isPlain {
            return ConfigNode(ScalarResolver.resolve(text, tag: scalar.tag), at: location)
        }
        return ConfigNode(.string(text), at: location)
    }
}
