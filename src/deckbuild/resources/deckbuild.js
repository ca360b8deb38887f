/* deckbuild runtime: Quarto behaviours that reveal.js lacks. Runs before Reveal.initialize. */
(function () {
  "use strict";

  // code-line-numbers="1-3|5": highlight ranges, advancing one range per fragment.
  function parseStep(step) {
    const lines = new Set();
    step.split(",").forEach(function (part) {
      const bounds = part.trim().split("-").map(Number);
      if (!bounds[0]) return;
      for (let n = bounds[0]; n <= (bounds[1] || bounds[0]); n++) lines.add(n);
    });
    return lines;
  }

  function showStep(block, lines) {
    block.classList.toggle("has-line-highlights", lines.size > 0);
    block.querySelectorAll("code > span[id]").forEach(function (span, i) {
      span.classList.toggle("highlight-line", lines.has(i + 1));
    });
  }

  document.querySelectorAll("div.sourceCode[data-code-line-numbers]").forEach(function (block) {
    const steps = block.dataset.codeLineNumbers.split("|").map(parseStep);
    block._steps = steps;
    showStep(block, steps[0]);
    steps.slice(1).forEach(function (_, i) {
      const marker = document.createElement("span");
      marker.className = "fragment code-step";
      marker.dataset.step = String(i + 1);
      block.appendChild(marker);
    });
  });

  function onFragment(event) {
    event.fragments.forEach(function (fragment) {
      if (!fragment.classList.contains("code-step")) return;
      const block = fragment.parentElement;
      const shown = block.querySelectorAll(".code-step.visible").length;
      showStep(block, block._steps[shown]);
    });
  }

  // Tabsets (.panel-tabset): buttons switch panels; print shows every tab in order.
  document.querySelectorAll(".panel-tabset").forEach(function (tabset) {
    const buttons = tabset.querySelectorAll(".panel-tabset-tabby button");
    const panels = tabset.querySelectorAll(":scope > .tab-content > .tab-pane");
    buttons.forEach(function (button, i) {
      button.addEventListener("click", function () {
        buttons.forEach(function (b, j) { b.setAttribute("aria-selected", String(i === j)); });
        panels.forEach(function (p, j) { p.classList.toggle("active", i === j); });
      });
    });
  });

  // Print: every page gets the footer and logo; code steps and lazy media in their final state.
  function preparePrint() {
    const reveal = document.querySelector(".reveal");
    const extras = reveal.querySelectorAll(":scope > .footer, :scope > .slide-logo");
    document.querySelectorAll(".pdf-page").forEach(function (page) {
      extras.forEach(function (el) { page.appendChild(el.cloneNode(true)); });
    });
    document.querySelectorAll("div.sourceCode[data-code-line-numbers]").forEach(function (block) {
      showStep(block, block._steps[block._steps.length - 1]);
    });
    document.querySelectorAll(".slides section[aria-hidden], .slides section[hidden]").forEach(function (s) {
      s.removeAttribute("aria-hidden");
      s.removeAttribute("hidden");
    });
    if (/[?&]handout\b/.test(window.location.search)) addHandoutNotes();
  }

  // Handout: each page is the slide with its speaker notes printed underneath.
  function addHandoutNotes() {
    const first = document.querySelector(".pdf-page");
    if (!first) return;
    const width = first.offsetWidth, height = first.offsetHeight, extra = Math.round(height * 0.7);
    const style = document.createElement("style");
    style.textContent = "@page { size: " + width + "px " + (height + extra) + "px; margin: 0; } " +
      ".pdf-page { height: " + (height + extra) + "px !important; }";
    document.head.appendChild(style);
    document.querySelectorAll(".pdf-page").forEach(function (page) {
      const box = document.createElement("div");
      box.className = "handout-notes";
      box.style.top = height + "px";
      box.style.height = (extra - 24) + "px";
      const notes = page.querySelector("aside.notes");
      box.innerHTML = notes && notes.textContent.trim() ? notes.innerHTML : "<p class='handout-empty'>No speaker notes.</p>";
      page.appendChild(box);
    });
  }

  // Print: load every lazy image before reveal.js lays out the pages, so .r-stretch figures are
  // sized from their real dimensions (the template waits for this promise).
  window.deckbuildReady = function () {
    if (!/print-pdf/.test(window.location.search)) return Promise.resolve();
    const media = Array.from(document.querySelectorAll(".slides img[data-src]"));
    return Promise.all(media.map(function (img) {
      return new Promise(function (resolve) {
        img.onload = img.onerror = resolve;
        img.setAttribute("src", img.getAttribute("data-src"));
        img.removeAttribute("data-src");
      });
    }));
  };

  window.addEventListener("load", function () {
    if (!window.Reveal) return;
    Reveal.on("fragmentshown", onFragment);
    Reveal.on("fragmenthidden", onFragment);
    Reveal.on("pdf-ready", preparePrint);
  });
})();
