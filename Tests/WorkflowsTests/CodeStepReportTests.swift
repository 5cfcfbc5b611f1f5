import Foundation
import Runs
import TestSupport
import Testing
import Workflows

/// What the report shows of a code step (DESIGN §10): its code with the notebook's line numbers, and every
/// matplotlib figure embedded as an image, from the cache too; images too large to embed are named.
@Suite struct CodeStepReportTests {
    static let notebook = """
        ---
        title: figures
        ---

        ```python step plot
        import matplotlib.pyplot as plt
        plt.plot([1, 2, 3], [2, 4, 1])
        plt.show()
        plt.figure()
        plt.bar(["a", "b"], [3, 5])
        print("<drawn>")
        ```
        """

    @Test func figuresAreEmbeddedAndComeBackFromTheCache() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.folder.write(Self.notebook, to: "nb.md")
        for expected in ["miss", "hit"] {
            let (status, console) = workspace.run("nb.md")
            #expect(status == .success, "\(console.error)")
            let record = try Workspace.record(console)
            let steps = record["steps"] as? [[String: Any]] ?? []
            #expect(steps.first?["cache"] as? String == expected)
            let html = try String(contentsOfFile: workspace.folder.path("nb.html"), encoding: .utf8)
            let images = html.components(separatedBy: "<img src=\"data:image/png;base64,").dropFirst()
            #expect(images.count == 2, "a figure shown with plt.show() and one left open")
            for image in images {
                let encoded = String(image.prefix { $0 != "\"" })
                let bytes = try #require(Data(base64Encoded: encoded))
                #expect(bytes.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "a PNG")
            }
            #expect(html.contains("<figcaption><code>figures/figure-1.png</code></figcaption>"))
            #expect(html.contains("<figcaption><code>figures/figure-2.png</code></figcaption>"))
        }
        // A report rendered later from the store alone, the cache cleared, shows them too.
        try FileManager.default.removeItem(atPath: workspace.folder.path(".athanor/cache"))
        let id = try #require(try workspace.runs().first?["id"] as? String)
        let (invocation, console) = workspace.invocation("render \(id) -o again.html")
        #expect(RenderWorkflow(id: id, output: "again.html", in: invocation).run() == .success, "\(console.error)")
        let again = try String(contentsOfFile: workspace.folder.path("again.html"), encoding: .utf8)
        #expect(again.components(separatedBy: "<img src=\"data:image/png;base64,").count == 3)
    }

    @Test func theCodeIsShownEscapedWithTheNotebooksLineNumbers() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.folder.write(Self.notebook, to: "nb.md")
        let (status, console) = workspace.run("nb.md")
        #expect(status == .success, "\(console.error)")
        let html = try String(contentsOfFile: workspace.folder.path("nb.html"), encoding: .utf8)
        #expect(
            html.contains(
                "<pre><code class=\"language-python\"><span class=\"line\"><span class=\"ln\" aria-hidden=\"true\">6</span>"
                    + "import matplotlib.pyplot as plt</span>\n"))
        #expect(
            html.contains("<span class=\"ln\" aria-hidden=\"true\">11</span>print(&quot;&lt;drawn&gt;&quot;)</span>"))
    }

    @Test func anImageTooLargeToEmbedIsNamedNotShown() throws {
        let workspace = try Workspace()
        defer { workspace.remove() }
        try workspace.folder.write(
            """
            ```sh step big
            head -c 2100000 /dev/zero > "$ATHANOR_OUTPUT/big.png"
            printf '<svg xmlns="http://www.w3.org/2000/svg"/>' > "$ATHANOR_OUTPUT/small.svg"
            ```
            """, to: "nb.md")
        let (status, console) = workspace.run("nb.md")
        #expect(status == .success, "\(console.error)")
        let html = try String(contentsOfFile: workspace.folder.path("nb.html"), encoding: .utf8)
        #expect(
            html.contains(
                "<p class=\"note\">The image <code>big.png</code> (2.1 MB) is not shown: a report embeds images up to "
                    + "2.0 MB. It is kept as an artifact.</p>"))
        #expect(html.contains("<img src=\"data:image/svg+xml;base64,"))
        #expect(!html.contains(String(repeating: "A", count: 1000)), "the large image's bytes are not in the page")
    }
}
