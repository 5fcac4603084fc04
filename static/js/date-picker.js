// Dates shown and typed as dd/mm/yyyy whatever the browser's locale (an
// English browser shows mm/dd/yyyy in a native date input, and most office
// machines have one). A progressive enhancement of every input[type=date]:
// flatpickr hides the input, keeps its name, id and ISO value (yyyy-mm-dd, what
// the server reads), and shows a text input beside it where the date is read
// and typed as dd/mm/yyyy; its calendar is in Vietnamese when the page is.
// Changes fire "input" and "change" on the original input, so scripts that
// listen to the form (autosave, the deadlines step) see them as before.
(() => {
  if (typeof window.flatpickr !== "function") return;
  const vietnamese = (document.documentElement.lang || "").toLowerCase().startsWith("vi");

  const labelFor = (input) => {
    if (input.getAttribute("aria-label")) return input.getAttribute("aria-label");
    const label = input.id && document.querySelector(`label[for="${CSS.escape(input.id)}"]`);
    return label ? label.textContent.trim() : "";
  };

  const enhance = (input) => {
    if (input._flatpickr || input.dataset.nativeDate !== undefined) return;
    const shownClass = input.className;
    const picker = window.flatpickr(input, {
      dateFormat: "Y-m-d",
      altInput: true,
      altFormat: "d/m/Y",
      altInputClass: shownClass,
      allowInput: true,
      disableMobile: true,
      monthSelectorType: "static", // a month name and the year fit the calendar's header
      minDate: input.min || null,
      maxDate: input.max || null,
      locale: vietnamese && window.flatpickr.l10ns.vn ? window.flatpickr.l10ns.vn : "default",
    });
    const shown = picker.altInput;
    if (!shown) return;
    shown.placeholder = input.placeholder || "dd/mm/yyyy";
    shown.inputMode = "numeric";
    shown.autocomplete = "off";
    shown.setAttribute("aria-label", `${labelFor(input)} (dd/mm/yyyy)`.trim());
    for (const name of ["aria-describedby", "aria-invalid", "style", "data-testid", "title"]) {
      if (input.hasAttribute(name)) shown.setAttribute(name, input.getAttribute(name));
    }
    input.removeAttribute("data-testid");
    // A label that points at the hidden input focuses the shown one.
    if (input.id) {
      document.querySelectorAll(`label[for="${CSS.escape(input.id)}"]`).forEach((label) => {
        label.addEventListener("click", (event) => {
          event.preventDefault();
          shown.focus();
        });
      });
    }
    // A date typed without leaving the field still counts when the form is sent.
    const form = input.form;
    if (form) {
      form.addEventListener(
        "submit",
        () => {
          if (shown.value.trim() === "") picker.clear();
          else picker.setDate(shown.value, true, "d/m/Y");
        },
        true,
      );
    }
  };

  const enhanceAll = (root) => {
    if (root.matches && root.matches("input[type=date]")) enhance(root);
    root.querySelectorAll && root.querySelectorAll("input[type=date]").forEach(enhance);
  };

  const start = () => {
    enhanceAll(document);
    document.addEventListener("htmx:load", (event) => enhanceAll(event.detail.elt));
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
