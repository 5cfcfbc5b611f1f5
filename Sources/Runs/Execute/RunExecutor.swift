import Engine
import Foundation
import Notebook

/// What a run shows while it goes: steps starting and ending, training epochs.
public protocol RunObserver: Sendable {
    func stepStarted(_ index: Int, of count: Int, name: String)
    func stepFinished(_ record: StepRecord)
    func training(_ event: TrainingEvent)
    func warning(_ message: String)
    /// A line a command step printed, on standard output or error, as it printed it.
    func commandOutput(_ line: String, step: String)
}

extension RunObserver {
    public func commandOutput(_ line: String, step: String) {}
}

/// Runs a plan step by step in document order: each step's cache key, a hit restored from the
/// object store, a miss executed and stored, and the run recorded in the store as it goes.
public final class RunExecutor: @unchecked Sendable {
    // @unchecked: `record` is shared with the signal handler and guarded by `lock`.
    public let plan: RunPlan
    private let project: Project
    private let objects: ObjectStore
    private let hasher: FileHasher
    private let store: RunStore
    private let useCache: Bool
    private let observer: RunObserver?
    /// Shared by the runs of a sweep, so that a step they have in common is computed once.
    private let gate: StepGate?
    private let lock = NSLock()
    private var record: RunRecord
    private var finished = false
    /// Outputs in memory by step name.
    private var outputs: [String: [String?: StepOutput]] = [:]
    private var entries: [String: StepEntry] = [:]
    private var keys: [String: String] = [:]
    /// Why a step's results could not be stored in the cache, by step: it ran uncached.
    private var uncached: [String: String] = [:]
    /// What each file a step read looked like when its cache key hashed it, by step and path.
    private var fileStatuses: [String: [String: FileStatus]] = [:]
    /// The datasets the models learnt from as raw columns (`TrainingData`), whose statistics are recorded.
    private let trainingData: Set<String>

    public init(
        plan: RunPlan, project: Project, store: RunStore, command: [String], useCache: Bool = true,
        observer: RunObserver? = nil, sweep: String? = nil, gate: StepGate? = nil,
        environment: EnvironmentRecord? = nil, id: String? = nil
    ) throws {
        self.plan = plan
        self.project = project
        self.store = store
        self.useCache = useCache
        self.observer = observer
        self.gate = gate
        trainingData = TrainingData.datasets(in: plan.steps)
        objects = ObjectStore(directory: project.cacheDirectory)
        hasher = FileHasher(cacheFile: project.cacheDirectory.appendingPathComponent("file-hashes.json").path)
        let notebookURL = URL(fileURLWithPath: plan.notebook.path).standardizedFileURL
        let source = plan.notebook.source
        let parameters = plan.notebook.parameters.map { parameter in
            RecordedParameter(
                name: parameter.name, value: CanonicalJSON.text(plan.parameters[parameter.name] ?? parameter.value),
                overridden: plan.overridden.contains(parameter.name))
        }
        record = RunRecord(
            id: try id ?? Self.newIdentifier(store), notebook: project.relative(notebookURL),
            notebookSHA256: ContentHash.sha256(Array(source.utf8)), notebookSource: source,
            title: plan.notebook.frontMatter.title, started: Date(), command: command, parameters: parameters,
            environment: environment ?? Environment.current(directory: plan.directory), sweep: sweep,
            owner: RunOwner.current)
    }

    public var runID: String { record.id }

    /// Short, random, and checked against the store: 8 hex digits as git abbreviates.
    static func newIdentifier(_ store: RunStore) throws -> String {
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<16 {
            let id = String(format: "%08x", UInt32.random(in: 0...UInt32.max, using: &generator))
            if try store.run(id) == nil { return id }
        }
        throw EngineError("could not find a free run id")
    }

