// mesochart chart editor: regions, measurements and injection points on an area figure.
//
// Plain ES module, no framework, no build step. The page includes planning/_chart_editor.html:
// the figures as inline SVG and three JSON blocks: the editor state (#pl-state, with the
// version every save sends back), the regions (#pl-regions) and the geometry of every view
// (#pl-geometry). Two pages use it, configured by data attributes on the root:
//   data-save, data-save-method  where the regions are saved, under data-api (the plan:
//                                PUT /plans/{id}/regions; a session: PATCH /sessions/{id})
//   data-check                   the page that renders the live dose check (the plan's,
//                                planning/_check.html) for the regions sent; absent: none
//   data-measure="fixed"         the measurements are not edited here (a session draws its
//                                points on the plan's measured regions)
//   data-readonly                no editing control is rendered (a signed session): each
//                                control is optional here, and the table lists plain text
// A form marked data-saves-chart saves unsaved points before it is submitted, every element
// bound to "version" follows the version each save returns, and each save dispatches
// "pl-saved" (bubbling, detail: {version}) for what the page shows of the saved record.
//
// Points are named objects here (chart/points.js converts the wire's arrays at the edges);
// where they are drawn is chart/geometry.js, with the scale factors the server sends.

import { fromFigure, middle, round3, toFigure } from "./chart/geometry.js";
import { fromWire, isCustom, toWire } from "./chart/points.js";

const root = document.getElementById("pl-editor");
const json = (id) => JSON.parse(document.getElementById(id).textContent);
const state = json("pl-state");
const regions = json("pl-regions").map((r) => ({ ...r, points: r.points.map(fromWire) }));
const geometry = json("pl-geometry");
const api = root.dataset.api;
const csrf = root.dataset.csrf;
const savePath = root.dataset.save;
const saveMethod = root.dataset.saveMethod || "PUT";
const checkPath = root.dataset.check || "";
const fixedMeasurements = root.dataset.measure === "fixed";
const readonly = "readonly" in root.dataset;
const MEASUREMENTS = ["width_cm", "height_cm", "circumference_cm"];

let view = state.view;
let selected = null; // key "view|region" of the region being edited
let mode = "select";
let zoomed = false;
let dirty = false;
let checkTimer = null;
let checkSeq = 0;

const $ = (selector, scope = document) => scope.querySelector(selector);
const $$ = (selector, scope = document) => [...scope.querySelectorAll(selector)];
const bind = (name) => $$(`[data-bind="${name}"]`);
const one = (name) => $(`[data-bind="${name}"]`);
const keyOf = (r) => `${r.view}|${r.region}`;
// gettext() is the page catalogue's (lib/jsi18n.py); point numbers are counted from 1.
const pointLabel = (text, i) => interpolate(text, { n: i + 1 }, true);
const regionAt = (key) => regions.find((r) => keyOf(r) === key) || null;
const num = (value) => (value === "" || value === null || value === undefined ? null : Number(value));
const fmt = (value, digits = 2) => (value === null || value === undefined ? "" : String(+Number(value).toFixed(digits)));

// --- geometry -------------------------------------------------------------------------------

function template(r) {
  return geometry[r.view].regions[r.region];
}

// A session may hold a region no figure draws (saved through the API): kept, not drawn.
const drawable = (r) => !!geometry[r.view]?.regions[r.region];

const figureOf = (r, point) => toFigure(geometry[r.view], template(r), r.factors, point);
const pointAt = (r, XY) => fromFigure(geometry[r.view], template(r), r.factors, XY);

// The server's scale for the region's measurements as they now stand (planning.figures.drawing):
// (1, 1) with the reason while they cannot scale it. Answers that arrive out of order are
// dropped, so the drawing follows the last measurement typed.
async function askDrawing(region) {
  const seq = (region.drawingSeq = (region.drawingSeq || 0) + 1);
  const body = Object.fromEntries(MEASUREMENTS.map((name) => [name, num(region[name])]));
  const response = await call("POST", `/areas/${region.view}/${region.region}/drawing`, body);
  if (seq !== region.drawingSeq || !response.ok) return;
  const { factors, problem } = await response.json();
  region.factors = factors;
  if (keyOf(region) === selected) one("region-error").textContent = problem ? `${labelOf(problem.field)}: ${problem.message}` : "";
  drawPoints();
}

