// The rich-text editor of documents.forms.RichTextField (Quill 2, vendored in
// static/vendor/quill).
//
// The field is a textarea (what the form posts, and all there is without
// JavaScript); here it is hidden and an editor writes its HTML into it on
// every change, firing "input" on it so the forms (autosave) see the change.
// The toolbar comes from the widget's <template>, written by Django in the
// page's language; the editor is named by the field's label or by the
// element its aria-labelledby gives.
//
// An official document's body is made of paragraphs, each printed with its
// first-line indent: a line break inside a paragraph would print as a short
// justified line stretched across the page. Quill has no soft line breaks:
// Enter starts a new paragraph (<p>), and text pasted with line breaks (or
// <br>) becomes one paragraph a line. The server treats a <br> as a paragraph
// break too (documents.richtext), so older text prints right as well; it is
// not rewritten on opening (that would count as an edit and autosave).
//
// Tables: Quill's table module (cells of one paragraph each); pasting from
// Word keeps paragraphs, lists, bold/italic/underline and tables, and the
// server keeps only those (documents.richtext.sanitize).

(() => {
  if (!window.Quill) return;

  const FORMATS = ["bold", "italic", "underline", "list", "table"];

  // Stored text with no paragraph markup at all: one paragraph a line.
  const initialHTML = (value) => {
    if (!value.trim() || /<[a-z]/i.test(value)) return value;
    const escape = (text) => text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;");
    return value
      .split(/\r?\n/)
      .filter((line) => line.trim())
      .map((line) => `<p>${escape(line.trim())}</p>`)
      .join("");
  };

  // The editor's HTML as the server stores it: "" when empty, plain spaces.
  const outputHTML = (quill) => {
    if (quill.getLength() <= 1) return "";
    return quill
      .getSemanticHTML()
      .replace(/&nbsp;/g, " ")
      .replace(/\u00a0/g, " ");
  };

  const labelIdOf = (textarea) => {
    const given = textarea.getAttribute("aria-labelledby");
    if (given) return given;
    const label = textarea.id && document.querySelector(`label[for="${CSS.escape(textarea.id)}"]`);
    if (!label) return "";
    if (!label.id) label.id = `${textarea.id}-label`;
    return label.id;
  };

  const setUp = (wrapper) => {
    if (wrapper.dataset.richtextReady) return;
    const textarea = wrapper.querySelector("textarea");
    const template = wrapper.querySelector("template[data-richtext-toolbar]");
    if (!textarea || !template) return;
    wrapper.dataset.richtextReady = "1";

    const toolbar = template.content.firstElementChild.cloneNode(true);
    toolbar.classList.add("richtext-toolbar");
    const container = document.createElement("div");
    container.className = "richtext-editor";
    wrapper.insertBefore(toolbar, textarea);
    wrapper.insertBefore(container, textarea);
    textarea.hidden = true;

    const quill = new Quill(container, {
      theme: "snow",
      formats: FORMATS,
      modules: {
        table: true,
        toolbar: {
          container: toolbar,
          handlers: {
            "table-insert": () => table().insertTable(2, 2),
            "row-add": () => table().insertRowBelow(),
            "column-add": () => table().insertColumnRight(),
            "row-delete": () => table().deleteRow(),
            "column-delete": () => table().deleteColumn(),
            "table-delete": () => table().deleteTable(),
            undo: () => quill.history.undo(),
            redo: () => quill.history.redo(),
          },
        },
        keyboard: {
          bindings: {
            // A typed "1. " or "- " is the document's own numbering, kept as text.
            "list autofill": false,
          },
        },
      },
    });
    const table = () => quill.getModule("table");

    const value = initialHTML(textarea.value);
    if (value) quill.setContents(quill.clipboard.convert({ html: value, text: "\n" }), "silent");
    quill.history.clear();

    const editor = quill.root;
    const labelId = labelIdOf(textarea);
    if (labelId) editor.setAttribute("aria-labelledby", labelId);
    editor.setAttribute("role", "textbox");
    editor.setAttribute("aria-multiline", "true");
    if (textarea.getAttribute("aria-describedby")) {
      editor.setAttribute("aria-describedby", textarea.getAttribute("aria-describedby"));
    }
    editor.id = `${textarea.id}-editor`;
    toolbar.setAttribute("aria-controls", editor.id);

    // The table tools work only with the caret in a table.
    const inTableButtons = toolbar.querySelectorAll("[data-in-table]");
    const refreshTools = (range) => {
      const inTable = !!(range && table().getTable(range)[0]);
      inTableButtons.forEach((button) => {
        button.disabled = !inTable;
      });
    };
    refreshTools(null);
    quill.on("selection-change", (range) => {
      if (range) refreshTools(range);
    });

    let stored = textarea.value;
    quill.on("text-change", (delta, old, source) => {
      refreshTools(quill.getSelection());
      if (source === "silent") return;
      const html = outputHTML(quill);
      if (html === stored) return;
      stored = html;
      textarea.value = html;
      textarea.dispatchEvent(new Event("input", { bubbles: true }));
    });
    wrapper.quill = quill;
  };

  const setUpAll = (root) => {
    (root || document).querySelectorAll("[data-richtext]").forEach(setUp);
  };
  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", () => setUpAll());
  else setUpAll();
  document.addEventListener("htmx:load", (event) => setUpAll(event.target));
})();