    /// Runs every step; returns the record, whose status says how it ended.
    public func run() throws -> RunRecord {
        let previous = try? store.latestRun(notebook: record.notebook, excluding: record.id)
        try save()
        let count = plan.steps.count
        for (index, step) in plan.steps.enumerated() {
            if isFinished { break }
            observer?.stepStarted(index + 1, of: count, name: step.name)
            let started = Date()
            var stepRecord = StepRecord(
                name: step.name, op: step.op, cacheKey: "", cache: nil, seconds: 0, status: .failed,
                configuration: StepConfiguration(step))
            do {
                let ingredients = try ingredients(for: step)
                let key = ingredients.key
                keys[step.name] = key
                stepRecord.cacheKey = key
                try holding(gateNames(step, key: key), outputsOf: step) {
                    if useCache, step.usesCache, let entry = cachedEntry(key, step: step.name),
                        try restoreFiles(of: entry, step: step)
                    {
                        entries[step.name] = entry
                        stepRecord.cache = .hit
                        stepRecord.log = entry.log
                        stepRecord.previews = entry.previews ?? []
                        absorb(entry, step: step.name)
                    } else {
                        stepRecord.cache = .miss
                        stepRecord.explanation = explain(step, ingredients, previous: previous)
                        let entry = try execute(step, ingredients: ingredients)
                        if let problem = uncached[step.name] {
                            stepRecord.explanation = [
                                stepRecord.explanation, "its results were not cached (\(problem))",
                            ]
                            .compactMap { $0 }.joined(separator: "; ")
                        }
                        stepRecord.log = entry.log
                        stepRecord.previews = entry.previews ?? []
                        absorb(entry, step: step.name)
                    }
                }
                stepRecord.status = .succeeded
            } catch {
                stepRecord.error = "\(error)"
                stepRecord.status = .failed
                if let failure = error as? ExternalStep.Failure { stepRecord.log = failure.log }
            }
            stepRecord.seconds = Date().timeIntervalSince(started)
            let failed = stepRecord.status == .failed
            lock.withLock {
                record.steps.append(stepRecord)
                if failed {
                    for later in plan.steps[(index + 1)...] {
                        record.steps.append(
                            StepRecord(
                                name: later.name, op: later.op, cacheKey: "", cache: nil, seconds: 0, status: .notRun,
                                configuration: StepConfiguration(later)))
                    }
                }
            }
            observer?.stepFinished(stepRecord)
            if failed {
                return try finish(.failed)
            }
        }
        return try finish(.succeeded)
    }

    private var isFinished: Bool { lock.withLock { finished } }

    /// Records the run as `queued`, with no owner and no steps, for a cluster's task to run later by its id
    /// (`RunExecutor(…, id:)` over the same plan); returns the record.
    public func queue() throws -> RunRecord {
        var queued = lock.withLock { record }
        queued.status = .queued
        queued.owner = nil
        try store.save(queued)
        return queued
    }

    /// Computes the steps named `shared` (and takes from the cache those it holds), in document order, into the
    /// cache, recording no run: what a cluster executor does once before the tasks that all need them start.
    /// `shared` must hold the steps each of them reads. Throws the first step's error, with its name.
    public func computeShared(_ shared: Set<String>) throws {
        for step in plan.steps where shared.contains(step.name) {
            let ingredients = try ingredients(for: step)
            keys[step.name] = ingredients.key
            do {
                try holding(gateNames(step, key: ingredients.key), outputsOf: step) {
                    if useCache, step.usesCache, let entry = cachedEntry(ingredients.key, step: step.name),
                        try restoreFiles(of: entry, step: step)
                    {
                        entries[step.name] = entry
                    } else {
                        _ = try execute(step, ingredients: ingredients)
                    }
                }
            } catch {
                throw EngineError("step '\(step.name)': \(error)")
            }
        }
        try? hasher.save()
    }

