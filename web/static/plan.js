// The facilitator's improvement-plan editor (Maßnahmenplan): lists the plan
// (GET /api/exercises/{id}/plan) and saves one corrective action per click
// (POST .../plan with a fresh Idempotency-Key, retried with the same key if
// the connection drops, as console.js sends commands). Text goes in with
// textContent, never as HTML.
"use strict";

(() => {
  const cfg = JSON.parse(document.getElementById("config").textContent);
  const $ = (id) => document.getElementById(id);
  const list = $("plan-list");
  const form = $("plan-form");
  const note = $("plan-note");
  if (!list || !form) return;
  const api = `/api/exercises/${encodeURIComponent(cfg.id)}/plan`;
  const auth = { authorization: `Bearer ${cfg.token}` };
  const statusText = new Map([...$("plan-status").options].map((o) => [o.value, o.textContent]));
  const FIELDS = ["issue", "action", "objective", "owner", "due", "status"];
  let items = [];

  function newKey() {
    const b = crypto.getRandomValues(new Uint8Array(16));
    return [...b].map((x) => x.toString(16).padStart(2, "0")).join("");
  }

  function say(text, bad) {
    note.textContent = text;
    note.classList.toggle("bad", Boolean(bad));
  }

  function edit(item) {
    $("plan-item").value = item ? item.item : "";
    for (const f of FIELDS) $(`plan-${f}`).value = item ? (item[f] ?? "") : (f === "status" ? "open" : "");
    $("plan-mode").textContent = item ? `${list.dataset.editing}: ${item.item}` : list.dataset.new;
    if (item) $("plan-issue").focus();
  }

  function draw() {
    list.replaceChildren();
    if (!items.length) {
      const li = document.createElement("li");
      li.className = "muted";
      li.textContent = list.dataset.empty;
      list.append(li);
      return;
    }
    for (const item of items) {
      const li = document.createElement("li");
      li.dataset.item = item.item;
      const head = document.createElement("strong");
      head.textContent = `${item.item} · ${statusText.get(item.status) || item.status}`;
      const what = document.createElement("span");
      what.textContent = ` ${item.issue} → ${item.action}`
        + (item.owner ? ` (${item.owner}${item.due ? `, ${item.due}` : ""})` : item.due ? ` (${item.due})` : "");
      const button = document.createElement("button");
      button.type = "button";
      button.className = "small";
      button.textContent = list.dataset.edit;
      button.setAttribute("aria-label", `${list.dataset.edit}: ${item.item}`);
      button.addEventListener("click", () => edit(item));
      li.append(head, what, " ", button);
      list.append(li);
    }
  }

  async function load() {
    try {
      const res = await fetch(api, { headers: auth });
      if (res.ok) { items = await res.json(); draw(); }
    } catch (e) { /* offline: the list stays as it was */ }
  }

  function detailText(detail, status) {
    if (Array.isArray(detail) && detail.length) {
      const d = detail[0];
      const field = (d.loc || []).slice(1).join(".");
      return `${field}: ${(cfg.lang === "de" && d.msg_de) || d.msg}`;
    }
    return typeof detail === "string" ? detail : `HTTP ${status}`;
  }

  form.addEventListener("submit", async (event) => {
    event.preventDefault();
    const body = {};
    const item = $("plan-item").value;
    if (item) body.item = item;
    for (const f of FIELDS) {
      const v = $(`plan-${f}`).value.trim();
      if (v) body[f] = v;
    }
    const buttons = [...form.querySelectorAll("button")];
    for (const b of buttons) { b.disabled = true; b.dataset.busy = "1"; }
    const key = newKey();
    try {
      let res = null;
      for (let attempt = 1; attempt <= 3 && res === null; attempt++) {
        try {
          res = await fetch(api, { method: "POST", body: JSON.stringify(body),
            headers: { ...auth, "content-type": "application/json", "idempotency-key": key } });
        } catch (e) {
          if (attempt < 3) await new Promise((r) => { setTimeout(r, 1000); });
        }
      }
      if (res === null) { say("offline", true); return; }
      if (res.ok) {
        const saved = (await res.json()).seq;
        say(`${list.dataset.new === $("plan-mode").textContent ? "+" : "✓"} #${saved}`);
        edit(null);
        await load();
      } else {
        let detail = null;
        try {
          const body = await res.json();
          detail = (cfg.lang === "de" && body.detail_de) || body.detail; // German on a German page
        } catch (e) { /* not JSON */ }
        say(detailText(detail, res.status), true);
      }
    } finally {
      for (const b of buttons) { delete b.dataset.busy; b.disabled = false; }
    }
  });
  $("plan-reset").addEventListener("click", () => edit(null));
  load();
})();
