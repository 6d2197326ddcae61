// The replay page: asks the server for the exercise at a simulated second
// (GET /api/exercises/{id}/replay?at=T) and hands the answer — the same full
// state the live console's stream sends — to console.js, which draws it.
// A slider scrubs; play moves on at a chosen speed (simulated seconds per second).
"use strict";

(() => {
  const view = window.tabletopConsole; // console.js in replay mode
  const cfg = view.cfg;
  const $ = (id) => document.getElementById(id);
  const slider = $("replay-at");
  const playButton = $("replay-play");
  const TICK_MS = 500;
  let end = 0; // where the exercise stands (or ended)
  let shown = null; // the second drawn
  let busy = false;
  let wanted = null; // the second asked for while a request was pending
  let playing = false;
  let timer = null;

  async function load(t) {
    if (busy) { wanted = t; return; }
    busy = true;
    try {
      const query = t === null ? "" : `?at=${Math.round(t)}`;
      const res = await fetch(`/api/exercises/${encodeURIComponent(cfg.id)}/replay${query}`,
        { headers: { authorization: `Bearer ${cfg.token}` } });
      if (!res.ok) {
        let detail = null;
        try { detail = view.detailOf(await res.json()); } catch (e) { /* not JSON */ }
        view.toast(`${view.tr("replay.failed")}: ${view.refusal(res.status, detail)}`, true);
        stop();
        return;
      }
      const msg = await res.json();
      end = msg.end;
      slider.max = String(Math.max(end, 1));
      $("replay-end").textContent = `${view.tr("replay.until")} ${view.fmtT(end)}`;
      shown = msg.t;
      if (document.activeElement !== slider || !playing) slider.value = String(msg.t);
      $("replay-label").textContent = view.fmtT(msg.t);
      view.handle(msg);
      document.body.dataset.at = String(msg.t); // for tests: the second drawn
    } finally {
      busy = false;
      if (wanted !== null) {
        const next = wanted;
        wanted = null;
        load(next);
      }
    }
  }

  function showPlaying() {
    playButton.dataset.playing = playing ? "1" : "0";
    playButton.textContent = view.tr(playing ? "replay.pause" : "replay.play");
  }

  function stop() {
    playing = false;
    clearTimeout(timer);
    timer = null;
    showPlaying();
  }

  async function tick() {
    if (!playing) return;
    const speed = Number($("replay-speed").value) || 3600;
    const next = Math.min(end, (shown || 0) + speed * TICK_MS / 1000);
    await load(next);
    if (next >= end) { stop(); return; }
    if (playing) timer = setTimeout(tick, TICK_MS);
  }

  playButton.addEventListener("click", () => {
    if (playing) { stop(); return; }
    if (shown !== null && shown >= end) load(0).then(() => { playing = true; showPlaying(); timer = setTimeout(tick, TICK_MS); });
    else { playing = true; showPlaying(); timer = setTimeout(tick, TICK_MS); }
  });
  slider.addEventListener("input", () => {
    $("replay-label").textContent = view.fmtT(Number(slider.value));
    load(Number(slider.value));
  });
  load(null); // where the exercise stands
})();
