// Switching the map between its arrangements (arrangement.js): the switch's two buttons, the
// timeline's file fetched on the first switch, and the swap of the tiles and the grid under
// everything placed by cell (map.js reads `map.grid`, `map.tiled` and `map.scale` each time).
// What follows the swap (dimming, outlines, labels, axis, the view) is wired in app.js.

import { SIMILARITY, TIMELINE, hasTimeline, timelineAxis, timelineGrid } from './arrangement.js';
import { imageScale } from './geometry.js';

async function fetchJson(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url}: HTTP ${response.status}`);
  return response.json();
}

export class Arrangements {
  /**
   * @param {import('./page.js').Elements} el
   * @param {import('./metadata.js').Collection} collection
   * @param {import('./map.js').MapView} map
   * @param {(name: string) => void} choose  a switch button was pressed
   */
  constructor(el, collection, map, choose) {
    this.el = el;
    this.map = map;
    this.current = SIMILARITY;
    const { meta, base } = collection;
    /** @type {Record<string, {grid: import('./grid.js').Grid, imageUrl: string, image: object, axis: object[]} | Promise<any>>} */
    this.loaded = {
      [SIMILARITY]: { grid: collection.grid, imageUrl: collection.imageUrl, image: meta.image, axis: [] },
    };
    this.timelineUrl = hasTimeline(meta) ? new URL(meta.arrangements.timeline.path, base).href : null;
    this.items = meta.items.id.length;
    this.base = base;
    this.listeners = [];
    this.pending = Promise.resolve();
    el.arrangement.hidden = !this.timelineUrl;
    el.arrangeSimilarity.addEventListener('click', () => choose(SIMILARITY));
    el.arrangeTimeline.addEventListener('click', () => choose(TIMELINE));
    this.render();
  }

  /** Whether `name` can be shown: always the similarity map, the timeline where there is one. */
  has(name) {
    return name === SIMILARITY || (name === TIMELINE && this.timelineUrl !== null);
  }

  /** Calls `listener(name)` after every switch, once the new tiles and grid are in place. */
  onChange(listener) {
    this.listeners.push(listener);
  }

  /** The pressed button says which arrangement is shown; <html data-arrangement> too (styles, tests). */
  render() {
    this.el.arrangeSimilarity.setAttribute('aria-pressed', String(this.current === SIMILARITY));
    this.el.arrangeTimeline.setAttribute('aria-pressed', String(this.current === TIMELINE));
    this.el.root.dataset.arrangement = this.current;
  }

  /** The tiles, grid and axis of `name`, fetched once. */
  load(name) {
    if (!this.loaded[name]) {
      this.loaded[name] = fetchJson(this.timelineUrl).then((section) => {
        const grid = timelineGrid(section, this.items);
        const dzi = section.image && section.image.dzi;
        if (typeof dzi !== 'string' || !/^[\w.-]+\/[\w.-]+\.dzi$|^[\w.-]+\.dzi$/.test(dzi)) {
          throw new Error('timeline.json: invalid image');
        }
        const loaded = { grid, imageUrl: new URL(dzi, this.base).href, image: section.image, axis: timelineAxis(section, grid) };
        this.loaded[name] = loaded;
        return loaded;
      });
      this.loaded[name].catch(() => {
        // Unusable: the switch goes, and links naming the timeline show the similarity map.
        delete this.loaded[name];
        this.timelineUrl = null;
        this.el.arrangement.hidden = true;
      });
    }
    return Promise.resolve(this.loaded[name]);
  }

  /**
   * Shows arrangement `name` (ignored where the collection lacks it): resolves once its tiles
   * are open and its grid is the map's, after the listeners ran. Switches run one after another.
   */
  show(name) {
    const run = this.pending.catch(() => {}).then(() => (this.has(name) && name !== this.current ? this.swap(name) : null));
    this.pending = run;
    return run;
  }

  /** The arrangement a link's `view` names, where the collection has it; else the similarity map. */
  viewOf(view) {
    return view && this.has(view) ? view : SIMILARITY;
  }

  /** What a link says about the arrangement shown: nothing for the similarity map (the default). */
  linkView() {
    return this.current === SIMILARITY ? null : this.current;
  }

  async swap(name) {
    const target = await this.load(name);
    const map = this.map;
    const previous = map.tiled;
    // The shown pyramid and the images' own go first: the minimap (minimap.js) mirrors only the
    // world's first layer, which must be the new pyramid when it arrives. The listeners then
    // reopen the detail layers wanted over the new grid.
    map.viewer.world.removeAll();
    let tiled;
    try {
      tiled = await this.addTiles(target.imageUrl);
    } catch (error) {
      await this.addTiles(previous.source); // the map stays as it was
      throw error;
    }
    map.tiled = tiled;
    map.grid = target.grid;
    map.scale = imageScale(target.image, tiled.source.dimensions.x);
    map.viewer.viewport.goHome(true);
    this.current = name;
    this.render();
    for (const listener of this.listeners) listener(name, target);
  }

  /** Opens the tiles at `source` (a URL, or an open tile source) as the world's first item. */
  addTiles(source) {
    return new Promise((resolve, reject) => {
      this.map.viewer.addTiledImage({
        tileSource: source,
        index: 0,
        x: 0,
        y: 0,
        width: 1,
        success: (e) => resolve(e.item),
        error: (e) => reject(new Error(`Could not open the tiles: ${e.message}`)),
      });
    });
  }
}