// A measurement's name in the form's own words (its label), for a problem the server names.
function labelOf(name) {
  const label = form?.elements[name]?.labels?.item(0);
  return label ? label.firstChild.textContent.trim() : name;
}

function svgOf(slug) {
  return $(`.pl-figure-wrap[data-view="${slug}"] svg`, root);
}

function svgPoint(svg, event) {
  const point = new DOMPoint(event.clientX, event.clientY);
  const p = point.matrixTransform(svg.getScreenCTM().inverse());
  return [p.x, p.y];
}

// --- drawing ------------------------------------------------------------------------------

function radius(svg) {
  const ctm = svg.getScreenCTM();
  const scale = ctm ? ctm.a : 1;
  return Math.max(0.5, 4.5 / (scale || 1));
}

function drawPoints() {
  const svg = svgOf(view);
  if (!svg) return;
  const layer = $(".pl-points", svg);
  const r = radius(svg).toFixed(2);
  const parts = [];
  for (const region of regions) {
    if (region.view !== view || !drawable(region)) continue;
    const key = keyOf(region);
    const other = key !== selected;
    region.points.forEach((p, i) => {
      const [X, Y] = figureOf(region, p);
      const css = `pl-point${other ? " is-other" : ""}${isCustom(p) ? " is-custom" : ""}`;
      parts.push(`<circle class="${css}" data-key="${key}" data-i="${i}" cx="${X.toFixed(1)}" cy="${Y.toFixed(1)}" r="${r}"/>`);
    });
  }
  layer.innerHTML = parts.join("");
  const chosen = new Set(regions.filter((g) => g.view === view).map((g) => g.region));
  for (const group of $$(".pl-region", svg)) {
    const key = `${view}|${group.dataset.region}`;
    group.classList.toggle("is-chosen", chosen.has(group.dataset.region));
    group.classList.toggle("is-selected", key === selected);
    group.setAttribute("aria-pressed", String(key === selected));
  }
}

function showView(slug) {
  view = slug;
  for (const wrap of $$(".pl-figure-wrap", root)) wrap.hidden = wrap.dataset.view !== slug;
  for (const tab of $$(".pl-view-tab", root)) tab.setAttribute("aria-selected", String(tab.dataset.view === slug));
  if (selected && !selected.startsWith(`${slug}|`)) select(null);
  applyZoom();
  drawPoints();
}

function applyZoom() {
  const svg = svgOf(view);
  if (!svg) return;
  const region = regionAt(selected);
  const button = $('[data-action="zoom"]', root);
  button.setAttribute("aria-pressed", String(zoomed && !!region));
  svg.classList.toggle("is-zoomed", zoomed && !!region);
  if (!zoomed || !region) {
    svg.setAttribute("viewBox", svg.dataset.viewbox);
    return;
  }
  const g = geometry[region.view];
  const [minx, miny, maxx, maxy] = template(region).bounds_cm;
  const [left, top] = g.frame_cm;
  const k = g.px_per_cm;
  const pad = Math.max(maxx - minx, maxy - miny) * 0.2 + 1;
  const x = (minx - pad - left) * k;
  const y = (top - maxy - pad) * k;
  const width = (maxx - minx + 2 * pad) * k;
  const height = (maxy - miny + 2 * pad) * k;
  svg.setAttribute("viewBox", `${x.toFixed(1)} ${y.toFixed(1)} ${width.toFixed(1)} ${height.toFixed(1)}`);
  // Labels keep their size on screen: scale them with the zoom.
  const [, , fullWidth, fullHeight] = svg.dataset.viewbox.split(" ").map(Number);
  svg.style.setProperty("--pl-zoom", Math.max(width / fullWidth, height / fullHeight).toFixed(3));
}

