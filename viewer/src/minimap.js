// The minimap: OpenSeadragon's navigator in #minimap, over the map's top right corner (clear of the
// panel, the drawers, the status and the credit), shown and hidden by its toolbar button. It shows
// the map's own tiles only: the images' own pyramids (detail-layers.js) add nothing at its size.

/** Options for the map's OpenSeadragon viewer (map.js). */
export const MINIMAP_OPTIONS = {
  showNavigator: true,
  navigatorId: 'minimap-view', // in #minimap, which the page places, sizes and labels
  navigatorAutoFade: false,
  navigatorBackground: '#111214',
  navigatorOpacity: 1,
  navigatorBorderColor: '#5b606a',
  navigatorDisplayRegionColor: '#ffd24a',
};

/**
 * Keeps the navigator to the first layer of the map's world, the arrangement's pyramid; every
 * other layer the navigator mirrors (an image's own pyramid) is dropped before it loads a tile.
 * An arrangement that replaces the map's pyramid is first removed, so its successor is first again.
 * @param {any} viewer  the map's OpenSeadragon viewer
 */
export function mirrorMapOnly(viewer) {
  const world = viewer.navigator.world;
  world.addHandler('add-item', (e) => {
    if (world.getItemCount() > 1) world.removeItem(e.item);
  });
}

/**
 * The Minimap button: shows or hides the navigator (aria-pressed says which).
 * @param {import('./page.js').Elements} el
 * @param {() => any} getViewer  the map's OpenSeadragon viewer, or null before it exists
 */
export function bindMinimap(el, getViewer) {
  el.minimapToggle.addEventListener('click', () => {
    const on = el.minimap.hidden;
    el.minimap.hidden = !on;
    el.minimapToggle.setAttribute('aria-pressed', String(on));
    const viewer = getViewer();
    if (on && viewer?.navigator) {
      viewer.navigator.updateSize(); // it was 0 × 0 while hidden
      viewer.navigator.update(viewer.viewport);
    }
  });
}
