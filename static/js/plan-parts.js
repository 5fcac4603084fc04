// The plan's parts: every button posts the whole list (it works without
// JavaScript); this keeps the part the author was working on where it was on
// the screen after the page comes back, instead of jumping to its top.
(() => {
  const KEY = "plan-parts-scroll";
  const form = document.querySelector("[data-parts]")?.closest("form");
  if (!form) return;
  form.addEventListener("submit", (event) => {
    const part = event.submitter?.closest("[data-part]");
    const value = event.submitter?.value || "";
    const state = { path: location.pathname, y: window.scrollY };
    if (part && !value.startsWith("delete:")) {
      state.id = value.startsWith("add:") ? null : part.id;
      state.top = part.getBoundingClientRect().top;
      state.after = value.startsWith("add:") ? part.id : null;
    }
    sessionStorage.setItem(KEY, JSON.stringify(state));
    // The page comes back without an anchor: this script puts the part back.
    const flag = document.createElement("input");
    Object.assign(flag, { type: "hidden", name: "keep_scroll", value: "1" });
    form.append(flag);
  });
  const saved = JSON.parse(sessionStorage.getItem(KEY) || "null");
  sessionStorage.removeItem(KEY);
  if (!saved || saved.path !== location.pathname) return;
  const restore = () => {
    const target = saved.id && document.getElementById(saved.id);
    const after = saved.after && document.getElementById(saved.after);
    if (target) {
      window.scrollTo(0, window.scrollY + target.getBoundingClientRect().top - saved.top);
    } else if (after) {
      window.scrollTo(0, window.scrollY + after.getBoundingClientRect().top - saved.top);
    } else {
      window.scrollTo(0, saved.y);
    }
  };
  // After the editors have drawn their content (their height moves the page).
  window.addEventListener("load", () => requestAnimationFrame(restore));
})();
