import Foundation
import Notebook
import Runs
import Testing

@testable import Report

/// The pieces the report is made of: downsampling, charts, escaping, the manifest and the templates.
@Suite struct ReportPartsTests {
    @Test func downsamplingKeepsEachColumnsExtremesAndBothEnds() {
        var generator = SplitMix(state: 3)
        let points = (0..<10_000).map { RecordedPoint($0, Double.random(in: -1...1, using: &generator)) }
        let kept = Downsample.minMax(points, columns: 100)
        #expect(kept.count <= 2 * 100 + 2)
        #expect(kept.first == points.first && kept.last == points.last)
        #expect(kept.map(\.index) == kept.map(\.index).sorted())
        // The global extremes survive, whatever column they fall in.
        let values = points.map(\.value)
        #expect(kept.contains { $0.value == values.min() })
        #expect(kept.contains { $0.value == values.max() })
        // Every column's own extremes survive: column 37 covers indices 3,700 to 3,799.
        let column = points.filter { (3700..<3800).contains($0.index) }.map(\.value)
        #expect(kept.contains { $0.value == column.min() } && kept.contains { $0.value == column.max() })
    }

    @Test func aShortSeriesIsDrawnAsItIs() {
        let points = (0..<50).map { RecordedPoint($0, Double($0)) }
        #expect(Downsample.minMax(points, columns: 100) == points)
    }

    @Test func ticksFallOnRoundNumbersAndCoverTheRange() {
        let ticks = Ticks.nice(0.013, 0.97, count: 5, integral: false)
        #expect(ticks.step == 0.2)
        #expect(ticks.values.first ?? 1 <= 0.013 && ticks.values.last ?? 0 >= 0.97)
        #expect(ticks.values.map { Ticks.label($0, step: ticks.step) } == ["0.0", "0.2", "0.4", "0.6", "0.8", "1.0"])
        let epochs = Ticks.nice(1, 40, count: 6, integral: true)
        #expect(epochs.values.allSatisfy { $0 == $0.rounded() })
        #expect(epochs.step == 10)
    }

