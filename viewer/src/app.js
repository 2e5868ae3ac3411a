// App start: looks up the page, registers every listener and loads the collection. Nothing runs
// at import; main.js calls start() once.

import { bindAbout, showIdentity } from './about.js';
import { SIMILARITY } from './arrangement.js';
import { Arrangements } from './arrangements.js';
import { ClusterLabels } from './cluster-labels.js';
import { Controller } from './controller.js';
import { imageCount } from './counts.js';
import { overzoomOf } from './detail.js';
import { DetailLayers } from './detail-layers.js';
import { DimLayer } from './dim-layer.js';
import { FacetPanel } from './facet-panel.js';
import { Hover } from './hover.js';
import { MapView, OpenSeadragon } from './map.js';
import { bindMapInput } from './map-input.js';
import { MapFocus } from './map-focus.js';
import { loadCollection, loadPointer, titleOf } from './metadata.js';
import { findElements, setPageState, showStatus } from './page.js';
import { Panel } from './panel.js';
import { PanelImage } from './panel-image.js';
import { bindResultSteps } from './result-steps.js';
import { ResultsList } from './results-list.js';
import { bindSearchBox } from './search-box.js';
import { SelectionTools } from './selection-tools.js';
import { SimilarSection } from './similar-section.js';
import { TimelineAxis } from './timeline-axis.js';
import { bandName } from './timeline-bands.js';
import { bindToolbarMenu } from './toolbar-menu.js';
import { announce, bindViewTools } from './view-tools.js';

/** Toolbar, skip link, Escape and history: usable before the map is (`getViewer()` may be null). */
function bindPage(el, controller, getViewer) {
  bindSearchBox(el, {
    search: (query) => controller.search(query),
    submit: (query) => controller.submit(query),
    step: (delta) => controller.step(delta),
  });
  bindResultSteps(el, (delta) => controller.step(delta));
  // The skip link focuses the map without touching the URL's hash (that is the deep link).
  el.skipLink.addEventListener('click', (ev) => {
    ev.preventDefault();
    (getViewer()?.canvas ?? el.map).focus();
  });
  // Show the map's focus ring to keyboard users only (OpenSeadragon focuses it on every click).
  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'Tab') el.root.classList.add('keyboard-user');
  });
  document.addEventListener('pointerdown', () => el.root.classList.remove('keyboard-user'), true);

  bindAbout(el);
  bindToolbarMenu(el);
  el.panelClose.addEventListener('click', () => controller.deselect({ history: 'push' }));
  document.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape' && !el.panel.hidden && ev.target !== el.input) controller.deselect({ history: 'push' });
  });
  window.addEventListener('popstate', () => controller.applyHash());
  window.addEventListener('hashchange', () => controller.applyHash());

  const zoomBy = (factor) => {
    getViewer()?.viewport.zoomBy(factor);
    getViewer()?.viewport.applyConstraints();
  };
  el.zoomIn.addEventListener('click', () => zoomBy(1.6));
  el.zoomOut.addEventListener('click', () => zoomBy(1 / 1.6));
  el.zoomHome.addEventListener('click', () => getViewer()?.viewport.goHome());
  bindViewTools(el, getViewer);
}

/** Starts loading the tiles at `imageUrl` (a DZI or IIIF info.json) into the map's element. */
function openTiles(el, imageUrl, fail) {
  const map = new MapView(el.map, imageUrl);
  map.viewer.addHandler('open-failed', (e) => fail(new Error(`Could not open the tiles: ${e.message}`)));
  // The controls that come with the metadata (About, Filters, the tools) may wrap the toolbar
  // after the tiles opened: until the visitor moves the map, and unless a link says what to
  // show, a resize keeps the whole map in view (afterwards it keeps the image's size).
  // (After the resize: OpenSeadragon restores the old zoom once its resize event is handled.)
  const keepWhole = () => !location.hash && queueMicrotask(() => map.viewer.viewport.goHome(true));
  map.viewer.addHandler('after-resize', keepWhole);
  const moved = () => map.viewer.removeHandler('after-resize', keepWhole);
  for (const name of ['canvas-press', 'canvas-scroll', 'canvas-key', 'canvas-pinch']) map.viewer.addOnceHandler(name, moved);
  for (const button of [el.zoomIn, el.zoomOut]) button.addEventListener('click', moved, { once: true });
  return map;
}

