// The compare page: the later photo over the earlier one, laid into the earlier photo's frame
// by the server's alignment (a 2 × 3 similarity in full-size pixels, data-matrix), shown as
// an overlay (slider = opacity), a wipe (slider = position) or side by side. With no
// alignment, two clicks on each photo ask the server (POST /api/v1/photos/compare) for the
// similarity through those points; nothing is aligned silently.
(function () {
  "use strict";
  const box = document.getElementById("compare");
  if (!box) return;
  const slider = document.getElementById("compare-slider");
  const status = document.getElementById("alignment-status");
  const earlierImg = box.querySelector(".earlier img");
  const laterImg = box.querySelector(".later img");
  let matrix = box.dataset.matrix ? box.dataset.matrix.split(",").map(Number) : null;
  const picks = { earlier: [], later: [] };

  function place() {
    const mode = box.dataset.mode;
    const scale = earlierImg.clientWidth / Number(box.dataset.earlierWidth);
    if (mode === "side" || !matrix) {
      laterImg.style.transform = "";
      laterImg.style.width = "";
    } else {
      const [a, c, tx, b, d, ty] = matrix;
      laterImg.style.width = Number(box.dataset.laterWidth) * scale + "px";
      laterImg.style.transformOrigin = "0 0";
      laterImg.style.transform =
        "matrix(" + [a, b, c, d, tx * scale, ty * scale].join(",") + ")";
    }
    const value = Number(slider.value);
    const later = box.querySelector(".later");
    later.style.opacity = mode === "overlay" ? String(value / 100) : "1";
    later.style.clipPath = mode === "wipe" ? "inset(0 0 0 " + value + "%)" : "none";
  }

  document.querySelectorAll("input[name=mode]").forEach(function (radio) {
    radio.addEventListener("change", function () {
      box.dataset.mode = radio.value;
      place();
    });
  });
  slider.addEventListener("input", place);
  window.addEventListener("resize", place);
  earlierImg.addEventListener("load", place);
  laterImg.addEventListener("load", place);

  function csrf() {
    const match = document.cookie.match(/csrftoken=([^;]+)/);
    return match ? match[1] : "";
  }

  async function alignByHand() {
    const response = await fetch(box.dataset.alignUrl, {
      method: "POST",
      headers: { "Content-Type": "application/json", "X-CSRFToken": csrf() },
      body: JSON.stringify({
        earlier: Number(box.dataset.earlier),
        later: Number(box.dataset.later),
        earlier_points: picks.earlier,
        later_points: picks.later,
      }),
    });
    const body = await response.json();
    if (response.ok && body.ok) {
      matrix = [].concat(body.matrix[0], body.matrix[1]);
      status.textContent = gettext("Aligned by hand on two points.");
      status.className = "alignment ok";
    } else {
      status.textContent = interpolate(gettext("Not aligned: %(reason)s"), { reason: body.reason || body.detail }, true);
    }
    picks.earlier = [];
    picks.later = [];
    place();
  }

  // Manual fallback, in side-by-side mode: two points on the earlier photo, then the same
  // two on the later one, in the same order.
  box.addEventListener("click", function (event) {
    if (matrix || box.dataset.mode !== "side") return;
    const img = event.target.closest("img");
    if (!img) return;
    const which = img === earlierImg ? "earlier" : "later";
    const width = Number(which === "earlier" ? box.dataset.earlierWidth : box.dataset.laterWidth);
    const rect = img.getBoundingClientRect();
    const k = width / rect.width;
    if (picks[which].length < 2) {
      picks[which].push([(event.clientX - rect.left) * k, (event.clientY - rect.top) * k]);
    }
    status.textContent = interpolate(
      gettext("Points placed: earlier %(earlier)s/2, later %(later)s/2."),
      { earlier: picks.earlier.length, later: picks.later.length },
      true,
    );
    if (picks.earlier.length === 2 && picks.later.length === 2) alignByHand();
  });
  place();
})();
