extension StepEntry {
    /// The images among the entry's artifacts that the step wrote to its output folder, with their bytes
    /// from `objects` when they are small enough to keep (`FigureRecord.largestKept`).
    func figures(of step: String, objects: ObjectStore) -> [FigureRecord] {
        var figures: [FigureRecord] = []
        for artifact in artifacts where artifact.place == .output {
            guard let mediaType = FigureRecord.mediaType(ofArtifact: artifact.name) else { continue }
            let keeps = artifact.size <= FigureRecord.largestKept && figures.count < FigureRecord.mostPerStep
            let bytes = keeps ? (try? objects.get(artifact.object)) ?? nil : nil
            figures.append(
                FigureRecord(step: step, name: artifact.name, mediaType: mediaType, size: artifact.size, bytes: bytes))
        }
        return figures
    }
}
