// The rich-text editor of documents.forms.RichTextField (Trix).
//
// An official document's body is made of paragraphs, each printed with its
// first-line indent: a line break inside a paragraph would print as a short
// justified line stretched across the page. So here Enter starts a new
// paragraph (a new Trix block, one <div>), and text pasted with line breaks
// becomes one paragraph a line. The server treats a <br> as a paragraph break
// too (documents.richtext), so older text prints right as well; it is not
// rewritten on opening (that would count as an edit and autosave).

// Plan sections take text only, no files (attachments are not sanitised in).
document.addEventListener("trix-file-accept", (event) => event.preventDefault());

(() => {
  const editorOf = (target) => target && target.closest && target.closest("trix-editor");

  // Enter in a plain paragraph: a new block. Lists, quotes and headings keep
  // Trix's own behaviour (a new item, leaving the list on an empty one).
  document.addEventListener(
    "keydown",
    (event) => {
      if (event.key !== "Enter" || event.ctrlKey || event.metaKey || event.altKey) return;
      if (event.isComposing) return;
      const element = editorOf(event.target);
      if (!element || !element.editor) return;
      const block = element.editor.composition.getBlock();
      if (block && block.hasAttributes()) return;
      event.preventDefault();
      event.stopPropagation();
      element.editor.recordUndoEntry("Paragraph");
      element.editor.composition.insertBlockBreak();
    },
    true,
  );

  // <br> inside a plain block (what Trix makes of pasted line breaks) split
  // into blocks. A line break and a block break take one position each in a
  // Trix document, so the caret stays where it was.
  const splitBreaks = (html) => {
    const container = document.createElement("div");
    container.innerHTML = html;
    let changed = false;
    for (const block of Array.from(container.children)) {
      if (block.tagName !== "DIV" || !block.querySelector("br")) continue;
      if (block.querySelector("div, ul, ol, blockquote, pre, h1")) continue;
      const pieces = [document.createElement("div")];
      for (const node of Array.from(block.childNodes)) {
        if (node.nodeName === "BR") pieces.push(document.createElement("div"));
        else pieces[pieces.length - 1].appendChild(node);
      }
      // Trix shows an empty block as <div><br></div>.
      for (const piece of pieces) if (!piece.hasChildNodes()) piece.appendChild(document.createElement("br"));
      block.replaceWith(...pieces);
      changed = true;
    }
    return changed ? container.innerHTML : null;
  };

  const normalise = (element) => {
    const editor = element.editor;
    const input = element.inputElement;
    if (!editor || !input) return;
    const html = splitBreaks(input.value);
    if (html === null) return;
    const range = editor.getSelectedRange();
    editor.loadHTML(html);
    editor.setSelectedRange(range);
  };

  document.addEventListener("trix-paste", (event) => {
    const element = editorOf(event.target);
    // After Trix has inserted the paste and written the hidden input.
    if (element) window.setTimeout(() => normalise(element), 0);
  });

})();
