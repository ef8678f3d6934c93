// The progress charts: one uPlot chart per series of the page's JSON (outcomes.progress
// .chart_data), with the plan's sessions as dashed markers. Hovering a value shows its text;
// hovering near a marker shows the session's cocktail and lots.
(function () {
  "use strict";
  const data = JSON.parse(document.getElementById("oc-chart-data").textContent);

  const lang = document.documentElement.lang || undefined;
  function dayLabel(t) {
    return new Date(t * 1000).toLocaleDateString(lang, { day: "numeric", month: "short", timeZone: "UTC" });
  }

  function markers(u) {
    const ctx = u.ctx, top = u.bbox.top, height = u.bbox.height;
    ctx.save();
    ctx.strokeStyle = "#b45309";
    ctx.setLineDash([4, 4]);
    ctx.lineWidth = 1.5 * devicePixelRatio;
    data.sessions.forEach(function (s) {
      const x = Math.round(u.valToPos(s.x, "x", true));
      ctx.beginPath(); ctx.moveTo(x, top); ctx.lineTo(x, top + height); ctx.stroke();
    });
    ctx.restore();
  }

  function hoverText(u, series, out) {
    const idx = u.cursor.idx, left = u.cursor.left, lines = [];
    if (idx != null && series.hover[idx] !== undefined) lines.push(series.hover[idx]);
    data.sessions.forEach(function (s) {
      if (left != null && Math.abs(u.valToPos(s.x, "x") - left) < 10) lines.push(s.text);
    });
    out.textContent = lines.join(" · ");
  }

  function draw(series, i) {
    const box = document.getElementById("oc-chart-" + i);
    if (!box || !series.x.length) return;
    const out = box.parentNode.querySelector(".oc-hover");
    const xs = series.x.concat(data.sessions.map(function (s) { return s.x; }));
    const day = 86400, min = Math.min.apply(null, xs) - 3 * day, max = Math.max.apply(null, xs) + 3 * day;
    const yAxis = { label: series.unit || "" , size: series.levels.length ? 120 : 60 };
    if (series.levels.length) {
      yAxis.values = function (u, ticks) {
        return ticks.map(function (t) { return Number.isInteger(t) ? (series.levels[t] || "") : ""; });
      };
      yAxis.splits = function () { return series.levels.map(function (_, i) { return i; }); };
    }
    const opts = {
      width: Math.min(box.clientWidth || 720, 900), height: 240,
      scales: { x: { time: true, range: [min, max] },
                y: series.levels.length ? { range: [-0.5, series.levels.length - 0.5] } : {} },
      series: [{}, { label: series.title, stroke: "#1d4ed8", width: 2,
                     points: { show: true, size: 9, fill: "#1d4ed8" } }],
      axes: [{ values: function (u, ticks) { return ticks.map(dayLabel); } }, yAxis],
      legend: { show: false },
      hooks: { draw: [markers], setCursor: [function (u) { hoverText(u, series, out); }] },
    };
    box.uplot = new uPlot(opts, [series.x, series.y], box);
    box.dataset.drawn = "true";
  }

  data.series.forEach(draw);
})();
