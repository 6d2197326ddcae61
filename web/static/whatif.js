// The replay page's "what if" and "value of each decision" panel.
// The value of each decision comes from GET /api/exercises/{id}/decisions; a
// what-if is POST /api/exercises/{id}/whatif with one change to the log (drop,
// replace, move or add). The server plays both logs to the horizon and sends
// the figures side by side and each log's impact curve, which console.js draws
// (its drawImpactCurves): nothing is computed here, only shown.
// Every figure and name is inserted as text, never as HTML.
"use strict";

(() => {
  const view = window.tabletopConsole; // console.js in replay mode
  const { cfg, tr, el, eur, fmtT } = view;
  const $ = (id) => document.getElementById(id);
  const api = (what) => `/api/exercises/${encodeURIComponent(cfg.id)}/${what}`;
  const auth = { authorization: `Bearer ${cfg.token}` };
  const locale = cfg.lang === "de" ? "de-DE" : "en-GB";
  const names = new Map(cfg.assets.map((a) => [a.id, a.name]));
  const actions = new Map(cfg.actions.map((a) => [a.id, a.title || a.id]));
  const hours = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  const share = new Intl.NumberFormat(locale, { minimumFractionDigits: 2, maximumFractionDigits: 2 });
  const fill = (text, values) => text.replace(/\{(\w+)\}/g, (m, k) => (k in values ? values[k] : m));
  const H = 3600;

  async function failure(res) {
    let detail = null;
    try { detail = view.detailOf(await res.json()); } catch (e) { /* not JSON */ }
    return view.refusal(res.status, detail);
  }

  // --- the form ------------------------------------------------------------------

  const form = $("whatif-form");
  const kind = () => form.querySelector("input[name=change]:checked").value;
  function showFields() {
    const k = kind();
    for (const label of form.querySelectorAll("[data-for]")) {
      const wanted = label.dataset.for.split(" ").includes(k);
      label.toggleAttribute("data-hidden", !wanted);
      for (const input of label.querySelectorAll("input, select")) input.disabled = !wanted;
    }
  }
  for (const radio of form.querySelectorAll("input[name=change]")) radio.addEventListener("change", showFields);
  showFields();

  // "What if …" at a decision: fill the form with its entry and time, focus it.
  function pick(seq, t) {
    $("whatif-seq").value = String(seq);
    if (t !== undefined && t !== null) $("whatif-at").value = `${+(t / H).toFixed(2)}h`;
    if (kind() === "add") form.querySelector("input[value=drop]").checked = true;
    showFields();
    $("whatif").scrollIntoView({ block: "start" });
    form.querySelector("input[name=change]:checked").focus();
  }

  function body() {
    const k = kind();
    const out = { n: Number($("whatif-n").value) || 1 };
    const seq = Number($("whatif-seq").value);
    const at = $("whatif-at").value.trim();
    if (k === "drop") out.drop = seq;
    if (k === "replace") Object.assign(out, { replace: seq, action: $("whatif-action").value });
    if (k === "move") Object.assign(out, { move: seq, to: at });
    if (k === "add") Object.assign(out, { add: at, action: $("whatif-action").value });
    return out;
  }

  // A 422 names the field: the page says which input, in its language.
  function explain(status, detail) {
    if (status === 422 && Array.isArray(detail) && detail.length) {
      const d = detail[0];
      const field = (d.loc || []).slice(1).join(".");
      const label = { drop: "whatif.seq", replace: "whatif.seq", move: "whatif.seq",
        to: "whatif.at", add: "whatif.at", action: "whatif.action", n: "whatif.n" }[field];
      const msg = (cfg.lang === "de" && d.msg_de) || d.msg;
      return label ? `${tr(label)}: ${msg}` : msg;
    }
    // A 409 here is the log not playing again: the server's words say why.
    if (status === 409 && typeof detail === "string" && detail) return detail;
    return view.refusal(status, detail);
  }

  let running = false;
  form.addEventListener("submit", async (ev) => {
    ev.preventDefault();
    if (running) return;
    running = true;
    const button = $("whatif-run");
    button.disabled = true;
    $("whatif-status").textContent = tr("whatif.running");
    document.body.dataset.whatif = "running"; // for tests
    const asked = body();
    try {
      const res = await fetch(api("whatif"), { method: "POST",
        headers: { ...auth, "content-type": "application/json" }, body: JSON.stringify(asked) });
      if (!res.ok) {
        let detail = null;
        try { detail = view.detailOf(await res.json()); } catch (e) { /* not JSON */ }
        const text = explain(res.status, detail);
        $("whatif-status").textContent = `${tr("whatif.failed")}: ${text}`; // next to the form
        document.body.dataset.whatif = "failed";
        return;
      }
      showResult(asked, await res.json());
      $("whatif-status").textContent = "";
      document.body.dataset.whatif = "shown";
    } catch (e) {
      $("whatif-status").textContent = `${tr("whatif.failed")}: ${e}`;
      document.body.dataset.whatif = "failed";
    } finally {
      running = false;
      button.disabled = false;
    }
  });

  // --- the comparison --------------------------------------------------------------

  const h = (x) => (x === null || x === undefined ? "–" : hours.format(x));
  const flag = (x) => (x === null || x === undefined ? "–" : tr(x ? "whatif.yes" : "whatif.no"));
  const count = (x) => String(x);
  // "as played → changed", or one figure when they agree
  function pair(a, b, show) {
    const sa = show(a), sb = show(b);
    return sa === sb ? sa : `${sa} → ${sb}`;
  }
  function signed(x, format) {
    if (Math.abs(x) < 0.005) return "±0";
    return `${x > 0 ? "+" : "−"}${format(Math.abs(x))}`;
  }
  // For the process, less impact is better.
  const tone = (x) => (x < -0.005 ? "better" : x > 0.005 ? "worse" : null);
  const cell = (text, cls) => el("td", { class: cls ? `num ${cls}` : "num", text });

  // The server names the decision (its title and time: r.caption); the
  // templates are left for an answer without one.
  function caption(asked, r) {
    if (r.caption && r.caption[cfg.lang]) return r.caption[cfg.lang];
    const action = actions.get(asked.action) || asked.action;
    if (asked.drop !== undefined) return fill(tr("whatif.did_drop"), { seq: asked.drop });
    if (asked.replace !== undefined) return fill(tr("whatif.did_replace"), { seq: asked.replace, action });
    if (asked.move !== undefined) return fill(tr("whatif.did_move"), { seq: asked.move, at: asked.to });
    return fill(tr("whatif.did_add"), { action, at: asked.add });
  }

  function showResult(asked, r) {
    $("whatif-result").hidden = false;
    const named = caption(asked, r);
    $("whatif-caption").textContent = named;
    const rows = r.processes.map((p) => el("tr", { "data-process": p.id },
      el("th", { scope: "row", text: names.get(p.id) || p.id }),
      cell(pair(p.original.downtime_h, p.changed.downtime_h, h)),
      cell(pair(p.original.below_mbco_h, p.changed.below_mbco_h, h)),
      cell(pair(p.original.breach_h, p.changed.breach_h, h)),
      cell(pair(p.original.rto_breached, p.changed.rto_breached, flag), tone(p.diff.rto_breaches)),
      cell(pair(p.original.mtpd_breached, p.changed.mtpd_breached, flag), tone(p.diff.mtpd_breaches)),
      cell(pair(p.original.data_loss_h, p.changed.data_loss_h, h)),
      cell(eur.format(p.original.impact_eur)),
      cell(eur.format(p.changed.impact_eur)),
      cell(signed(p.diff.impact_eur, eur.format), tone(p.diff.impact_eur))));
    $("whatif-table").tBodies[0].replaceChildren(...rows);
    const a = r.totals.original, b = r.totals.changed, d = r.totals.diff;
    $("whatif-table").tFoot.replaceChildren(el("tr", { "data-process": "total" },
      el("th", { scope: "row", text: tr("whatif.total") }),
      cell(pair(a.downtime_h, b.downtime_h, h)), cell(pair(a.below_mbco_h, b.below_mbco_h, h)),
      cell(pair(a.breach_h, b.breach_h, h)),
      cell(pair(a.rto_breaches, b.rto_breaches, count), tone(d.rto_breaches)),
      cell(pair(a.mtpd_breaches, b.mtpd_breaches, count), tone(d.mtpd_breaches)),
      cell(pair(a.data_loss_h, b.data_loss_h, h)),
      cell(eur.format(a.impact_eur)), cell(eur.format(b.impact_eur)),
      cell(signed(d.impact_eur, eur.format), tone(d.impact_eur))));
    showScript(r.triggers);
    showMonteCarlo(r.montecarlo);
    const original = r.timeline.original.impact, changed = r.timeline.changed.impact;
    const last = (pts) => (pts.length ? pts[pts.length - 1][1] : 0);
    const plot = $("whatif-impact");
    plot.setAttribute("aria-label", fill(tr("whatif.curves_alt"),
      { a: eur.format(last(original)), b: eur.format(last(changed)) }));
    if (typeof Plotly !== "undefined") {
      view.drawImpactCurves("whatif-impact", [
        { points: original, name: tr("whatif.as_played") },
        { points: changed, name: named, color: "#1d4ed8", dash: "dash" },
      ], r.end);
    }
  }

  // Another decision may set off, or spare, an adaptive inject: the triggers
  // that fired in one course and not the other.
  function showScript(fired) {
    const key = (f) => `${f.trigger}@${f.at_h}`;
    const only = (a, b) => {
      const other = new Set(b.map(key));
      return a.filter((f) => !other.has(key(f)))
        .map((f) => `${f.trigger} (${fmtT(Math.round(f.at_h * 3600))})`).join(", ") || "–";
    };
    const a = only(fired.original, fired.changed), b = only(fired.changed, fired.original);
    $("whatif-script").hidden = a === "–" && b === "–";
    $("whatif-script").textContent = fill(tr("whatif.script"), { a, b });
  }

  function probability(stats, key) {
    const ci = stats[`${key}_ci`];
    return `${share.format(stats[key])} (${share.format(ci[0])}–${share.format(ci[1])})`;
  }

  function showMonteCarlo(mc) {
    const table = $("whatif-mc");
    table.hidden = !mc;
    // Facilitator's commands other draws made moot (a trigger released the
    // inject first): passed over there, and said so in the page's language.
    const skipped = $("whatif-mc-skipped");
    const moot = (mc && mc.skipped) || [];
    skipped.hidden = !moot.length;
    skipped.replaceChildren(...moot.map((k) => el("li", { text: k.text[cfg.lang] || k.text.en })));
    if (!mc) return;
    $("whatif-mc-caption").textContent = fill(tr("whatif.mc"), { n: mc.n });
    table.tBodies[0].replaceChildren(...mc.processes.map((p) => el("tr", { "data-process": p.id },
      el("th", { scope: "row", text: names.get(p.id) || p.id }),
      cell(probability(p.original, "p_rto_breach")), cell(probability(p.changed, "p_rto_breach")),
      cell(probability(p.original, "p_mtpd_breach")), cell(probability(p.changed, "p_mtpd_breach")),
      cell(eur.format(p.original.impact_eur_mean)), cell(eur.format(p.changed.impact_eur_mean)),
      cell(signed(p.diff.impact_eur.mean, eur.format), tone(p.diff.impact_eur.mean)),
      cell(signed(p.diff.impact_eur.p95, eur.format)))));
  }

  // --- "What if …" in the feed: every decision, accepted proposal and accept ---------

  const DECIDING = new Set(["decision", "proposal", "accept"]);
  function offer(li) {
    if (!DECIDING.has(li.dataset.kind) || li.querySelector(".whatif-at")) return;
    // A proposal never accepted changed nothing: leaving it out would too.
    if (li.dataset.kind === "proposal"
        && !feed.querySelector(`li.fi[data-kind="accept"][data-answers="${li.dataset.seq}"]`)) return;
    const seq = Number(li.dataset.seq);
    li.append(el("button", { type: "button", class: "small whatif-at", "data-seq": seq,
      "aria-label": fill(tr("whatif.button_label"), { seq }), text: tr("whatif.button"),
      onclick: () => pick(seq, feedTime(li)) }));
  }
  // The feed shows T+d hh:mm; the exact second comes with the decision values
  // when known, else the shown time is close enough to start from.
  const times = new Map();
  function feedTime(li) {
    const seq = Number(li.dataset.seq);
    if (times.has(seq)) return times.get(seq);
    const shown = (li.querySelector(".ft") || {}).textContent || "";
    const m = /T\+(?:(\d+) d )?(\d+):(\d+)/.exec(shown);
    return m ? (Number(m[1] || 0) * 24 + Number(m[2])) * H + Number(m[3]) * 60 : null;
  }
  const feed = $("feed");
  new MutationObserver(() => feed.querySelectorAll("li.fi[data-kind]").forEach(offer))
    .observe(feed, { childList: true });

  // --- the value of each decision ------------------------------------------------------

  async function loadValues() {
    const status = $("values-status");
    try {
      const res = await fetch(api("decisions"), { headers: auth });
      if (!res.ok) {
        status.textContent = `${tr("values.failed")}: ${await failure(res)}`;
        return;
      }
      const values = await res.json();
      const rows = values.decisions.map((d) => {
        times.set(d.seq, d.sim_time);
        return el("tr", { "data-seq": d.seq },
          el("td", { class: "num", text: String(d.seq) }),
          el("td", { text: fmtT(d.sim_time) }),
          el("th", { scope: "row" }, el("div", { text: actions.get(d.action) || d.action }),
            el("button", { type: "button", class: "small whatif-at", "data-seq": d.seq,
              "aria-label": fill(tr("whatif.button_label"), { seq: d.seq }),
              text: tr("whatif.button"), onclick: () => pick(d.seq, d.sim_time) })),
          cell(signed(d.avoided_eur, eur.format), tone(-d.avoided_eur)),
          cell(signed(d.avoided_breach_h, (x) => hours.format(x)), tone(-d.avoided_breach_h)),
          cell(`${signed(d.avoided_rto_breaches, String)} / ${signed(d.avoided_mtpd_breaches, String)}`),
          cell(d.earlier_gain_eur === null ? "–" : signed(d.earlier_gain_eur, eur.format)),
          el("td", { class: "sentence", text: d.sentence[cfg.lang] || d.sentence.en }));
      });
      $("values-table").tBodies[0].replaceChildren(...rows);
      $("values-table").hidden = rows.length === 0;
      status.textContent = rows.length ? "" : tr("values.none");
      status.hidden = rows.length > 0;
      document.body.dataset.values = String(rows.length); // for tests
    } catch (e) {
      status.textContent = `${tr("values.failed")}: ${e}`;
    }
  }
  loadValues();
})();
