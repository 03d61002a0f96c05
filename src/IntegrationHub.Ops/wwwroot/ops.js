// Shared helpers of the dashboard's pages: fetch with the sign-in cookie, build table rows from text only
// (never HTML from data), format times and rates.
"use strict";

const Ops = {
  async get(path) {
    const answer = await fetch(path, { headers: { "Accept": "application/json" } });
    if (answer.status === 401) { location.href = "/login"; throw new Error("signed out"); }
    if (!answer.ok) { throw await Ops.failure(path, answer); }
    return answer.json();
  },

  // A refusal's reason: the detail of a problem answer (the server says why in words), else the text.
  async failure(path, answer) {
    const text = await answer.text();
    let detail = text;
    try { detail = JSON.parse(text).detail ?? text; } catch { /* plain text */ }
    const error = new Error(answer.status === 503 ? detail : `${path}: ${answer.status} ${detail}`);
    error.status = answer.status;
    return error;
  },

  // A sentence above the page's sections, for what the whole page cannot show and why.
  notice(message) {
    let notice = document.getElementById("notice");
    if (!notice) {
      notice = Ops.el("p", null, "notice");
      notice.id = "notice";
      document.querySelector("main").prepend(notice);
    }
    notice.textContent = message;
  },

  async post(path) {
    const answer = await fetch(path, { method: "POST", headers: { "X-Ops-Dashboard": "1", "Accept": "application/json" } });
    if (!answer.ok) { throw await Ops.failure(path, answer); }
    return answer.json();
  },

  el(tag, text, className) {
    const node = document.createElement(tag);
    if (text !== undefined && text !== null) { node.textContent = String(text); }
    if (className) { node.className = className; }
    return node;
  },

  row(cells, className) {
    const tr = Ops.el("tr", null, className);
    for (const cell of cells) {
      const td = Ops.el("td");
      if (cell instanceof Node) { td.appendChild(cell); }
      else if (cell && typeof cell === "object") { td.textContent = cell.text ?? ""; if (cell.n) { td.className = "n"; } }
      else { td.textContent = cell ?? ""; }
      tr.appendChild(td);
    }
    return tr;
  },

  fill(tbody, rows, empty) {
    tbody.replaceChildren(...rows);
    if (rows.length === 0) {
      const td = Ops.el("td", empty ?? "none", "muted");
      td.colSpan = tbody.closest("table").querySelectorAll("thead th").length;
      const tr = Ops.el("tr"); tr.appendChild(td); tbody.appendChild(tr);
    }
  },

  badge(text, kind) { return Ops.el("span", text, "badge " + (kind ?? "")); },

  time(value) { return value ? new Date(value).toISOString().replace("T", " ").replace(/\.\d+Z$/, " UTC") : ""; },

  rate(value) { return (value ?? 0).toFixed(1); },

  nav(here) {
    const header = document.querySelector("header");
    header.appendChild(Ops.el("strong", "Integration Hub operations"));
    for (const [href, label] of [["/", "Queues"], ["/parked.html", "Parked messages"], ["/requests.html", "Requests"], ["/customer.html", "Customer"]]) {
      const a = Ops.el("a", label, href === here ? "here" : "");
      a.href = href;
      header.appendChild(a);
    }
  },
};