// --- region panel ---------------------------------------------------------------------------

const form = $('[data-form="region"]', root);
const fields = ["width_cm", "height_cm", "circumference_cm", "spacing_cm", "pattern", "depth_mm", "volume_ml"];

function addRegion(slug) {
  const existing = regionAt(`${view}|${slug}`);
  if (existing) return existing;
  const d = state.defaults || {};
  const region = {
    view, region: slug, width_cm: null, height_cm: null, circumference_cm: null,
    spacing_cm: d.spacing_cm || 1, pattern: "square", depth_mm: d.depth_mm ?? null,
    volume_ml: d.volume_ml ?? null, points: [],
    factors: [1, 1], // nothing measured yet: drawn at the template's size
  };
  regions.push(region);
  return region;
}

function select(key) {
  selected = key;
  const region = regionAt(key);
  const t = region ? template(region) : null;
  for (const el of bind("region-name")) el.textContent = t ? t.name : gettext("none chosen");
  if (form) fillForm(region, t);
  const addRow = $('[data-action="add-row"]');
  if (addRow) addRow.disabled = !region || state.locked;
  applyZoom();
  drawPoints();
  renderTable();
}

function fillForm(region, t) {
  for (const group of $$(".pl-measure[data-scaling]", form)) {
    group.hidden = !t || group.dataset.scaling !== t.scaling;
  }
  for (const name of fields) {
    const input = form.elements[name];
    input.value = region && region[name] !== null && region[name] !== undefined ? region[name] : "";
    input.disabled = !region || state.locked || (fixedMeasurements && MEASUREMENTS.includes(name));
  }
  if (!region) form.elements.spacing_cm.value = "1";
  for (const el of bind("region-note")) el.textContent = regionNote(region, t);
  for (const action of ["generate", "clear", "drop"]) {
    $(`[data-action="${action}"]`, root).disabled = !region || state.locked;
  }
  one("region-error").textContent = "";
}

function regionNote(region, t) {
  if (!t) return "";
  const scaled = t.scaling === "circumference"
    ? interpolate(gettext("Scaled by the circumference round the site (template drawn for %(cm)s cm)."), { cm: t.reference_circumference_cm }, true)
    : gettext("Scaled by the measured width × height.");
  if (!fixedMeasurements) return scaled;
  const measured = MEASUREMENTS.some((name) => num(region[name]) > 0);
  return measured
    ? `${scaled} ${gettext("Measured in the plan; not changed here.")}`
    : gettext("Not measured in the plan: drawn at the template's size.");
}

form?.addEventListener("input", (event) => {
  const region = regionAt(selected);
  if (!region || !fields.includes(event.target.name)) return;
  const { name, value } = event.target;
  region[name] = name === "pattern" ? value : num(value);
  if (MEASUREMENTS.includes(name)) askDrawing(region);
  changed({ table: name === "depth_mm" || name === "volume_ml" });
});

form?.addEventListener("submit", async (event) => {
  event.preventDefault();
  const region = regionAt(selected);
  if (!region) return;
  const error = one("region-error");
  error.textContent = "";
  const body = {
    view: region.view, region: region.region, spacing_cm: num(region.spacing_cm),
    pattern: region.pattern,
    scale: { width_cm: num(region.width_cm), height_cm: num(region.height_cm), circumference_cm: num(region.circumference_cm) },
  };
  const response = await call("POST", "/grid", body);
  if (!response.ok) {
    error.textContent = (await response.json()).detail;
    return;
  }
  const grid = await response.json();
  region.points = grid.points.map(fromWire);
  region.factors = grid.factors;
  setHint(`${grid.count} points at ${region.spacing_cm} cm on ${grid.area_cm2} cm² usable.`);
  changed();
});

