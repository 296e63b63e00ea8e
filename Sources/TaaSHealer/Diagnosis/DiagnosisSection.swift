import Foundation

/// The "Diagnosis" section that `taas diagnose` adds to `summary.md` and `report.html`.
public enum DiagnosisSection {
    /// The marker that begins the section, so that diagnosing again replaces it.
    static let markdownMarker = "<!-- taas:diagnosis -->"
    static let htmlMarker = "<!-- taas:diagnosis -->"

    /// The section as Markdown; texts from the report are in code spans.
    public static func markdown(_ diagnosis: Diagnosis) -> String {
        var md = "\(markdownMarker)\n### Diagnosis\n\n"
        if diagnosis.items.isEmpty { return md + "Nothing to diagnose: no failure and no flaky scenario.\n" }
        md += "| class | confidence | scenario | case | summary |\n| --- | ---: | --- | --- | --- |\n"
        for item in diagnosis.items {
            md +=
                "| \(item.failureClass.rawValue) | \(String(format: "%.2f", item.confidence)) | \(code(item.scenarioID)) | "
            md += "\(item.caseID.map(code) ?? "—") | \(code(item.summary)) |\n"
        }
        return md + "\n"
    }

    /// The section as an HTML fragment.
    public static func html(_ diagnosis: Diagnosis) -> String {
        var html = "\(htmlMarker)\n<section class=\"diagnosis\"><h2>Diagnosis</h2>\n"
        if diagnosis.items.isEmpty { return html + "<p>Nothing to diagnose.</p></section>\n" }
        html +=
            "<table><thead><tr><th>class</th><th>confidence</th><th>scenario</th><th>case</th><th>summary</th><th>evidence</th></tr></thead><tbody>\n"
        for item in diagnosis.items {
            let evidence = item.evidence.map { "<li>\(escape($0.kind)): \(escape($0.detail))</li>" }.joined()
            html +=
                "<tr><td>\(escape(item.failureClass.rawValue))</td><td>\(String(format: "%.2f", item.confidence))</td>"
            html +=
                "<td><code>\(escape(item.scenarioID))</code></td><td><code>\(escape(item.caseID ?? "—"))</code></td>"
            html += "<td>\(escape(item.summary))</td><td><ul>\(evidence)</ul></td></tr>\n"
        }
        return html + "</tbody></table></section>\n"
    }

    /// Adds (or replaces) the section in the `summary.md` and `report.html` of `folder`, when they exist.
    public static func add(_ diagnosis: Diagnosis, toReportsIn folder: URL) throws(HealerError) {
        let summary = folder.appendingPathComponent("summary.md")
        if var text = try? String(contentsOf: summary, encoding: .utf8) {
            if let range = text.range(of: markdownMarker) { text = String(text[..<range.lowerBound]) }
            if !text.hasSuffix("\n") { text += "\n" }
            try write(text + markdown(diagnosis), to: summary)
        }
        let page = folder.appendingPathComponent("report.html")
        if var text = try? String(contentsOf: page, encoding: .utf8) {
            if let start = text.range(of: htmlMarker),
                let end = text.range(of: "</section>\n", range: start.upperBound..<text.endIndex)
            {
                text.removeSubrange(start.lowerBound..<end.upperBound)
            }
            if let body = text.range(of: "</body>", options: .backwards) {
                text.insert(contentsOf: html(diagnosis), at: body.lowerBound)
            } else {
                text += html(diagnosis)
            }
            try write(text, to: page)
        }
    }

    private static func write(_ text: String, to url: URL) throws(HealerError) {
        do { try Data(text.utf8).write(to: url, options: .atomic) } catch {
            throw HealerError(.output, "cannot write \(url.path): \(error.localizedDescription)")
        }
    }

    private static func code(_ text: String) -> String {
        let flat = text.replacingOccurrences(of: "\n", with: " ").replacingOccurrences(of: "|", with: "\\|")
        let ticks = flat.contains("`") ? "``" : "`"
        return "\(ticks)\(flat)\(ticks)"
    }

    private static func escape(_ text: String) -> String {
        text.replacingOccurrences(of: "&", with: "&amp;").replacingOccurrences(of: "<", with: "&lt;")
            .replacingOccurrences(of: ">", with: "&gt;").replacingOccurrences(of: "\"", with: "&quot;")
    }
}
