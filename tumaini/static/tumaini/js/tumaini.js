// Tumaini: the little JavaScript the site uses. Every page also works without it.
(function () {
  "use strict";

  // Quick exit: leave at once and replace this page in history, so "back" does not return to it.
  function quickExit(link) {
    document.body.classList.add("leaving");
    window.location.replace(link.href);
  }

  function setUpQuickExit() {
    const exit = document.getElementById("quick-exit");
    if (!exit) {
      return;
    }
    exit.addEventListener("click", (event) => {
      event.preventDefault();
      quickExit(exit);
    });
    document.addEventListener("keydown", (event) => {
      // Not while an input method is composing text: there Esc only cancels the composition.
      if (event.key === "Escape" && !event.isComposing && !event.defaultPrevented) {
        quickExit(exit);
      }
    });
    const hint = exit.querySelector(".quick-exit-hint");
    if (hint) {
      hint.hidden = false;
    }
  }

  // A form with errors: move focus to its summary so keyboard and screen-reader users hear it first.
  function focusErrorSummary() {
    const summary = document.querySelector(".error-summary");
    if (summary) {
      summary.focus();
    }
  }

  function start() {
    setUpQuickExit();
    focusErrorSummary();
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