$('[data-action="clear"]', root)?.addEventListener("click", () => {
  const region = regionAt(selected);
  if (!region) return;
  region.points = [];
  changed();
});

$('[data-action="drop"]', root)?.addEventListener("click", () => {
  const index = regions.findIndex((r) => keyOf(r) === selected);
  if (index < 0) return;
  regions.splice(index, 1);
  select(null);
  changed();
});

function setHint(text) {
  $("#pl-hint").textContent = text;
}

// --- pointer: select, add, move, remove ------------------------------------------------------

let drag = null;

function onPointerDown(event) {
  const svg = event.currentTarget;
  const circle = event.target.closest("circle.pl-point");
  const group = event.target.closest(".pl-region");
  if (circle && circle.dataset.key !== selected) {
    select(circle.dataset.key);
    return;
  }
  if (mode === "select" || !selected || state.locked) {
    if (group) {
      if (!state.locked) addRegion(group.dataset.region);
      select(`${view}|${group.dataset.region}`);
      if (!state.locked) changed({ check: false });
    }
    return;
  }
  const region = regionAt(selected);
  if (mode === "add") {
    region.points.push({ ...pointAt(region, svgPoint(svg, event)), depthMm: null, volumeMl: null });
    changed();
  } else if (mode === "remove" && circle) {
    region.points.splice(Number(circle.dataset.i), 1);
    changed();
  } else if (mode === "move" && circle) {
    drag = { index: Number(circle.dataset.i), circle, pointer: event.pointerId };
    circle.classList.add("is-active");
    svg.setPointerCapture(event.pointerId);
  }
  event.preventDefault();
}

function onPointerMove(event) {
  if (!drag || event.pointerId !== drag.pointer) return;
  const svg = event.currentTarget;
  const [X, Y] = svgPoint(svg, event);
  drag.circle.setAttribute("cx", X.toFixed(1));
  drag.circle.setAttribute("cy", Y.toFixed(1));
  drag.at = [X, Y];
}

function onPointerUp(event) {
  if (!drag || event.pointerId !== drag.pointer) return;
  const region = regionAt(selected);
  if (drag.at) Object.assign(region.points[drag.index], pointAt(region, drag.at));
  drag = null;
  changed();
}

for (const svg of $$(".pl-figure", root)) {
  svg.addEventListener("pointerdown", onPointerDown);
  svg.addEventListener("pointermove", onPointerMove);
  svg.addEventListener("pointerup", onPointerUp);
  svg.addEventListener("pointercancel", onPointerUp);
  svg.addEventListener("keydown", (event) => {
    const group = event.target.closest(".pl-region");
    if (!group || (event.key !== "Enter" && event.key !== " ")) return;
    event.preventDefault();
    if (!state.locked) addRegion(group.dataset.region);
    select(`${view}|${group.dataset.region}`);
    if (!state.locked) changed({ check: false });
  });
}

for (const input of $$('input[name="pl-mode"]', root)) {
  input.disabled = state.locked;
  input.addEventListener("change", () => { mode = input.value; root.dataset.mode = mode; });
}
for (const tab of $$(".pl-view-tab", root)) tab.addEventListener("click", () => showView(tab.dataset.view));
$('[data-action="zoom"]', root).addEventListener("click", () => {
  zoomed = !zoomed;
  applyZoom();
  drawPoints();
});
window.addEventListener("resize", () => drawPoints());

// --- the list view: the same points in a table --------------------------------------------

const rows = one("rows");

