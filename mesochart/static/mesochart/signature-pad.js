/* A small signature pad: draw on a <canvas data-signature-pad> with a finger, a stylus or the
   mouse (pointer events), and the form posts the drawing as a PNG data URL in the hidden input
   named by data-target. "Clear" ([data-signature-clear]) starts again. No library. */
(function () {
  "use strict";

  function setUp(canvas) {
    const form = canvas.closest("form");
    const input = document.getElementById(canvas.dataset.target);
    const status = form.querySelector("[data-signature-status]");
    const clear = form.querySelector("[data-signature-clear]");
    const context = canvas.getContext("2d");
    let drawing = false;
    let last = null;
    let inked = false;

    // Draw at the screen's real resolution, so the line stays sharp on a tablet.
    function resize() {
      const ratio = Math.max(window.devicePixelRatio || 1, 1);
      const box = canvas.getBoundingClientRect();
      canvas.width = Math.round(box.width * ratio);
      canvas.height = Math.round(box.height * ratio);
      context.setTransform(ratio, 0, 0, ratio, 0, 0);
      context.lineWidth = 2.6;
      context.lineCap = "round";
      context.lineJoin = "round";
      context.strokeStyle = "#10243a";
    }

    // A resize (rotating the tablet) clears a canvas: keep the signature, scaled to fit.
    function resizeKeepingInk() {
      const kept = inked ? canvas.toDataURL("image/png") : null;
      resize();
      if (!kept) return;
      const image = new Image();
      image.onload = function () {
        const box = canvas.getBoundingClientRect();
        context.drawImage(image, 0, 0, box.width, box.height);
        input.value = canvas.toDataURL("image/png");
      };
      image.src = kept;
    }

    function reset() {
      context.clearRect(0, 0, canvas.width, canvas.height);
      inked = false;
      input.value = "";
      say(gettext("The box is empty."));
    }

    function say(text) {
      if (status) status.textContent = text;
    }

    function point(event) {
      const box = canvas.getBoundingClientRect();
      return { x: event.clientX - box.left, y: event.clientY - box.top };
    }

    canvas.addEventListener("pointerdown", function (event) {
      event.preventDefault();
      canvas.setPointerCapture(event.pointerId);
      drawing = true;
      last = point(event);
      context.beginPath();
      context.arc(last.x, last.y, context.lineWidth / 2, 0, Math.PI * 2);
      context.fillStyle = context.strokeStyle;
      context.fill();
    });

    canvas.addEventListener("pointermove", function (event) {
      if (!drawing) return;
      event.preventDefault();
      const events = event.getCoalescedEvents ? event.getCoalescedEvents() : [event];
      events.forEach(function (each) {
        const next = point(each);
        context.beginPath();
        context.moveTo(last.x, last.y);
        context.lineTo(next.x, next.y);
        context.stroke();
        last = next;
      });
      inked = true;
    });

    function finish() {
      if (!drawing) return;
      drawing = false;
      inked = true;
      input.value = canvas.toDataURL("image/png");
      say(gettext("Signed. Tap Clear to start again."));
    }

    canvas.addEventListener("pointerup", finish);
    canvas.addEventListener("pointercancel", finish);
    canvas.addEventListener("lostpointercapture", finish);
    if (clear) clear.addEventListener("click", reset);

    form.addEventListener("submit", function (event) {
      if (!inked) {
        event.preventDefault();
        say(gettext("Please sign in the box first."));
        canvas.scrollIntoView({ block: "center" });
        return;
      }
      input.value = canvas.toDataURL("image/png");
    });

    resize();
    reset();
    let width = canvas.getBoundingClientRect().width;
    window.addEventListener("resize", function () {
      const now = canvas.getBoundingClientRect().width;
      if (Math.abs(now - width) > 1) {
        width = now;
        resizeKeepingInk();
      }
    });
  }

  document.addEventListener("DOMContentLoaded", function () {
    document.querySelectorAll("canvas[data-signature-pad]").forEach(setUp);
  });
})();
