// Report form: autosave state, points lists, "use the totals", leaving with unsaved text.
(() => {
  const dirty = new Set();
  const statusOf = (form) => form.querySelector(".save-status");
  const unsavedText = document.documentElement.lang === "en"
    ? "Not saved yet: no connection. It will be saved when the connection is back."
    : "Chưa lưu: mất kết nối. Sẽ tự lưu khi có mạng trở lại.";

  document.addEventListener("input", (event) => {
    const form = event.target.closest("form[data-autosave]");
    if (form) dirty.add(form);
  });
  document.addEventListener("trix-change", (event) => {
    const form = event.target.closest("form[data-autosave]");
    if (form) dirty.add(form);
  });
  document.addEventListener("htmx:afterRequest", (event) => {
    const form = event.detail.elt.closest && event.detail.elt.closest("form[data-autosave]");
    if (form && event.detail.successful && !form.querySelector("[data-testid=save-conflict]")) {
      dirty.delete(form);
    }
  });
  document.addEventListener("htmx:sendError", (event) => {
    const form = event.detail.elt.closest && event.detail.elt.closest("form[data-autosave]");
    if (form) {
      dirty.add(form);
      statusOf(form).textContent = unsavedText;
      statusOf(form).classList.add("text-danger");
    }
  });
  window.addEventListener("online", () => {
    dirty.forEach((form) => htmx.trigger(form, "retry"));
  });
  window.addEventListener("beforeunload", (event) => {
    if (dirty.size) {
      event.preventDefault();
      event.returnValue = "";
    }
  });

  document.addEventListener("click", (event) => {
    const target = event.target.closest("[data-add-point], [data-remove-point], [data-fill], [data-save-over]");
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
      dirty.add(form);
      htmx.trigger(form, "change");
    } else if (target.matches("[data-fill]")) {
      const values = JSON.parse(target.dataset.fill);
      Object.entries(values).forEach(([name, value]) => {
        const input = form.querySelector(`[name="${name}"]`);
        if (input) input.value = value;
      });
      dirty.add(form);
      htmx.trigger(form, "change");
    } else if (target.matches("[data-save-over]")) {
      form.querySelector('input[name$="-version"]').value = target.dataset.saveOver;
      htmx.trigger(form, "retry");
    }
  });

  document.addEventListener("change", (event) => {
    if (event.target.matches("[data-toggle-below]")) {
      document.querySelectorAll("[data-below]").forEach((el) => el.classList.toggle("d-none", !event.target.checked));
    }
  });

  document.addEventListener("submit", (event) => {
    const button = event.submitter;
    if (button && button.dataset.confirm && !window.confirm(button.dataset.confirm)) event.preventDefault();
  });
})();