    /// What a step holds in the sweep's gate: its cache key when it may be served from the cache.
    /// What `run()` would do, without doing it: each step's cache key, whether the cache holds it (hit) or
    /// not (miss, with why), and nothing recorded, run, restored or written. A step whose key cannot be
    /// computed (a missing data file) is `failed` with the error, and the steps after it `notRun`.
    public func dryRun() -> [StepRecord] {
        let previous = try? store.latestRun(notebook: record.notebook, excluding: record.id)
        var steps: [StepRecord] = []
        var stopped = false
        for step in plan.steps {
            var stepRecord = StepRecord(
                name: step.name, op: step.op, cacheKey: "", cache: nil, seconds: 0, status: .notRun,
                configuration: StepConfiguration(step))
            if !stopped {
                do {
                    let ingredients = try ingredients(for: step)
                    keys[step.name] = ingredients.key
                    stepRecord.cacheKey = ingredients.key
                    if useCache, step.usesCache, cachedEntry(ingredients.key, step: step.name) != nil {
                        stepRecord.cache = .hit
                    } else {
                        stepRecord.cache = .miss
                        stepRecord.explanation = explain(step, ingredients, previous: previous)
                    }
                } catch {
                    stepRecord.status = .failed
                    stepRecord.error = "\(error)"
                    stopped = true
                }
            }
            steps.append(stepRecord)
        }
        return steps
    }

    private func gateNames(_ step: PlannedStep, key: String) -> Set<String> {
        useCache && step.usesCache ? ["key:" + key] : []
    }

    /// Runs `body` holding `names` in the sweep's gate and, for a command step with `outputs:`, the lock of
    /// those files: they lie beside the notebook, where every run of the step writes them, in this process or
    /// another, so its runs take turns from writing them (or restoring them from the cache) to collecting them.
    private func holding(_ names: Set<String>, outputsOf step: PlannedStep, _ body: () throws -> Void) throws {
        func keyLocked() throws {
            // Another process (a task of the same Slurm array, or a second `athanor run`) computing the same
            // key meanwhile: wait for it, then find its entry in the cache.
            guard let name = names.first(where: { $0.hasPrefix("key:") }) else { return try body() }
            let file = "key-" + name.dropFirst(4).prefix(32) + ".lock"
            try FileLock.holding(project.locksDirectory.appendingPathComponent(String(file)).path, body)
        }
        func locked() throws {
            guard step.kind?.runsUserCode == true, case .list(let items)? = step.configuration["outputs"]?.value,
                !items.isEmpty
            else { return try keyLocked() }
            let name = ContentHash.sha256(Array("\(record.notebook)\n\(step.name)".utf8)).prefix(32)
            try FileLock.holding(
                project.locksDirectory.appendingPathComponent("outputs-\(name).lock").path, keyLocked)
        }
        if let gate { try gate.withHolding(names, locked) } else { try locked() }
    }

    /// Records the run as interrupted and stops recording; called from a signal handler.
    public func interrupt() {
        lock.lock()
        defer { lock.unlock() }
        guard !finished else { return }
        finished = true
        RunningCommands.shared.killAll()
        let done = Set(record.steps.map(\.name))
        for step in plan.steps where !done.contains(step.name) {
            record.steps.append(
                StepRecord(
                    name: step.name, op: step.op, cacheKey: "", cache: nil, seconds: 0, status: .notRun,
                    configuration: StepConfiguration(step)))
        }
        record.status = .interrupted
        record.finished = Date()
        try? store.save(record)
        try? hasher.save()
    }

    private func finish(_ status: RunStatus) throws -> RunRecord {
        lock.lock()
        defer { lock.unlock() }
        guard !finished else { return record }
        finished = true
        record.status = status
        record.finished = Date()
        try store.save(record)
        try? hasher.save()
        return record
    }

    private func save() throws {
        let snapshot = lock.withLock { finished ? nil : record }
        if let snapshot { try store.save(snapshot) }
    }

    /// Adds a step's recorded values to the run, with the step's name in front.
    private func absorb(_ entry: StepEntry, step: String) {
        let figures = entry.figures(of: step, objects: objects)
        lock.withLock {
            record.figures += figures
            for metric in entry.metrics {
                record.metrics.append(
                    MetricRecord(name: "\(step).\(metric.name)", value: metric.value, json: metric.json))
            }
            for (name, points) in entry.series.sorted(by: { $0.key < $1.key }) {
                record.series.append(SeriesRecord(name: "\(step).\(name)", points: points))
            }
            for dataset in entry.datasets {
                var dataset = dataset
                dataset.step = step
                record.datasets.append(dataset)
            }
            for artifact in entry.artifacts {
                record.artifacts.append(
                    ArtifactRecord(step: step, name: artifact.name, sha256: artifact.object, size: artifact.size))
            }
        }
    }

