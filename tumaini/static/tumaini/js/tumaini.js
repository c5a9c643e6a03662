// Quick exit: leave at once and replace this page in history so "back" does not return to it.
document.addEventListener("DOMContentLoaded", () => {
  const exit = document.getElementById("quick-exit");
  if (exit) {
    exit.addEventListener("click", (event) => {
      event.preventDefault();
      window.location.replace(exit.href);
    });
  }
});
