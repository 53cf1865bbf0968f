// neurosim page: the drawing's panels (a neuron's, a weight's, a bias's, or one quantity's line with
// its factors as links), the step, sample and language chosen, and in practice mode the student's
// values judged by NeurosimJudge (page_judge.js). The data is the JSON of views/page_data.py.
"use strict";

const NeurosimPage = (() => {
  const data = JSON.parse(document.getElementById("page-data").textContent);
  const state = { step: 0, sample: 1, lang: data.lang, panel: "" };
  const $ = (selector, root = document) => root.querySelector(selector);
  const $$ = (selector, root = document) => Array.from(root.querySelectorAll(selector));
  const esc = (text) => String(text).replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" }[c]));
  const fill = (template, values) => template.replace(/\{(\w+)\}/g, (m, k) => (k in values ? values[k] : m));
  const t = (key, values = {}) => fill(data.texts[state.lang].ui[key], values);
  const said = (field) => (field === undefined ? "" : typeof field === "string" ? field : field[state.lang]);

  // -- the steps' lines -------------------------------------------------------------------------
  for (const step of data.steps) {
    step.byId = {}; step.byInternal = {}; step.usedBy = {};
    step.lines.forEach((line, k) => {
      if (line.id) step.byId[line.id] = line;
      step.byInternal[line.i] = line;
      for (const name of line.u || []) (step.usedBy[name] = step.usedBy[name] || []).push(k);
    });
  }
  const current = () => data.steps[state.step];
  const tag = () => (current().samples > 1 ? `[${state.sample}]` : "");
  const inSample = (line) => line.s === undefined || current().samples === 1 || line.s === state.sample;

  // -- the student's values (practice) --------------------------------------------------------------
  const storageKey = `${data.key}/values`;
  let entries = {};
  try { entries = JSON.parse(localStorage.getItem(storageKey) || "{}"); } catch (e) { entries = {}; }
  const entryKey = (id) => `${id}@${current().step}`;
  const save = () => { try { localStorage.setItem(storageKey, JSON.stringify(entries)); } catch (e) { /* private mode */ } };

  // The verdict on what the student wrote for `id` (at `step`, default the one shown): {cls, text,
  // verdict, follow}, or null when nothing is written; `follow` says whether a wrong value follows
  // from the student's values before it (page_follow.js), once followThroughAll has run.
  function verdictOf(id, step = current()) {
    const written = entries[`${id}@${step.step}`];
    if (written === undefined || written === "") return null;
    const cleaned = NeurosimJudge.writtenNumber(written);
    if (cleaned === null && NeurosimJudge.hasTooManyDigits(written)) {
      const short = written.length <= 30 ? written : `${written.slice(0, 12)}…${written.slice(-12)}`;
      return { cls: "wrong", text: t("tooManyDigits", { text: short, count: 400 }) };
    }
    if (cleaned === null) return { cls: "wrong", text: t("notANumber", { text: written }) };
    const w = NeurosimJudge.parseWritten(cleaned);
    const computed = NeurosimJudge.checkedValue(w, Number(step.x[id]), step.r[id] === undefined ? undefined
      : Number(step.r[id]), data.roundTo);
    const v = NeurosimJudge.judge(w, computed);
    return { cls: v.kind, text: NeurosimJudge.describe(v, data.texts[state.lang].verdict), verdict: v, cleaned,
             follow: follows.get(`${id}@${step.step}`) || "" };
  }

  // Follow-through over every value written, in every step: for each wrong one, "follows from your
  // X" or (the first in the order of the worked solution) "your first wrong line".
  let follows = new Map();
  function followThroughAll() {
    follows = new Map();
    if (!data.formulas) return;
    const keys = [], texts = [], right = [], where = [];
    const excluded = new Set(data.formulas.x);  // values too wide to follow through on a page (page_formulas.py)
    for (const step of data.steps) {
      for (const line of step.lines) {
        const v = line.id && step.x[line.id] !== undefined ? verdictOf(line.id, step) : null;
        if (!v || !v.verdict || excluded.has(`${step.step}|${line.i}`)) continue;
        keys.push(`${step.step}|${line.i}`);
        texts.push(line.ng ? negated(v.cleaned) : v.cleaned);
        right.push(v.cls !== "wrong");
        where.push(`${line.id}@${step.step}`);
      }
    }
    const results = NeurosimFollow.followThrough(data.formulas, keys, texts, right);
    const order = (k) => (data.formulas.o[k] === undefined ? -1 : data.formulas.o[k]);
    const roots = keys.map((k, i) => i).filter((i) => results[i].verdict === NeurosimFollow.WRONG)
      .sort((a, b) => order(keys[a]) - order(keys[b]));
    results.forEach((r, i) => {
      if (r.verdict === NeurosimFollow.FOLLOWS) {
        const names = r.sources.map((k) => nameOf(k)).join(t("comma"));
        follows.set(where[i], t("follows", { names }));
      } else if (r.verdict === NeurosimFollow.WRONG) {
        follows.set(where[i], i === roots[0] ? t("firstWrong") : t("ownSlip"));
      }
    });
  }

  // A (step|name) key as the page names it: the line's id, with @step where the page has several.
  function nameOf(k) {
    const [step, internal] = [Number(k.split("|")[0]), k.slice(k.indexOf("|") + 1)];
    const s = data.steps.find((x) => x.step === step);
    const line = s && s.byInternal[internal];
    const id = line && line.id ? line.id : internal;
    return data.steps.length > 1 ? `${id}@${step}` : id;
  }

  // check/parse.py's negated: a written number with the other sign, every digit kept.
  function negated(text) {
    const s = text.trim();
    return s.startsWith("-") ? s.slice(1) : "-" + (s.startsWith("+") ? s.slice(1) : s);
  }

  // -- equations ------------------------------------------------------------------------------------
  const link = (id, html) => `<a data-q="${esc(id)}">${html}</a>`;
  // Every name linked in `root` gets its address (the lines carry only data-q, to keep the page small).
  const addresses = (root) => $$("a[data-q]", root).forEach((a) => a.setAttribute("href", fragment(a.dataset.q)));
  const hidden = (line) => data.practice && !line.g;

  function equation(line, main = false) {
    const sides = [line.id ? link(line.id, line.l) : line.l];
    if (line.f) sides.push(line.f);
    if (hidden(line)) {
      const v = line.id && current().x[line.id] !== undefined ? verdictOf(line.id) : null;
      const written = entries[entryKey(line.id)];
      sides.push(v ? `<span class="yours">${esc(written)}</span>` : "?");
      const verdict = v ? ` <span class="verdict ${v.cls}">${esc(v.text)}</span>` +
        (v.follow ? ` <span class="follow">${esc(v.follow)}</span>` : "") : "";
      return `<div class="eq${main ? " current" : ""}">${sides.join(" = ")}${verdict}</div>`;
    }
    if (line.n) sides.push(line.n);
    sides.push(`<span class="value">${esc(line.v)}</span>`);
    const note = said(line.t) ? ` <span class="note">(${esc(said(line.t))})</span>` : "";
    return `<div class="eq${main ? " current" : ""}">${sides.join(" = ")}${note}</div>`;
  }

  // -- panels ----------------------------------------------------------------------------------------
  function panelHtml(id) {
    const step = current();
    const entity = data.entities[id];
    if (entity) {
      const lines = step.lines.filter((line) => line.e === id && inSample(line));
      return `<h2>${esc(entity.title[state.lang])}</h2>` + lines.map((line) => equation(line)).join("");
    }
    const line = step.byId[id];
    if (!line) return `<p>${esc(t("noPanel", { name: id }))}</p>`;
    let html = `<h2>${line.l}</h2>` + equation(line, true);
    if (line.e && data.entities[line.e]) {
      html += `<p>${esc(t("partOf"))} ${link(line.e, esc(data.entities[line.e].title[state.lang]))}</p>`;
    }
    const users = (step.usedBy[id] || []).map((k) => step.lines[k]).filter((user) => user.id);
    html += users.length ? `<p>${esc(t("usedIn"))}</p><ul class="uses">` +
      users.map((user) => `<li>${link(user.id, user.l)}</li>`).join("") + "</ul>" : `<p class="muted">${esc(t("unused"))}</p>`;
    return html;
  }

  function showPanel(id) {
    state.panel = id;
    const panel = $("#panel");
    panel.innerHTML = id ? panelHtml(id) : `<p class="muted">${esc(t("pick"))}</p>`;
    addresses(panel);
    $$("svg [data-panel]").forEach((el) => el.classList.toggle("selected", el.dataset.panel === id));
  }

  // -- where we are: #id or #id@step ------------------------------------------------------------------
  function fragment(id) {
    return "#" + id + (data.steps.length > 1 ? `@${current().step}` : "");
  }

  function readHash() {
    let id = location.hash.slice(1);
    try { id = decodeURIComponent(id); } catch (e) { /* leave it as it is */ }
    const at = id.match(/^(.*)@(\d+)$/);
    if (at && data.steps.some((s) => s.step === Number(at[2]))) {
      id = at[1];
      selectStep(data.steps.findIndex((s) => s.step === Number(at[2])), false);
    }
    const sample = id.match(/\[(\d+)\]$/);
    if (sample && Number(sample[1]) <= current().samples) state.sample = Number(sample[1]);
    state.panel = id;
    refresh();
  }

  function go(id) {
    if (location.hash === fragment(id)) showPanel(id); else location.hash = fragment(id);
  }

  // -- the drawing's values ---------------------------------------------------------------------------
  function fillDrawing() {
    const step = current();
    for (const el of $$("svg [data-v]")) {
      const line = step.byInternal[el.dataset.v + tag()] || step.byInternal[el.dataset.v];
      if (!line) { el.textContent = ""; continue; }
      const written = line.id && entries[entryKey(line.id)];
      el.textContent = hidden(line) ? (written || "?") : line.v;
    }
  }

  // -- controls ---------------------------------------------------------------------------------------
  function selectStep(index, redraw = true) {
    state.step = index;
    const number = String(current().step);
    $$("[data-step]").forEach((el) => { el.hidden = el.dataset.step !== number; });
    if (state.sample > current().samples) state.sample = 1;
    if (redraw) refresh();
  }

  function selectSample(sample, redraw = true) {
    state.sample = sample;
    if (redraw) refresh();
  }

  function selectLanguage(code) {
    state.lang = code;
    document.documentElement.lang = code;
    refresh();
  }

  function controls() {
    const choice = (key, id, options, selected, onChange) => {
      if (options.length < 2) return "";
      setTimeout(() => $(`#${id}`).addEventListener("change", (e) => onChange(e.target.value)));
      return `<label><span data-ui="${key}"></span> <select id="${id}">` + options.map(([value, text]) =>
        `<option value="${esc(value)}"${value === selected ? " selected" : ""}>${esc(text)}</option>`).join("") +
        "</select></label>";
    };
    const samples = Array.from({ length: current().samples }, (_, k) => [String(k + 1), String(k + 1)]);
    $("#controls").innerHTML =
      choice("step", "step", data.steps.map((s, k) => [String(k), String(s.step)]), String(state.step),
             (v) => { selectStep(Number(v)); if (state.panel) history.replaceState(null, "", fragment(state.panel)); }) +
      choice("sample", "sample", samples, String(state.sample), (v) => selectSample(Number(v))) +
      choice("language", "language", Object.entries(data.texts).map(([code, text]) => [code, text.name]), state.lang,
             selectLanguage);
  }

  function refresh() {
    followThroughAll();
    controls();
    $$("[data-ui]").forEach((el) => { el.textContent = t(el.dataset.ui); });
    fillDrawing();
    showPanel(state.panel);
    if (data.practice) practiceList();
  }

  // -- practice ---------------------------------------------------------------------------------------
  const worked = () => current().lines.filter((line) => line.id && !line.g && current().x[line.id] !== undefined);

  function practiceList() {
    const rows = worked().map((line) => {
      const v = verdictOf(line.id);
      const value = entries[entryKey(line.id)] || "";
      return `<tr data-id="${esc(line.id)}"><td>${link(line.id, line.l)}</td><td class="formula">${line.f || ""}</td>` +
        `<td><input data-id="${esc(line.id)}" value="${esc(value)}" inputmode="decimal" autocomplete="off" ` +
        `aria-label="${esc(line.id)}"></td><td class="verdict ${v ? v.cls : ""}">${v ? esc(v.text) : ""}</td>` +
        `<td class="follow">${v && v.follow ? esc(v.follow) : ""}</td></tr>`;
    });
    $("#practice-list").innerHTML = `<table><thead><tr><th>${esc(t("quantity"))}</th><th>${esc(t("formula"))}</th>` +
      `<th>${esc(t("yours"))}</th><th>${esc(t("verdict"))}</th>` +
      `<th>${esc(t("followThrough"))}</th></tr></thead><tbody>${rows.join("")}</tbody></table>`;
    addresses($("#practice-list"));
    progress();
  }

  function progress() {
    const lines = worked();
    const verdicts = lines.map((line) => verdictOf(line.id));
    const done = verdicts.filter((v) => v).length;
    const right = verdicts.filter((v) => v && v.cls !== "wrong").length;
    $("#progress").textContent = t("progress", { right, count: lines.length, done });
    const next = lines.find((line, k) => !verdicts[k] || verdicts[k].cls === "wrong");
    $$("#practice-list tr").forEach((tr) => tr.classList.toggle("next", !!next && tr.dataset.id === next.id));
  }

  function enter(input) {
    const id = input.dataset.id;
    if (input.value.trim() === "") delete entries[entryKey(id)]; else entries[entryKey(id)] = input.value.trim();
    save();
    followThroughAll();
    for (const tr of $$("#practice-list tr[data-id]")) {
      const v = verdictOf(tr.dataset.id);
      const cell = tr.querySelector("td.verdict");
      cell.className = `verdict ${v ? v.cls : ""}`;
      cell.textContent = v ? v.text : "";
      tr.querySelector("td.follow").textContent = v && v.follow ? v.follow : "";
    }
    progress();
    fillDrawing();
    if (state.panel) showPanel(state.panel);
  }

  // The answers CSV `neurosim grade` reads: student, variant, then one column per quantity (name@step
  // unless the step is the exercise's last).
  function answersCsv() {
    const cell = (text) => (/[",;\n]/.test(text) ? `"${text.replace(/"/g, '""')}"` : text);
    const columns = [], values = [];
    for (const step of data.steps) {
      for (const line of step.lines) {
        const written = line.id && entries[`${line.id}@${step.step}`];
        if (!written) continue;
        columns.push(step.step === data.lastStep ? line.id : `${line.id}@${step.step}`);
        values.push(written);
      }
    }
    const student = ($("#student") && $("#student").value.trim()) || "student";
    return ["student", "variant", ...columns].map(cell).join(",") + "\n" +
      [student, data.variant, ...values].map(cell).join(",") + "\n";
  }

  function exportCsv() {
    const blob = new Blob([answersCsv()], { type: "text/csv;charset=utf-8" });
    const a = document.createElement("a");
    a.href = URL.createObjectURL(blob);
    a.download = `${data.variant || "answers"}-answers.csv`;
    document.body.appendChild(a);
    a.click();
    a.remove();
  }

  // -- events -----------------------------------------------------------------------------------------
  document.addEventListener("click", (e) => {
    const target = e.target.closest("a[data-q], svg [data-panel]");
    if (!target) return;
    e.preventDefault();
    go(target.dataset.q || target.dataset.panel);
  });
  for (const el of $$("svg [data-panel][tabindex]")) {
    el.addEventListener("focus", () => {
      showPanel(el.dataset.panel);
      history.replaceState(null, "", fragment(el.dataset.panel));
    });
    el.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") { e.preventDefault(); go(el.dataset.panel); }
    });
  }
  window.addEventListener("hashchange", readHash);
  if (data.practice) {
    $("#practice-list").addEventListener("change", (e) => { if (e.target.matches("input[data-id]")) enter(e.target); });
    $("#practice-list").addEventListener("keydown", (e) => {
      if (e.key !== "Enter" || !e.target.matches("input[data-id]")) return;
      enter(e.target);
      const inputs = $$("#practice-list input");
      const next = inputs[inputs.indexOf(e.target) + 1];
      if (next) next.focus();
    });
    $("#export").addEventListener("click", exportCsv);
    $("#clear").addEventListener("click", () => { entries = {}; save(); refresh(); });
    try { $("#student").value = localStorage.getItem(`${data.key}/student`) || ""; } catch (e) { /* private mode */ }
    $("#student").addEventListener("change", (e) => {
      try { localStorage.setItem(`${data.key}/student`, e.target.value); } catch (err) { /* private mode */ }
    });
  }

  document.documentElement.lang = state.lang;
  selectStep(0, false);
  readHash();
  return { answersCsv, go, selectLanguage, selectStep, state, data };
})();
