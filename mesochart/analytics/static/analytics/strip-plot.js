// The analytics strip/box plot on the vendored uPlot: each patient a dot (jittered within
// its group's column), each group a box (quartiles, median) with whiskers at the 10th and
// 90th percentiles, the "what to expect" band. Clicking a dot opens the patient's progress
// chart when the page gave it a link (only for users who may open it).
(function () {
  "use strict";
  const node = document.getElementById("an-plot-data");
  const box = document.getElementById("an-plot");
  if (!node || !box || typeof uPlot === "undefined") return;
  const data = JSON.parse(node.textContent);
  const dots = [];
  data.groups.forEach(function (g, i) {
    g.dots.forEach(function (d, j) {
      // A fixed jitter (golden-ratio sequence): the same page draws the same picture.
      const jitter = ((j * 0.618034) % 1 - 0.5) * 0.5;
      dots.push({ x: i + jitter, y: d.y, link: d.link, carried: d.carried });
    });
  });
  dots.sort(function (a, b) { return a.x - b.x; });
  const xs = dots.map(function (d) { return d.x; });
  const ys = dots.map(function (d) { return d.y; });

  function boxes(u) {
    const ctx = u.ctx;
    ctx.save();
    ctx.lineWidth = 1.5 * devicePixelRatio;
    data.groups.forEach(function (g, i) {
      if (g.box[2] === null) return;
      const left = u.valToPos(i - 0.35, "x", true), right = u.valToPos(i + 0.35, "x", true);
      const mid = u.valToPos(i, "x", true);
      const p = g.box.map(function (v) { return u.valToPos(v, "y", true); });
      ctx.strokeStyle = "#1f4e79";
      ctx.fillStyle = "rgba(31, 78, 121, 0.12)";
      ctx.fillRect(left, p[3], right - left, p[1] - p[3]);
      ctx.strokeRect(left, p[3], right - left, p[1] - p[3]);
      ctx.beginPath();
      ctx.moveTo(left, p[2]); ctx.lineTo(right, p[2]);
      ctx.moveTo(mid, p[0]); ctx.lineTo(mid, p[1]);
      ctx.moveTo(mid, p[3]); ctx.lineTo(mid, p[4]);
      ctx.stroke();
    });
    ctx.restore();
  }

  const opts = {
    width: Math.min(box.clientWidth || 720, 900),
    height: 360,
    scales: { x: { time: false, range: [-0.6, data.groups.length - 0.4] } },
    axes: [
      { splits: function () { return data.groups.map(function (_g, i) { return i; }); },
        values: function () { return data.groups.map(function (g) { return g.name; }); } },
      { label: data.axis },
    ],
    series: [
      {},
      { label: data.measure, stroke: "#b45309", paths: function () { return null; },
        points: { show: true, size: 7, fill: "#b45309" } },
    ],
    legend: { show: false },
    cursor: { drag: { x: false, y: false } },
    hooks: { draw: [boxes] },
  };
  const plot = new uPlot(opts, [xs, ys], box);
  plot.over.addEventListener("click", function () {
    const idx = plot.cursor.idx;
    if (idx != null && dots[idx] && dots[idx].link) window.location.href = dots[idx].link;
  });
  box.dataset.drawn = String(dots.length);
})();