function renderTable() {
  const region = regionAt(selected);
  const columns = readonly ? 5 : 6;
  if (!region) {
    rows.innerHTML = `<tr><td colspan="${columns}" class="empty">${gettext("No region chosen.")}</td></tr>`;
    return;
  }
  if (!region.points.length) {
    const empty = readonly ? gettext("No points recorded.") : gettext("No points yet: generate a grid or add points.");
    rows.innerHTML = `<tr><td colspan="${columns}" class="empty">${empty}</td></tr>`;
    return;
  }
  if (readonly) {
    const own = (value, fallback, digits) => `${fmt(value ?? fallback, digits)}${value === null || value === undefined ? "" : " *"}`;
    rows.innerHTML = region.points.map((p, i) => `<tr>
      <td>${i + 1}</td><td>${fmt(p.x)}</td><td>${fmt(p.y)}</td>
      <td>${own(p.depthMm, region.depth_mm, 1)}</td><td>${own(p.volumeMl, region.volume_ml, 3)}</td>
    </tr>`).join("");
    return;
  }
  const off = state.locked ? " disabled" : "";
  rows.innerHTML = region.points.map((p, i) => `<tr data-i="${i}">
    <td>${i + 1}</td>
    <td><input type="number" step="0.1" data-field="x" value="${fmt(p.x)}" aria-label="${pointLabel(gettext("Point %(n)s x (cm)"), i)}"${off}></td>
    <td><input type="number" step="0.1" data-field="y" value="${fmt(p.y)}" aria-label="${pointLabel(gettext("Point %(n)s y (cm)"), i)}"${off}></td>
    <td><input type="number" step="0.1" min="0.1" data-field="depthMm" value="${fmt(p.depthMm, 1)}" placeholder="${fmt(region.depth_mm, 1)}" aria-label="${pointLabel(gettext("Point %(n)s depth (mm)"), i)}"${off}></td>
    <td><input type="number" step="0.01" min="0.001" data-field="volumeMl" value="${fmt(p.volumeMl, 3)}" placeholder="${fmt(region.volume_ml, 3)}" aria-label="${pointLabel(gettext("Point %(n)s volume (mL)"), i)}"${off}></td>
    <td>${state.locked ? "" : `<button type="button" class="link danger" data-remove="${i}">${gettext("Remove")}<span class="visually-hidden"> ${pointLabel(gettext("point %(n)s"), i)}</span></button>`}</td>
  </tr>`).join("");
}

rows.addEventListener("change", (event) => {
  const input = event.target.closest("input[data-field]");
  const region = regionAt(selected);
  if (!input || !region) return;
  const point = region.points[Number(input.closest("tr").dataset.i)];
  const { field } = input.dataset;
  const value = num(input.value);
  // A position cannot be emptied; an emptied depth or volume falls back to the region's.
  if (value === null && (field === "x" || field === "y")) return;
  point[field] = value;
  changed({ table: false });
});

rows.addEventListener("click", (event) => {
  const button = event.target.closest("[data-remove]");
  const region = regionAt(selected);
  if (!button || !region) return;
  region.points.splice(Number(button.dataset.remove), 1);
  changed();
});

// Two points in one place read as a zero gap to the dose engine: a new point added from the
// table goes one spacing to the right of any point already where it would land.
function freeSpot(region, x, y) {
  const step = num(region.spacing_cm) || 1;
  const taken = (px) => region.points.some((p) => Math.abs(p.x - px) < 0.001 && Math.abs(p.y - y) < 0.001);
  while (taken(x)) x = round3(x + step);
  return { x, y, depthMm: null, volumeMl: null };
}

const addRow = $('[data-action="add-row"]');
if (addRow) {
  addRow.addEventListener("click", () => {
    const region = regionAt(selected);
    if (!region) return;
    const { x, y } = middle(template(region), region.factors);
    region.points.push(freeSpot(region, x, y));
    changed();
    $$("input[data-field='x']", rows).at(-1)?.focus();
  });
}

// --- totals and the dose engine's check --------------------------------------------------------

function localTotals() {
  let points = 0;
  let volume = 0;
  for (const region of regions) {
    for (const p of region.points) {
      points += 1;
      volume += p.volumeMl ?? num(region.volume_ml) ?? 0;
    }
  }
  one("points").textContent = String(points);
  one("volume").textContent = `${fmt(volume, 3)} mL`;
  one("regions").textContent = String(regions.length);
}

