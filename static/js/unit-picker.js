// Unit pickers (orgunits/fields.py): a text box of unit codes separated by
// commas, which works without JavaScript, becomes a Tom Select picker that
// searches the units as one types (orgunits:pick, at most 20 results, the
// parent and the code shown so two units of one name are told apart). The
// box keeps its name and submits the same codes.
(() => {
  if (typeof window.TomSelect !== "function") return;

  const escape = (text) =>
    String(text ?? "").replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

  const enhance = (input) => {
    if (input.tomselect || !input.dataset.unitPicker) return;
    const wrapper = input.closest("[data-unit-picker-wrapper]");
    const multiple = input.dataset.multiple === "true";
    const url = input.dataset.unitPicker;
    let chosen = [];
    try {
      chosen = JSON.parse(input.dataset.chosen || "[]");
    } catch (error) {
      chosen = [];
    }
    const texts = {
      noResults: input.dataset.noResults || "No unit found",
      typeToSearch: input.dataset.typeToSearch || "Type a name or a code",
      remove: input.dataset.removeLabel || "Remove",
    };
    // The codes the last search returned: only they are proposed (the chosen
    // units stay among Tom Select's options, and must not look like results).
    let latest = null;
    // Django's admin clips overflowing rows: its dropdowns hang from the body.
    const inAdmin = document.body.classList.contains("change-form");
    const picker = new window.TomSelect(input, {
      dropdownParent: inAdmin ? "body" : null,
      valueField: "code",
      labelField: "label",
      searchField: [],
      options: chosen,
      items: chosen.map((unit) => unit.code),
      delimiter: ",",
      maxItems: multiple ? null : 1,
      maxOptions: 20,
      create: false,
      persist: false,
      preload: false,
      loadThrottle: 250,
      closeAfterSelect: !multiple,
      hidePlaceholder: true,
      placeholder: input.dataset.placeholder || texts.typeToSearch,
      plugins: multiple ? { remove_button: { title: texts.remove } } : {},
      // The server has matched names without diacritics: show what it sent.
      score: () => (unit) => (latest === null || latest.has(unit.code) ? 1 : 0),
      shouldLoad: (query) => query.trim().length > 0,
      load(query, callback) {
        const separator = url.includes("?") ? "&" : "?";
        fetch(`${url}${separator}q=${encodeURIComponent(query)}`, {
          headers: { Accept: "application/json" },
          credentials: "same-origin",
        })
          .then((response) => (response.ok ? response.json() : []))
          .then((units) => {
            latest = new Set(units.map((unit) => unit.code));
            this.clearOptions();
            callback(units);
          })
          .catch(() => {
            latest = new Set();
            callback();
          });
      },
      render: {
        option: (unit) =>
          `<div class="unit-option"><span class="unit-option-name">${escape(unit.name)}</span>` +
          `<span class="unit-option-meta">${escape(unit.parent_name)}${unit.parent_name ? " · " : ""}` +
          `${escape(unit.code)}${unit.level ? ` · ${escape(unit.level)}` : ""}</span></div>`,
        item: (unit) => `<div>${escape(unit.label)}</div>`,
        no_results: () => `<div class="no-results">${escape(texts.noResults)}</div>`,
        loading: () => `<div class="spinner-border spinner-border-sm m-2" role="status"></div>`,
      },
    });
    if (wrapper) wrapper.classList.add("is-enhanced");
    const help = input.id && document.getElementById(`${input.id}_helptext`);
    if (help && input.dataset.jsHelp) help.textContent = input.dataset.jsHelp;
    // The label names the search box Tom Select types into (the label's "for"
    // now points at it); the original box, hidden, keeps only the value.
    const control = picker.control_input;
    const label =
      document.querySelector(`label[for="${CSS.escape(`${input.id}-ts-control`)}"]`) ||
      (input.id && document.querySelector(`label[for="${CSS.escape(input.id)}"]`));
    const name = input.getAttribute("aria-label") || (label ? label.textContent.trim() : "");
    if (control && name && !control.getAttribute("aria-labelledby") && !control.getAttribute("aria-label")) {
      control.setAttribute("aria-label", name);
    }
    input.setAttribute("aria-hidden", "true");
  };

  const enhanceAll = (root) => {
    root.querySelectorAll("input[data-unit-picker]").forEach(enhance);
  };
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", () => enhanceAll(document));
  } else {
    enhanceAll(document);
  }
  // Forms added later (a formset's new row, an htmx swap).
  document.addEventListener("htmx:afterSwap", (event) => enhanceAll(event.target));
  window.unitPicker = { enhance, enhanceAll };
})();
