// The tree map: clicking a box (or choosing it with the keyboard) shows its card.
"use strict";
(() => {
  const cards = new Map();
  document.querySelectorAll("[data-node]").forEach((card) => cards.set(card.dataset.node, card));
  const panel = document.querySelector("[data-role=card-panel]");
  let chosen = null;

  function choose(box) {
    const id = box.id.replace(/^node_/, "");
    const card = cards.get(id);
    if (!card) return;
    if (chosen) chosen.classList.remove("chosen");
    cards.forEach((c) => (c.hidden = c !== card));
    panel.hidden = false;
    box.classList.add("chosen");
    chosen = box;
  }

  document.querySelector("[data-action=close]").addEventListener("click", () => {
    panel.hidden = true;
    if (chosen) chosen.classList.remove("chosen");
    chosen = null;
  });

  document.querySelectorAll("[data-role=map] g.node").forEach((box) => {
    box.setAttribute("tabindex", "0");
    box.setAttribute("role", "button");
    box.addEventListener("click", () => choose(box));
    box.addEventListener("keydown", (e) => {
      if (e.key === "Enter" || e.key === " ") {
        e.preventDefault();
        choose(box);
      }
    });
  });
})();
