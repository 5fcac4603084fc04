// Table answers of the report form (reports/_answer_table.html): add and
// remove rows, number them, keep the HTML of a table pasted into the paste
// box (Word puts its table there as HTML, Excel as tab-separated text; the
// server reads either). Each edit fires `input` so report-form.js autosaves.
(() => {
  const uid = () => {
    const bytes = new Uint8Array(4);
    crypto.getRandomValues(bytes);
    return [...bytes].map((b) => b.toString(16).padStart(2, "0")).join("");
  };
  const renumber = (body) =>
    body.querySelectorAll("[data-row-number]").forEach((cell, i) => (cell.textContent = String(i + 1)));
  const changed = (element) => element.dispatchEvent(new Event("input", { bubbles: true }));

  const blank = (row, body) => {
    row.querySelectorAll("input[type=text], textarea").forEach((field) => (field.value = ""));
    row.querySelectorAll("select").forEach((field) => (field.selectedIndex = 0));
    row.querySelectorAll(".table-answer-delete").forEach((label) => label.remove());
    const unit = row.querySelector("[data-testid=row-unit]");
    if (unit) unit.textContent = body.dataset.ownUnit || "";
    delete row.dataset.origin;
    row.querySelector('input[type=hidden][name$="-uid"]').value = uid();
    return row;
  };

  const setUp = (editor) => {
    editor.querySelectorAll("[data-add-row], [data-remove-row]").forEach((b) => b.classList.remove("d-none"));
    // With JavaScript a row is removed by its button; the boxes are for pages without.
    editor.querySelectorAll(".table-answer-delete").forEach((label) => label.classList.add("d-none"));
    const body = editor.querySelector("[data-table-rows]");
    const last = body.querySelector("tr:last-child input[type=hidden]");
    if (last && !last.value) last.value = uid(); // the blank row keeps one id over autosaves
  };
  document.querySelectorAll("[data-table-answer]").forEach(setUp);

  document.addEventListener("click", (event) => {
    const add = event.target.closest("[data-add-row]");
    const remove = event.target.closest("[data-remove-row]");
    if (!add && !remove) return;
    const editor = event.target.closest("[data-table-answer]");
    const body = editor.querySelector("[data-table-rows]");
    if (add) {
      const row = blank(body.querySelector("tr:last-child").cloneNode(true), body);
      body.appendChild(row);
      renumber(body);
      row.querySelector("input[type=text], textarea").focus();
      return;
    }
    const row = remove.closest("tr");
    // A row taken from a unit below, cut: its proposal says so (taken again after a reload).
    const proposal = row.dataset.origin && editor.querySelector(`[data-key="${CSS.escape(row.dataset.origin)}"]`);
    if (proposal) {
      proposal.querySelector("[data-in-list]")?.classList.add("d-none");
      proposal.querySelector("[data-cut-note]")?.classList.remove("d-none");
    }
    if (body.querySelectorAll("tr").length > 1) {
      const next = row.nextElementSibling || row.previousElementSibling;
      row.remove();
      renumber(body);
      next.querySelector("input[type=text], textarea").focus();
    } else {
      blank(row, body);
    }
    changed(body);
  });

  // Enter in a cell neither submits the form nor pastes: it moves on.
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Enter" || !event.target.matches("[data-table-answer] input[type=text]")) return;
    event.preventDefault();
  });

  document.addEventListener("paste", (event) => {
    const box = event.target.closest && event.target.closest("[data-paste]");
    if (!box) return;
    const html = event.clipboardData && event.clipboardData.getData("text/html");
    const hidden = box.parentElement.querySelector("[data-paste-html]");
    if (hidden) hidden.value = html && /<table/i.test(html) ? html : "";
  });
})();
