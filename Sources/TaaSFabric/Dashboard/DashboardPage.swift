/// The dashboard at `GET /`: one self-contained page (no CDN, works offline) that reads the API —
/// the workers and their state, the runs newest first with their verdict colours, live through Server-Sent Events; a scope's page
/// with its pass-rate trend as inline SVG and its flakiest cases; a run's page linking its report.
/// With tokens, it asks for a read token once and keeps it in a cookie.
enum DashboardPage {
    static let html = #"""
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>taas · Quality Fabric</title>
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <style>
        body{font:14px/1.4 system-ui,sans-serif;margin:0;color:#1d2330;background:#f6f7f9}
        header{background:#1d2330;color:#fff;padding:10px 20px;font-weight:600}
        header a{color:#fff;text-decoration:none}
        main{padding:16px 20px}
        table{border-collapse:collapse;width:100%;background:#fff}
        th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #e3e6eb}
        th{font-size:12px;color:#5a6275;text-transform:uppercase}
        .verdict{display:inline-block;min-width:48px;text-align:center;border-radius:3px;color:#fff;font-weight:600;padding:1px 6px}
        .pass{background:#1f883d}.fail{background:#cf222e}.error{background:#9a6700}.pending{background:#6e7781}
        .label{background:#eef1f5;border-radius:3px;padding:0 5px;margin-right:4px;font-size:12px}
        form{background:#fff;padding:16px;max-width:420px}
        svg{background:#fff;border:1px solid #e3e6eb}
        </style></head>
        <body><header><a href="#/">taas · Quality Fabric</a></header><main id="main">loading…</main>
        <script>
        const main = document.getElementById("main");
        const esc = s => String(s ?? "").replace(/[&<>"']/g, c => ({"&":"&amp;","<":"&lt;",">":"&gt;","\"":"&quot;","'":"&#39;"}[c]));
        const badge = r => `<span class="verdict ${esc(r.verdict || "pending")}" data-verdict="${esc(r.verdict || r.status)}">${esc(r.verdict || r.status)}</span>`;
        const duration = ms => ms == null ? "" : ms < 1000 ? ms + " ms" : (ms / 1000).toFixed(1) + " s";
        const streams = {};
        async function api(path) {
          const answer = await fetch(path, {credentials: "same-origin"});
          if (answer.status === 401) { login(); throw new Error("token needed"); }
          return answer.json();
        }
        function login() {
          main.innerHTML = `<form id="login"><p>This Fabric needs a read token (taas token create --role read).</p>
            <input id="token" type="password" size="40" placeholder="taas_…"> <button>Open</button></form>`;
          document.getElementById("login").onsubmit = e => {
            e.preventDefault();
            document.cookie = "taas_token=" + encodeURIComponent(document.getElementById("token").value) + "; path=/; SameSite=Strict";
            route();
          };
        }
        function follow(run) {
          if (streams[run.run_id] || run.status === "finished" || run.status === "cancelled") return;
          const source = new EventSource(`/v1/runs/${encodeURIComponent(run.run_id)}/events`);
          streams[run.run_id] = source;
          source.onmessage = m => { if (JSON.parse(m.data).event === "run_finished") { source.close(); route(); } };
          source.onerror = () => source.close();
        }
        async function runsPage() {
          const [page, workers] = await Promise.all([api("/v1/runs?limit=100"), api("/v1/workers")]);
          main.innerHTML = `<h2>Workers</h2><table id="workers"><tr><th>State</th><th>Worker</th><th>Labels</th><th>Slots</th><th>Runs</th><th>Last heartbeat</th></tr>` +
            workers.workers.map(w => `<tr class="worker" data-worker="${esc(w.worker_id)}"><td><span class="verdict ${w.state === "offline" ? "error" : w.state === "busy" ? "pending" : "pass"}" data-state="${esc(w.state)}">${esc(w.state)}</span></td>
              <td>${esc(w.name)} <code>${esc(w.worker_id)}</code></td>
              <td>${Object.entries(w.labels || {}).map(([k, v]) => `<span class="label">${esc(k)}=${esc(v)}</span>`).join("")}</td>
              <td>${w.slots}</td><td>${w.runs.map(id => `<a href="#/run/${encodeURIComponent(id)}">${esc(id)}</a>`).join(" ")}</td>
              <td>${esc(w.last_heartbeat)}</td></tr>`).join("") + `</table>` +
            `<h2>Runs</h2><table id="runs"><tr><th>Verdict</th><th>Scope</th><th>Run</th><th>Labels</th><th>Duration</th><th>Created</th></tr>` +
            page.runs.map(r => `<tr class="run" data-run="${esc(r.run_id)}"><td>${badge(r)}</td>
              <td><a href="#/scope/${encodeURIComponent(r.scope_id)}">${esc(r.scope_id)}</a></td>
              <td><a href="#/run/${encodeURIComponent(r.run_id)}">${esc(r.run_id)}</a></td>
              <td>${Object.entries(r.labels || {}).map(([k, v]) => `<span class="label">${esc(k)}=${esc(v)}</span>`).join("")}</td>
              <td>${duration(r.duration_ms)}</td><td>${esc(r.created_at)}</td></tr>`).join("") + `</table>`;
          page.runs.forEach(follow);
        }
        function trend(runs) {
          const points = runs.slice().reverse().map((r, i, all) => {
            const passes = all.slice(0, i + 1).filter(x => x.verdict === "pass").length;
            return [i, passes / (i + 1)];
          });
          const w = 480, h = 120, step = points.length > 1 ? w / (points.length - 1) : w;
          const path = points.map(([i, rate], n) => `${n ? "L" : "M"}${(i * step).toFixed(1)},${(h - rate * h).toFixed(1)}`).join(" ");
          return `<svg id="trend" width="${w}" height="${h}" viewBox="-4 -4 ${w + 8} ${h + 8}" role="img" aria-label="pass rate over time">
            <path d="${path}" fill="none" stroke="#1f883d" stroke-width="2"/></svg>`;
        }
        async function scopePage(id) {
          const [runs, cases] = await Promise.all([
            api(`/v1/runs?limit=100&scope_id=${encodeURIComponent(id)}`), api(`/v1/scopes/${encodeURIComponent(id)}/cases`)]);
          main.innerHTML = `<h2>Scope ${esc(id)}</h2><h3>Pass rate over time</h3>${trend(runs.runs.filter(r => r.verdict))}
            <h3>Flakiest cases</h3><table id="cases"><tr><th>Case</th><th>Runs</th><th>Passes</th><th>Failures</th><th>Flaky</th><th>Last failure</th></tr>` +
            cases.cases.map(c => `<tr><td>${esc(c.name)}</td><td>${c.runs}</td><td>${c.passes}</td><td>${c.failures}</td><td>${c.flaky}</td><td>${esc(c.last_failure)}</td></tr>`).join("") + `</table>`;
        }
        async function runPage(id) {
          const r = await api(`/v1/runs/${encodeURIComponent(id)}`);
          main.innerHTML = `<h2>Run ${esc(r.run_id)} ${badge(r)}</h2><p>Scope <a href="#/scope/${encodeURIComponent(r.scope_id)}">${esc(r.scope_id)}</a>,
            ${esc(r.status)}, ${duration(r.duration_ms)} ${r.message ? "— " + esc(r.message) : ""}</p>
            ${r.report ? `<p><a href="/v1/runs/${encodeURIComponent(r.run_id)}/report.html">report.html</a> ·
            <a href="/v1/runs/${encodeURIComponent(r.run_id)}/report">report.json</a> ·
            <a href="/v1/runs/${encodeURIComponent(r.run_id)}/junit.xml">junit.xml</a></p>` : ""}
            ${r.trace_id ? `<p>Trace <code id="trace-id">${esc(r.trace_id)}</code> ·
            <a href="/v1/runs/${encodeURIComponent(r.run_id)}/trace.json">trace.json</a></p>` : ""}`;
          follow(r);
        }
        function route() {
          const [, kind, id] = (location.hash || "#/").split("/").map(decodeURIComponent);
          (kind === "scope" ? scopePage(id) : kind === "run" ? runPage(id) : runsPage()).catch(e => console.log(e));
        }
        window.onhashchange = route;
        route();
        </script></body></html>
        """#
}
