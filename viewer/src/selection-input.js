// Drawing a selection on the map: a rectangle or a lasso with mouse, pen or touch while a
// selection tool is on, and the keyboard's alternative (`x` toggles the image in the view's
// centre; Shift+X marks a corner, and again selects the rectangle from it to the centre).
// Shapes are kept in the DZI's pixels and handed over in the grid's (selection-geometry.js).

/** How far (CSS pixels) a press may stray from where it began and still be a click on one image. */
const CLICK_TRAVEL = 4;
/** A lasso takes a point at most every this many CSS pixels of travel. */
const LASSO_STEP = 3;

/**
 * @typedef {object} DrawHandlers
 * @property {() => 'pan' | 'rect' | 'lasso'} tool  the tool on now
 * @property {(ev: {shiftKey: boolean, altKey: boolean}) => import('./selection.js').SelectionMode} mode
 *   how a finished shape changes the selection, from the modifier keys
 * @property {(shape: {kind: 'rect' | 'lasso' | 'point', points: {x: number, y: number}[]},
 *   mode: import('./selection.js').SelectionMode) => void} done  a finished shape, in grid pixels
 * @property {(item: number) => void} toggle  `x` on the image in the centre
 */

/**
 * @param {import('./map.js').MapView} map
 * @param {HTMLElement} element  the map's container (#map)
 * @param {import('./selection-layer.js').SelectionLayer} layer
 * @param {DrawHandlers} on
 */
export function bindSelectionInput(map, element, layer, on) {
  const toGrid = (p) => ({ x: p.x / map.scale, y: p.y / map.scale });
  let drag = null; // {id, kind, start (client), points (DZI pixels)}

  const imagePoint = (ev) => {
    const p = map.elementPoint(ev.clientX, ev.clientY);
    const q = map.toImage(p.x, p.y);
    return { x: q.x, y: q.y };
  };
  const shapeOf = (d) => ({ kind: d.kind, points: d.kind === 'rect' ? [d.points[0], d.points.at(-1)] : d.points });

  // Capture phase on the container: OpenSeadragon's canvas never hears a press that draws.
  element.addEventListener(
    'pointerdown',
    (ev) => {
      const tool = on.tool();
      if (tool === 'pan' || !map.tiled || !ev.isPrimary || ev.button !== 0) return;
      ev.stopPropagation();
      ev.preventDefault();
      element.setPointerCapture(ev.pointerId);
      const start = { x: ev.clientX, y: ev.clientY };
      drag = { id: ev.pointerId, kind: tool, start, last: start, travel: 0, points: [imagePoint(ev)] };
    },
    { capture: true },
  );
  element.addEventListener(
    'pointermove',
    (ev) => {
      if (!drag || ev.pointerId !== drag.id) return;
      ev.stopPropagation();
      drag.travel = Math.max(drag.travel, Math.hypot(ev.clientX - drag.start.x, ev.clientY - drag.start.y));
      if (Math.hypot(ev.clientX - drag.last.x, ev.clientY - drag.last.y) < (drag.kind === 'lasso' ? LASSO_STEP : 0.5)) return;
      drag.last = { x: ev.clientX, y: ev.clientY };
      if (drag.kind === 'rect') drag.points[1] = imagePoint(ev);
      else drag.points.push(imagePoint(ev));
      layer.setShape(shapeOf(drag));
    },
    { capture: true },
  );
  const finish = (ev, cancelled) => {
    if (!drag || ev.pointerId !== drag.id) return;
    ev.stopPropagation();
    const d = drag;
    drag = null;
    layer.setShape(null);
    if (cancelled) return;
    if (d.kind === 'rect') d.points[1] = imagePoint(ev);
    else d.points.push(imagePoint(ev));
    // A lasso closed where it began is no click: how far the pointer went decides.
    const click = Math.max(d.travel, Math.hypot(ev.clientX - d.start.x, ev.clientY - d.start.y)) < CLICK_TRAVEL;
    const shape = click ? { kind: 'point', points: [d.points[0]] } : shapeOf(d);
    on.done({ kind: shape.kind, points: shape.points.map(toGrid) }, on.mode(ev));
  };
  element.addEventListener('pointerup', (ev) => finish(ev, false), { capture: true });
  element.addEventListener('pointercancel', (ev) => finish(ev, true), { capture: true });
  // A double click while drawing would zoom: the tools own the press.
  element.addEventListener('dblclick', (ev) => on.tool() !== 'pan' && ev.stopPropagation(), { capture: true });

  let corner = null; // the keyboard rectangle's first corner, DZI pixels
  const centre = () => {
    const c = map.centre();
    const q = map.toImage(c.x, c.y);
    return { x: q.x, y: q.y };
  };
  map.viewer.addHandler('canvas-key', (e) => {
    const ev = e.originalEvent;
    if (ev.code === 'Escape' && corner) {
      corner = null;
      layer.setShape(null);
      return;
    }
    if (ev.code !== 'KeyX' || ev.ctrlKey || ev.metaKey || ev.altKey) return;
    e.preventDefaultAction = true;
    ev.preventDefault();
    if (!ev.shiftKey) {
      const item = map.itemNear(map.centre());
      if (item >= 0) on.toggle(item);
    } else if (!corner) {
      corner = centre();
      layer.setShape({ kind: 'corner', points: [corner] });
    } else {
      const points = [corner, centre()];
      corner = null;
      layer.setShape(null);
      on.done({ kind: 'rect', points: points.map(toGrid) }, on.mode({ shiftKey: true, altKey: false }));
    }
  });
  // While a corner is marked, the rectangle to the view's centre follows the view.
  map.viewer.addHandler('update-viewport', () => {
    if (corner) layer.setShape({ kind: 'rect', points: [corner, centre()] });
  });
}
