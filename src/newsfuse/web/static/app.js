// newsfuse web app: live story list, fact selection on the story page. Served as a file (the CSP forbids inline script).
"use strict";

// ---- front page: poll /api/changes and swap in the new list without a reload
function liveList() {
  const list = document.getElementById("story-list");
  if (!list || !list.dataset.fragment) return;
  let version = list.dataset.version || "";
  const every = Number(list.dataset.every || 3000);
  async function check() {
    try {
      const r = await fetch("/api/changes", {credentials: "same-origin", cache: "no-store"});
      if (r.ok) {
        const data = await r.json();
        if (data.version !== version) {
          const page = await fetch(list.dataset.fragment, {credentials: "same-origin", cache: "no-store"});
          if (page.ok) {
            list.innerHTML = await page.text();  // server-rendered, every stored text escaped there
            version = data.version;
            list.dataset.version = version;
            const note = document.getElementById("live-note");
            if (note) note.textContent = "updated " + new Date().toLocaleTimeString();
          }
        }
      }
    } catch (e) { /* offline for a moment: try again on the next tick */ }
    setTimeout(check, every);
  }
  setTimeout(check, every);
}

// ---- story page: select a fact, highlight its sentences in every article side by side
function selectFact(factId, articleId) {
  document.querySelectorAll(".sel").forEach((el) => el.classList.remove("sel"));
  document.querySelectorAll(".fact-row.on").forEach((el) => el.classList.remove("on"));
  const row = document.getElementById("row-" + factId);
  if (row) row.classList.add("on");
  const spans = document.querySelectorAll('.article-col [data-facts~="' + factId + '"]');
  const firstIn = {};
  spans.forEach((el) => {
    el.classList.add("sel");
    const col = el.closest(".article-col");
    if (col && !firstIn[col.id]) firstIn[col.id] = el;
  });
  Object.values(firstIn).forEach((el) => {
    const box = el.closest(".article-text");
    if (box) box.scrollTop = el.offsetTop - box.offsetTop - 24;
  });
  const target = articleId ? document.getElementById("col-" + articleId) : null;
  const selected = document.getElementById("selected-fact");
  if (selected) {
    const text = row ? row.querySelector(".fact-text") : null;
    selected.textContent = text ? text.textContent : "";
  }
  const focus = target ? (firstIn[target.id] || target) : Object.values(firstIn)[0];
  if (focus) focus.scrollIntoView({block: "center"});
}

function factClicks() {
  document.querySelectorAll("[data-fact]").forEach((el) => {
    el.addEventListener("click", (event) => {
      if (!document.getElementById("side-by-side")) return;  // no side-by-side view: follow the link
      if (event.metaKey || event.ctrlKey || event.shiftKey) return;  // opening in a new tab is the reader's choice
      event.preventDefault();
      selectFact(el.dataset.fact, el.dataset.article || null);
      history.replaceState(null, "", "#fact-" + el.dataset.fact);
    });
  });
  const m = location.hash.match(/^#fact-(.+)$/);
  if (m) selectFact(decodeURIComponent(m[1]), null);
}

document.addEventListener("DOMContentLoaded", () => { liveList(); factClicks(); });
