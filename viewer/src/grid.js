// Arithmetic grid geometry: image pixel <-> cell, cell <-> item. Never scans the cells.

export class Grid {
  constructor(meta) {
    const g = meta.grid;
    this.cols = g.cols | 0;
    this.rows = g.rows | 0;
    this.cellWidth = +g.cell_width;
    this.cellHeight = +g.cell_height;
    this.cells = meta.cells;
    const n = meta.items.id.length;
    // item -> cell (inverse of `cells`), built once in O(cells).
    this.cellOfItem = new Int32Array(n).fill(-1);
    for (let c = 0; c < this.cells.length; c++) {
      const item = this.cells[c];
      if (item >= 0 && item < n) this.cellOfItem[item] = c;
    }
  }

  /** The cell index at image pixel (x, y), or -1 outside the grid. */
  cellAt(x, y) {
    const col = Math.floor(x / this.cellWidth);
    const row = Math.floor(y / this.cellHeight);
    if (col < 0 || row < 0 || col >= this.cols || row >= this.rows) return -1;
    return row * this.cols + col;
  }

  /** The item index in `cell`, or -1 for an empty cell or none. */
  itemInCell(cell) {
    if (cell < 0 || cell >= this.cells.length) return -1;
    const item = this.cells[cell];
    return item == null ? -1 : item;
  }

  /**
   * The item whose cell centre is nearest image pixel (x, y), looking at most `reach` cells
   * away in each direction, or -1: what the keyboard's centre of the view points at, which
   * the grid's empty cells (its headroom) would otherwise often leave pointing at nothing.
   * An occupied cell under (x, y) is always the nearest.
   */
  nearestItem(x, y, reach = 1) {
    const col = Math.floor(x / this.cellWidth);
    const row = Math.floor(y / this.cellHeight);
    let best = -1;
    let bestDistance = Infinity;
    for (let r = Math.max(0, row - reach); r <= Math.min(this.rows - 1, row + reach); r++) {
      for (let c = Math.max(0, col - reach); c <= Math.min(this.cols - 1, col + reach); c++) {
        const item = this.itemInCell(r * this.cols + c);
        if (item < 0) continue;
        const dx = (c + 0.5) * this.cellWidth - x;
        const dy = (r + 0.5) * this.cellHeight - y;
        if (dx * dx + dy * dy < bestDistance) [best, bestDistance] = [item, dx * dx + dy * dy];
      }
    }
    return best;
  }

  /** The cell's rectangle in image pixels. */
  cellRect(cell) {
    const col = cell % this.cols;
    const row = Math.floor(cell / this.cols);
    return { x: col * this.cellWidth, y: row * this.cellHeight, w: this.cellWidth, h: this.cellHeight };
  }
}
