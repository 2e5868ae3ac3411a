// Cluster labels over the map: how visible they are at a zoom, where they go, and which of them
// fit without covering one another. Pure: no DOM; the caller measures and converts coordinates.

/** Labels are fully shown up to this many times the whole-map zoom, and gone from FADE_END on. */
export const FADE_START = 2;
export const FADE_END = 8;
/** Space kept free around each shown label, in pixels. */
export const LABEL_GAP = 4;

/** The labels' opacity at `zoomRatio` (zoom / whole-map zoom): 1, fading (in log zoom), 0. */
export function labelOpacity(zoomRatio) {
  if (!(zoomRatio > FADE_START)) return 1;
  if (zoomRatio >= FADE_END) return 0;
  return 1 - Math.log(zoomRatio / FADE_START) / Math.log(FADE_END / FADE_START);
}

/**
 * A cluster in grid cells (metadata `clusters[i]`) in image pixels of the grid: its label's
 * point (the middle of its label cell's top edge: a label centred on a grid line leaves the
 * centres of the cells above and below free to click wherever a cell is taller than a label)
 * and its extent's rectangle.
 * @param {{col: number, row: number, extent: number[]}} cluster
 * @param {{cellWidth: number, cellHeight: number}} grid
 */
export function clusterGeometry(cluster, grid) {
  const { cellWidth: w, cellHeight: h } = grid;
  const [col0, row0, col1, row1] = cluster.extent;
  return {
    point: { x: (cluster.col + 0.5) * w, y: cluster.row * h },
    rect: { x: col0 * w, y: row0 * h, width: (col1 - col0) * w, height: (row1 - row0) * h },
  };
}

/** Only well-formed clusters: a label, a size, a cell and an extent that contains it. */
export function validClusters(clusters, grid) {
  if (!Array.isArray(clusters)) return [];
  const whole = (v, max) => Number.isInteger(v) && v >= 0 && v <= max;
  return clusters.filter((c) => {
    if (!c || typeof c.label !== 'string' || !c.label || !(c.size > 0) || !Array.isArray(c.extent)) return false;
    const [col0, row0, col1, row1] = c.extent;
    return (
      whole(c.col, grid.cols - 1) && whole(c.row, grid.rows - 1) && whole(col0, grid.cols) && whole(col1, grid.cols) &&
      whole(row0, grid.rows) && whole(row1, grid.rows) && col0 <= c.col && c.col < col1 && row0 <= c.row && c.row < row1
    );
  });
}

/**
 * Which labels to show: largest cluster first, each only where its box lies inside `bounds` and
 * keeps LABEL_GAP from every label already shown, so no two ever overlap.
 * @param {{x: number, y: number, width: number, height: number, size: number}[]} labels  boxes
 *   centred on (x, y), in the same coordinates as `bounds`
 * @param {{width: number, height: number}} bounds  the map, from (0, 0)
 * @returns {boolean[]}  per label, whether it is shown
 */
export function placeLabels(labels, bounds) {
  const order = labels.map((_, i) => i).sort((a, b) => labels[b].size - labels[a].size || a - b);
  const shown = new Array(labels.length).fill(false);
  const placed = [];
  for (const i of order) {
    const l = labels[i];
    const box = { left: l.x - l.width / 2, top: l.y - l.height / 2, right: l.x + l.width / 2, bottom: l.y + l.height / 2 };
    const inside = box.left >= 0 && box.top >= 0 && box.right <= bounds.width && box.bottom <= bounds.height;
    const free = placed.every(
      (p) =>
        box.right + LABEL_GAP <= p.left || p.right + LABEL_GAP <= box.left ||
        box.bottom + LABEL_GAP <= p.top || p.bottom + LABEL_GAP <= box.top,
    );
    if (inside && free) {
      placed.push(box);
      shown[i] = true;
    }
  }
  return shown;
}
