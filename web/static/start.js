// Start and created pages: copy buttons for the links; choosing a file selects "upload".
"use strict";
// The server hands out relative links (never built from the Host header): show
// and copy them complete, as this browser reaches the server.
document.querySelectorAll(".link-box input").forEach((input) => {
  input.value = new URL(input.value, window.location.href).href;
});
document.querySelectorAll("button.copy").forEach((button) => {
  button.addEventListener("click", async () => {
    const input = document.getElementById(button.dataset.target);
    input.select();
    try {
      await navigator.clipboard.writeText(input.value);
    } catch (e) {
      document.execCommand("copy");
    }
    const label = button.textContent;
    button.textContent = button.dataset.done;
    setTimeout(() => { button.textContent = label; }, 1500);
  });
});
document.querySelectorAll("input[type=file]").forEach((input) => {
  input.addEventListener("change", () => {
    const radio = document.querySelector("input[name=source][value=upload]");
    if (radio && input.files.length) radio.checked = true;
  });
});
const scenarioSelect = document.getElementById("scenario");
if (scenarioSelect) {
  scenarioSelect.addEventListener("change", () => {
    const radio = document.querySelector("input[name=source][value=bundled]");
    if (radio) radio.checked = true;
  });
}
