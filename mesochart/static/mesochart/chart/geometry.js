// Frames. A point is stored in cm in the *patient's* frame (the template region stretched to
// the measurements). On the figure it is drawn in the template's frame (shrunk back by the
// region's scale factors) and then through the view's one cm → SVG transform. So a grid laid
// on a 30 × 20 cm abdomen sits on the drawn abdomen, as dense as it really is.
//
// The factors are the server's (planning.figures.drawing), sent with each region and asked
// again when a measurement changes: the editor keeps no copy of the scaling rule.

export const round3 = (v) => Math.round(v * 1000) / 1000;

// view: the view's geometry ({frame_cm, px_per_cm}); template: the region's ({bounds_cm}).
export function toFigure(view, template, [fx, fy], { x, y }) {
  const [minx, miny] = template.bounds_cm;
  const [left, top] = view.frame_cm;
  const tx = minx + (x - minx) / fx;
  const ty = miny + (y - miny) / fy;
  return [(tx - left) * view.px_per_cm, (top - ty) * view.px_per_cm];
}

export function fromFigure(view, template, [fx, fy], [X, Y]) {
  const [minx, miny] = template.bounds_cm;
  const [left, top] = view.frame_cm;
  const tx = X / view.px_per_cm + left;
  const ty = top - Y / view.px_per_cm;
  return { x: round3(minx + (tx - minx) * fx), y: round3(miny + (ty - miny) * fy) };
}

// The middle of the region as measured, in the patient's frame.
export function middle(template, [fx, fy]) {
  const [minx, miny, maxx, maxy] = template.bounds_cm;
  return { x: round3(minx + ((maxx - minx) * fx) / 2), y: round3(miny + ((maxy - miny) * fy) / 2) };
}