/** Calls `done` once every tile in view of `tiled` (an OpenSeadragon TiledImage) is drawn. */
function whenLoaded(tiled, done) {
  if (tiled.getFullyLoaded()) done();
  else tiled.addOnceHandler('fully-loaded-change', done);
}

/**
 * Wires the map to the controller once the collection is loaded. `early`: the tiles, loading
 * since the pointer named them (else they are opened here).
 */
function showMap(el, collection, controller, fail, early) {
  const { meta, grid } = collection;
  showIdentity(el, meta, collection.manifestUrl);

  const map = early ?? openTiles(el, collection.imageUrl, fail);
  map.grid = grid;
  const viewer = map.viewer;
  // The browser tests' only hook: coordinates through OpenSeadragon, never through our code.
  window.tsneViewer = { viewer, OpenSeadragon };

  const dim = new DimLayer(map);
  const labels = new ClusterLabels(map, meta, (cluster) => selection.offerCluster(cluster));
  const detail = new DetailLayers(map, collection.detail, { overzoom: overzoomOf(location.search) });
  const image = new PanelImage(el, collection.detail, collection.idIndex);
  const panel = new Panel(el, { onLayout: () => viewer.forceResize(), focusMap: () => viewer.canvas.focus() }, image);
  const hover = new Hover(map, el, (item) => titleOf(meta, item));
  const similar = new SimilarSection(el, collection, map, (item) => controller.select(item, { zoom: true }));
  const focus = new MapFocus(map, [el.panel, el.results, el.filters, el.selection]);
  const results = new ResultsList(el, collection, map, {
    choose: (pos) => controller.goToMatch(pos),
    layout: () => controller.keepInView(),
  });
  // The drawer narrows the map (on phones it lies over the top of it): the selected image stays in view.
  const facets = new FacetPanel(el, collection, {
    change: () => controller.filter(),
    layout: () => {
      viewer.forceResize();
      if (controller.selected >= 0) controller.keepInView();
    },
  });
  const selection = new SelectionTools(el, collection, map, {
    visit: (item) => controller.select(item, { zoom: true }),
    changed: () => controller.writeHash('push'),
    matches: () => controller.matches,
    layout: () => controller.keepInView(),
  });
  controller.attachSelection(selection);
  // The timeline (where the collection has one): everything placed by cell follows the swap.
  const arrangements = new Arrangements(el, collection, map, (name) => controller.arrange(name));
  const axis = new TimelineAxis(map, focus, (band) => {
    selection.offerBand(band);
    announce(el, `Showing ${bandName(band)}`);
  });
  arrangements.onChange((name, shown) => {
    detail.reset();
    hover.set(-1);
    labels.setVisible(name === SIMILARITY);
    axis.show(shown.axis);
    controller.arranged();
    if (el.root.dataset.state === 'loading') whenLoaded(map.tiled, () => setPageState(el, 'ready')); // a link's timeline
  });
  controller.attach({ collection, map, dim, panel, similar, focus, results, facets, arrangements });

  const opened = () => {
    map.open(meta.image);
    dim.attach();
    labels.attach();
    selection.attach();
    axis.attach();
    detail.attach();
    const n = grid.cellOfItem.reduce((acc, c) => acc + (c >= 0 ? 1 : 0), 0);
    showStatus(el, imageCount(n));
    controller.applyHash({ initial: true });
    whenLoaded(map.tiled, () => setPageState(el, 'ready'));
  };
  if (viewer.world.getItemCount() > 0) opened(); // the early tiles opened before the metadata came
  else viewer.addOnceHandler('open', opened);
  bindMapInput(map, { element: el.map, hover, dim, controller });
  return map;
}

/** Starts the viewer on `doc`: listeners first, then the collection (current.json, relative to the page). */
export function start(doc = document) {
  const el = findElements(doc);
  const controller = new Controller(el);
  let map = null;
  const fail = (error) => {
    setPageState(el, 'error');
    showStatus(el, `The map could not be loaded: ${error.message}`, { error: true });
    console.error(error);
  };
  bindPage(el, controller, () => map && map.viewer);
  setPageState(el, 'loading');
  loadPointer(location.href)
    .then(({ base, imageUrl }) => {
      // Tiles the pointer names load while the metadata does: the first paint never waits for it.
      map = imageUrl ? openTiles(el, imageUrl, fail) : null;
      return loadCollection(base).then((collection) => {
        map = showMap(el, collection, controller, fail, map);
      });
    })
    .catch(fail);
}
