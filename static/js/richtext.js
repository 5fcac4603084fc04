// Trix: plan sections take text only, no files (attachments are not sanitised in).
document.addEventListener("trix-file-accept", (event) => event.preventDefault());