    @Test func aLineChartHasLabelledAxesTicksAndALegend() {
        let chart = LineChart(
            title: "mlp: loss", xLabel: "epoch", yLabel: "loss",
            lines: [
                .init(name: "mlp.loss", points: (1...20).map { RecordedPoint($0, 1 / Double($0)) }, dashed: false),
                .init(name: "mlp.val_<loss>", points: (1...20).map { RecordedPoint($0, 2 / Double($0)) }, dashed: true),
            ])
        let svg = chart.svg()
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\""))
        #expect(svg.contains(">epoch</text>") && svg.contains(">loss</text>"))
        #expect(svg.contains(">20</text>"))
        #expect(svg.contains("class=\"line s1 dashed\""))
        #expect(svg.contains("mlp.val_&lt;loss&gt;") && !svg.contains("<loss>"))
        #expect(svg.components(separatedBy: "<path").count == 3)
    }

    @Test func aChartOfNothingFiniteSaysSo() {
        let chart = LineChart(
            title: "t", xLabel: "x", yLabel: "y",
            lines: [.init(name: "n", points: [RecordedPoint(1, .nan)], dashed: false)])
        #expect(chart.svg().contains("no finite values"))
    }

    @Test func escapingCoversTextAttributesAndScriptData() {
        #expect(HTML.escape("<a href=\"x\">'&'</a>") == "&lt;a href=&quot;x&quot;&gt;&#39;&amp;&#39;&lt;/a&gt;")
        #expect(HTML.scriptJSON(#"{"a":"</script><!--&"}"#) == #"{"a":"\u003c/script\u003e\u003c!--\u0026"}"#)
    }

    @Test func theManifestRoundTripsTheRun() throws {
        let run = ReportFixture.run()
        let html = try ReportRenderer(templates: try ReportTemplates.builtIn()).render(run, reportName: "r.html").html
        let manifest = try ReportManifest.extract(fromReport: html, path: "r.html")
        var expected = run
        expected.series = []
        for index in expected.steps.indices { expected.steps[index].previews = [] }
        #expect(manifest.run == expected)
        #expect(manifest.run.notebookSource == ReportFixture.notebook)
        #expect(manifest.series.map(\.name) == ["model.loss", "model.val_loss"])
        #expect(manifest.series.first?.count == 40)
        #expect(manifest.series.first?.sha256 == SeriesDigest(run.series[0]).sha256)
        // A reproduction with the same curve agrees; one with a changed point does not.
        #expect(Reproduction.differences(manifest.run, run, tolerance: nil, seriesDigests: manifest.series).isEmpty)
        var changed = run
        changed.series[0].points[5].value += 1e-12
        #expect(
            Reproduction.differences(manifest.run, changed, tolerance: nil, seriesDigests: manifest.series)
                == ["series model.loss differs"])
    }

    @Test func theManifestWritesTimesInISO8601AndStillReadsEarlierReports() throws {
        let run = ReportFixture.run()
        let html = try ReportRenderer(templates: try ReportTemplates.builtIn()).render(run, reportName: "r.html").html
        let started = ReportManifest.timeFormatter().string(from: run.started)
        #expect(started.hasSuffix("Z") && started.contains("T"))
        #expect(html.contains("\"started\":\"\(started)\""))
        // A report written before: seconds since 2001 as JSONEncoder's default wrote them.
        let earlier = html.replacingOccurrences(
            of: "\"started\":\"\(started)\"", with: "\"started\":\(run.started.timeIntervalSinceReferenceDate)")
        #expect(earlier != html)
        #expect(try ReportManifest.extract(fromReport: earlier, path: "old.html").run.started == run.started)
        let garbled = html.replacingOccurrences(of: "\"started\":\"\(started)\"", with: "\"started\":\"yesterday\"")
        #expect(throws: ReportError.self) { try ReportManifest.extract(fromReport: garbled, path: "bad.html") }
    }

    @Test func aPageWithoutAManifestIsNotAReport() {
        #expect(throws: ReportError.self) {
            try ReportManifest.extract(fromReport: "<html><body>hello</body></html>", path: "x.html")
        }
        #expect(throws: ReportError.self) {
            try ReportManifest.extract(
                fromReport: "<script type=\"application/json\" id=\"athanor-manifest\">{\"format\": 1}</script>",
                path: "x.html")
        }
    }

    @Test func theBuiltInTemplatesAreThoseOfTheTemplatesDirectory() throws {
        // scripts/embed-templates.sh writes DefaultTemplates.swift from templates/; run it after a change.
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        let directory = root.appendingPathComponent("templates")
        let names = try FileManager.default.contentsOfDirectory(atPath: directory.path).sorted()
        #expect(names == DefaultTemplates.files.keys.sorted())
        for name in names {
            let text = try String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8)
            #expect(DefaultTemplates.files[name] == text, "\(name) differs: run scripts/embed-templates.sh")
        }
    }

    @Test func aTemplateDirectoryOverridesFileByFile() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("athanor-tpl-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "body { color: red; }".write(
            to: directory.appendingPathComponent("report.css"), atomically: true, encoding: .utf8)
        try "<article class=\"mine\"><h3>{{name}}</h3></article>".write(
            to: directory.appendingPathComponent("step.mustache"), atomically: true, encoding: .utf8)
        let templates = try ReportTemplates.overridden(by: directory.path)
        let html = try ReportRenderer(templates: templates).render(ReportFixture.run(), reportName: "r.html").html
        #expect(html.contains("<style>body { color: red; }</style>"))
        #expect(html.contains("<article class=\"mine\"><h3>model</h3></article>"))
        // The page itself is still the built-in one.
        #expect(html.contains("id=\"athanor-manifest\""))
    }

    @Test func aBrokenTemplateIsReportedWithItsFileAndLine() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("athanor-tpl-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try "<p>\n{{#steps}}\n{{/stepz}}\n".write(
            to: directory.appendingPathComponent("step.mustache"), atomically: true, encoding: .utf8)
        do {
            _ = try ReportTemplates.overridden(by: directory.path)
            Issue.record("a broken template was accepted")
        } catch let error as ReportError {
            #expect(error.description.hasPrefix("\(directory.path)/step.mustache:3:"))
        }
    }

    @Test func configurationReadsAsYAML() {
        let node = ConfigNodeFixture.mapping([
            ("op", .string("train")), ("hidden", .items([.int(64), .int(32)])), ("lr", .double(0.003)),
            ("name", .string("true")), ("cmd", .string("python train.py\n--fast")),
        ])
        #expect(
            ConfigText.yaml(node)
                == "op: train\nhidden: [64, 32]\nlr: 0.003\nname: \"true\"\ncmd: |\n  python train.py\n  --fast")
    }
}

/// A seeded generator for test data (SplitMix64), so that the report's tests need nothing of the engine.
struct SplitMix: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
