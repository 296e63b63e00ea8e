extension HTMLReport {
    /// The page's only style sheet, inlined: system fonts, verdict colours, and print rules that keep
    /// colours, drop scroll limits and avoid splitting a failure across pages.
    static let stylesheet = """
        :root{--pass:#1a7f37;--pass-bg:#dafbe1;--fail:#cf222e;--fail-bg:#ffebe9;--error:#8250df;--error-bg:#fbefff;
        --skipped:#9a6700;--skipped-bg:#fff8c5;--flaky:#bc4c00;--flaky-bg:#fff1e5;--muted:#57606a;--line:#d0d7de;--code-bg:#f6f8fa}
        *{box-sizing:border-box}
        body{margin:0;font:14px/1.5 -apple-system,BlinkMacSystemFont,"Segoe UI",Helvetica,Arial,sans-serif;color:#1f2328;background:#f6f8fa}
        main{max-width:1100px;margin:0 auto;padding:8px 24px 24px}
        h1{margin:0;font-size:22px;word-break:break-all}h2{font-size:17px;margin:24px 0 8px;border-bottom:1px solid var(--line);padding-bottom:4px}
        a{color:inherit}code,pre{font:12.5px/1.45 ui-monospace,SFMono-Regular,Menlo,Consolas,"DejaVu Sans Mono",monospace}
        pre{background:var(--code-bg);border:1px solid var(--line);border-radius:6px;padding:8px 10px;margin:6px 0;white-space:pre-wrap;
        overflow-wrap:anywhere;max-height:28em;overflow:auto}
        .banner{display:flex;flex-wrap:wrap;align-items:center;gap:12px 24px;padding:18px 24px;color:#fff}
        .banner.pass{background:var(--pass)}.banner.fail{background:var(--fail)}.banner.error,.banner.skipped{background:var(--error)}
        .banner .verdict{font-size:40px;font-weight:800;letter-spacing:2px;padding:2px 18px;border:3px solid #fff;border-radius:10px}
        .banner .headline{flex:1 1 320px}.banner .headline p{margin:2px 0 0;font-size:16px;font-weight:600}
        .facts{display:flex;flex-wrap:wrap;gap:4px 20px;margin:0;font-size:12.5px}.facts dt{opacity:.8}.facts dd{margin:0;font-weight:600}
        .failures .failure{background:#fff;border:1px solid var(--line);border-left:5px solid var(--fail);border-radius:6px;
        padding:8px 12px;margin:8px 0;break-inside:avoid}
        .failures .failure.error{border-left-color:var(--error)}.failure .title{font-size:14.5px}.failure pre{background:var(--fail-bg);border-color:#ffcecb}
        .failure.error pre{background:var(--error-bg);border-color:#e8d5ff}
        .tiles{display:flex;flex-wrap:wrap;gap:10px}.tile{background:#fff;border:1px solid var(--line);border-radius:8px;padding:8px 16px;min-width:104px}
        .tile .value{font-size:26px;font-weight:700}.tile .name{color:var(--muted);font-size:12px;text-transform:uppercase;letter-spacing:.5px}
        .tile.pass .value{color:var(--pass)}.tile.fail{border-color:var(--fail);background:var(--fail-bg)}.tile.fail .value{color:var(--fail)}
        .tile.error{border-color:var(--error);background:var(--error-bg)}.tile.error .value{color:var(--error)}
        .tile.skipped .value{color:var(--skipped)}.tile.flaky{background:var(--flaky-bg)}.tile.flaky .value{color:var(--flaky)}
        .fail-text{color:var(--fail);font-weight:600}.error-text{color:var(--error);font-weight:600}
        table{border-collapse:collapse;width:100%;background:#fff;border:1px solid var(--line);border-radius:6px;margin:6px 0}
        th,td{text-align:left;padding:5px 10px;border-bottom:1px solid var(--line);vertical-align:top}th{font-size:12px;color:var(--muted);font-weight:600}
        td.num,th.num{text-align:right;white-space:nowrap}tr.fail td{background:var(--fail-bg)}tr.error td{background:var(--error-bg)}
        .settings th{width:28%;color:#1f2328;font-family:ui-monospace,Menlo,Consolas,monospace}
        .badge{display:inline-block;min-width:52px;text-align:center;font-size:11px;font-weight:700;letter-spacing:.5px;border-radius:10px;
        padding:1px 8px;color:#fff}
        .badge.pass{background:var(--pass)}.badge.fail{background:var(--fail)}.badge.error{background:var(--error)}
        .badge.skipped{background:var(--skipped)}.badge.flaky{background:var(--flaky)}
        details{background:#fff;border:1px solid var(--line);border-radius:6px;margin:8px 0}details>summary{cursor:pointer;padding:6px 10px}
        details.scenario.fail{border-left:5px solid var(--fail)}details.scenario.error{border-left:5px solid var(--error)}
        details .body{padding:0 12px 8px}details details{margin:6px 0}details details>*:not(summary){margin-left:10px;margin-right:10px}
        .case{margin:8px 0}.case pre{background:var(--fail-bg);border-color:#ffcecb}.case.error pre{background:var(--error-bg)}
        .stream{font-size:12px;color:var(--muted);margin-top:4px}pre.stderr{border-left:3px solid var(--fail)}
        .muted{color:var(--muted)}.message{font-weight:600;margin:6px 0}.note{color:var(--fail);font-size:12.5px}
        .unsafe{background:var(--fail-bg);color:var(--fail);font-weight:700;padding:6px 10px;border-radius:6px}
        footer{max-width:1100px;margin:0 auto;padding:8px 24px 24px;color:var(--muted);font-size:12px;word-break:break-all}
        @media print{body{background:#fff;font-size:11px}main{max-width:none;padding:0 4mm}code,pre{font-size:9.5px}
        .banner,.badge,.tile,tr.fail td,tr.error td,.failure pre,.case pre{-webkit-print-color-adjust:exact;print-color-adjust:exact}
        pre{max-height:none;overflow:visible}details>summary{list-style:none}details>summary::-webkit-details-marker{display:none}
        .failure,.case,tr{break-inside:avoid}h2{break-after:avoid}a{text-decoration:none}}
        """
}
