import Engine
import Foundation
import Runs

// Times saving and loading a run with many series points in the SQLite run store.
//
//   swift run -c release RunStoreBenchmark [POINTS (default 100000)] [REPEAT (default 5)]
//
// For comparison, MLflow's batch logging records about 16,000 points/s on these machines.
//
// Or times hashing a file as the cache hashes the data steps read (compare `sha256sum FILE`):
//
//   swift run -c release RunStoreBenchmark hash FILE [REPEAT (default 3)]

let arguments = CommandLine.arguments
if arguments.count > 2, arguments[1] == "hash" {
    let path = arguments[2]
    let repeats = arguments.count > 3 ? Int(arguments[3]) ?? 3 : 3
    do {
        var best = Double.infinity
        var result: (sha256: String, bytes: Int) = ("", 0)
        for _ in 0..<repeats {
            let start = DispatchTime.now().uptimeNanoseconds
            result = try ContentHash.sha256(fileAt: path)
            best = min(best, Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        }
        print("\(result.sha256)  \(path)")
        print(
            String(
                format: "%d bytes: best of %d %.3f s, %.2f GB/s", result.bytes, repeats, best,
                Double(result.bytes) / best / 1e9))
        exit(0)
    } catch {
        FileHandle.standardError.write(Data("RunStoreBenchmark: \(error)\n".utf8))
        exit(1)
    }
}
let points = arguments.count > 1 ? Int(arguments[1]) ?? 100_000 : 100_000
let repeats = arguments.count > 2 ? Int(arguments[2]) ?? 5 : 5
let directory = FileManager.default.temporaryDirectory.appendingPathComponent("athanor-store-\(UUID().uuidString)")
defer { try? FileManager.default.removeItem(at: directory) }

func seconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
}

do {
    let store = try RunStore(path: directory.appendingPathComponent("runs.sqlite").path)
    let perSeries = points / 4
    let series = (0..<4).map { index in
        SeriesRecord(
            name: "train.series\(index)", points: (0..<perSeries).map { RecordedPoint($0, Double($0) * 0.001) })
    }
    var saves: [Double] = []
    var loads: [Double] = []
    for attempt in 0..<repeats {
        let run = RunRecord(
            id: String(format: "bench%03d", attempt), notebook: "bench.md", notebookSHA256: "", notebookSource: "",
            title: nil, started: Date(), command: ["bench"], parameters: [], series: series,
            environment: EnvironmentRecord(
                toolVersion: "", engineVersion: "", os: "", cpuModel: "", cores: 1, gitCommit: nil, gitDirty: nil))
        saves.append(try seconds { try store.save(run) })
        loads.append(try seconds { _ = try store.run(run.id) })
    }
    let save = saves.sorted()[saves.count / 2]
    let load = loads.sorted()[loads.count / 2]
    print(
        String(
            format: "%d series points: save median %.3f s (%.0f points/s), load median %.3f s, over %d runs",
            perSeries * 4, save, Double(perSeries * 4) / save, load, repeats))
} catch {
    FileHandle.standardError.write(Data("RunStoreBenchmark: \(error)\n".utf8))
    exit(1)
}