    // MARK: Cache keys

    private func ingredients(for step: PlannedStep) throws -> CacheKeyIngredients {
        var upstream: [String: String] = [:]
        for reference in step.references {
            guard let key = keys[reference.step] else {
                throw EngineError("step '\(step.name)' reads '\(reference.step)', which has not run")
            }
            upstream[reference.step] = key
        }
        var paths = step.files
        for pattern in step.inputs {
            let matches = try FilePattern.expand(pattern, in: plan.directory.path)
            guard !matches.isEmpty else {
                throw EngineError(
                    FilePattern.isGlob(pattern)
                        ? "inputs: '\(pattern)' matches no file" : "inputs: file '\(pattern)' does not exist")
            }
            paths += matches
        }
        var files: [String: String] = [:]
        var statuses: [String: FileStatus] = [:]
        defer { fileStatuses[step.name] = statuses }
        for path in paths {
            let url = URL(fileURLWithPath: path, relativeTo: plan.directory).standardizedFileURL
            do {
                let hashed = try hasher.hashWithStatus(url.path)
                files[path] = hashed.sha256
                statuses[path] = hashed.status
            } catch {
                throw EngineError("data file '\(path)': \(error)")
            }
        }
        return CacheKeyIngredients(
            configuration: CanonicalJSON.text(step.effectiveConfiguration), upstream: upstream, files: files,
            parameters: step.kind?.runsUserCode == true ? plan.parameters.mapValues(CanonicalJSON.text) : nil)
    }

    /// The entry the reference `key` names, if it was made for that key: a reference copied over another
    /// (by hand, or by a tool that syncs caches) would otherwise serve another step's results.
    private func cachedEntry(_ key: String, step: String) -> StepEntry? {
        do {
            guard let object = try objects.reference(key), let bytes = try objects.get(object) else { return nil }
            let entry = try JSONDecoder().decode(StepEntry.self, from: Data(bytes))
            let made = entry.ingredients.key
            guard made == key else {
                observer?.warning(
                    "the cache entry that key \(key.prefix(12)) names was made for key \(made.prefix(12)), "
                        + "not for step '\(step)'; recomputing")
                return nil
            }
            return try entry.loadingSeries(from: objects)
        } catch let error as ObjectStoreError {
            observer?.warning("\(error); recomputing")
            return nil
        } catch {
            observer?.warning("cache entry \(key.prefix(12)) is unreadable (\(error)); recomputing")
            return nil
        }
    }

    private func explain(_ step: PlannedStep, _ ingredients: CacheKeyIngredients, previous: RunRecord?) -> String {
        if !useCache { return "--no-cache" }
        if !step.usesCache { return "the step has 'cache: false'" }
        guard let before = previous?.steps.first(where: { $0.name == step.name && !$0.cacheKey.isEmpty }) else {
            return "no earlier run of this step"
        }
        if before.cacheKey == ingredients.key { return "its cache entry was missing or damaged" }
        guard let object = try? objects.reference(before.cacheKey), let bytes = try? objects.get(object),
            let entry = try? JSONDecoder().decode(StepEntry.self, from: Data(bytes))
        else { return "its inputs changed since run \(previous?.id ?? "")" }
        let reasons = ingredients.differences(from: entry.ingredients, parameters: step.parameterNames)
        return reasons.isEmpty ? "its inputs changed" : reasons.joined(separator: "; ")
    }

    // MARK: Execution

