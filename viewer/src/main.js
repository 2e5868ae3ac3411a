// The tsne-assets viewer: a static deep-zoom map of a collection.
//
// Runtime contract (docs/architecture.md): fetch `current.json` (relative to this page) ->
// {"format": 1, "path": "versions/<v>/"}, then `<path>metadata.json`, then open the DZI at
// `<path><metadata.image.dzi>`. Every metadata string is data: it is only ever set with
// textContent or as an attribute value, never parsed as markup.

import OpenSeadragon from 'openseadragon';
import { Grid } from './grid.js';
import { createSearcher } from './search.js';

const $ = (id) => document.getElementById(id);
const el = {
  root: document.documentElement,
  title: $('collection-title'),
  map: $('map'),
  status: $('map-status'),
  hoverLabel: $('hover-label'),
  form: $('search-form'),
  input: $('search-input'),
  prev: $('search-prev'),
  next: $('search-next'),
  count: $('match-count'),
  zoomIn: $('zoom-in'),
  zoomOut: $('zoom-out'),
  zoomHome: $('zoom-home'),
  panel: $('panel'),
  panelTitle: $('panel-title'),
  panelFields: $('panel-fields'),
  panelLink: $('panel-link'),
  panelClose: $('panel-close'),
};

const DIM_RGBA = [8, 8, 12, 200]; // non-matching cells while searching
const SEARCH_DELAY_MS = 60;

const state = {
  meta: null,
  grid: null,
  viewer: null,
  tiled: null, // the OpenSeadragon TiledImage
  scale: 1, // DZI pixels per metadata image pixel
  search: null,
  idIndex: null,
  query: '',
  matches: null, // item indices in cell order, or null when no search is active
  matchPos: -1,
  mask: null, // canvas with one pixel per cell: transparent for a match, dark otherwise
  selected: -1,
  hovered: -1,
  pointer: null, // last mouse position in viewer element coordinates
  keyboardMode: false,
};

// ---------------------------------------------------------------------------------------------
// Loading

function setState(name) {
  el.root.dataset.state = name;
}

function showStatus(text, { error = false } = {}) {
  el.status.textContent = text;
  el.status.classList.toggle('error', error);
  el.status.setAttribute('role', error ? 'alert' : 'status');
}

