import Foundation
import Report
import Runs

// Times rendering a run's report in process, and reports its size.
//
//   swift run -c release ReportBenchmark [NOTEBOOK (default notebooks/digits.md)] [REPEAT (default 50)]
//
// It renders the latest recorded run of NOTEBOOK (run `athanor run NOTEBOOK` first), then the same run
// with each curve 100,000 points long, to show that downsampling keeps size and time bounded.
// benchmarks/report.sh compares whole-process `athanor render` with pandoc on the same notebook.

let arguments = CommandLine.arguments
let notebook = arguments.count > 1 ? arguments[1] : "notebooks/digits.md"
let repeats = arguments.count > 2 ? Int(arguments[2]) ?? 50 : 50

func milliseconds(_ body: () throws -> Void) rethrows -> Double {
    let start = DispatchTime.now().uptimeNanoseconds
    try body()
    return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e6
}

func measure(_ label: String, _ run: RunRecord, _ renderer: ReportRenderer) throws {
    var times: [Double] = []
    var bytes = 0
    for _ in 0..<repeats {
        times.append(try milliseconds { bytes = try renderer.render(run, reportName: "report.html").html.utf8.count })
    }
    let first = times[0]
    times.sort()
    print(
        String(
            format: "%@: first %.2f ms, then median %.2f ms, min %.2f ms over %d renders; %d bytes (%.0f KB)", label,
            first, times[times.count / 2], times[0], repeats, bytes, Double(bytes) / 1024))
}

do {
    let project = Project.containing(notebook: notebook)
    let store = try RunStore(path: project.storePath)
    let relative = project.relative(URL(fileURLWithPath: notebook))
    guard let run = try store.latestRun(notebook: relative, excluding: "") else {
        FileHandle.standardError.write(
            Data("ReportBenchmark: no run of \(relative); run athanor run \(notebook)\n".utf8))
        exit(1)
    }
    let renderer = ReportRenderer(templates: try ReportTemplates.builtIn())
    try measure("run \(run.id) of \(relative)", run, renderer)
    var long = run
    long.series = run.series.map { series in
        SeriesRecord(
            name: series.name,
            points: (0..<100_000).map { RecordedPoint($0, 1 / Double($0 + 1) + 0.1 * sin(Double($0))) }
        )
    }
    try measure("same run, each of its \(run.series.count) series 100,000 points long", long, renderer)
} catch {
    FileHandle.standardError.write(Data("ReportBenchmark: \(error)\n".utf8))
    exit(1)
}
