// Pointer, touch and keyboard on the map: hover, click or tap to select, Enter and Escape; and the
// redraws that follow the view (dimming, hover).

/**
 * @param {import('./map.js').MapView} map
 * @param {{element: HTMLElement, hover: import('./hover.js').Hover,
 *   dim: import('./dim-layer.js').DimLayer, controller: import('./controller.js').Controller}} parts
 */
export function bindMapInput(map, { element, hover, dim, controller }) {
  const viewer = map.viewer;
  const canvas = viewer.canvas;
  let pointer = null; // last mouse position in viewer element coordinates
  let keyboardMode = false; // hover follows the view's centre instead of the pointer

  viewer.addHandler('update-viewport', () => {
    dim.draw();
    if (keyboardMode && document.activeElement === canvas) hover.atCentre();
    else if (pointer) hover.at(pointer);
  });
  viewer.addHandler('resize', () => dim.resize());

  viewer.addHandler('canvas-click', (e) => {
    if (!e.quick) return; // a drag, not a click
    keyboardMode = false;
    const item = map.itemAt(e.position);
    if (item >= 0) {
      controller.select(item, { history: 'push' });
      if (e.originalEvent && e.originalEvent.pointerType === 'touch') hover.set(item, e.position);
    } else {
      controller.deselect({ history: 'push' });
    }
  });

  viewer.addHandler('canvas-key', (e) => {
    const ev = e.originalEvent;
    // No rotating, flipping or paging: hit testing stays arithmetic.
    if (['KeyR', 'KeyF', 'KeyJ', 'KeyK'].includes(ev.code)) e.preventDefaultAction = true;
    if (ev.key === 'Enter' || ev.key === ' ') {
      e.preventDefaultAction = true;
      ev.preventDefault();
      const item = map.itemNear(map.centre());
      if (item >= 0) controller.select(item, { history: 'push' });
    } else if (ev.key === 'Escape') {
      controller.deselect({ history: 'push' });
    }
    keyboardMode = true;
    hover.atCentre();
  });
  viewer.addHandler('canvas-blur', () => {
    if (keyboardMode) hover.set(-1);
  });

  // Pointer hover, listened to in the capture phase so that OpenSeadragon's trackers never hide it.
  element.addEventListener(
    'pointermove',
    (ev) => {
      if (ev.pointerType === 'touch') return; // touch: a tap selects instead
      keyboardMode = false;
      pointer = map.elementPoint(ev.clientX, ev.clientY);
      hover.at(pointer);
    },
    { capture: true, passive: true },
  );
  element.addEventListener('pointerleave', () => {
    pointer = null;
    hover.set(-1);
  });
}