// The totals and findings are the server's markup in the page's language (the approval's
// stored verdict reads the same): the editor sends the points it holds and puts the answer in
// place, keeping the last answer to the last request.
async function runCheck() {
  if (!checkPath) return;
  const seq = ++checkSeq;
  const response = await fetch(checkPath, {
    method: "POST",
    credentials: "same-origin",
    headers: { "Content-Type": "application/json", "X-CSRFToken": csrf },
    body: JSON.stringify({ regions: payload() }),
  });
  const html = await response.text();
  if (seq !== checkSeq) return;
  one("check").innerHTML = response.ok ? html : `<p class="error">${interpolate(gettext("Not checked (%(status)s): reload the page."), { status: response.status }, true)}</p>`;
}

function scheduleCheck() {
  if (!checkPath) return;
  clearTimeout(checkTimer);
  checkTimer = setTimeout(runCheck, 250);
}

function changed({ table = true, check = true } = {}) {
  if (!state.locked) {
    dirty = true;
    for (const el of bind("save-state")) el.textContent = gettext("Unsaved changes");
  }
  drawPoints();
  if (table) renderTable();
  localTotals();
  if (check) scheduleCheck();
}

// --- saving ---------------------------------------------------------------------------------

function payload() {
  return regions.map((r) => ({
    view: r.view, region: r.region, width_cm: num(r.width_cm), height_cm: num(r.height_cm),
    circumference_cm: num(r.circumference_cm), spacing_cm: num(r.spacing_cm) ?? 1,
    pattern: r.pattern || "square", depth_mm: num(r.depth_mm), volume_ml: num(r.volume_ml),
    points: r.points.map(toWire),
  }));
}

function call(method, path, body) {
  return fetch(api + path, {
    method,
    credentials: "same-origin",
    // The API words its messages in the language asked for: the page's own.
    headers: {
      "Content-Type": "application/json", "X-CSRFToken": csrf, Accept: "application/json",
      "Accept-Language": document.documentElement.lang,
    },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
}

async function save() {
  const status = one("save-state");
  status.classList.remove("error");
  status.textContent = gettext("Saving…");
  const response = await call(saveMethod, savePath, { regions: payload(), version: state.version });
  const data = await response.json().catch(() => ({ detail: `not saved (${response.status})` }));
  if (!response.ok) {
    // A stale version reads "version: someone else saved … reload it": shown as an error,
    // the points kept on screen so nothing is lost before the reload.
    status.classList.add("error");
    status.textContent = interpolate(gettext("Not saved: %(reason)s"), { reason: data.detail }, true);
    return false;
  }
  state.version = data.version;
  for (const el of bind("version")) el.value = data.version;
  dirty = false;
  status.textContent = gettext("Saved");
  root.dispatchEvent(new CustomEvent("pl-saved", { bubbles: true, detail: { version: data.version } }));
  return true;
}

$('[data-action="save"]', root)?.addEventListener("click", save);

// Approving a plan, saving or signing a session: unsaved points are saved first, so the form
// goes with the version that save returned (or not at all when it was refused).
for (const other of $$("form[data-saves-chart]")) {
  other.addEventListener("submit", async (event) => {
    if (!dirty) return;
    event.preventDefault();
    if (await save()) other.requestSubmit(event.submitter);
    else one("save-state").scrollIntoView({ block: "center" });
  });
}

// The series form (htmx) changes the plan's version: keep saving and approval in step.
document.body.addEventListener("pl-version", (event) => {
  state.version = Number(event.detail.value);
  for (const el of bind("version")) el.value = state.version;
});

window.addEventListener("beforeunload", (event) => {
  if (dirty) event.preventDefault();
});

// --- start ----------------------------------------------------------------------------------

root.dataset.mode = mode;
showView(view);
const first = regions.find((r) => r.view === view && drawable(r));
select(first ? keyOf(first) : null);
localTotals();
if (regions.length) runCheck();
