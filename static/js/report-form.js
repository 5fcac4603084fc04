// Report form: honest autosave (editing → saving → saved / failed, each said
// aloud), unsaved edits kept on this device until the server has them, points
// lists, "use the totals", the contents list on phones.
//
// Editor-agnostic: an item is edited when an `input` or `change` event comes
// from inside its form (the rich-text editor keeps its value in a hidden
// textarea of the form and fires `input` on it). Requests go through htmx (the
// form's `hx-post`, triggered by the `autosave` event), whose answer carries
// the item's status and, out of band, the report's status and completeness.
(() => {
  const DEBOUNCE_MS = 1000; // after the last keystroke
  const RETRY_MS = 10000; // after a failed save, as long as nothing else happens
  document.addEventListener("change", (event) => {
    if (event.target.matches("[data-toggle-below]")) {
      document.querySelectorAll("[data-below]").forEach((el) => el.classList.toggle("d-none", !event.target.checked));
    }
  });

  // Buttons with data-confirm ask first: static/js/confirm.js (every page).

  document.addEventListener("click", (event) => {
    const link = event.target.closest(".report-contents-top a");
    if (link) link.closest("details").open = false; // the phone's list folds after a jump
  });

  const strings = document.getElementById("autosave-strings")?.dataset;
  if (!strings) return;
  const reportId = strings.report;
  const state = new WeakMap();
  const forms = () => document.querySelectorAll("form[data-autosave]");

  const stateOf = (form) => {
    if (!state.has(form)) {
      state.set(form, { edits: 0, sent: 0, dirty: false, inFlight: false, timer: null, conflict: false });
    }
    return state.get(form);
  };
  const statusOf = (form) => form.querySelector(".save-status");
  const versionOf = (form) => form.querySelector('input[name$="-version"]');
  const draftKey = (form) => `tongket:report:${reportId}:item:${form.dataset.item}`;

  const escapeHtml = (text) => {
    const div = document.createElement("div");
    div.textContent = text;
    return div.innerHTML;
  };

  // --- What the field holds, and the copy kept on this device ---------------
  // A table's paste box and the rows ticked to take are sent by their own
  // buttons (a full post), never kept as a draft.
  const transient = (name) => /-(paste|paste_html|take)$/.test(name);
  const valuesOf = (form) =>
    [...new FormData(form).entries()]
      .filter(([name]) => !name.endsWith("-version") && name !== "csrfmiddlewaretoken" && !transient(name))
      .map(([name, value]) => [name, String(value)]);

  const readDraft = (form) => {
    try {
      return JSON.parse(localStorage.getItem(draftKey(form)) || "null");
    } catch (error) {
      return null;
    }
  };
  const writeDraft = (form, version) => {
    try {
      const base = version ?? readDraft(form)?.version ?? versionOf(form).value;
      localStorage.setItem(
        draftKey(form),
        JSON.stringify({ version: String(base), values: valuesOf(form), at: Date.now() }),
      );
      stateOf(form).kept = true;
    } catch (error) {
      stateOf(form).kept = false; // full or forbidden: leaving the page warns
    }
  };
  const dropDraft = (form) => {
    try {
      localStorage.removeItem(draftKey(form));
    } catch (error) {
      /* nothing kept */
    }
  };

  // --- The four states ---------------------------------------------------------
  const show = (form, html, kind) => {
    const status = statusOf(form);
    status.innerHTML = html;
    status.classList.toggle("text-danger", kind === "error");
    status.classList.toggle("text-muted", kind !== "error");
  };
  const showDirty = (form) =>
    show(form, `<span data-state="dirty" data-testid="dirty"><i class="bi bi-pencil" aria-hidden="true"></i> ${escapeHtml(strings.dirty)}</span>`, "dirty");
  const showSaving = (form) =>
    show(form, `<span data-state="saving" data-testid="saving"><span class="spinner-border spinner-border-sm" aria-hidden="true"></span> ${escapeHtml(strings.saving)}</span>`, "saving");
  const showError = (form, reason) =>
    show(
      form,
      `<span data-state="error" data-testid="save-error"><i class="bi bi-exclamation-triangle" aria-hidden="true"></i> ${escapeHtml(strings.failed)} ${escapeHtml(reason)}</span>` +
        ` <button type="button" class="btn btn-link btn-sm p-0 ms-1 align-baseline" data-retry-save data-testid="retry-save">${escapeHtml(strings.retry)}</button>`,
      "error",
    );

  // --- Saving ---------------------------------------------------------------
  const schedule = (form, delay) => {
    const s = stateOf(form);
    clearTimeout(s.timer);
    s.timer = setTimeout(() => save(form), delay);
  };

  const save = (form) => {
    const s = stateOf(form);
    clearTimeout(s.timer);
    if (!s.dirty || s.conflict) return;
    if (s.inFlight) {
      s.again = true; // sent when the answer to the current one is in
      return;
    }
    if (!navigator.onLine) {
      showError(form, strings.offline);
      schedule(form, RETRY_MS);
      return;
    }
    s.sent = s.edits;
    htmx.trigger(form, "autosave");
  };

  const edited = (form, { now = false } = {}) => {
    const s = stateOf(form);
    s.edits += 1;
    s.dirty = true;
    // The rich-text editor writes its hidden input after its own events.
    setTimeout(() => writeDraft(form), 0);
    if (s.conflict) return; // the conflict stays shown until "Save my version"
    if (!s.inFlight) {
      if (navigator.onLine) showDirty(form);
      else showError(form, strings.offline);
    }
    schedule(form, now ? 0 : DEBOUNCE_MS);
  };

  const formOf = (event) => event.target.closest && event.target.closest("form[data-autosave]");

  ["input", "change"].forEach((type) =>
    document.addEventListener(type, (event) => {
      const form = formOf(event);
      if (event.target.closest("[data-no-autosave]")) return;
      if (form && !stateOf(form).restoring) edited(form, { now: type === "change" && event.target.type !== "text" && event.target.type !== "hidden" && event.target.tagName !== "TEXTAREA" });
    }),
  );
  // Leaving the item's fields saves at once.
  document.addEventListener("focusout", (event) => {
    const form = formOf(event);
    if (form && stateOf(form).dirty && !form.contains(event.relatedTarget)) save(form);
  });

  const requestForm = (event) => {
    const elt = event.detail.elt;
    return elt && elt.matches && elt.matches("form[data-autosave]") ? elt : null;
  };
  document.addEventListener("htmx:beforeRequest", (event) => {
    const form = requestForm(event);
    if (!form) return;
    stateOf(form).inFlight = true;
    showSaving(form);
  });
  document.addEventListener("htmx:afterRequest", (event) => {
    const form = requestForm(event);
    if (!form) return;
    const s = stateOf(form);
    s.inFlight = false;
    const xhr = event.detail.xhr;
    if (!event.detail.successful) {
      showError(form, !navigator.onLine || !xhr || xhr.status === 0 ? strings.offline : `${strings.server} (${xhr.status}).`);
      schedule(form, RETRY_MS);
      return;
    }
    const answered = statusOf(form).querySelector("[data-state]")?.dataset.state;
    if (answered === "conflict") {
      s.conflict = true; // the draft stays, with the version it started from
    } else if (answered === "saved") {
      if (s.edits === s.sent) {
        s.dirty = false;
        dropDraft(form);
      } else {
        writeDraft(form, versionOf(form).value); // newer edits start from the saved version
        showDirty(form);
        schedule(form, s.again ? 0 : DEBOUNCE_MS);
      }
    }
    // Refused (a figure that is not one): the reason is shown, the draft kept,
    // and the next edit or "Try again" sends it again.
    s.again = false;
  });

  // A full post of a table item ("Add the pasted rows", "Take the ticked
  // rows") sends every field: the page that comes back has them (as saved, or
  // as posted when refused), and a draft left here would overwrite it.
  document.addEventListener("submit", (event) => {
    const form = event.target.closest && event.target.closest("form[data-autosave]");
    // Only a table's: another item's full post (Enter in a figure) that meets a
    // conflict still has its draft to restore.
    if (!form || !form.querySelector("[data-table-answer]")) return;
    dropDraft(form);
    const s = stateOf(form);
    s.dirty = false;
    clearTimeout(s.timer);
  });

  window.addEventListener("online", () => forms().forEach((form) => stateOf(form).dirty && save(form)));
  window.addEventListener("offline", () =>
    forms().forEach((form) => {
      const s = stateOf(form);
      if (s.dirty && !s.inFlight && !s.conflict) showError(form, strings.offline);
    }),
  );
  window.addEventListener("beforeunload", (event) => {
    // What is kept on this device is restored on the next visit; warn only
    // for what could not be kept.
    const lost = [...forms()].some((form) => stateOf(form).dirty && stateOf(form).kept === false);
    if (lost) {
      event.preventDefault();
      event.returnValue = strings.leave;
    }
  });

  // --- Restoring what a reload, a crash or a lost connection left unsaved ----
  // The rich-text editor (static/js/richtext.js) keeps its Quill on its
  // wrapper; one not set up yet starts from the textarea's value anyway.
  const setEditor = (input, value) => {
    const wrapper = input.closest("[data-richtext]");
    const quill = wrapper && wrapper.quill;
    if (quill) quill.setContents(quill.clipboard.convert({ html: value, text: "\n" }), "silent");
  };

  const restore = (form, draft) => {
    const wanted = new Map();
    draft.values.forEach(([name, value]) => {
      if (!wanted.has(name)) wanted.set(name, []);
      wanted.get(name).push(value);
    });
    const list = form.querySelector("[data-points]");
    if (list) {
      const name = list.dataset.name;
      const count = (wanted.get(name) || []).length;
      while (list.querySelectorAll(".point-row").length < count) {
        const row = list.querySelector(".point-row:last-child").cloneNode(true);
        row.querySelector("input").value = "";
        list.appendChild(row);
      }
    }
    const grid = form.querySelector("[data-table-rows]");
    if (grid) {
      const count = (wanted.get(grid.dataset.uidName) || []).length;
      while (grid.querySelectorAll("tr").length < count) {
        grid.appendChild(grid.querySelector("tr:last-child").cloneNode(true));
      }
    }
    const seen = new Map();
    form.querySelectorAll("[name]").forEach((field) => {
      const name = field.name;
      if (name.endsWith("-version") || name === "csrfmiddlewaretoken" || transient(name)) return;
      const values = wanted.get(name) || [];
      if (field.type === "checkbox" || field.type === "radio") {
        field.checked = values.includes(field.value);
        return;
      }
      const index = seen.get(name) || 0;
      seen.set(name, index + 1);
      field.value = values[index] ?? "";
      if (field.type === "hidden" || field.tagName === "TEXTAREA") setEditor(field, field.value);
    });
    versionOf(form).value = draft.version;
  };

  const sameValues = (a, b) => JSON.stringify(a) === JSON.stringify(b);

  forms().forEach((form) => {
    const draft = readDraft(form);
    if (!draft || !Array.isArray(draft.values)) return;
    if (sameValues(draft.values, valuesOf(form))) {
      dropDraft(form); // the server has it already (its answer was lost on the way)
      return;
    }
    const s = stateOf(form);
    s.restoring = true;
    restore(form, draft);
    setTimeout(() => (s.restoring = false), 0);
    const time = new Date(draft.at).toLocaleTimeString(document.documentElement.lang || "vi", { hour: "2-digit", minute: "2-digit" });
    const note = document.createElement("div");
    note.className = "save-restored alert alert-info py-1 px-2 mt-1 mb-0";
    note.dataset.testid = "restored";
    note.setAttribute("role", "status");
    note.innerHTML = `<i class="bi bi-arrow-counterclockwise" aria-hidden="true"></i> ${escapeHtml(strings.restored.replace("{time}", time))}`;
    statusOf(form).parentElement.before(note);
    s.dirty = true;
    s.edits = 1;
    if (navigator.onLine) showDirty(form);
    else showError(form, strings.offline);
    schedule(form, DEBOUNCE_MS);
  });

  // --- Buttons: points, totals, retry, save over a conflict -----------------
  document.addEventListener("click", (event) => {
    const target = event.target.closest("[data-add-point], [data-remove-point], [data-fill], [data-save-over], [data-retry-save]");
    if (!target) return;
    const form = target.closest("form[data-autosave]") || target.closest("section")?.querySelector("form[data-autosave]");
    if (target.matches("[data-add-point]")) {
      const list = form.querySelector("[data-points]");
      const row = list.querySelector(".point-row:last-child").cloneNode(true);
      row.querySelector("input").value = "";
      list.appendChild(row);
      row.querySelector("input").focus();
    } else if (target.matches("[data-remove-point]")) {
      const list = target.closest("[data-points]");
      if (list.querySelectorAll(".point-row").length > 1) target.closest(".point-row").remove();
      else target.closest(".point-row").querySelector("input").value = "";
      edited(form, { now: true });
    } else if (target.matches("[data-fill]")) {
      const values = JSON.parse(target.dataset.fill);
      Object.entries(values).forEach(([name, value]) => {
        const input = form.querySelector(`[name="${name}"]`);
        if (input) input.value = value;
      });
      edited(form, { now: true });
    } else if (target.matches("[data-save-over]")) {
      const s = stateOf(form);
      versionOf(form).value = target.dataset.saveOver;
      writeDraft(form, target.dataset.saveOver);
      s.conflict = false;
      s.dirty = true;
      save(form);
    } else if (target.matches("[data-retry-save]")) {
      stateOf(form).dirty = true;
      save(form);
    }
  });

})();
