// Drag an appointment to another time (and, in the week view, another day; in the day view,
// another practitioner's or room's column) of the calendar.
// Pointer events, so a finger on a tablet works like a mouse. On release the block snaps to
// the quarter hour and the move form is posted through htmx; the server's answer (moved, or
// the rule that refused it) is shown in #sc-answer and the grid is reloaded either way.
(function () {
  "use strict";
  const STEP_MIN = 15;
  let drag = null;

  function lanes() { return Array.from(document.querySelectorAll(".sc-lane")); }

  function laneAt(x, y) {
    return lanes().find((lane) => {
      const r = lane.getBoundingClientRect();
      return x >= r.left && x <= r.right && y >= r.top && y <= r.bottom;
    });
  }

  function startsAt(lane, y) {
    const grid = lane.closest(".sc-grid");
    const dayStarts = parseInt(grid.dataset.dayStarts, 10);
    const top = Math.max(0, y - lane.getBoundingClientRect().top - drag.grabY);
    const minutes = Math.round(top / STEP_MIN) * STEP_MIN + dayStarts * 60;
    const hh = String(Math.floor(minutes / 60)).padStart(2, "0");
    const mm = String(minutes % 60).padStart(2, "0");
    return lane.dataset.date + "T" + hh + ":" + mm;
  }

  document.addEventListener("pointerdown", (event) => {
    const block = event.target.closest(".sc-appointment");
    if (!block || event.button > 0) return;
    drag = { block, x: event.clientX, y: event.clientY, moved: false,
             grabY: event.clientY - block.getBoundingClientRect().top };
    block.setPointerCapture(event.pointerId);
  });

  document.addEventListener("pointermove", (event) => {
    if (!drag) return;
    if (Math.abs(event.clientY - drag.y) + Math.abs(event.clientX - drag.x) > 6) drag.moved = true;
    if (!drag.moved) return;
    event.preventDefault();
    drag.block.style.transform = "translate(" + (event.clientX - drag.x) + "px," + (event.clientY - drag.y) + "px)";
    lanes().forEach((lane) => lane.classList.toggle("sc-over", lane === laneAt(event.clientX, event.clientY)));
  });

  document.addEventListener("pointerup", (event) => {
    if (!drag) return;
    const { block, moved } = drag;
    const lane = laneAt(event.clientX, event.clientY);
    lanes().forEach((l) => l.classList.remove("sc-over"));
    if (!moved || !lane) { drag = null; block.style.transform = ""; return; }
    const values = { starts_at: startsAt(lane, event.clientY) };
    // A day view's lane names its practitioner or room: the move goes to that column's.
    if (lane.dataset.practitioner) values.practitioner = lane.dataset.practitioner;
    if (lane.dataset.room) values.room = lane.dataset.room;
    drag = null;
    window.htmx.ajax("POST", block.dataset.move, {
      target: "#sc-answer", swap: "innerHTML", values: values,
    }).then(() => window.htmx.ajax("GET", window.location.href, { target: "#sc-grid", swap: "innerHTML" }));
  });

  // A drag is not a click: do not follow the block's link after moving it.
  document.addEventListener("click", (event) => {
    const block = event.target.closest(".sc-appointment");
    if (block && block.style.transform) { event.preventDefault(); block.style.transform = ""; }
  }, true);
})();
