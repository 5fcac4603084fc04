// The deadlines step: show only the fields the chosen kind of deadline uses
// (without JavaScript they are all shown, and the others are ignored).
document.querySelectorAll("[data-deadline]").forEach((fieldset) => {
  const update = () => {
    const checked = fieldset.querySelector("input[type=radio]:checked");
    const kind = checked ? checked.value : "day";
    fieldset.querySelectorAll("[data-deadline-part]").forEach((part) => {
      part.classList.toggle("d-none", !part.dataset.deadlinePart.split(" ").includes(kind));
    });
  };
  fieldset.addEventListener("change", update);
  update();
});
