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

  /** The cell's rectangle in image pixels. */
  cellRect(cell) {
    const col = cell % this.cols;
    const row = Math.floor(cell / this.cols);
    return { x: col * this.cellWidth, y: row * this.cellHeight, w: this.cellWidth, h: this.cellHeight };
  }
}