    private func execute(_ step: PlannedStep, ingredients: CacheKeyIngredients) throws -> StepEntry {
        var progress: (@Sendable (TrainingEvent) -> Void)?
        if let observer { progress = { event in observer.training(event) } }
        var runner = StepRunner(directory: plan.directory, progress: progress)
        runner.fileHashes = ingredients.files
        runner.fileStatuses = fileStatuses[step.name] ?? [:]
        if step.kind?.runsUserCode == true {
            let observer = observer
            let name = step.name
            runner.external = ExternalStep.Context(
                runID: record.id, parameters: plan.parameters, notebookPath: plan.notebook.path,
                temporaryDirectory: project.temporaryDirectory.path,
                line: { line in observer?.commandOutput(line, step: name) })
        }
        let result = try runner.run(step) { reference in try self.output(of: reference.step, reference.output) }
        outputs[step.name] = result.outputs
        uncached[step.name] = nil
        do {
            let entry = try store(result, of: step, ingredients: ingredients)
            entries[step.name] = entry
            return entry
        } catch let error as ObjectStoreError {
            // The cache is a copy: a step whose results cannot be stored still succeeds, from memory.
            observer?.warning("\(error); step '\(step.name)' runs without the cache")
            uncached[step.name] = "\(error)"
            let entry = StepEntry(unstored: result, of: step.name, ingredients: ingredients)
            entries[step.name] = entry
            return entry
        }
    }

    /// Stores a step's outputs, artifacts and entry in the cache, the reference to the entry last.
    private func store(_ result: StepResult, of step: PlannedStep, ingredients: CacheKeyIngredients) throws
        -> StepEntry
    {
        var entry = StepEntry(
            ingredients: ingredients, outputs: [], metrics: result.metrics, series: result.series,
            datasets: result.datasets, artifacts: [],
            previews: try StepEntry.previews(result, of: step.name, statistics: trainingData, objects: objects),
            log: result.log)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        for (name, output) in result.outputs.sorted(by: { ($0.key ?? "") < ($1.key ?? "") }) {
            let object: String
            switch output {
            case .dataset(let dataset): object = try objects.put(writing: dataset.writeColumnar)
            case .model(let model): object = try objects.put(try model.encoded())
            }
            gate?.keep(output, as: object)
            entry.outputs.append(StepEntry.Output(name: name, kind: output.kind, object: object))
        }
        for artifact in result.artifacts {
            let object = try objects.put(artifact.bytes)
            entry.artifacts.append(
                StepEntry.Artifact(
                    name: artifact.name, object: object, size: artifact.bytes.count, place: artifact.place))
        }
        try entry.storeSeries(in: objects)
        let manifest = try objects.put(Array(try encoder.encode(entry)))
        try objects.setReference(ingredients.key, to: manifest)
        return entry
    }

    /// Puts a cached command step's `outputs:` back beside the notebook (`OutputRestorer`); false when the
    /// step must run again.
    private func restoreFiles(of entry: StepEntry, step: PlannedStep) throws -> Bool {
        guard step.kind?.runsUserCode == true else { return true }
        let observer = observer
        return try OutputRestorer(objects: objects, hasher: hasher, directory: plan.directory) { message in
            observer?.warning(message)
        }.restore(entry, step: step.name)
    }

    /// An earlier step's output: from memory, else from the store, else by running it again.
    private func output(of step: String, _ name: String?) throws -> StepOutput {
        if let output = outputs[step]?[name] { return output }
        if let entry = entries[step], let reference = entry.outputs.first(where: { $0.name == name }) {
            if let shared = gate?.output(reference.object) {
                outputs[step, default: [:]][name] = shared
                return shared
            }
            do {
                let decoded: StepOutput? =
                    reference.kind == "model"
                    ? try objects.get(reference.object).map { .model(try Model.decoded(from: $0)) }
                    : try objects.withObject(reference.object) { .dataset(try Dataset(columnar: $0)) }
                if let output = decoded {
                    outputs[step, default: [:]][name] = output
                    gate?.keep(output, as: reference.object)
                    return output
                }
            } catch let error as ObjectStoreError {
                observer?.warning("\(error); recomputing step '\(step)'")
            }
            guard let planned = plan.steps.first(where: { $0.name == step }) else {
                throw EngineError("no step '\(step)'")
            }
            _ = try execute(planned, ingredients: entry.ingredients)
            if let output = outputs[step]?[name] { return output }
        }
        throw EngineError("step '\(step)' has no output '\(name ?? step)'")
    }
}
