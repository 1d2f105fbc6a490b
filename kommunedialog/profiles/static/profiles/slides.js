/* The kommunebilde as slides: one slide at a time, driven by the keyboard. Progressive enhancement:
   without this script the page is a long scrolling document with anchors and next/previous links. */
(function () {
  "use strict";
  var main = document.querySelector("main.slides");
  if (!main) return;
  var slides = Array.prototype.slice.call(main.querySelectorAll("[data-slide]"));
  if (!slides.length) return;
  document.documentElement.classList.add("slides-js");
  var current = 0;

  function indexOf(id) {
    for (var i = 0; i < slides.length; i++) if (slides[i].id === id) return i;
    return -1;
  }

  function show(index, focus) {
    current = Math.max(0, Math.min(slides.length - 1, index));
    slides.forEach(function (slide, i) {
      slide.classList.toggle("is-current", i === current);
    });
    var id = slides[current].id;
    if (window.location.hash !== "#" + id) history.replaceState(null, "", "#" + id);
    if (focus) {
      var title = slides[current].querySelector(".slide__title");
      if (title) title.focus({ preventScroll: true });
    }
  }

  document.addEventListener("keydown", function (event) {
    if (event.altKey || event.ctrlKey || event.metaKey) return;
    var target = event.target;
    if (target && /^(INPUT|TEXTAREA|SELECT)$/.test(target.tagName)) return;
    var moves = {
      ArrowRight: current + 1, ArrowDown: current + 1, PageDown: current + 1, " ": current + 1,
      ArrowLeft: current - 1, ArrowUp: current - 1, PageUp: current - 1,
      Home: 0, End: slides.length - 1
    };
    if (event.key === "Escape") {
      event.preventDefault();
      window.location.href = main.getAttribute("data-leave");
      return;
    }
    if (Object.prototype.hasOwnProperty.call(moves, event.key)) {
      if (event.key === " " && target && /^(A|BUTTON)$/.test(target.tagName)) return;
      event.preventDefault();
      show(moves[event.key], true);
    }
  });

  // The next/previous links and the overview's links move between slides without scrolling.
  main.addEventListener("click", function (event) {
    var link = event.target.closest ? event.target.closest("a[href^='#']") : null;
    if (!link) return;
    var index = indexOf(link.getAttribute("href").slice(1));
    if (index < 0) return;
    event.preventDefault();
    show(index, true);
  });

  window.addEventListener("hashchange", function () {
    var index = indexOf(window.location.hash.slice(1));
    if (index >= 0 && index !== current) show(index, true);
  });

  var start = indexOf(window.location.hash.slice(1));
  show(start < 0 ? 0 : start, false);
})();
