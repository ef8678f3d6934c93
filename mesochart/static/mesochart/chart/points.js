// An injection point, named. On the wire (the API, the stored record, the JSON blocks of the
// page) a point is [x, y] or [x, y, depth_mm, volume_ml]: positions in cm in the patient's
// frame, and its own depth and volume where they differ from the region's. The editor works
// on named fields only; this module is the one place that knows the positions.

export function fromWire([x, y, depthMm = null, volumeMl = null]) {
  return { x, y, depthMm, volumeMl };
}

export function toWire(point) {
  const { x, y, depthMm, volumeMl } = point;
  return isCustom(point) ? [x, y, depthMm, volumeMl] : [x, y];
}

// A point with its own depth or volume (shown marked on the figure and in the table).
export function isCustom({ depthMm, volumeMl }) {
  return depthMm !== null || volumeMl !== null;
}

// The table's editable cells, by the column each input names (data-field).
export const FIELDS = ["x", "y", "depthMm", "volumeMl"];
