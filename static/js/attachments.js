// The attachments card (reports/_attachments.html), a progressive enhancement:
// - a file picker that speaks Vietnamese whatever the browser's locale: the
//   native input stays in the form, visually hidden but focusable, and a label
//   "Chọn tệp" beside the chosen file's name ("Chưa chọn tệp" before);
// - the kind chosen from the file (the first PDF is the signed copy,
//   spreadsheets an annex of figures) until the user picks one himself; the
//   server applies the same rule when the kind is left "from the file";
// - the upload's progress in percent (htmx sends it with XMLHttpRequest).
// The card is swapped by htmx after each change, and this script may be
// inserted with it every time: it sets itself up once and listens on the
// document.
(() => {
  if (window.tongKetAttachments) return;
  window.tongKetAttachments = true;

  const SPREADSHEETS = ["xls", "xlsx"];

  const extensionOf = (name) => {
    const dot = name.lastIndexOf(".");
    return dot < 0 ? "" : name.slice(dot + 1).toLowerCase();
  };

  const kindFor = (form, name) => {
    const extension = extensionOf(name);
    if (extension === "pdf" && form.dataset.hasSignedScan !== "true") return "signed_scan";
    if (SPREADSHEETS.includes(extension)) return "figures";
    return "annex";
  };

  const enhance = (root) => {
    root.querySelectorAll("[data-file-picker]:not(.is-enhanced)").forEach((picker) => {
      picker.classList.add("is-enhanced");
    });
  };

  document.addEventListener("change", (event) => {
    const input = event.target;
    if (input.matches("[data-file-picker] input[type=file]")) {
      const picker = input.closest("[data-file-picker]");
      const label = picker.querySelector("[data-file-picker-name]");
      const names = Array.from(input.files || []).map((file) => file.name);
      label.textContent = names.length ? names.join(", ") : label.dataset.empty;
      label.classList.toggle("text-muted", !names.length);
      const form = input.closest("[data-attachment-upload]");
      const kind = form && form.querySelector("select[name=kind]");
      if (kind && names.length && !kind.dataset.chosen) {
        kind.value = kindFor(form, names[0]);
      }
    } else if (input.matches("[data-attachment-upload] select[name=kind]")) {
      input.dataset.chosen = "true"; // the user's choice stands
    }
  });

  const progressOf = (form) => {
    const box = form.querySelector("[data-upload-progress]");
    return box && { box, bar: box.querySelector(".progress-bar"), meter: box.querySelector(".progress") };
  };

  const show = (progress, percent) => {
    progress.box.classList.remove("d-none");
    progress.bar.style.width = `${percent}%`;
    progress.bar.textContent = `${percent}%`;
    progress.meter.setAttribute("aria-valuenow", String(percent));
  };

  document.addEventListener("htmx:beforeSend", (event) => {
    const form = event.detail.elt;
    if (!form.matches || !form.matches("[data-attachment-upload]")) return;
    const progress = progressOf(form);
    if (!progress) return;
    show(progress, 0);
    event.detail.xhr.upload.addEventListener("progress", (e) => {
      if (e.lengthComputable && e.total) show(progress, Math.floor((e.loaded * 100) / e.total));
    });
  });

  document.addEventListener("htmx:afterRequest", (event) => {
    const form = event.detail.elt;
    if (!form.matches || !form.matches("[data-attachment-upload]")) return;
    // A failed request leaves the form in place: hide the bar.
    const progress = progressOf(form);
    if (progress && !event.detail.successful) progress.box.classList.add("d-none");
  });

  enhance(document);
  document.addEventListener("htmx:load", (event) => enhance(event.detail.elt));
})();