async function fetchJson(url) {
  const response = await fetch(url, { cache: 'no-cache' });
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

function validate(meta) {
  if (!meta || typeof meta.format !== 'string' || !meta.format.startsWith('tsne-assets.viewer/1')) {
    throw new Error('metadata.json: unsupported format');
  }
  const { grid, items, cells } = meta;
  if (!grid || !(grid.cols > 0) || !(grid.rows > 0) || !(grid.cell_width > 0) || !(grid.cell_height > 0)) {
    throw new Error('metadata.json: invalid grid');
  }
  if (!Array.isArray(cells) || cells.length !== grid.cols * grid.rows) {
    throw new Error('metadata.json: cells must have cols × rows entries');
  }
  if (!items || !Array.isArray(items.id)) throw new Error('metadata.json: items.id is missing');
  if (!Array.isArray(meta.fields)) meta.fields = [];
  meta.fields = meta.fields.filter((f) => typeof f === 'string' && Array.isArray(items[f]));
  return meta;
}

async function load() {
  setState('loading');
  const current = await fetchJson('current.json');
  if (current.format !== 1 || typeof current.path !== 'string') {
    throw new Error('current.json: unsupported format');
  }
  const base = new URL(current.path.endsWith('/') ? current.path : current.path + '/', location.href);
  const meta = validate(await fetchJson(new URL('metadata.json', base)));
  state.meta = meta;
  state.grid = new Grid(meta);
  state.search = createSearcher(meta.items, meta.fields);
  state.idIndex = new Map();
  meta.items.id.forEach((id, i) => state.idIndex.set(String(id), i));

  const name = meta.title || meta.collection || 'Collection';
  el.title.textContent = String(name);
  document.title = `${name} — map`;

  createViewer(new URL((meta.image && meta.image.dzi) || 'tiles.dzi', base).href);
}

// ---------------------------------------------------------------------------------------------
// The map

function createViewer(dziUrl) {
  const viewer = OpenSeadragon({
    element: el.map,
    tileSources: dziUrl,
    drawer: 'canvas',
    showNavigationControl: false, // our own accessible buttons instead
    prefixUrl: '',
    crossOriginPolicy: false,
    visibilityRatio: 0.5,
    minZoomImageRatio: 0.8,
    maxZoomPixelRatio: 4, // small cells (128 px) can still fill a good part of the screen
    animationTime: 0.5,
    springStiffness: 9,
    preserveImageSizeOnResize: true,
    gestureSettingsMouse: { clickToZoom: false, dblClickToZoom: true, scrollToZoom: true },
    gestureSettingsTouch: { clickToZoom: false, dblClickToZoom: true, pinchToZoom: true, flickEnabled: true },
    gestureSettingsPen: { clickToZoom: false, dblClickToZoom: true },
  });
  state.viewer = viewer;
  window.tsneViewer = { viewer, OpenSeadragon, state };

  const canvas = viewer.canvas;
  canvas.setAttribute('role', 'application');
  canvas.setAttribute('aria-roledescription', 'zoomable map');
  canvas.setAttribute('aria-label', el.map.getAttribute('aria-label'));
  canvas.setAttribute('aria-describedby', 'map-status');
  el.map.removeAttribute('aria-label');

  // Outlines for the hovered and the selected cell: two overlay elements, moved, never created per cell.
  const hoverBox = document.createElement('div');
  hoverBox.className = 'cell-outline hover';
  const selectBox = document.createElement('div');
  selectBox.className = 'cell-outline selected';
  state.hoverBox = hoverBox;
  state.selectBox = selectBox;

  // Search dimming: one canvas layer over the tiles, below the overlays.
  const dim = document.createElement('canvas');
  dim.className = 'dim-layer';
  dim.setAttribute('aria-hidden', 'true');
  state.dim = dim;

  viewer.addHandler('open', () => {
    state.tiled = viewer.world.getItemAt(0);
    const dims = state.tiled.source.dimensions;
    state.scale = state.meta.image && state.meta.image.width ? dims.x / state.meta.image.width : 1;
    canvas.insertBefore(dim, viewer.overlaysContainer || null);
    viewer.addOverlay({ element: hoverBox, location: new OpenSeadragon.Rect(0, 0, 0, 0) });
    viewer.addOverlay({ element: selectBox, location: new OpenSeadragon.Rect(0, 0, 0, 0) });
    hoverBox.hidden = true;
    selectBox.hidden = true;

    const n = state.grid.cellOfItem.reduce((acc, c) => acc + (c >= 0 ? 1 : 0), 0);
    showStatus(`${n.toLocaleString()} ${n === 1 ? 'image' : 'images'}`);
    applyHash({ initial: true });
    const markReady = () => setState('ready');
    if (state.tiled.getFullyLoaded()) markReady();
    else state.tiled.addOnceHandler('fully-loaded-change', markReady);
  });
  viewer.addHandler('open-failed', (e) => fail(new Error(`Could not open the tiles: ${e.message}`)));

  viewer.addHandler('update-viewport', () => {
    drawDim();
    if (state.keyboardMode && document.activeElement === canvas) hoverCentre();
    else if (state.pointer) updateHover(state.pointer);
  });
  viewer.addHandler('resize', sizeDimLayer);

  viewer.addHandler('canvas-click', (e) => {
    if (!e.quick) return; // a drag, not a click
    state.keyboardMode = false;
    const item = itemAtElementPoint(e.position);
    if (item >= 0) {
      select(item, { history: 'push' });
      if (e.originalEvent && e.originalEvent.pointerType === 'touch') setHover(item, e.position);
    } else {
      deselect({ history: 'push' });
    }
  });

  viewer.addHandler('canvas-key', (e) => {
    const ev = e.originalEvent;
    // The map is never rotated, flipped or paged: hit testing stays arithmetic.
    if (['KeyR', 'KeyF', 'KeyJ', 'KeyK'].includes(ev.code)) e.preventDefaultAction = true;
    if (ev.key === 'Enter' || ev.key === ' ') {
      e.preventDefaultAction = true;
      ev.preventDefault();
      const item = itemAtElementPoint(viewerCentre());
      if (item >= 0) select(item, { history: 'push' });
    } else if (ev.key === 'Escape') {
      deselect({ history: 'push' });
    }
    state.keyboardMode = true;
    hoverCentre();
  });
  viewer.addHandler('canvas-blur', () => {
    if (state.keyboardMode) setHover(-1);
  });

  // Pointer hover, listened to in the capture phase so that OpenSeadragon's trackers never hide it.
  el.map.addEventListener(
    'pointermove',
    (ev) => {
      if (ev.pointerType === 'touch') return; // touch: a tap selects instead
      state.keyboardMode = false;
      const r = viewer.container.getBoundingClientRect();
      state.pointer = new OpenSeadragon.Point(ev.clientX - r.left, ev.clientY - r.top);
      updateHover(state.pointer);
    },
    { capture: true, passive: true },
  );
  el.map.addEventListener('pointerleave', () => {
    state.pointer = null;
    setHover(-1);
  });
}

function viewerCentre() {
  const size = state.viewer.viewport.getContainerSize();
  return new OpenSeadragon.Point(size.x / 2, size.y / 2);
}

/** The item under a point in viewer element coordinates, found arithmetically, or -1. */
function itemAtElementPoint(point) {
  if (!state.tiled) return -1;
  const p = state.tiled.viewerElementToImageCoordinates(point);
  const cell = state.grid.cellAt(p.x / state.scale, p.y / state.scale);
  return state.grid.itemInCell(cell);
}

function cellViewportRect(cell) {
  const r = state.grid.cellRect(cell);
  const s = state.scale;
  return state.tiled.imageToViewportRectangle(r.x * s, r.y * s, r.w * s, r.h * s);
}

function placeBox(box, item) {
  const cell = item >= 0 ? state.grid.cellOfItem[item] : -1;
  if (cell < 0) {
    box.hidden = true;
    return;
  }
  state.viewer.updateOverlay(box, cellViewportRect(cell));
  box.hidden = false;
}

function titleOf(item) {
  const t = state.meta.items.title && state.meta.items.title[item];
  return t == null || t === '' ? String(state.meta.items.id[item]) : String(t);
}

function updateHover(point) {
  setHover(itemAtElementPoint(point), point);
}

function hoverCentre() {
  if (!state.tiled) return;
  const c = viewerCentre();
  setHover(itemAtElementPoint(c), c);
}

function setHover(item, point) {
  if (item !== state.hovered) {
    state.hovered = item;
    placeBox(state.hoverBox, item);
    el.map.classList.toggle('over-item', item >= 0);
  }
  const label = el.hoverLabel;
  if (item < 0 || !point) {
    label.hidden = true;
    return;
  }
  const text = titleOf(item);
  if (label.textContent !== text) label.textContent = text;
  label.hidden = false;
  // Keep the label inside the map, beside the pointer.
  const r = state.viewer.container.getBoundingClientRect();
  const w = label.offsetWidth;
  const h = label.offsetHeight;
  let x = r.left + point.x + 14;
  let y = r.top + point.y + 18;
  if (x + w > r.right - 4) x = Math.max(r.left + 4, r.left + point.x - w - 14);
  if (y + h > r.bottom - 4) y = Math.max(r.top + 4, r.top + point.y - h - 14);
  label.style.transform = `translate(${Math.round(x)}px, ${Math.round(y)}px)`;
}

function zoomToItem(item, immediately = false) {
  const cell = state.grid.cellOfItem[item];
  if (cell < 0) return;
  const r = cellViewportRect(cell);
  const pad = Math.max(r.width, r.height) * 0.35;
  state.viewer.viewport.fitBounds(
    new OpenSeadragon.Rect(r.x - pad, r.y - pad, r.width + 2 * pad, r.height + 2 * pad),
    immediately,
  );
}

// ---------------------------------------------------------------------------------------------
// Dimming for search: a mask with one pixel per cell, drawn scaled over the visible cells only.

function sizeDimLayer() {
  const dim = state.dim;
  if (!dim || !state.viewer) return;
  const size = state.viewer.viewport.getContainerSize();
  const dpr = window.devicePixelRatio || 1;
  const w = Math.max(1, Math.round(size.x * dpr));
  const h = Math.max(1, Math.round(size.y * dpr));
  if (dim.width !== w || dim.height !== h) {
    dim.width = w;
    dim.height = h;
  }
  drawDim();
}

function buildMask() {
  const { cols, rows, cells } = state.grid;
  const mask = document.createElement('canvas');
  mask.width = cols;
  mask.height = rows;
  const ctx = mask.getContext('2d');
  const data = ctx.createImageData(cols, rows);
  const matching = new Uint8Array(state.meta.items.id.length);
  for (const i of state.matches) matching[i] = 1;
  const [r, g, b, a] = DIM_RGBA;
  for (let c = 0; c < cells.length; c++) {
    const item = cells[c];
    if (item >= 0 && matching[item]) continue;
    const o = c * 4;
    data.data[o] = r;
    data.data[o + 1] = g;
    data.data[o + 2] = b;
    data.data[o + 3] = a;
  }
  ctx.putImageData(data, 0, 0);
  state.mask = mask;
}

function drawDim() {
  const dim = state.dim;
  if (!dim || !state.tiled) return;
  const size = state.viewer.viewport.getContainerSize();
  const dpr = window.devicePixelRatio || 1;
  if (dim.width !== Math.round(size.x * dpr) || dim.height !== Math.round(size.y * dpr)) {
    dim.width = Math.max(1, Math.round(size.x * dpr));
    dim.height = Math.max(1, Math.round(size.y * dpr));
  }
  const ctx = dim.getContext('2d');
  ctx.clearRect(0, 0, dim.width, dim.height);
  if (!state.mask) return;
  const g = state.grid;
  const s = state.scale;
  const cw = g.cellWidth * s;
  const ch = g.cellHeight * s;
  const tl = state.tiled.viewerElementToImageCoordinates(new OpenSeadragon.Point(0, 0));
  const br = state.tiled.viewerElementToImageCoordinates(new OpenSeadragon.Point(size.x, size.y));
  const c0 = Math.max(0, Math.floor(tl.x / cw));
  const r0 = Math.max(0, Math.floor(tl.y / ch));
  const c1 = Math.min(g.cols, Math.ceil(br.x / cw));
  const r1 = Math.min(g.rows, Math.ceil(br.y / ch));
  if (c1 <= c0 || r1 <= r0) return;
  const p0 = state.tiled.imageToViewerElementCoordinates(new OpenSeadragon.Point(c0 * cw, r0 * ch));
  const p1 = state.tiled.imageToViewerElementCoordinates(new OpenSeadragon.Point(c1 * cw, r1 * ch));
  ctx.imageSmoothingEnabled = false;
  ctx.drawImage(state.mask, c0, r0, c1 - c0, r1 - r0, p0.x * dpr, p0.y * dpr, (p1.x - p0.x) * dpr, (p1.y - p0.y) * dpr);
}

// ---------------------------------------------------------------------------------------------
// Search

function plural(n) {
  return n === 1 ? 'match' : 'matches';
}

function renderCount() {
  const m = state.matches;
  if (m === null) el.count.textContent = '';
  else if (m.length === 0) el.count.textContent = 'No matches';
  else if (state.matchPos < 0) el.count.textContent = `${m.length.toLocaleString()} ${plural(m.length)}`;
  else el.count.textContent = `${(state.matchPos + 1).toLocaleString()} of ${m.length.toLocaleString()} ${plural(m.length)}`;
  const any = m !== null && m.length > 0;
  el.prev.disabled = !any;
  el.next.disabled = !any;
}

function applySearch(query, { history = 'replace' } = {}) {
  state.query = query;
  const found = state.search ? state.search(query) : null;
  if (found === null) {
    state.matches = null;
    state.mask = null;
  } else {
    const cellOf = state.grid.cellOfItem;
    state.matches = found.filter((i) => cellOf[i] >= 0).sort((a, b) => cellOf[a] - cellOf[b]);
    buildMask();
  }
  state.matchPos = -1;
  el.root.dataset.searching = state.matches === null ? 'false' : 'true';
  renderCount();
  drawDim();
  writeHash(history);
}

function step(delta) {
  const m = state.matches;
  if (!m || m.length === 0) return;
  let pos = state.matchPos;
  if (pos < 0) {
    // Start from the selected image if it matches, else from the first or last match.
    const at = state.selected >= 0 ? m.indexOf(state.selected) : -1;
    pos = at >= 0 ? (at + delta + m.length) % m.length : delta > 0 ? 0 : m.length - 1;
  } else {
    pos = (pos + delta + m.length) % m.length;
  }
  state.matchPos = pos;
  renderCount();
  select(m[pos], { history: 'replace', zoom: true, keepMatchPos: true });
}

let searchTimer = 0;
el.input.addEventListener('input', () => {
  clearTimeout(searchTimer);
  searchTimer = setTimeout(() => applySearch(el.input.value), SEARCH_DELAY_MS);
});
el.form.addEventListener('submit', (ev) => {
  ev.preventDefault();
  clearTimeout(searchTimer);
  if (el.input.value !== state.query) applySearch(el.input.value);
  step(1);
});
el.input.addEventListener('keydown', (ev) => {
  if (ev.key === 'Enter' && ev.shiftKey) {
    ev.preventDefault();
    step(-1);
  }
});
el.next.addEventListener('click', () => step(1));
el.prev.addEventListener('click', () => step(-1));

// ---------------------------------------------------------------------------------------------
// Selection and the side panel

function safeUrl(value) {
  // Absolute http(s) links only: never javascript:, data: or a path relative to the viewer.
  if (typeof value !== 'string' || !/^https?:\/\//i.test(value.trim())) return null;
  try {
    const u = new URL(value.trim());
    return u.protocol === 'http:' || u.protocol === 'https:' ? u.href : null;
  } catch {
    return null;
  }
}

function fieldLabel(name) {
  const s = String(name).replace(/[_-]+/g, ' ').trim();
  return s.charAt(0).toUpperCase() + s.slice(1);
}

function fillPanel(item) {
  const { items, fields } = state.meta;
  el.panelTitle.textContent = titleOf(item);
  const rows = [];
  for (const f of fields) {
    const v = items[f][item];
    if (v == null || v === '') continue;
    const dt = document.createElement('dt');
    dt.textContent = fieldLabel(f);
    const dd = document.createElement('dd');
    dd.textContent = String(v);
    rows.push(dt, dd);
  }
  el.panelFields.replaceChildren(...rows);
  const url = safeUrl(items.url && items.url[item]);
  if (url) {
    el.panelLink.href = url;
    el.panelLink.hidden = false;
  } else {
    el.panelLink.removeAttribute('href');
    el.panelLink.hidden = true;
  }
  el.panel.dataset.item = String(items.id[item]);
}

function openPanel() {
  if (el.panel.hidden) {
    el.panel.hidden = false;
    el.root.dataset.panel = 'open';
    state.viewer.forceResize();
  }
}

function closePanel() {
  if (!el.panel.hidden) {
    const hadFocus = el.panel.contains(document.activeElement);
    el.panel.hidden = true;
    el.root.dataset.panel = 'closed';
    state.viewer.forceResize();
    if (hadFocus) state.viewer.canvas.focus();
  }
}

function select(item, { history = 'push', zoom = false, immediately = false, keepMatchPos = false } = {}) {
  if (!keepMatchPos && state.matches && state.matchPos >= 0 && state.matches[state.matchPos] !== item) {
    state.matchPos = -1;
    renderCount();
  }
  state.selected = item;
  fillPanel(item);
  openPanel();
  placeBox(state.selectBox, item);
  if (zoom) zoomToItem(item, immediately);
  writeHash(history);
}

function deselect({ history = 'push' } = {}) {
  if (state.selected < 0 && el.panel.hidden) return;
  state.selected = -1;
  placeBox(state.selectBox, -1);
  closePanel();
  writeHash(history);
}

// The skip link focuses the map without touching the URL's hash (that is the deep link).
document.querySelector('.skip-link').addEventListener('click', (ev) => {
  ev.preventDefault();
  (state.viewer ? state.viewer.canvas : el.map).focus();
});

// Show the map's focus ring to keyboard users only (OpenSeadragon focuses it on every click).
document.addEventListener('keydown', (ev) => {
  if (ev.key === 'Tab') el.root.classList.add('keyboard-user');
});
document.addEventListener('pointerdown', () => el.root.classList.remove('keyboard-user'), true);

el.panelClose.addEventListener('click', () => deselect({ history: 'push' }));
document.addEventListener('keydown', (ev) => {
  if (ev.key === 'Escape' && !el.panel.hidden && ev.target !== el.input) deselect({ history: 'push' });
});

// ---------------------------------------------------------------------------------------------
// Deep links: #item=<id>&q=<query>

function hashFor() {
  const p = new URLSearchParams();
  if (state.selected >= 0) p.set('item', String(state.meta.items.id[state.selected]));
  if (state.query) p.set('q', state.query);
  const s = p.toString();
  return s ? `#${s}` : '';
}

function writeHash(mode) {
  if (mode === 'none' || !state.meta) return;
  const hash = hashFor();
  if (hash === location.hash || (hash === '' && (location.hash === '' || location.hash === '#'))) return;
  const url = hash || location.pathname + location.search;
  if (mode === 'push') history.pushState(null, '', url);
  else history.replaceState(null, '', url);
}

function applyHash({ initial = false } = {}) {
  if (!state.tiled) return;
  const p = new URLSearchParams(location.hash.replace(/^#/, ''));
  const q = p.get('q') || '';
  if (initial || q !== state.query) {
    el.input.value = q;
    applySearch(q, { history: 'none' });
  }
  const id = p.get('item');
  const item = id === null ? -1 : state.idIndex.get(id) ?? -1;
  if (item >= 0) {
    if (item !== state.selected || initial) select(item, { history: 'none', zoom: true, immediately: initial });
  } else {
    deselect({ history: 'none' });
    if (id !== null) showStatus('That image is not in this collection.');
  }
}

window.addEventListener('popstate', () => applyHash());
window.addEventListener('hashchange', () => applyHash());

// ---------------------------------------------------------------------------------------------
// Zoom buttons

el.zoomIn.addEventListener('click', () => {
  state.viewer?.viewport.zoomBy(1.6);
  state.viewer?.viewport.applyConstraints();
});
el.zoomOut.addEventListener('click', () => {
  state.viewer?.viewport.zoomBy(1 / 1.6);
  state.viewer?.viewport.applyConstraints();
});
el.zoomHome.addEventListener('click', () => state.viewer?.viewport.goHome());

// ---------------------------------------------------------------------------------------------

function fail(error) {
  setState('error');
  showStatus(`The map could not be loaded: ${error.message}`, { error: true });
  console.error(error);
}

load().catch(fail);
