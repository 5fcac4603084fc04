// Progress board: filters that apply on change, expand / collapse of the unit
// tree, "select all shown", and ticks and folds that survive the htmx polling.
(() => {
  const ticked = new Set();
  const collapsed = new Set();

  const table = () => document.getElementById("board-table");
  const rows = () => (table() ? table().querySelectorAll("tr[data-path]") : []);
  const boxes = () => (table() ? table().querySelectorAll("input[name=report]") : []);

  function applyFolds() {
    for (const row of rows()) {
      const path = row.dataset.path;
      let hidden = false;
      for (const folded of collapsed) {
        if (path !== folded && path.startsWith(folded)) { hidden = true; break; }
      }
      row.classList.toggle("d-none", hidden);
    }
    for (const button of table() ? table().querySelectorAll("[data-board-toggle]") : []) {
      if ("boardLazy" in button.dataset && !button.dataset.boardLoaded) continue;
      const open = !collapsed.has(button.dataset.boardToggle);
      button.setAttribute("aria-expanded", open ? "true" : "false");
    }
  }

  function refreshTicks() {
    let shown = 0;
    let shownTicked = 0;
    for (const box of boxes()) {
      if (box.closest("tr").classList.contains("d-none")) continue;
      shown += 1;
      if (box.checked) shownTicked += 1;
    }
    const all = document.querySelector("[data-board-select-shown]");
    if (all) {
      all.checked = shown > 0 && shownTicked === shown;
      all.indeterminate = shownTicked > 0 && shownTicked < shown;
    }
    const count = document.querySelector("[data-board-ticked]");
    if (count) count.textContent = ticked.size;
    const send = document.querySelector("[data-board-chase]");
    if (send) send.disabled = ticked.size === 0;
  }

  function restore() {
    const present = new Set();
    for (const box of boxes()) {
      present.add(box.value);
      box.checked = ticked.has(box.value);
    }
    for (const value of [...ticked]) if (!present.has(value)) ticked.delete(value);
    applyFolds();
    refreshTicks();
  }

  document.addEventListener("change", (event) => {
    const target = event.target;
    if (target.closest("#board-filters")) {
      target.form.requestSubmit();
    } else if (target.matches("#board-table input[name=report]")) {
      if (target.checked) ticked.add(target.value); else ticked.delete(target.value);
      refreshTicks();
    } else if (target.matches("[data-board-select-shown]")) {
      for (const box of boxes()) {
        if (box.closest("tr").classList.contains("d-none")) continue;
        box.checked = target.checked;
        if (target.checked) ticked.add(box.value); else ticked.delete(box.value);
      }
      refreshTicks();
    }
  });

  document.addEventListener("click", (event) => {
    const toggle = event.target.closest("[data-board-toggle]");
    if (toggle) {
      if ("boardLazy" in toggle.dataset && !toggle.dataset.boardLoaded) {
        // A large board: the first click has htmx fetch the units below.
        toggle.dataset.boardLoaded = "1";
        collapsed.delete(toggle.dataset.boardToggle);
        toggle.setAttribute("aria-expanded", "true");
        event.preventDefault();
        return;
      }
      if ("boardLazy" in toggle.dataset) event.preventDefault();
      const path = toggle.dataset.boardToggle;
      if (collapsed.has(path)) collapsed.delete(path); else collapsed.add(path);
      applyFolds();
      refreshTicks();
      return;
    }
    const fold = event.target.closest("[data-board-collapse]");
    if (fold) {
      collapsed.clear();
      if (fold.dataset.boardCollapse === "all") {
        for (const button of table().querySelectorAll("[data-board-toggle]")) {
          collapsed.add(button.dataset.boardToggle);
        }
      }
      applyFolds();
      refreshTicks();
    }
  });

  // Rows opened under a row, or the next page in place of a "Xem thêm" row
  // (whose target has left the page by then).
  document.addEventListener("htmx:afterSwap", () => {
    if (table()) restore();
  });
  document.addEventListener("htmx:oobAfterSwap", () => restore());
  // The poll answers 304 when nothing changed: nothing to swap.
  document.addEventListener("DOMContentLoaded", () => {
    if (window.htmx) htmx.config.responseHandling.unshift({ code: "304", swap: false });
  });
  document.addEventListener("DOMContentLoaded", restore);
})();
