import Foundation
import Report
import Runs
import TestSupport
import Testing

/// The whole rendered page of a fixed run, against Snapshots/ (`ATHANOR_RECORD=1` re-records): any change to
/// what a reader sees shows as a diff to review.
@Suite struct ReportSnapshotTests {
    static let folder = Snapshot.directory(besides: #filePath)

    func body(_ run: RunRecord) throws -> String {
        let html = try ReportRenderer(templates: try ReportTemplates.builtIn()).render(run, reportName: "nb.html").html
        let start = try #require(html.range(of: "<body"))
        let end = try #require(html.range(of: "</body>"))
        return String(html[start.lowerBound..<end.upperBound]) + "\n"
    }

    @Test func aSucceededRunRendersAsRecorded() throws {
        let mismatch = Snapshot.mismatch(try body(ReportFixture.run()), named: "report-succeeded.html", in: Self.folder)
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }

    @Test func aFailedRunRendersAsRecorded() throws {
        let mismatch = Snapshot.mismatch(
            try body(ReportFixture.run(status: .failed)), named: "report-failed.html", in: Self.folder)
        #expect(mismatch == nil, "\(mismatch ?? "")")
    }
}
