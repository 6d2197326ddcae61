// The exercise console: draws the live state from the exercise's event stream
// and sends the facilitator's and participants' commands to the JSON API.
// Everything a user typed is inserted with textContent, never as HTML.
"use strict";

(() => {
  const cfg = JSON.parse(document.getElementById("config").textContent);
  // The secret token leaves the address bar and the history entry: it stays in
  // memory (the API gets it in the Authorization header, never in a cookie) and
  // in this tab's sessionStorage, from which resume.js reopens the page on reload.
  try { sessionStorage.setItem(`tabletop-token:${cfg.id}`, cfg.token); } catch (e) { /* private mode */ }
  {
    const here = new URL(window.location.href);
    if (here.searchParams.has("token")) {
      here.searchParams.delete("token");
      history.replaceState(history.state, "", here.pathname + here.search + here.hash);
    }
  }
  const T = cfg.t;
  const tr = (key, fallback) => (key in T ? T[key] : fallback !== undefined ? fallback : key);
  const role = cfg.role;
  const locale = cfg.lang === "de" ? "de-DE" : "en-GB";
  const assetsById = new Map(cfg.assets.map((a) => [a.id, a]));
  const nameOf = (id) => (assetsById.has(id) ? assetsById.get(id).name : id);
  // A team by the company's name for it (a free-text team of an older log: as given).
  const teamsById = new Map((cfg.teams || []).map((t) => [t.id, t.name]));
  const teamName = (id) => teamsById.get(id) || id;
  const actionsById = new Map(cfg.actions.map((a) => [a.id, a]));
  const STATES = ["down", "degraded", "standby"];
  const COLORS = { up: "#2f9e63", degraded: "#e8a317", down: "#d64045", standby: "#8b95a7" };
  const KIND_ORDER = ["utility", "supplier", "logistics", "staff", "site", "equipment", "it_system",
    "data", "application", "business_process"];
  const PLOT_MS = 400;
  // The feed filter's groups, by log entry kind (records: injects or states).
  const FEED_GROUP = { inject: "injects", msel: "injects", release: "injects", skip: "injects",
    delay: "injects", trigger: "injects", decision: "decisions", proposal: "decisions", accept: "decisions",
    reject: "decisions" };
  const DURATIONS = new Set(["duration", "dwell", "spread_time", "encrypt_time", "detect_after"]); // redraw the plots at most this often

  // --- small helpers -----------------------------------------------------------------

  function el(tag, attrs, ...children) {
    const node = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) {
      if (v === null || v === undefined || v === false) continue;
      if (k === "class") node.className = v;
      else if (k === "text") node.textContent = v;
      else if (k.startsWith("data-")) node.setAttribute(k, v);
      else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
      else node.setAttribute(k, v === true ? "" : v);
    }
    for (const child of children) {
      if (child === null || child === undefined) continue;
      node.append(child instanceof Node ? child : document.createTextNode(String(child)));
    }
    return node;
  }
  const $ = (id) => document.getElementById(id);

  // Simulated time -> calendar time: the start instant plus t seconds, shown in
  // the scenario's zone (cfg.timezone, an IANA name). Intl applies the zone's
  // daylight-saving rules: 24 h after Sat 28.03.2026 12:00 CET is Sun 13:00 CEST.
  const zone = cfg.timezone || "Europe/Berlin";
  const start0 = Date.parse(cfg.start); // ISO 8601 with offset: an instant
  const wallDate = (t) => new Date(start0 + t * 1000);
  const wallParts = new Intl.DateTimeFormat("en-GB", {
    timeZone: zone, hourCycle: "h23", year: "numeric", month: "2-digit", day: "2-digit",
    hour: "2-digit", minute: "2-digit", second: "2-digit",
  });
  // plotly's date axes know no time zones: they get the zone's wall-clock time
  // as a plain "YYYY-MM-DD HH:MM:SS", so ticks and hovers read like the clock on
  // the wall (the hour the clocks skip is empty, the hour they repeat overlaps).
  const plotCache = new Map();
  function plotX(t) {
    let out = plotCache.get(t);
    if (out === undefined) {
      const p = {};
      for (const part of wallParts.formatToParts(wallDate(t))) p[part.type] = part.value;
      out = `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}:${p.second}`;
      if (plotCache.size > 20000) plotCache.clear();
      plotCache.set(t, out);
    }
    return out;
  }
  // A bar's length on such an axis: wall-clock end minus wall-clock start (a
  // 4 h outage across the spring change is 5 wall-clock hours long), at least 1 s.
  const plotMs = (t) => Date.parse(`${plotX(t).replace(" ", "T")}Z`);
  const plotSpan = (from, to) => Math.max(plotMs(to) - plotMs(from), 1000);
  const dateFmt = new Intl.DateTimeFormat(locale, {
    weekday: "short", day: "2-digit", month: "2-digit", year: "numeric",
    hour: "2-digit", minute: "2-digit", timeZone: zone, timeZoneName: "short",
  });
  const eur = new Intl.NumberFormat(locale, { style: "currency", currency: "EUR",
    maximumFractionDigits: 0 });
  const pad = (n) => String(n).padStart(2, "0");

  function fmtT(t) {
    const s = Math.max(0, Math.round(t));
    const d = Math.floor(s / 86400);
    const hm = `${pad(Math.floor((s % 86400) / 3600))}:${pad(Math.floor((s % 3600) / 60))}`;
    return `T+${d ? `${d} ${(UNITS[cfg.lang] || UNITS.en).d} ` : ""}${hm}`;
  }
  // Units as a German team writes them ("2 Tg. 4 Std."), which the clock inputs accept too.
  const UNITS = { en: { d: "d", h: "h", min: "min", s: "s" },
    de: { d: "Tg.", h: "Std.", min: "Min.", s: "Sek." } };
  function fmtDur(seconds) {
    const s = Math.round(Math.abs(seconds));
    const d = Math.floor(s / 86400), h = Math.floor((s % 86400) / 3600);
    const mi = Math.floor((s % 3600) / 60);
    // No-break spaces keep a number with its unit when a narrow column wraps.
    const u = UNITS[cfg.lang] || UNITS.en;
    if (d) return h ? `${d}\u00a0${u.d} ${h}\u00a0${u.h}` : `${d}\u00a0${u.d}`;
    if (h) return mi ? `${h}\u00a0${u.h} ${mi}\u00a0${u.min}` : `${h}\u00a0${u.h}`;
    if (mi) return `${mi}\u00a0${u.min}`;
    return `${s}\u00a0${u.s}`;
  }
  // Text for plotly, which reads a few HTML tags in labels: show them as text.
  const short = (s, n) => (s.length > n ? `${s.slice(0, n - 1)}…` : s);
  const plain = (s) => String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");

  let toastTimer = null;
  function toast(message, bad) {
    const box = $("toast");
    box.textContent = message;
    box.className = bad ? "show bad" : "show";
    clearTimeout(toastTimer);
    toastTimer = setTimeout(() => { box.className = ""; }, bad ? 6000 : 2000);
  }

  // Text the server sends in both languages ({de, en}) in the page's language.
  const localText = (v) => (v && typeof v === "object" ? v[cfg.lang] || v.en || v.de || "" : v || "");

  // A 422 names the field; each item carries its message in German too (msg_de).
  function formatDetail(detail) {
    if (typeof detail === "string") return detail;
    if (Array.isArray(detail)) {
      return detail.map((e) => {
        const where = (e.loc || []).filter((x) => x !== "body").join(".");
        const msg = (cfg.lang === "de" && e.msg_de) || e.msg;
        return where ? `${where}: ${msg}` : msg;
      }).join("; ");
    }
    return JSON.stringify(detail);
  }

  // A refusal's words from its JSON body: `detail`, on a German page its
  // German text `detail_de` (the server sends both for every text refusal;
  // a 422's list carries msg_de per item), never English words there.
  function detailOf(body) {
    if (body === null || typeof body !== "object") return null;
    if (cfg.lang !== "de" || Array.isArray(body.detail)) return body.detail ?? null;
    return typeof body.detail_de === "string" && body.detail_de ? body.detail_de : null;
  }

  // Why the server refused a request, in the page's language: a 422 names the
  // field and says what is wrong; other refusals by their status and the
  // server's own words (in German on a German page: detailOf).
  function refusal(status, detail) {
    if (status === 422 && detail !== null) return formatDetail(detail);
    const known = tr(`http.${status}`, "");
    const text = known || `${tr("http.other")} (HTTP ${status})`;
    if (typeof detail === "string" && detail) return `${text} (${detail})`;
    return text;
  }

  // One click, one command: every request carries a fresh key (a retried
  // request with the same key is answered, not applied twice). randomUUID
  // needs a secure context; a console served over plain http on a LAN falls
  // back to getRandomValues, which any context has.
  function newKey() {
    if (window.crypto && crypto.randomUUID) return crypto.randomUUID();
    const b = crypto.getRandomValues(new Uint8Array(16));
    b[6] = (b[6] & 0x0f) | 0x40;
    b[8] = (b[8] & 0x3f) | 0x80;
    const h = [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
    return `${h.slice(0, 8)}-${h.slice(8, 12)}-${h.slice(12, 16)}-${h.slice(16, 20)}-${h.slice(20)}`;
  }
  // The buttons of a control (a button or a form) stay disabled while its
  // request is pending: a second click cannot send a second command.
  function controlButtons(control) {
    if (!control) return [];
    if (control.tagName === "FORM") return [...control.querySelectorAll("button")];
    return [control];
  }

  async function api(path, body, control) {
    const buttons = controlButtons(control);
    for (const b of buttons) { b.disabled = true; b.dataset.busy = "1"; }
    try {
      return await send(path, body);
    } finally {
      for (const b of buttons) { delete b.dataset.busy; b.disabled = false; }
      renderClock();
    }
  }

  const RETRIES = 3; // a lost connection: the same request again, with the same key
  const pause = (ms) => new Promise((resolve) => { setTimeout(resolve, ms); });

  // A refused request ("Anfrage abgelehnt: …") is not a rejected proposal,
  // which is a facilitator's decision and shows in the feed.
  async function send(path, body) {
    const key = newKey();
    let res;
    for (let attempt = 1; ; attempt++) {
      try {
        res = await fetch(`/api/exercises/${encodeURIComponent(cfg.id)}/${path}`, {
          method: "POST",
          headers: { "content-type": "application/json", authorization: `Bearer ${cfg.token}`,
            "idempotency-key": key },
          body: JSON.stringify(body),
        });
        break;
      } catch (e) {
        // No answer: the server may have applied it or not; asking again with
        // the same key gets the first answer instead of a second command.
        if (attempt >= RETRIES) {
          toast(`${tr("done.failed")}: ${tr("done.offline")}`, true);
          return false;
        }
        await pause(1000);
      }
    }
    if (res.ok) {
      toast(tr("done.sent"));
      try { return (await res.json()) || true; } catch (e) { return true; }
    }
    let detail = null;
    try { detail = detailOf(await res.json()); } catch (e) { /* not JSON */ }
    toast(`${tr("done.failed")}: ${refusal(res.status, detail ?? null)}`, true);
    return false;
  }

  // --- the state, built from the stream ---------------------------------------------

  const S = {
    t: 0, clock: "paused", speed: 60, horizon: cfg.horizon, board: [], proposals: [],
    proposalsBySeq: new Map(), msel: [], graph: null,
    assetState: new Map(), capacity: new Map(), intervals: new Map(), markers: [], impact: [],
    hazardSeqs: new Set(), mselShown: new Set(), started: false,
    triggers: [], suggestions: [], // facilitators and observers only: players never get them
    people: {}, // id -> {name, function, team, role}: everyone for facilitators and
    // observers, a team's own for its players (the actors the feed names)
    objectives: null, // each objective's live state, as the server judges it
    notes: new Map(), // observations by seq (facilitators and observers only)
  };
  let newItems = [];

  function reset(graph) {
    S.graph = graph;
    S.assetState = new Map(graph.nodes.map((n) => [n.id, "up"]));
    S.capacity = new Map(graph.nodes.map((n) => [n.id, 1]));
    S.intervals = new Map();
    S.markers = [];
    S.impact = [];
    S.hazardSeqs = new Set();
    S.mselShown = new Set();
    S.started = false;
    S.notes = new Map();
    newItems = [];
    $("feed").replaceChildren();
    buildAssets();
    layoutGraph();
  }

  function handle(msg) {
    if (msg.type === "init") reset(msg.graph);
    S.t = msg.t;
    S.clock = msg.clock;
    S.speed = msg.speed;
    if (msg.horizon !== undefined) S.horizon = msg.horizon;
    // Updates carry only the proposals that changed: merge them by seq. (A player's
    // seqs are their own numbers, 1, 2, 3 … among the entries they see: the feed,
    // its pages, the proposals and the answers' `proposal` all use them.)
    if (msg.type === "init") S.proposalsBySeq = new Map();
    for (const p of msg.proposals) S.proposalsBySeq.set(p.seq, p);
    S.proposals = [...S.proposalsBySeq.values()].sort((a, b) => a.seq - b.seq);
    if (msg.type === "init") showOlder(msg.feed_before);
    // Before the feed: its trigger entries are worded from these.
    if (msg.triggers) S.triggers = msg.triggers;
    if (msg.suggestions) S.suggestions = msg.suggestions;
    if (msg.people) { // before the feed: its entries name their actors
      S.people = msg.people;
      peopleChanged();
    }
    // a named person acted: the people card's attendance moved on
    if ($("people") && msg.feed.some((entry) => entry.actor in S.people)) loadPeople();
    const items = [];
    for (const entry of msg.feed) {
      if (entry.kind === "clock" && entry.payload.action === "start") S.started = true;
      if (entry.kind === "inject" && entry.payload.hazard) S.hazardSeqs.add(String(entry.seq));
      if (entry.kind === "release" || entry.kind === "msel") S.mselShown.add(entry.payload.inject);
      if (entry.kind === "observation") S.notes.set(entry.seq, entry);
      const item = describeEntry(entry);
      if (item) items.push(item);
    }
    for (const r of msg.records) {
      const item = applyRecord(r);
      if (item) {
        item.group = item.group || (r.event === "hazard" || r.event === "inject" ? "injects" : "states");
        items.push(item);
      }
    }
    if (S.clock !== "paused" || S.t > 0) S.started = true;
    items.sort((a, b) => a.t - b.t || a.order - b.order);
    newItems.push(...items);
    S.board = msg.board;
    if (msg.msel) S.msel = msg.msel;
    if (msg.objectives) S.objectives = msg.objectives;
    takeIntervals(msg.intervals, msg.type === "init");
    takeImpact(msg.impact, msg.type === "init");
    render();
    document.body.dataset.ready = "1"; // for tests: the first full state is drawn
    document.body.dataset.t = String(S.t); // ... and the simulated second drawn
  }

  // Outage intervals and the impact curve come from the server's read models
  // (simulator/exercise/readmodels.py), drawn as sent: a full state gives all of
  // them; an update gives the intervals that opened or closed (replacing the one
  // of the same asset and start) and the impact curve from point `start` on.
  function takeIntervals(list, init) {
    if (init) S.intervals = new Map();
    for (const iv of list || []) {
      const kept = S.intervals.get(iv.asset) || [];
      const i = kept.findIndex((k) => k.from === iv.from);
      if (i >= 0) kept[i] = iv;
      else kept.push(iv);
      S.intervals.set(iv.asset, kept);
    }
  }

  function takeImpact(impact, init) {
    if (!impact) return;
    if (init) S.impact = impact.slice();
    else {
      S.impact.length = Math.min(S.impact.length, impact.start);
      S.impact.push(...impact.points);
    }
    if (!S.impact.length) S.impact = [[0, 0]];
  }

  function applyRecord(r) {
    if (r.event === "state") {
      const before = S.assetState.get(r.asset) || "up";
      S.capacity.set(r.asset, r.after);
      if (r.state !== before) {
        S.assetState.set(r.asset, r.state);
        const node = assetsById.get(r.asset);
        const process = node && node.kind === "business_process";
        if (process || r.state === "down" || before === "down") {
          let title = `${nameOf(r.asset)}: ${tr(`state.${r.state}`, r.state)}`;
          if (r.state === "degraded") title += ` (${Math.round(r.after * 100)} %)`;
          const cause = r.cause || "";
          const body = cause.startsWith("asset:") ? `← ${nameOf(cause.slice(6))}` : "";
          return item(r.t, 1, r.seq, tr("feed.state"), title, body, `state-${r.state}`);
        }
      }
      return null;
    }
    if (r.event === "inject" || r.event === "decision" || r.event === "hazard") {
      S.markers.push(r);
      if (r.event === "hazard") {
        const id = (r.cause || "").replace(/^hazard:/, "");
        if (S.hazardSeqs.has(id)) return null; // shown with the facilitator's inject
        return item(r.t, 1, r.seq, tr("feed.hazard"), tr(`hazard.${r.detail}`, r.detail), "",
          "hazard");
      }
      // A scripted inject shows once: by its log entry when released by hand or
      // on time, else (the engine played it: a flood alarm) by this record,
      // which then carries its title and message in both languages.
      const source = (r.cause || "").replace(/^inject:/, "");
      if (r.event === "inject" && r.title && !S.mselShown.has(source)) {
        S.mselShown.add(source);
        return item(r.t, 1, r.seq, tr("feed.inject"), localText(r.title), localText(r.message),
          "msel");
      }
      return null;
    }
    if (r.event === "trigger") { // a trigger fired: facilitators' and observers' records only
      S.markers.push(r);
      const id = (r.cause || "").replace(/^trigger:/, "");
      const found = S.triggers.find((x) => x.id === id);
      const why = found && !(found.by_hand || []).includes(r.t) ? conditionText(found.condition) : "";
      return { ...item(r.t, 1, r.seq, tr("feed.trigger"), `${triggerName(id)} – ${tr("feed.trigger_fired")}`,
        why ? `${tr("trigger.because")}: ${why}` : tr("trigger.by_hand"), "trigger"), group: "injects" };
    }
    if (r.event === "buffer_empty") {
      return item(r.t, 1, r.seq, tr("feed.state"),
        `${nameOf(r.asset)}: ${tr("feed.buffer_empty")} (${bufferName(r.asset, r.detail)})`, "",
        "buffer");
    }
    if (r.event === "data_loss") {
      const hours = Number(r.detail);
      const lost = Number.isFinite(hours) ? fmtDur(hours * 3600) : r.detail;
      return item(r.t, 1, r.seq, tr("feed.state"),
        `${nameOf(r.asset)}: ${tr("feed.data_loss")} (${lost})`, "", "state-down");
    }
    return null;
  }

  // A buffer by the name its author gave it, else common ids ("diesel", "ups") by
  // the page's word for them, else by its id.
  const bufferName = (asset, id) => (cfg.buffers || {})[`${asset}/${id}`] ||
    tr(`buffer.${id}`, String(id || "").replace(/_/g, " "));

  function item(t, order, seq, label, title, body, cls, who) {
    return { t, order: order * 1e9 + seq, label, title, body, cls: cls || "", who: who || "" };
  }

  function mselTitle(id) {
    const entry = cfg.msel && cfg.msel[id];
    return entry ? entry.title : id;
  }
  // How an inject reaches the team, in the page's language where it is one of
  // the usual ways (the file's own words otherwise).
  function methodName(method) {
    return tr(`msel.method.${method.trim().toLowerCase().replace(/[\s-]+/g, "_")}`, method);
  }
  // A trigger in words (its id stays in a title attribute): a scripted
  // inject's own `when` ("inject:b10") by the inject's title, a hazard's
  // ("hazard:<id>") by its kind, the scenario's triggers by what they do
  // first (a suggestion's title, a released inject's title, a command).
  function triggerName(id) {
    if (id.startsWith("inject:")) return mselTitle(id.slice("inject:".length));
    const found = S.triggers.find((x) => x.id === id);
    const first = found && (found.does || [])[0];
    if (first) {
      if (first.notify !== undefined) return localText(first.notify) || tr("trigger.unnamed");
      if (first.release !== undefined) return mselTitle(first.release);
      if (first.hazard !== undefined) return `${tr("trigger.does_hazard")}: ${hazardLabel(first.hazard)}`;
      if (first.command !== undefined) return tr(`command.${first.command}`, tr("trigger.unnamed"));
    }
    return tr("trigger.unnamed");
  }
  // A scenario hazard (by the entry's id) as its kind in words; two of one
  // kind are told apart by the id, in small letters after the kind.
  function hazardLabel(id) {
    const kinds = cfg.script_hazards || {};
    const type = kinds[id];
    if (!type) return String(id).replace(/[_-]+/g, " ");
    const name = tr(`hazard.${type}`, type);
    const twins = Object.values(kinds).filter((k) => k === type).length;
    return twins > 1 ? `${name} (${id})` : name;
  }
  function actionTitle(id) {
    return actionsById.has(id) ? actionsById.get(id).title : id;
  }
  function proposalText(p) {
    return p.action !== undefined ? actionTitle(p.action) : p.text;
  }
  function describeHazard(h) {
    const parts = [];
    for (const [k, v] of Object.entries(h)) {
      if (k === "type" || v === null || v === undefined) continue;
      let value = v;
      if (k === "assets" || k === "staff") value = v.map(nameOf).join(", ");
      else if (DURATIONS.has(k) && typeof v === "number") value = fmtDur(v);
      else if (k === "entry") value = nameOf(v);
      else if (typeof v === "object") value = JSON.stringify(v);
      parts.push(`${tr(`field.${k}`, k)}: ${value}`);
    }
    return [tr(`hazard.${h.type}`, h.type), parts.join(" · ")];
  }

  function describeEntry(e) {
    const p = e.payload || {};
    const who = personName(e.actor) || tr(`role.${e.actor}`, e.actor);
    const make = (label, title, body, cls) => ({ ...item(e.t, 0, e.seq, label, title, body, cls, who),
      group: FEED_GROUP[e.kind] || "other", seq: e.seq, kind: e.kind });
    switch (e.kind) {
      case "clock":
        if (p.action === "speed") return make(tr("feed.clock"), `${tr("feed.speed")} ${p.speed}×`);
        if (p.action === "jump") return make(tr("feed.clock"), `${tr("feed.jump")} ${fmtT(p.to)}`);
        if (p.action === "extend") return make(tr("feed.clock"), `${tr("clock.extend")} ${fmtDur(p.by)}`);
        return make(tr("feed.clock"), tr(`clock.${p.action}`, p.action));
      case "inject":
        // A hazard or command comes with its title and message; a message alone is a message.
        if (p.message !== undefined && !p.hazard && !p.event && !p.command) {
          return make(tr("feed.message"), p.message, "", "message");
        }
        if (p.hazard) {
          const [title, body] = describeHazard(p.hazard);
          return make(tr("feed.inject"), p.title || title, p.message || body, "hazard");
        }
        // Participants get an ad hoc hazard or command by its title and message only.
        if (p.event) return make(tr("feed.inject"), p.title || tr("feed.event"), p.message || "", "hazard");
        return make(tr("feed.inject"), p.title || commandName(p.command), p.message || "", "hazard");
      case "msel":
      case "release": {
        // Facilitators and observers have the script; participants get the text with it.
        const entry = (cfg.msel && cfg.msel[p.inject]) ||
          (p.title && { title: p.title[cfg.lang] || p.title.en, message: (p.message && (p.message[cfg.lang] || p.message.en)) || "" });
        // Control reads what the script expects of the players with it.
        const expected = entry && entry.expected_action ? ` — ${tr("msel.expected")}: ${entry.expected_action}` : "";
        return make(tr("feed.msel"), entry ? entry.title : p.inject,
          entry ? `${entry.message}${expected}`.trim() : "", "msel");
      }
      case "skip":
        return make(tr("feed.msel"), `${mselTitle(p.inject)} – ${tr("feed.skip")}`, "", "muted");
      case "delay":
        return make(tr("feed.msel"),
          `${mselTitle(p.inject)} – ${tr("feed.delay")} ${tr("feed.by")} ${fmtDur(p.by)}`, "",
          "muted");
      case "decision":
      case "proposal":
        return make(tr(`feed.${e.kind}`), proposalText(p), "", e.kind);
      case "accept":
      case "reject": {
        const prop = S.proposals.find((x) => x.seq === p.proposal);
        return { ...make(tr(`feed.${e.kind}`), prop ? proposalText(prop) : `#${p.proposal}`, "",
          e.kind === "accept" ? "decision" : "muted"), answers: p.proposal };
      }
      case "observation":
        return make(tr("feed.observation"), p.text, noteFacts(p).join(" · "), "observation");
      case "plan":  // a corrective action of the improvement plan, in words (not JSON)
        return make(tr("feed.plan"), p.action, p.issue, "muted");
      case "person":
        return make(tr("feed.person"), personName(p.id) || p.name,
          [p.team && teamName(p.team), tr(`role.${p.role}`, p.role)].filter(Boolean).join(" · "), "muted");
      case "trigger": {
        // Players get a released suggestion as its title and message only;
        // the facilitator's view names the trigger, whose suggestion it was.
        if (p.title) return make(tr("feed.message"), localText(p.title), localText(p.message), "message");
        if (p.action === "release") {
          const s = S.suggestions.find((x) => x.trigger === p.trigger && x.status === "released");
          return make(tr("feed.message"), s ? localText(s.title) : triggerName(p.trigger),
            s ? localText(s.message) : "", "message");
        }
        return make(tr("feed.trigger"), `${triggerName(p.trigger)} – ${tr(`feed.trigger_${p.action}`, p.action)}`,
          "", "muted");
      }
      default:
        return make(e.kind, JSON.stringify(p));
    }
  }

  // --- rendering -------------------------------------------------------------------

  function render() {
    renderClock();
    renderEnd();
    renderBoard();
    renderAssets();
    renderFeed();
    renderProposals();
    renderMsel();
    renderTriggers();
    renderObjectives();
    schedulePlots();
    describeCharts();
  }

  function renderClock() {
    $("clock-date").textContent = dateFmt.format(wallDate(S.t));
    $("clock-t").textContent = fmtT(S.t);
    const state = $("clock-state");
    state.dataset.state = S.clock;
    state.textContent = tr(`clock.${S.clock}`, S.clock);
    $("clock-speed").textContent = `${S.speed}×`;
    const toggle = $("clock-toggle");
    if (toggle) {
      const action = S.clock === "running" ? "pause" : S.started ? "resume" : "start";
      const ended = S.clock === "ended"; // nothing to resume: the extend form goes on
      toggle.dataset.action = action;
      toggle.textContent = ended ? tr("clock.ended_button") : tr(`clock.${action}`);
      toggle.title = ended ? tr("clock.ended_hint") : "";
      toggle.disabled = ended || toggle.dataset.busy === "1";
      // Any speed can be typed; the field follows the server unless someone is typing.
      const input = $("speed-input");
      if (document.activeElement !== input && input.dataset.shown !== String(S.speed)) {
        input.value = String(S.speed);
        input.dataset.shown = String(S.speed);
      }
      $("clock-ends").textContent = `${tr("clock.ends")}: ${fmtT(S.horizon)}`;
    }
  }

  // The end of the exercise: say so, and sum up each process (from the board
  // the server sends: totals over the whole run, breaches, impact).
  let endKey = "";
  function renderEnd() {
    const panel = $("end-panel");
    const ended = S.clock === "ended";
    panel.hidden = !ended;
    document.body.classList.toggle("ended", ended);
    if (!ended) return;
    const key = JSON.stringify([S.t, S.board]);
    if (key === endKey) return;
    endKey = key;
    $("end-text").textContent = tf("console.ended_text",
      { end: dateFmt.format(wallDate(S.t)), t: fmtT(S.t) });
    const hours = (h) => (h ? fmtDur(h * 3600) : "–");
    const yes = (b) => el("span", { class: b ? "over" : "", text: tr(b ? "board.yes" : "board.no") });
    $("summary").replaceChildren(...S.board.map((row) => el("tr", { "data-process": row.id },
      el("th", { scope: "row", text: nameOf(row.id) }),
      el("td", { class: "num", "data-label": tr("board.downtime"), text: hours(row.downtime_h) }),
      el("td", { class: "num", "data-label": tr("board.below_mbco"), text: hours(row.below_mbco_h) }),
      el("td", { "data-label": tr("board.rto_breached") }, yes(row.rto_breached)),
      el("td", { "data-label": tr("board.mtpd_breached") }, yes(row.mtpd_breached)),
      el("td", { class: "num", "data-label": tr("board.impact"), text: eur.format(row.impact_eur || 0) }))));
    $("summary-total").textContent = eur.format(S.board.reduce((sum, r) => sum + (r.impact_eur || 0), 0));
  }

  // Text alternatives of the charts: what they show, in words.
  function describeCharts() {
    const affected = [...S.intervals.values()]
      .filter((list) => list.some((iv) => iv.state !== "standby")).length;
    const downIds = [...S.assetState.entries()].filter(([, st]) => st === "down").map(([id]) => id);
    const tl = $("timeline");
    if (tl) {
      tl.setAttribute("aria-label", tf("console.alt_timeline",
        { n: affected, down: downIds.length, marks: S.markers.length }));
    }
    const graph = $("graph");
    if (graph && S.graph) {
      const names = downIds.slice(0, 12).map(nameOf).join(", ") +
        (downIds.length > 12 ? ` (+${downIds.length - 12})` : "");
      graph.setAttribute("aria-label", tf("console.alt_graph", { n: S.graph.nodes.length,
        edges: S.graph.edges.length, list: names || tr("console.alt_none") }));
    }
    const impact = $("impact");
    if (impact) {
      const total = S.board.reduce((sum, row) => sum + (row.impact_eur || 0), 0);
      impact.setAttribute("aria-label", tf("console.alt_impact", { total: eur.format(total), t: fmtT(S.t) }));
    }
  }

  function countdown(left, breached) {
    if (left === null || left === undefined) return el("span", { class: "muted", text: "–" });
    if (left < 0) {
      return el("span", { class: "over", text: `${tr("board.over")} ${fmtDur(-left * 3600)}` });
    }
    return el("span", { class: breached ? "over" : "left", text: `${tr("board.left")} ${fmtDur(left * 3600)}` });
  }

  function renderBoard() {
    const rows = S.board.map((row) => {
      const name = nameOf(row.id);
      const capacity = Math.round(row.capacity * 100);
      const mbco = row.mbco === null ? null : Math.round(row.mbco * 100);
      const below = mbco !== null && capacity < mbco;
      const bar = el("div", { class: `capbar${below ? " below" : ""}`,
        title: `${capacity} % / ${tr("board.mbco")} ${mbco === null ? "–" : `${mbco} %`}` },
      el("div", { class: "fill", style: `width:${capacity}%`, "data-state": row.state }),
      mbco === null ? null : el("div", { class: "mbco", style: `left:${mbco}%` }));
      const target = (h) => (h === null ? "" : fmtDur(h * 3600));
      return el("tr", { "data-process": row.id, "data-state": row.state,
        class: `${row.rto_breached ? "rto-breached " : ""}${row.mtpd_breached ? "mtpd-breached" : ""}` },
      el("td", { class: "pname", text: name }),
      el("td", { "data-label": tr("board.state") }, el("span", { class: "state", "data-state": row.state,
        text: tr(`state.${row.state}`, row.state) })),
      el("td", { class: "cap", "data-label": tr("board.capacity") }, bar,
        el("span", { class: "capnum", text: `${capacity} %` })),
      el("td", { class: `cd${row.rto_breached ? " breached" : ""}`, "data-label": tr("board.rto") },
        el("div", { class: "target", text: target(row.rto_h) }),
        countdown(row.rto_left_h, row.rto_breached)),
      el("td", { class: `cd${row.mtpd_breached ? " breached" : ""}`, "data-label": tr("board.mtpd") },
        el("div", { class: "target", text: target(row.mtpd_h) }),
        countdown(row.mtpd_left_h, row.mtpd_breached)),
      el("td", { class: "num", "data-label": tr("board.impact"), text: eur.format(row.impact_eur || 0) }));
    });
    $("board").replaceChildren(...rows);
    const total = S.board.reduce((sum, row) => sum + (row.impact_eur || 0), 0);
    $("impact-total").textContent = eur.format(total);
  }

  const chips = new Map();
  function buildAssets() {
    chips.clear();
    const byKind = new Map();
    for (const node of S.graph.nodes) {
      if (!byKind.has(node.kind)) byKind.set(node.kind, []);
      byKind.get(node.kind).push(node);
    }
    const kinds = [...byKind.keys()].sort((a, b) => kindIndex(a) - kindIndex(b));
    upCounts.clear();
    const groups = kinds.map((kind) => {
      const list = el("ul", { class: "chips" });
      for (const node of byKind.get(kind)) {
        const chip = el("li", { class: "chip", "data-asset": node.id, "data-state": "up",
          text: nameOf(node.id) });
        chips.set(node.id, chip);
        list.append(chip);
      }
      const count = el("li", { class: "chip up-count" });
      upCounts.set(kind, count);
      list.append(count);
      return el("div", { class: "kind-group", "data-kind": kind },
        el("h3", { text: tr(`kind.${kind}`, kind) }), list);
    });
    // Many assets: show only those not up, and how many are up (a toggle shows all).
    const box = $("assets");
    box.classList.toggle("compact", S.graph.nodes.length > 40);
    const toggle = $("assets-toggle");
    toggle.hidden = S.graph.nodes.length <= 40;
    box.replaceChildren(...groups);
  }
  const upCounts = new Map();
  function renderAssets() {
    const up = new Map();
    for (const [id, chip] of chips) {
      const state = S.assetState.get(id) || "up";
      if (chip.dataset.state !== state) chip.dataset.state = state;
      const cap = Math.round((S.capacity.get(id) ?? 1) * 100);
      chip.title = `${id}: ${tr(`state.${state}`, state)} (${cap} %)`;
      const kind = assetsById.has(id) ? assetsById.get(id).kind : "";
      if (state === "up") up.set(kind, (up.get(kind) || 0) + 1);
    }
    for (const [kind, count] of upCounts) {
      count.textContent = `${up.get(kind) || 0} × ${tr("state.up")}`;
    }
  }
  const kindIndex = (k) => (KIND_ORDER.includes(k) ? KIND_ORDER.indexOf(k) : KIND_ORDER.length);

  // A late viewer gets the newest feed entries; older ones are fetched on request.
  let olderBefore = null;
  function showOlder(before) {
    olderBefore = before;
    const button = $("feed-older");
    if (button) button.hidden = before === null || before === undefined;
  }
  async function loadOlder() {
    if (olderBefore === null) return;
    const url = `/api/exercises/${encodeURIComponent(cfg.id)}/feed?before=${olderBefore}&limit=100`;
    const res = await fetch(url, { headers: { authorization: `Bearer ${cfg.token}` } });
    if (!res.ok) return;
    const entries = await res.json();
    const list = $("feed");
    for (const entry of entries.reverse()) {
      // A scripted inject whose release was cut off the first message showed by its record.
      if ((entry.kind === "release" || entry.kind === "msel") && S.mselShown.has(entry.payload.inject)) continue;
      if (entry.kind === "observation") S.notes.set(entry.seq, entry);
      const it = describeEntry(entry);
      if (it) list.append(feedItem(it));
    }
    showOlder(entries.length ? entries[entries.length - 1].seq : null);
    renderObjectives();
  }

  function feedItem(it) {
    // A log entry's seq and kind: the replay page offers "what if" at its decisions.
    return el("li", { class: `fi ${it.cls}`, "data-group": it.group || "other",
      "data-seq": it.seq, "data-kind": it.kind, "data-answers": it.answers ?? null },
      el("div", { class: "meta" },
        el("span", { class: "ft", text: fmtT(it.t) }),
        el("span", { class: "fk", text: it.label }),
        it.who ? el("span", { class: "fr", text: it.who }) : null),
      el("div", { class: "ftitle", text: it.title }),
      it.body ? el("div", { class: "fbody", text: it.body }) : null);
  }

  function renderFeed() {
    if (!newItems.length) return;
    const list = $("feed");
    const empty = list.querySelector(".empty");
    if (empty) empty.remove();
    for (const it of newItems) list.prepend(feedItem(it));
    newItems = [];
  }

  let proposalsKey = "";
  function renderProposals() {
    const box = $("proposals");
    if (!box) return;
    const key = JSON.stringify(S.proposals);
    if (key === proposalsKey) return;
    proposalsKey = key;
    if (!S.proposals.length) {
      box.replaceChildren(el("li", { class: "muted", text: tr("proposal.none") }));
      return;
    }
    const items = [...S.proposals].reverse().map((p) => {
      const buttons = role === "facilitator" && p.status === "open"
        ? el("div", { class: "row" },
          el("button", { type: "button", class: "ok", text: tr("proposal.accept"),
            "aria-label": `${tr("proposal.accept")}: ${short(proposalText(p), 80)}`,
            onclick: (e) => api("decisions", { accept: p.seq }, e.currentTarget) }),
          el("button", { type: "button", class: "danger", text: tr("proposal.reject"),
            "aria-label": `${tr("proposal.reject")}: ${short(proposalText(p), 80)}`,
            onclick: (e) => api("decisions", { reject: p.seq }, e.currentTarget) }))
        : null;
      return el("li", { "data-status": p.status, "data-seq": p.seq },
        el("span", { class: "pstatus", text: tr(`proposal.${p.status}`, p.status) }),
        el("span", { class: "ptext", text: proposalText(p) }), buttons);
    });
    box.replaceChildren(...items);
  }

  // The MSEL's columns for control (facilitators and observers only: the page
  // config of participants has no script): to whom, from whom, what is expected.
  function mselControl(m) {
    if (!m) return [];
    const line = (cls, text) => el("span", { class: `mcontrol ${cls}`, text });
    const out = [];
    const who = [m.event_type ? tr(`msel.event_type.${m.event_type}`, m.event_type) : "",
      m.teams ? `${tr("msel.teams")} ${m.teams.map(teamName).join(", ")}` : "",
      m.sender ? `${tr("msel.sender")} ${m.sender}${m.method ? ` (${methodName(m.method)})` : ""}`
        : (m.method ? methodName(m.method) : "")]
      .filter(Boolean).join(" · ");
    if (who) out.push(line("maddress", who));
    if (m.expected_action) out.push(line("mexpected", `${tr("msel.expected")}: ${m.expected_action}`));
    if (m.controller) out.push(line("mcontroller", `${tr("msel.controller")}: ${m.controller}`));
    if (m.notes) out.push(line("mnotes", `${tr("msel.notes")}: ${m.notes}`));
    return out;
  }

  let mselKey = "";
  function renderMsel() {
    const list = $("msel");
    if (!list) return;
    const key = JSON.stringify(S.msel);
    if (key === mselKey) return;
    mselKey = key;
    if (!S.msel.length) {
      list.replaceChildren(el("li", { class: "muted", text: tr("msel.empty") }));
      return;
    }
    const delayBy = () => ($("delay-by").value || "1h").trim();
    const byDue = [...S.msel].sort((a, b) => (a.due ?? Infinity) - (b.due ?? Infinity));
    list.replaceChildren(...byDue.map((entry) => {
      const pending = entry.status === "pending";
      const message = cfg.msel && cfg.msel[entry.id] ? cfg.msel[entry.id].message : "";
      const title = mselTitle(entry.id);
      const button = (label, cls, body) => el("button", { type: "button", class: `small ${cls}`,
        text: tr(label), "aria-label": `${tr(label)}: ${title}`,
        onclick: (e) => api("injects", typeof body === "function" ? body() : body, e.currentTarget) });
      const released = entry.status === "released" && entry.released_at !== null &&
        entry.released_at !== undefined;
      const planned = entry.due === null ? tr("msel.manual") : fmtT(entry.due);
      const status = released
        ? `${tr("msel.released_at")} ${fmtT(entry.released_at)}` +
          (entry.due !== entry.released_at ? ` (${tr("msel.due_was")} ${planned})` : "")
        : tr(`msel.${entry.status}`, entry.status);
      return el("li", { "data-inject": entry.id, "data-status": entry.status },
        el("span", { class: "due", text: released ? fmtT(entry.released_at) : planned }),
        el("span", { class: "mtitle", text: title }),
        message ? el("span", { class: "mmessage", text: message }) : null,
        ...mselControl(cfg.msel && cfg.msel[entry.id]),
        el("span", { class: "mfoot" },
          el("span", { class: "mstatus", text: status }),
          pending ? el("span", { class: "mbuttons" },
            button("msel.release", "ok", { release: entry.id }),
            entry.due !== null ? button("msel.delay", "", () => ({ delay: entry.id, by: delayBy() })) : null,
            button("msel.skip", "danger", { skip: entry.id })) : null));
    }));
  }

  // --- adaptive triggers (facilitators and observers) ---------------------------------

  // A template text with its {a}, {x}, {d} and {t} filled in.
  const fill = (key, vars) => tr(key).replace(/\{(\w)\}/g, (m, k) => (k in vars ? vars[k] : m));

  // A trigger's condition in the page's language, from the structured form the
  // server sends: the one place the console words conditions (names, durations
  // and times as everywhere on the page).
  function conditionText(c, nested) {
    if (!c || typeof c !== "object") return "";
    const group = (x) => (x && (x.all || x.any || x.not) ? `(${conditionText(x, true)})` : conditionText(x, true));
    if (c.all) return c.all.map(group).join(` ${tr("cond.and")} `);
    if (c.any) return c.any.map(group).join(` ${tr("cond.or")} `);
    if (c.not) return `${tr("cond.not")} ${group(c.not)}`;
    if (c.buffer !== undefined) {
      return fill("cond.buffer", { a: nameOf(c.asset), x: bufferName(c.asset, c.buffer), d: fmtDur(c.below) });
    }
    if (c.asset !== undefined) {
      if (c.below !== undefined) return fill("cond.asset_below", { a: nameOf(c.asset), x: `${Math.round(c.below * 100)} %` });
      return fill(`cond.asset_${c.is}`, { a: nameOf(c.asset) });
    }
    if (c.process !== undefined) {
      if (c.impact_above !== undefined) return fill("cond.process_impact", { a: nameOf(c.process), x: eur.format(c.impact_above) });
      return fill(`cond.process_${c.is}`, { a: nameOf(c.process) });
    }
    if (c.action !== undefined) {
      if (c.not_taken_by !== undefined) return fill("cond.action_not_taken", { x: actionTitle(c.action), t: fmtT(c.not_taken_by) });
      return fill("cond.action_taken", { x: actionTitle(c.action) });
    }
    if (c.hazard !== undefined) {
      if (c.alarm !== undefined) return fill("cond.hazard_alarm", { x: hazardLabel(c.hazard), d: c.alarm });
      return fill(`cond.hazard_${c.is}`, { x: hazardLabel(c.hazard) });
    }
    if (c.after !== undefined) return fill("cond.after", { t: fmtT(c.after) });
    return nested ? "" : JSON.stringify(c);
  }

  function doesText(d) {
    if (d.notify !== undefined) return `${tr("trigger.does_notify")}: ${localText(d.notify)}`;
    if (d.release !== undefined) return `${tr("trigger.does_release")}: ${mselTitle(d.release)}`;
    if (d.hazard !== undefined) return `${tr("trigger.does_hazard")}: ${hazardLabel(d.hazard)}`;
    return `${tr("trigger.does_command")}: ${tr(`command.${d.command}`, d.command)}`;
  }

  // Why a suggestion came: its trigger's condition in words (the suggestion
  // itself already carries the trigger's title).
  function suggestedBecause(id) {
    const found = S.triggers.find((x) => x.id === id);
    const when = found ? conditionText(found.condition) : "";
    return when ? `${tr("suggest.because")} ${when}` : `${tr("suggest.by")} ${triggerName(id)}`;
  }

  // A moment as the page shows times: T+… with the calendar time.
  const moment = (t) => `${fmtT(t)} (${dateFmt.format(wallDate(t))})`;

  let triggersKey = "";
  function renderTriggers() {
    const list = $("triggers");
    const box = $("suggestions");
    if (!list || !box) return;
    const key = JSON.stringify([S.triggers, S.suggestions]);
    if (key === triggersKey) return;
    triggersKey = key;
    const acts = role === "facilitator";
    const button = (label, cls, body, what) => el("button", { type: "button", class: `small ${cls}`,
      text: tr(label), "aria-label": `${tr(label)}: ${what}`,
      onclick: (e) => api("triggers", body, e.currentTarget) });
    const open = S.suggestions.filter((x) => x.status === "open");
    const shown = [...open, ...S.suggestions.filter((x) => x.status !== "open").slice(-10).reverse()];
    box.replaceChildren(...(shown.length ? shown.map((sg) => {
      const title = localText(sg.title);
      return el("li", { "data-trigger": sg.trigger, "data-status": sg.status },
        el("span", { class: "due", text: fmtT(sg.t) }),
        el("span", { class: "mtitle", text: title }),
        sg.message ? el("span", { class: "mmessage", text: localText(sg.message) }) : null,
        el("span", { class: "mfoot" },
          el("span", { class: "mstatus", title: sg.trigger, text: `${tr(`suggest.${sg.status}`, sg.status)} · ${suggestedBecause(sg.trigger)}` }),
          acts && sg.status === "open" ? el("span", { class: "mbuttons" },
            button("suggest.release", "ok", { trigger: sg.trigger, action: "release" }, title),
            button("suggest.dismiss", "danger", { trigger: sg.trigger, action: "dismiss" }, title)) : null));
    }) : [el("li", { class: "muted", text: tr("suggest.none") })]));
    if (!S.triggers.length) {
      list.replaceChildren(el("li", { class: "muted", text: tr("trigger.none") }));
      return;
    }
    list.replaceChildren(...S.triggers.map((tg) => {
      const fired = tg.fired || [];
      const hand = new Set(tg.by_hand || []);
      const status = tg.armed ? "armed" : fired.length && tg.once ? "spent" : "disarmed";
      let when = conditionText(tg.condition);
      if (tg.delay) when += ` ${fill("trigger.delay", { d: fmtDur(tg.delay) })}`;
      const notes = [];
      if (!tg.once && tg.min_interval) notes.push(fill("trigger.repeat", { d: fmtDur(tg.min_interval) }));
      if (tg.armed && tg.since !== null && tg.since !== undefined) notes.push(`${tr("trigger.since")} ${fmtT(tg.since)}`);
      const firings = fired.slice(-5).map((t) => el("li", { class: "tfired" },
        `${tr("trigger.fired_at")} ${moment(t)} – `,
        hand.has(t) ? tr("trigger.by_hand") : `${tr("trigger.because")}: ${when}`));
      return el("li", { "data-trigger": tg.id, "data-status": status },
        el("span", { class: "tid", text: triggerName(tg.id), title: tg.id }),
        el("span", { class: "tstatus", text: tr(`trigger.${status}`, status) }),
        el("span", { class: "twhen", text: `${tr("trigger.when")} ${when}` }),
        el("span", { class: "tdoes", text: `${tr("trigger.does")}: ${(tg.does || []).map(doesText).join("; ")}` }),
        notes.length ? el("span", { class: "tnote", text: notes.join(" · ") }) : null,
        firings.length ? el("ul", { class: "tfirings" }, ...firings) : null,
        acts && tg.armed ? el("span", { class: "mbuttons" },
          button("trigger.fire", "", { trigger: tg.id, action: "fire" }, triggerName(tg.id)),
          button("trigger.disarm", "danger", { trigger: tg.id, action: "disarm" }, triggerName(tg.id))) : null);
    }));
  }

  // --- plots (plotly), throttled ------------------------------------------------------

  let plotTimer = null;
  let lastPlot = 0;
  function schedulePlots() {
    if (plotTimer !== null) return;
    const wait = Math.max(0, PLOT_MS - (performance.now() - lastPlot));
    plotTimer = setTimeout(() => {
      plotTimer = null;
      lastPlot = performance.now();
      if (typeof Plotly === "undefined") return;
      drawTimeline();
      drawImpact();
      drawGraph();
    }, wait);
  }
  const TICKS = cfg.lang === "de" ? "%H:%M<br>%d.%m." : "%H:%M<br>%d/%m";
  const HOVER = cfg.lang === "de" ? "%d.%m. %H:%M" : "%d/%m %H:%M";
  // The date axes show the zone's wall clock: their title names the zone.
  const ZONE_TITLE = { text: plain(zone), font: { size: 11, color: "#6b7280" }, standoff: 2 };
  const PLOT_CONFIG = { displayModeBar: false, responsive: true };
  const BASE_LAYOUT = {
    separators: cfg.lang === "de" ? ",." : ".,",
    font: { family: "system-ui, -apple-system, Segoe UI, Roboto, sans-serif", size: 12,
      color: "#243042" },
    paper_bgcolor: "rgba(0,0,0,0)", plot_bgcolor: "rgba(0,0,0,0)",
  };

  // The timeline stays readable with hundreds of assets: only affected assets by
  // default, grouped by kind or by site (business processes first, as a group of
  // their own), groups with many rows collapsed into one row that carries all
  // their members' bars. Ongoing process outages show their RTO and MTPD as ticks.
  const TL = { by: "kind", affected: true, open: new Map(), tools: null, groupsKey: "" };
  const GROUP = "__group:";
  const OPEN_UP_TO = 6; // a group with more rows than this starts collapsed

  function timelineGroups() {
    const nodes = S.graph ? S.graph.nodes : [];
    // A standby asset idles in "standby" from the start: affected once it is more.
    const affected = (id) => (S.intervals.get(id) || []).some((iv) => iv.state !== "standby")
      || !["up", "standby"].includes(S.assetState.get(id) || "up");
    const shown = nodes.filter((n) => !TL.affected || affected(n.id));
    const first = (id) => { const l = S.intervals.get(id); return l && l.length ? l[0].from : Infinity; };
    const keyOf = (n) => {
      if (TL.by === "none") return "all";
      if (n.kind === "business_process") return "process";
      return TL.by === "site" ? (siteOf.get(n.id) || "") : n.kind;
    };
    const byKey = new Map();
    for (const n of shown) {
      const key = keyOf(n);
      if (!byKey.has(key)) byKey.set(key, []);
      byKey.get(key).push(n.id);
    }
    const label = (key) => {
      if (key === "process") return tr("timeline.processes");
      if (TL.by === "kind") return tr(`kind.${key}`, key);
      return key ? nameOf(key) : tr("timeline.no_site");
    };
    const rank = (key) => (key === "process" ? -1 : TL.by === "kind" ? kindIndex(key)
      : key === "" ? 1e6 : 0);
    return [...byKey.entries()]
      .sort((a, b) => rank(a[0]) - rank(b[0]) || label(a[0]).localeCompare(label(b[0]), locale))
      .map(([key, ids]) => {
        ids.sort((a, b) => first(a) - first(b) || nameOf(a).localeCompare(nameOf(b), locale));
        const remembered = TL.open.get(`${TL.by}:${key}`);
        const open = key === "all" || (remembered !== undefined ? remembered
          : key === "process" || ids.length <= OPEN_UP_TO);
        return { key, label: label(key), ids, open, header: key !== "all" };
      });
  }

  function timelineTools(groups) {
    if (!TL.tools) {
      const select = el("select", { id: "timeline-group", onchange: (e) => {
        TL.by = e.target.value;
        drawTimeline();
      } }, ...["kind", "site", "none"].map((v) => el("option", { value: v,
        text: tr(`timeline.group.${v}`) })));
      const check = el("input", { type: "checkbox", id: "timeline-affected", checked: true,
        onchange: (e) => { TL.affected = e.target.checked; drawTimeline(); } });
      const buttons = el("span", { class: "tl-groups", role: "group",
        "aria-label": tr("timeline.groups") });
      TL.tools = { buttons };
      const plot = $("timeline");
      plot.before(el("div", { class: "tl-tools" },
        el("label", { class: "inline" }, `${tr("timeline.group")} `, select),
        el("label", { class: "inline" }, check, ` ${tr("timeline.affected")}`), buttons));
      if (!plot.hasAttribute("aria-label")) {
        plot.setAttribute("role", "img");
        plot.setAttribute("aria-label", tr("timeline.alt"));
      }
    }
    const key = JSON.stringify(groups.map((g) => [g.key, g.ids.length, g.open, g.header]));
    if (key === TL.groupsKey) return;
    TL.groupsKey = key;
    TL.tools.buttons.replaceChildren(...groups.filter((g) => g.header).map((g) =>
      el("button", { type: "button", class: "small tl-group", "data-group": g.key,
        "aria-expanded": g.open ? "true" : "false",
        text: `${g.open ? "▾" : "▸"} ${g.label} (${g.ids.length})`,
        onclick: () => {
          TL.open.set(`${TL.by}:${g.key}`, !g.open);
          drawTimeline();
        } })));
  }

  function drawTimeline() {
    const EVENTS = "__events";
    const groups = timelineGroups();
    timelineTools(groups);
    const ids = [EVENTS];
    const labels = new Map([[EVENTS, tr("timeline.events")]]);
    const members = new Map(); // row -> the assets whose bars it carries
    const rowOf = new Map(); // asset -> its row
    for (const g of groups) {
      if (g.header) {
        const row = GROUP + g.key;
        ids.push(row);
        labels.set(row, `${g.open ? "▾" : "▸"} ${short(g.label, 26)} (${g.ids.length})`);
        if (!g.open) {
          members.set(row, g.ids);
          g.ids.forEach((id) => rowOf.set(id, row));
          continue;
        }
      }
      for (const id of g.ids) {
        ids.push(id);
        labels.set(id, `${g.header ? "\u2003" : ""}${short(nameOf(id), 28)}`);
        members.set(id, [id]);
        rowOf.set(id, id);
      }
    }
    // Down drawn last: where a collapsed group's bars overlap, the worst state shows.
    const traces = ["standby", "degraded", "down"].map((state) => {
      const y = [], base = [], x = [], text = [], custom = [];
      for (const [row, list] of members) {
        for (const id of list) {
          for (const iv of S.intervals.get(id) || []) {
            if (iv.state !== state) continue;
            const to = iv.to === null ? S.t : iv.to;
            y.push(row);
            base.push(plotX(iv.from));
            x.push(plotSpan(iv.from, to));
            custom.push(id);
            const until = iv.to === null ? tr("timeline.now") : fmtT(iv.to);
            text.push(`${plain(`${nameOf(id)}: ${tr(`state.${state}`, state)}`)}<br>` +
              plain(`${fmtT(iv.from)} – ${until} (${fmtDur(to - iv.from)})`));
          }
        }
      }
      return { type: "bar", orientation: "h", y, base, x, customdata: custom,
        name: tr(`state.${state}`, state), marker: { color: COLORS[state] }, hovertext: text,
        hoverinfo: "text", width: 0.7, showlegend: y.length > 0 };
    });
    const symbol = { inject: "diamond", decision: "star", hazard: "triangle-down", trigger: "circle-open" };
    const color = { inject: "#6d28d9", decision: "#1d4ed8", hazard: "#b91c1c", trigger: "#0f766e" };
    for (const kind of ["hazard", "inject", "decision", "trigger"]) {
      const marks = S.markers.filter((r) => r.event === kind);
      traces.push({ type: "scatter", mode: "markers", x: marks.map((r) => plotX(r.t)),
        y: marks.map(() => EVENTS), name: tr(`feed.${kind}`, kind), showlegend: marks.length > 0,
        marker: { symbol: symbol[kind], size: 12, color: color[kind], line: { width: 1, color: "#fff" } },
        hovertext: marks.map((r) => plain(`${fmtT(r.t)} ${markerText(r)}`)), hoverinfo: "text" });
    }
    // RTO and MTPD of each ongoing process outage (the board counts from when it
    // fell below its MBCO), on the process's row or its collapsed group's.
    const ends = [];
    for (const [target, color2] of [["rto", "#b45309"], ["mtpd", "#7f1d1d"]]) {
      const x = [], y = [], text = [], custom = [];
      for (const row of S.board) {
        const hours = row[`${target}_h`];
        if (row.outage_h === null || row.outage_h === undefined || hours === null) continue;
        if (!rowOf.has(row.id)) continue;
        const at = Math.round(S.t - row.outage_h * 3600 + hours * 3600);
        ends.push(at);
        x.push(plotX(at));
        y.push(rowOf.get(row.id));
        custom.push(row.id);
        text.push(plain(`${nameOf(row.id)}: ${tr(`timeline.${target}`)} ${fmtDur(hours * 3600)} → ${fmtT(at)}`));
      }
      traces.push({ type: "scatter", mode: "markers", x, y, customdata: custom,
        name: tr(`timeline.${target}`), showlegend: x.length > 0, hovertext: text,
        hoverinfo: "text", marker: { symbol: "line-ns-open", size: 18,
          line: { width: target === "rto" ? 3 : 4, color: color2 }, color: color2 } });
    }
    const horizon = cfg.horizon || Infinity;
    const end = Math.min(Math.max(S.t * 1.08, S.t + 1800, 4 * 3600, ...ends.map((e) => e + 1800)),
      Math.max(horizon, S.t));
    const rows = ids.length - 1;
    const layout = {
      ...BASE_LAYOUT,
      barmode: "overlay",
      height: Math.min(Math.max(150, 80 + 22 * ids.length), 2400),
      margin: { l: 190, r: 16, t: 8, b: 50 },
      xaxis: { type: "date", range: [plotX(0), plotX(end)], gridcolor: "#e6e9ef",
        tickformat: TICKS, hoverformat: HOVER, title: ZONE_TITLE },
      yaxis: { type: "category", categoryorder: "array", categoryarray: ids, tickvals: ids,
        ticktext: ids.map((id) => (id.startsWith(GROUP) ? `<b>${plain(labels.get(id))}</b>`
          : plain(labels.get(id)))),
        range: [ids.length - 0.5, -0.5], fixedrange: true, automargin: true },
      legend: { orientation: "h", y: 1.0, yanchor: "bottom", x: 1, xanchor: "right" },
      shapes: [{ type: "line", xref: "x", yref: "paper", x0: plotX(S.t), x1: plotX(S.t), y0: 0,
        y1: 1, line: { color: "#1c64f2", width: 2, dash: "dot" } }],
      annotations: rows ? [] : [{ xref: "paper", yref: "paper", x: 0.5, y: 0.35,
        showarrow: false, text: plain(tr("timeline.empty")), font: { color: "#6b7280" } }],
    };
    const plot = $("timeline");
    Plotly.react(plot, traces, layout, PLOT_CONFIG);
    if (!plot.dataset.whyBound && plot.on) {
      plot.dataset.whyBound = "1";
      plot.on("plotly_click", (ev) => {
        const p = ev.points && ev.points[0];
        if (p && typeof p.customdata === "string") showWhy(p.customdata);
      });
    }
  }

  // An engine command by name ("activate_standby" -> "Bereitschaft aktivieren").
  function commandName(command) {
    if (!command || typeof command !== "object") return "";
    const name = tr(`command.${command.action}`, command.action || "");
    const target = command.asset || command.process || command.team;
    return target ? `${name}: ${nameOf(target)}` : name;
  }

  function markerText(r) {
    const source = (r.cause || "").split(":").slice(1).join(":");
    if (r.event === "hazard") return `${tr("feed.hazard")}: ${tr(`hazard.${r.detail}`, r.detail)}`;
    if (r.event === "trigger") return `${tr("feed.trigger")}: ${source}`;
    if (r.event === "inject" && r.title) return `${tr("feed.inject")}: ${localText(r.title)}`;
    if (r.event === "inject" && cfg.msel && cfg.msel[source]) return `${tr("feed.inject")}: ${cfg.msel[source].title}`;
    let detail = r.detail || "";
    try {
      const parsed = JSON.parse(detail);
      if (parsed && typeof parsed === "object") {
        detail = parsed.text || commandName(parsed) || detail;
      }
    } catch (e) { /* plain text */ }
    return `${tr(`feed.${r.event}`, r.event)}: ${detail}`.slice(0, 200);
  }

  function drawImpact() {
    drawImpactCurves("impact", [{ points: S.impact }], Math.max(S.t * 1.08, S.t + 1800, 4 * 3600));
  }

  // Impact curves ([t, EUR] points as the server sends them) into `target`, up
  // to simulated second `end`: the console's one curve, or the replay page's
  // "what if" (as played and changed, each with a name, colour and dash).
  function drawImpactCurves(target, curves, end) {
    // A name may carry a decision's title from the scenario file: Plotly reads
    // tags in legend names, so it gets the name as text.
    const traces = curves.map((c, i) => ({ type: "scatter", mode: "lines", name: c.name && plain(c.name),
      x: c.points.map((p) => plotX(p[0])), y: c.points.map((p) => p[1]),
      line: { color: c.color || "#d64045", width: 2, shape: "linear", dash: c.dash || "solid" },
      fill: i === 0 ? "tozeroy" : "none", fillcolor: "rgba(214,64,69,0.12)",
      hovertext: c.points.map((p) => `${c.name ? `${plain(c.name)} ` : ""}${fmtT(p[0])}: ${eur.format(p[1])}`),
      hoverinfo: "text" }));
    const top = Math.max(...curves.flatMap((c) => c.points.map((p) => p[1])), 800);
    Plotly.react(target, traces, {
      ...BASE_LAYOUT, height: 260, margin: { l: 70, r: 12, t: 8, b: 50 },
      showlegend: curves.length > 1,
      legend: { orientation: "h", y: 1.0, yanchor: "bottom", x: 1, xanchor: "right" },
      xaxis: { type: "date", range: [plotX(0), plotX(end)], gridcolor: "#e6e9ef",
        tickformat: TICKS, title: ZONE_TITLE },
      yaxis: { range: [0, top * 1.15], gridcolor: "#e6e9ef", ticksuffix: " €", tickformat: ",.0f",
        automargin: true },  // millions of euros need more than the 70 px
    }, PLOT_CONFIG);
  }

  // Layered layout: one column per asset kind, nodes ordered by the mean
  // position of their neighbours (a few barycentre sweeps).
  let positions = new Map();
  let columns = [];
  function layoutGraph() {
    const g = S.graph;
    const byKind = new Map();
    for (const node of g.nodes) {
      if (!byKind.has(node.kind)) byKind.set(node.kind, []);
      byKind.get(node.kind).push(node.id);
    }
    columns = [...byKind.keys()].sort((a, b) => kindIndex(a) - kindIndex(b))
      .map((kind) => ({ kind, ids: byKind.get(kind) }));
    const neighbours = new Map(g.nodes.map((n) => [n.id, []]));
    for (const [a, b] of g.edges) {
      if (neighbours.has(a) && neighbours.has(b)) {
        neighbours.get(a).push(b);
        neighbours.get(b).push(a);
      }
    }
    const y = new Map();
    const place = (col) => col.ids.forEach((id, i) => y.set(id, (i + 1) / (col.ids.length + 1)));
    columns.forEach(place);
    for (let sweep = 0; sweep < 6; sweep++) {
      const order = sweep % 2 ? [...columns].reverse() : columns;
      for (const col of order) {
        const bary = new Map(col.ids.map((id) => {
          const ns = neighbours.get(id);
          return [id, ns.length ? ns.reduce((s, n) => s + y.get(n), 0) / ns.length : y.get(id)];
        }));
        col.ids.sort((a, b) => bary.get(a) - bary.get(b));
        place(col);
      }
    }
    positions = new Map();
    columns.forEach((col, x) => col.ids.forEach((id) => positions.set(id, { x, y: 1 - y.get(id) })));
    // The site of each asset, for the timeline's groups: its location, itself for
    // a site, else the nearest site it stands on (walking up its providers).
    const kinds = new Map(g.nodes.map((n) => [n.id, n]));
    const providers = new Map(g.nodes.map((n) => [n.id, []]));
    for (const [a, b] of g.edges) if (providers.has(b)) providers.get(b).push(a);
    const own = (n) => n.location || (n.kind === "site" ? n.id : null);
    siteOf = new Map();
    for (const n of g.nodes) {
      let found = own(n);
      const seen = new Set([n.id]);
      let level = [n.id];
      while (!found && level.length) {
        const next = [];
        for (const id of level) {
          for (const p of providers.get(id) || []) {
            if (seen.has(p)) continue;
            seen.add(p);
            const site = kinds.has(p) ? own(kinds.get(p)) : null;
            if (site && !found) found = site;
            next.push(p);
          }
        }
        level = next;
      }
      siteOf.set(n.id, found || "");
    }
  }
  let siteOf = new Map();

  function drawGraph() {
    if (!S.graph) return;
    const ok = { x: [], y: [] }, broken = { x: [], y: [] };
    for (const [a, b] of S.graph.edges) {
      const pa = positions.get(a), pb = positions.get(b);
      if (!pa || !pb) continue;
      const target = (S.assetState.get(a) || "up") === "up" ? ok : broken;
      target.x.push(pa.x, pb.x, null);
      target.y.push(pa.y, pb.y, null);
    }
    const nodes = S.graph.nodes.filter((n) => positions.has(n.id));
    const tallest = Math.max(...columns.map((c) => c.ids.length), 1);
    // Every node carries its name, to its right; a click shows why it is down.
    const many = tallest > 20;
    const traces = [
      { type: "scatter", mode: "lines", ...ok, line: { color: "#c5ccd8", width: 1 }, hoverinfo: "skip" },
      { type: "scatter", mode: "lines", ...broken, line: { color: "#e79a9c", width: 1.5 }, hoverinfo: "skip" },
      { type: "scatter", mode: "markers+text", customdata: nodes.map((n) => n.id),
        x: nodes.map((n) => positions.get(n.id).x), y: nodes.map((n) => positions.get(n.id).y),
        text: nodes.map((n) => plain(short(nameOf(n.id), many ? 18 : 24))),
        textposition: "middle right", cliponaxis: false,
        textfont: { size: many ? 9 : 10, color: "#374151" },
        hovertext: nodes.map((n) => plain(`${nameOf(n.id)} (${n.id}) – ${tr(`state.${S.assetState.get(n.id) || "up"}`)}`)),
        hoverinfo: "text",
        marker: { size: nodes.map((n) => (n.kind === "business_process" ? 16 : 10)),
          color: nodes.map((n) => COLORS[S.assetState.get(n.id) || "up"]),
          line: { color: "#fff", width: 1 } } },
    ];
    const annotations = columns.map((col, x) => ({ x, y: 1, yref: "paper", yanchor: "bottom",
      yshift: x % 2 ? 12 : 0, showarrow: false, text: plain(tr(`kind.${col.kind}`, col.kind)),
      font: { size: 10, color: "#6b7280" } }));
    const plot = $("graph");
    Plotly.react(plot, traces, {
      ...BASE_LAYOUT, height: Math.min(Math.max(300, (many ? 15 : 26) * tallest), 900),
      margin: { l: 10, r: 10, t: 36, b: 8 }, showlegend: false,
      xaxis: { visible: false, range: [-0.25, Math.max(columns.length - 0.1, 1)], fixedrange: true },
      yaxis: { visible: false, range: [-0.03, 1.03], fixedrange: true },
      annotations, hovermode: "closest",
    }, PLOT_CONFIG);
    if (!plot.dataset.whyBound && plot.on) {
      plot.dataset.whyBound = "1";
      plot.on("plotly_click", (ev) => {
        const p = ev.points && ev.points[0];
        if (p && typeof p.customdata === "string") showWhy(p.customdata);
      });
    }
  }

  // --- why is it down: the chain of causes of an asset or process ------------------------
  // Clicking an asset or process (graph, timeline, asset list, process board) asks the
  // server for its chain of causes and shows it as a tree in a dialog.

  const tf = (key, vars) => tr(key).replace(/\{(\w+)\}/g, (_, k) => (k in vars ? String(vars[k]) : ""));
  let whyFor = null;

  function whyDialog() {
    let box = $("why-dialog");
    if (box) return box;
    box = el("dialog", { id: "why-dialog", class: "why", "aria-labelledby": "why-title" },
      el("div", { class: "why-top" },
        el("h2", { id: "why-title" }),
        el("button", { type: "button", class: "small", id: "why-close", text: tr("graph.why.close"),
          onclick: () => box.close() })),
      el("p", { class: "muted", id: "why-at" }),
      el("div", { id: "why-chain", "aria-live": "polite" }));
    document.body.append(box);
    return box;
  }

  async function showWhy(id) {
    const box = whyDialog();
    whyFor = id;
    $("why-title").textContent = `${tr("graph.why.title")} – ${nameOf(id)}`; // neutral until it is known
    $("why-at").textContent = "";
    const chain = $("why-chain");
    chain.replaceChildren(el("p", { class: "muted", text: "…" }));
    if (!box.open) box.showModal();
    let data;
    try {
      const res = await fetch(`/api/exercises/${encodeURIComponent(cfg.id)}/why/` +
        `${encodeURIComponent(id)}?lang=${encodeURIComponent(cfg.lang)}`,
      { headers: { authorization: `Bearer ${cfg.token}` } });
      if (!res.ok) {
        let message = `HTTP ${res.status}`;
        try { message = formatDetail(detailOf(await res.json())); } catch (e) { /* not JSON */ }
        throw new Error(message);
      }
      data = await res.json();
    } catch (e) {
      if (whyFor === id) {
        chain.replaceChildren(el("p", { class: "bad", text: `${tr("graph.why.failed")}: ${e.message}` }));
      }
      return;
    }
    if (whyFor === id) renderWhy(data);
  }

  function renderWhy(data) {
    $("why-at").textContent = `${tr("graph.why.at")} ${fmtT(data.t)} · ${dateFmt.format(wallDate(data.t))}`;
    const chain = $("why-chain");
    const top = data.steps[0];
    // "Why is it down?" only for what is down: the question follows the state.
    $("why-title").textContent = `${tr(`graph.why.title_${top ? top.state : "up"}`, tr("graph.why.title"))} – ${nameOf(data.asset)}`;
    if (!top || (top.state === "up" && !top.needs.length && !top.causes.length)) {
      chain.replaceChildren(el("p", { class: "why-up", text: `${nameOf(data.asset)} ${tr("graph.why.up")}` }));
      return;
    }
    const children = new Map();
    for (const s of data.steps) {
      const key = s.parent === null ? "" : s.parent;
      if (!children.has(key)) children.set(key, []);
      children.get(key).push(s);
    }
    const tree = (list) => el("ul", { class: "why-tree" }, ...list.map((s) => whyStep(s, children)));
    chain.replaceChildren(tree(children.get("") || []));
    if (data.truncated) chain.append(el("p", { class: "muted", text: tr("graph.why.truncated") }));
  }

  function whyStep(s, children) {
    const state = el("span", { class: "state", "data-state": s.state,
      text: tr(`state.${s.state}`, s.state) });
    let head = `${nameOf(s.asset)} · ${Math.round(s.capacity * 100)} %`;
    if (s.since !== null && s.state !== "up") head += ` · ${tr("graph.why.since")} ${fmtT(s.since)}`;
    const facts = [];
    for (const c of s.causes) facts.push(el("li", { class: "why-cause", text: whyCause(c) }));
    for (const n of s.needs) facts.push(el("li", { class: "why-need", text: whyNeed(n, s.asset) }));
    if (s.standby) facts.push(el("li", { text: tr("graph.why.standby") }));
    if (s.restart) facts.push(el("li", { text: tf("graph.why.restart", { d: fmtDur(s.restart) }) }));
    if (s.workaround) facts.push(el("li", { text: tr("graph.why.workaround") }));
    if (s.restoring) facts.push(el("li", { text: tr("graph.why.restoring") }));
    const below = children.get(s.asset) || [];
    return el("li", { "data-asset": s.asset, "data-state": s.state },
      el("div", { class: "why-head" }, state, " ", head),
      facts.length ? el("ul", { class: "why-facts" }, ...facts) : null,
      below.length ? el("ul", { class: "why-tree" }, ...below.map((x) => whyStep(x, children))) : null);
  }

  function whyCause(c) {
    // Players learn of a facilitator's inject only its title: without one, just "inject".
    const label = c.hazard && c.label === c.hazard ? tr(`hazard.${c.hazard}`, c.label) : c.label;
    const kind = tr(`graph.why.kind.${c.kind}`, c.kind);
    let out = `← ${c.effect === "isolated" ? `${tr("graph.why.isolated_by")} ` : ""}${kind}`;
    if (label) out += `: ${label}`;
    if (c.at !== null) out += ` (${fmtT(c.at)})`;
    if (c.capacity !== null && c.capacity > 0) out += ` · ${Math.round(c.capacity * 100)} %`;
    if (c.lasting) out += ` · ${tr("graph.why.lasting")}`;
    return out;
  }

  function whyNeed(n, asset) {
    const group = tf(`graph.why.${n.mode}`, { n: n.of, k: n.k });
    let down = n.down.map(nameOf).join(", ") || "–";
    if (n.down_total > n.down.length) down += ` (+${n.down_total - n.down.length})`;
    // the need by its readable name; no "(all 1 needed)" for a single provider
    const label = n.name || n.id;
    const head = n.of === 1 ? `${tr("graph.why.needs")} ${label}` : `${tr("graph.why.needs")} ${label} (${group})`;
    const parts = [`${head}: ${tr("graph.why.missing")} ${down}`];
    if (n.isolated) parts.push(tr("graph.why.isolated"));
    if (n.pending) parts.push(tf("graph.why.pending", { delay: fmtDur(n.delay) }));
    else if (n.delay && n.effective < 1) parts.push(tf("graph.why.delay", { delay: fmtDur(n.delay) }));
    for (const b of n.buffers) {
      let text;
      const buffer = bufferName(asset, b.id); // the author's name for it, never the id
      if (b.drawn) text = tf("graph.why.covered", { buffer, left: fmtDur(b.left) });
      else if (b.empty_at !== null) text = tf("graph.why.empty", { buffer, t: fmtT(b.empty_at) });
      else text = tf("graph.why.left", { buffer, left: fmtDur(b.left) });
      if (b.via_down) text += `, ${tf("graph.why.via_down", { asset: nameOf(b.via) })}`;
      if (b.resupply_down) text += `, ${tf("graph.why.by_down", { asset: nameOf(b.resupply_by) })}`;
      parts.push(text);
    }
    return parts.join(" · ");
  }

  // The asset list and the process board are redrawn often: listen on their
  // containers, and make each asset and process name reachable by keyboard.
  function setupWhy() {
    const targets = [[$("assets"), "[data-asset]", "asset", ".chip[data-asset]"],
      [$("board"), "[data-process]", "process", "td.pname"]];
    for (const [root, selector, field, focusable] of targets) {
      if (!root) continue;
      const open = (e) => {
        const node = e.target.closest(selector);
        if (node && root.contains(node)) showWhy(node.dataset[field]);
      };
      root.addEventListener("click", open);
      root.addEventListener("keydown", (e) => {
        if (e.key === "Enter" || e.key === " ") {
          e.preventDefault();
          open(e);
        }
      });
      const mark = () => root.querySelectorAll(focusable).forEach((node) => {
        if (node.tabIndex !== 0) {
          node.tabIndex = 0;
          node.setAttribute("role", "button");
          node.title = node.title || tr("graph.why.title");
        }
      });
      new MutationObserver(mark).observe(root, { childList: true, subtree: true });
      mark();
    }
    const graph = $("graph");
    if (graph) graph.after(el("p", { class: "hint why-hint", text: tr("graph.why.hint") }));
  }

  // --- the stream ------------------------------------------------------------------------

  function connect() {
    const conn = $("connection");
    const source = new EventSource(
      `/api/exercises/${encodeURIComponent(cfg.id)}/stream?token=${encodeURIComponent(cfg.token)}`);
    source.onopen = () => { conn.dataset.ok = "1"; conn.textContent = ""; };
    source.onerror = () => {
      conn.dataset.ok = "0";
      conn.textContent = tr("console.offline");
      // The browser retries by itself (the server asks for 1 s) unless the
      // answer was an error status (a proxy while the server restarts): then
      // it gives up, and the console starts a new stream.
      if (source.readyState === EventSource.CLOSED) setTimeout(connect, 1000);
    };
    source.onmessage = (event) => {
      conn.dataset.ok = "1";
      conn.textContent = "";
      try {
        const msg = JSON.parse(event.data);
        if (msg.type === "fault") { // the database refused a write: the clock is paused
          const why = msg.message[cfg.lang] || msg.message.en;
          conn.dataset.ok = "0";
          conn.textContent = why;
          toast(why, true);
          return;
        }
        handle(msg);
      } catch (e) {
        console.error(e);
      }
    };
  }


  // --- objectives and the Exercise Evaluation Guide -------------------------------------

  // An observation's tag and HSEEP rating in the page's words.
  function noteFacts(p) {
    const facts = [];
    if (p.tag) facts.push(tr(`console.eeg.tag.${p.tag}`, p.tag));
    if (p.rating) facts.push(tr(`console.eeg.rating.${p.rating}`, p.rating));
    return facts;
  }

  // Who took a decision: a named person as the server names them, else the role.
  const actorName = (ev) => ev.actor_name || tr(`role.${ev.actor}`, ev.actor);
  const hoursText = (h) => fmtDur((h || 0) * 3600);

  // An objective's evidence in words, with times and figures as the page shows them.
  function evidenceText(o) {
    const ev = o.evidence || {};
    const parts = [];
    if (o.check === "within_rto" || o.check === "within_mtpd") {
      const rto = o.check === "within_rto";
      if (ev.breach_at !== null && ev.breach_at !== undefined) {
        parts.push(tf(rto ? "console.obj.rto_breached" : "console.obj.mtpd_breached", { t: fmtT(ev.breach_at) }));
      } else if (ev.limit_h !== null && ev.limit_h !== undefined) {
        const key = ev.below_mbco_h ? (rto ? "console.obj.rto_within" : "console.obj.mtpd_within")
          : (rto ? "console.obj.rto_never" : "console.obj.mtpd_never");
        parts.push(tf(key, { below: hoursText(ev.below_mbco_h), limit: hoursText(ev.limit_h) }));
      }
      if (ev.out) parts.push(tr("console.obj.still_out"));
    } else if (o.check === "max_impact") {
      parts.push(tf("console.obj.impact", { impact: eur.format(ev.impact_eur || 0), amount: eur.format(ev.amount || 0) }));
    } else if (o.check === "decision_before") {
      if (ev.action === undefined) return "";  // a player's view of an open one: the script's
      const action = actionTitle(ev.action);
      if (ev.taken_at !== null && ev.taken_at !== undefined) {
        const vars = { action, t: fmtT(ev.taken_at) };
        if (ev.actor) parts.push(tf("console.obj.taken_by", { ...vars, who: actorName(ev) }));
        else parts.push(tf("console.obj.taken", vars));
      } else {
        parts.push(tf(o.state === "pending" ? "console.obj.due" : "console.obj.not_taken",
          { action, by: fmtT(ev.by) }));
      }
    } else if (o.check === "no_data_loss") {
      parts.push(ev.data_loss_h ? tf("console.obj.data_lost", { lost: hoursText(ev.data_loss_h) })
        : tr("console.obj.no_data_lost"));
    }
    return parts.join(" · ");
  }

  // The state in words and a sign, not by colour alone.
  const STATE_SIGN = { met: "✓", missed: "✗", pending: "…" };

  // A limit that must hold to the end (RTO, MTPD, impact, no data loss) is
  // "met" while the exercise runs only so far: said so until the clock ends.
  function objectiveWord(o) {
    if (o.state === "met" && o.check !== "decision_before" && S.clock !== "ended") return "held";
    return o.state;
  }

  let objectivesKey = "";
  function renderObjectives() {
    const panel = $("objectives-panel");
    if (!panel || S.objectives === null) return;
    const notes = [...S.notes.values()].filter((e) => e.payload.objective);
    const key = JSON.stringify([S.objectives, notes.map((e) => e.seq), S.clock === "ended"]);
    if (key === objectivesKey) return;
    objectivesKey = key;
    panel.hidden = false;
    fillObjectiveChoice();
    if (!S.objectives.length) {
      $("objectives").replaceChildren(el("li", { class: "muted", text: tr("console.objectives_none") }));
      return;
    }
    $("objectives").replaceChildren(...S.objectives.map((o) => {
      const mine = notes.filter((e) => e.payload.objective === o.id);
      const evidence = evidenceText(o);
      return el("li", { class: "objective", "data-objective": o.id, "data-state": o.state },
        el("div", { class: "obj-head" },
          el("span", { class: "obj-state", "data-state": o.state,
            text: `${STATE_SIGN[o.state] || ""} ${tr(`console.obj.${objectiveWord(o)}`, o.state)}` }),
          el("span", { class: "obj-title", text: localText(o.title) })),
        evidence ? el("div", { class: "obj-evidence", text: evidence }) : null,
        mine.length ? el("ul", { class: "obj-notes", "aria-label": tr("console.obj.notes") },
          ...mine.map((e) => el("li", { "data-seq": e.seq, "data-rating": e.payload.rating || null,
            "data-tag": e.payload.tag || null },
          el("span", { class: "ft", text: fmtT(e.t) }), " ",
          e.payload.rating ? el("strong", { class: "obj-rating", text: tr(`console.eeg.rating.${e.payload.rating}`, e.payload.rating) }) : null,
          e.payload.tag ? ` · ${tr(`console.eeg.tag.${e.payload.tag}`, e.payload.tag)}` : null,
          el("div", { class: "obj-note-text", text: e.payload.text })))) : null);
    }));
  }

  // The form's objective choice, from the objectives the stream names.
  function fillObjectiveChoice() {
    const select = $("observation-objective");
    if (!select || select.options.length > 1) return;
    for (const o of S.objectives) select.append(el("option", { value: o.id, text: localText(o.title) }));
  }

  function setupEvaluation() {
    const form = $("observation-form");
    if (!form) return;
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const text = $("observation-text").value.trim();
      if (!text) return;
      // Empty choices are left out: the API takes an observation without them.
      const body = { text };
      const objective = $("observation-objective").value;
      const tag = form.querySelector("input[name=eeg-tag]:checked");
      const rating = form.querySelector("input[name=eeg-rating]:checked");
      if (objective) body.objective = objective;
      if (tag && tag.value) body.tag = tag.value;
      if (rating && rating.value) body.rating = rating.value;
      if (await api("observations", body, e.currentTarget)) { form.reset(); showExpected(); }
    });
    $("observation-objective").addEventListener("change", showExpected);
  }

  // Next to the chosen objective: what the script's injects serving it expect.
  function showExpected() {
    const box = $("observation-expected");
    if (!box) return;
    const objective = $("observation-objective").value;
    const expected = Object.values(cfg.msel || {})
      .filter((m) => objective && m.objective === objective && m.expected_action);
    box.replaceChildren(...(expected.length ? [
      el("strong", { text: tr("console.eeg.expected") }),
      el("ul", {}, ...expected.map((m) => el("li", { text: `${m.title}: ${m.expected_action}` })))] : []));
    box.hidden = !expected.length;
  }

  // --- the controls ----------------------------------------------------------------------

  function setupControls() {
    const older = $("feed-older");
    if (older) older.addEventListener("click", loadOlder);
    const toggle = $("clock-toggle");
    if (toggle) {
      toggle.addEventListener("click", () => api("clock", { action: toggle.dataset.action }, toggle));
      $("speed-form").addEventListener("submit", async (e) => {
        e.preventDefault();
        const input = $("speed-input");
        const speed = Number(input.value);
        if (await api("clock", { action: "speed", speed }, e.currentTarget)) {
          input.dataset.shown = ""; // show what the server reports next
          input.blur();
        }
      });
      $("jump-form").addEventListener("submit", (e) => {
        e.preventDefault();
        api("clock", { action: "jump", by: $("jump-by").value.trim() }, e.currentTarget);
      });
      $("jump-next").addEventListener("click", (e) =>
        api("clock", { action: "jump", to: "next_inject" }, e.currentTarget));
      $("extend-form").addEventListener("submit", (e) => {
        e.preventDefault();
        api("clock", { action: "extend", by: $("extend-by").value.trim() }, e.currentTarget);
      });
      $("message-form").addEventListener("submit", async (e) => {
        e.preventDefault();
        const text = $("message-text").value.trim();
        if (text && await api("injects", addressed({ message: text }), e.currentTarget)) {
          $("message-text").value = "";
        }
      });
      setupHazardForm();
      setupPeople();
    }
    setupEvaluation();
    $("assets-toggle").addEventListener("click", () => $("assets").classList.toggle("compact"));
    $("feed-filter").addEventListener("change", (e) => { $("feed").dataset.filter = e.target.value; });
    const actions = $("actions");
    if (actions) {
      if (!cfg.actions.length) actions.append(el("p", { class: "muted", text: tr("decision.none") }));
      for (const action of cfg.actions) {
        actions.append(el("button", { type: "button", class: "action", "data-action": action.id,
          title: action.description || null, text: action.title,
          onclick: (e) => api("decisions", { action: action.id }, e.currentTarget) }));
      }
      $("decision-form").addEventListener("submit", async (e) => {
        e.preventDefault();
        const text = $("decision-text").value.trim();
        if (text && await api("decisions", { text }, e.currentTarget)) $("decision-text").value = "";
      });
    }
  }

  // The ad hoc inject form, built from the hazard catalogue's JSON schema.
  // --- named people and teams -------------------------------------------------------

  function personName(id) {
    const p = S.people[id];
    if (!p) return null;
    return p.function ? `${p.name} (${p.function})` : p.name;
  }

  function peopleTeams() {
    return [...new Set(Object.values(S.people).map((p) => p.team).filter(Boolean))].sort();
  }

  // An inject to the teams chosen in the inject card (none chosen: everyone).
  function addressed(body) {
    const select = $("inject-teams");
    const teams = select ? [...select.selectedOptions].map((o) => o.value) : [];
    return teams.length ? { ...body, teams } : body;
  }

  function peopleChanged() {
    const teams = peopleTeams();
    const select = $("inject-teams");
    if (select) {
      const chosen = new Set([...select.selectedOptions].map((o) => o.value));
      select.replaceChildren(...teams.map((team) =>
        el("option", { value: team, text: teamName(team), selected: chosen.has(team) })));
      select.closest("label").hidden = !teams.length;
    }
    if ($("people")) loadPeople();
  }

  // Links are shown once (only their hashes are stored): this tab keeps them.
  const LINKS = `tabletop-links-${cfg.id}`;
  function keptLinks() {
    try { return JSON.parse(sessionStorage.getItem(LINKS) || "{}"); } catch (e) { return {}; }
  }
  function keepLink(id, link) {
    const links = keptLinks();
    links[id] = new URL(link, location.href).href;
    try { sessionStorage.setItem(LINKS, JSON.stringify(links)); } catch (e) { /* private mode */ }
  }

  const wall = (iso) => (iso ? new Date(iso).toLocaleString(cfg.lang === "de" ? "de-DE" : "en-GB",
    { dateStyle: "short", timeStyle: "short" }) : "");

  let peopleTimer = null;
  async function loadPeople() {
    clearTimeout(peopleTimer);
    peopleTimer = setTimeout(loadPeople, 20000); // attendance moves on by itself
    let answer;
    try {
      const res = await fetch(`/api/exercises/${encodeURIComponent(cfg.id)}/people`,
        { headers: { authorization: `Bearer ${cfg.token}` } });
      if (!res.ok) return;
      answer = await res.json();
    } catch (e) {
      return; // offline: the next round tries again
    }
    renderPeople(answer);
  }

  function renderPeople(answer) {
    const links = keptLinks();
    const list = $("people");
    if (!answer.people.length) {
      list.replaceChildren(el("li", { class: "muted", text: tr("people.none") }));
    } else {
      list.replaceChildren(...answer.people.map((p) => {
        const seen = p.joined ? `${tr("people.joined")} ${wall(p.joined)}` : tr("people.not_joined");
        const active = p.entries ? ` · ${tr("people.active")} ${wall(p.first_active)}–${wall(p.last_active)}`
          + ` (${p.entries} ${tr("people.entries")})` : "";
        const link = links[p.id];
        return el("li", { class: "person", "data-person": p.id, "data-joined": p.joined ? "1" : "0" },
          el("strong", { text: p.function ? `${p.name} (${p.function})` : p.name }),
          el("span", { class: "muted", text: ` · ${p.team ? teamName(p.team) : tr("people.no_team")} · ${tr(`role.${p.role}`, p.role)}` }),
          el("div", { class: "small", text: seen + active }),
          link ? el("div", { class: "row person-link" },
            el("input", { type: "text", readonly: true, value: link, "aria-label": `${tr("people.link")}: ${p.name}` }),
            el("button", { type: "button", text: tr("people.copy"), onclick: (e) => copy(link, e.currentTarget) }))
            : null,
          // A lost or forwarded link (or one a fork could not copy): a new one, the old stops.
          el("button", { type: "button", class: "small reissue", text: tr("people.reissue"),
            title: tr("people.reissue_hint"), "aria-label": `${tr("people.reissue")}: ${p.name}`,
            onclick: (e) => reissue(p.id, e.currentTarget) }));
      }));
    }
    $("people-teams").replaceChildren(...answer.teams.map((t) => el("li", {
      text: `${t.team ? teamName(t.team) : tr("people.no_team")}: ${t.joined}/${t.people} ${tr("people.joined")}, `
        + `${t.active} ${tr("people.active")}` })));
  }

  async function reissue(id, button) {
    const issued = await api(`people/${encodeURIComponent(id)}/link`, {}, button);
    if (issued && issued.link) {
      keepLink(issued.id, issued.link);
      loadPeople();
    }
  }

  async function copy(link, button) {
    try {
      await navigator.clipboard.writeText(link);
    } catch (e) { // no clipboard (a page not served over https): select it for Ctrl+C
      const input = button.previousElementSibling;
      input.select();
      document.execCommand("copy");
    }
    toast(tr("people.copied"));
  }

  function setupPeople() {
    const form = $("person-form");
    if (!form) return;
    form.addEventListener("submit", async (e) => {
      e.preventDefault();
      const value = (id) => $(id).value.trim();
      const body = { name: value("person-name"), role: $("person-role").value };
      if (value("person-function")) body.function = value("person-function");
      if ($("person-team").value) body.team = $("person-team").value; // a company team's id
      const added = await api("people", body, e.currentTarget);
      if (added && added.link) {
        keepLink(added.id, added.link);
        $("person-name").value = "";
        $("person-function").value = "";
        loadPeople();
      }
    });
    loadPeople();
  }

  function setupHazardForm() {
    const schema = cfg.hazards;
    const defs = schema.$defs || {};
    const mapping = schema.discriminator.mapping;
    const typeSelect = $("hazard-type");
    // A hazard the company offers nothing to act on (a flood without gauges) is
    // shown disabled with the server's reason, in the page's language.
    const unfit = cfg.hazards_unfit || {};
    for (const type of Object.keys(mapping)) {
      const name = tr(`hazard.${type}`, type);
      const option = unfit[type]
        ? el("option", { value: type, disabled: true, title: unfit[type], text: `${name} – ${unfit[type]}` })
        : el("option", { value: type, text: name });
      typeSelect.append(option);
    }
    const resolve = (s) => (s && s.$ref ? defs[s.$ref.split("/").pop()] : s);
    let fields = [];

    function build() {
      const model = resolve({ $ref: mapping[typeSelect.value] });
      const required = new Set(model.required || []);
      fields = [];
      const box = $("hazard-fields");
      box.replaceChildren();
      const about = tr(`hazard_desc.${typeSelect.value}`, (model.description || "").split("\n\n")[0]);
      if (about) box.append(el("p", { class: "hint", text: about }));
      for (const [name, prop] of Object.entries(model.properties)) {
        if (name === "type") continue;
        const field = makeField(name, prop, required.has(name), resolve, typeSelect.value);
        fields.push(field);
        box.append(field.node);
      }
    }
    // The title's hint names the chosen hazard in words; left empty, players read "Ereignis".
    const titleHint = () => {
      $("hazard-title").placeholder = tf("inject.hazard_title_hint",
        { hazard: tr(`hazard.${typeSelect.value}`, typeSelect.value), event: tr("feed.event") });
    };
    typeSelect.addEventListener("change", () => { build(); titleHint(); });
    typeSelect.value = "power_failure" in mapping && !unfit.power_failure ? "power_failure"
      : Object.keys(mapping).find((type) => !unfit[type]);
    build();
    titleHint();

    $("hazard-form").addEventListener("submit", (e) => {
      e.preventDefault();
      const spec = { type: typeSelect.value };
      for (const field of fields) {
        let value;
        try {
          value = field.value();
        } catch (err) {
          toast(`${field.label}: ${tr("done.bad_json")}`, true); // the browser's words are in its own language
          return;
        }
        if (value !== undefined) spec[field.name] = value;
      }
      // What the participants are told (they never see the hazard itself).
      const body = { hazard: spec };
      const title = $("hazard-title").value.trim();
      const message = $("hazard-message").value.trim();
      if (title) body.title = title;
      if (message) body.message = message;
      api("injects", addressed(body), e.currentTarget);
    });
  }

  function makeField(name, prop, required, resolve, hazardType) {
    const label = tr(`field.${name}`, prop.title || name);
    const options = (prop.anyOf || [prop]).map(resolve);
    const nullable = options.some((o) => o.type === "null");
    const real = options.filter((o) => o.type !== "null");
    const enums = real.flatMap((o) => (o.enum ? o.enum : o.const !== undefined ? [o.const] : []));
    const isDuration = real.some((o) => o.type === "string" && o.pattern && o.examples);
    const jsonOption = real.find((o) => o.type === "array" && resolve(o.items || {}).type === "object")
      || real.find((o) => o.type === "object");
    let def = prop.default;
    if (isDuration && typeof def === "number") def = fmtDur(def).replace(/ /g, "");
    if (typeof def === "string" && enums.includes(def)) def = tr(`preset.${def}`, def); // by name
    const hint = def !== undefined && def !== null
      ? `${tr("inject.default")}: ${typeof def === "object" ? JSON.stringify(def) : def}`
      : required ? "" : tr("inject.optional");
    const wrap = el("label", { class: "field", "data-field": name },
      el("span", { class: "flabel", text: required ? `${label} *` : label }));
    const inputs = [];
    let read;

    if (prop["x-widget"] === "asset" || prop["x-widget"] === "team") {
      const multiple = prop.type === "array";
      const select = el("select", { name, multiple, size: multiple ? 5 : null, required });
      if (!multiple) select.append(el("option", { value: "", text: tr("inject.choose") }));
      if (prop["x-widget"] === "team") {
        for (const team of cfg.teams) select.append(el("option", { value: team.id, text: `${team.name} (${team.id})` }));
      } else {
        const kinds = new Map();
        // The server says which assets this hazard's field can name (the
        // catalogue's one rule: a power failure only power feeds).
        const targets = ((cfg.hazard_targets || {})[hazardType] || {})[name];
        const allowed = targets ? new Set(targets) : null;
        for (const a of cfg.assets) {
          if (allowed && !allowed.has(a.id)) continue;
          if (!kinds.has(a.kind)) kinds.set(a.kind, el("optgroup", { label: tr(`kind.${a.kind}`, a.kind) }));
          kinds.get(a.kind).append(el("option", { value: a.id, text: `${a.name} (${a.id})` }));
        }
        [...kinds.entries()].sort((a, b) => kindIndex(a[0]) - kindIndex(b[0]))
          .forEach(([, group]) => select.append(group));
      }
      inputs.push(select);
      read = () => {
        const chosen = [...select.selectedOptions].map((o) => o.value).filter(Boolean);
        if (!chosen.length) return undefined;
        return multiple ? chosen : chosen[0];
      };
    } else if (prop["x-widget"] === "gauge") {
      // The company's gauges only: a flood elsewhere would reach nothing.
      const select = el("select", { name, required });
      select.append(el("option", { value: "", text: tr("inject.choose") }));
      for (const g of cfg.gauges || []) select.append(el("option", { value: g, text: g }));
      if ((cfg.gauges || []).length === 1) select.value = cfg.gauges[0];
      inputs.push(select);
      read = () => select.value || undefined;
    } else if (enums.length) {
      const select = el("select", { name });
      select.append(el("option", { value: "", text: hint || "–" }));
      for (const v of enums) select.append(el("option", { value: v, text: tr(`preset.${v}`, v) }));
      inputs.push(select);
      let area = null;
      if (jsonOption) {
        area = el("textarea", { rows: 2, "aria-label": `${label}: ${tr("field.custom")}`,
          placeholder: `${tr("field.custom")}: ${example(jsonOption, resolve)}` });
        inputs.push(area);
      }
      read = () => {
        if (area && area.value.trim()) return JSON.parse(area.value);
        return select.value ? select.value : undefined;
      };
    } else if (jsonOption) {
      const area = el("textarea", { rows: 2, "aria-label": label, placeholder: example(jsonOption, resolve) });
      inputs.push(area);
      read = () => (area.value.trim() ? JSON.parse(area.value) : undefined);
    } else if (real.some((o) => o.type === "number" || o.type === "integer")) {
      const o = real.find((x) => x.type === "number" || x.type === "integer");
      const input = el("input", { type: "number", name, step: "any", min: o.minimum ?? o.exclusiveMinimum,
        max: o.maximum ?? o.exclusiveMaximum, placeholder: hint, required });
      inputs.push(input);
      read = () => (input.value === "" ? undefined : Number(input.value));
    } else {
      const o = real[0] || {};
      const input = el("input", { type: "text", name, required,
        placeholder: isDuration ? `${hint ? `${hint} · ` : ""}${(o.examples || []).join(", ")}` : hint });
      if (o.pattern) input.setAttribute("pattern", o.pattern.replace(/^\^|\$$/g, ""));
      if (isDuration) input.title = tr("clock.duration_format");
      inputs.push(input);
      read = () => (input.value.trim() === "" ? undefined : input.value.trim());
    }
    wrap.append(...inputs);
    if (nullable && !required && hint && inputs[0].tagName === "SELECT" && !enums.length) {
      wrap.append(el("span", { class: "hint", text: hint }));
    }
    return { name, label, node: wrap, value: read };
  }

  function example(option, resolve) {
    const items = option.type === "array" ? resolve(option.items || {}) : null;
    if (!items) return '{"name": 1.0}';
    const sample = {};
    for (const key of items.required || Object.keys(items.properties || {})) {
      const p = items.properties[key];
      sample[key] = p.type === "number" ? 0.5 : p.examples ? p.examples[1] : "…";
    }
    return JSON.stringify([sample]);
  }

  setupControls();
  if (cfg.mode === "replay") {
    // The replay page (replay.js) feeds full states of the chosen second; the
    // "why" of an asset asks the live engine, so it is not offered there.
    window.tabletopConsole = { cfg, handle, fmtT, fmtDur, tr, toast, refusal, detailOf, el, eur,
      drawImpactCurves };
  } else {
    setupWhy();
    connect();
  }
})();
