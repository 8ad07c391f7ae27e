// The web viewer's one script (docs/viewer.md): beside each UTC time, the same instant in the browser's
// own time zone. Pages read fully without it; it only adds text, never markup.
"use strict";
document.addEventListener("DOMContentLoaded", () => {
  const zone = Intl.DateTimeFormat().resolvedOptions().timeZone;
  const format = new Intl.DateTimeFormat(undefined, { dateStyle: "medium", timeStyle: "medium" });
  for (const time of document.querySelectorAll("time[datetime]")) {
    const instant = new Date(time.dateTime);
    if (Number.isNaN(instant.getTime())) continue;
    const local = document.createElement("span");
    local.className = "local";
    local.textContent = `${format.format(instant)} (${zone})`;
    time.insertAdjacentElement("afterend", local);
    time.insertAdjacentText("afterend", " · ");
  }
});
