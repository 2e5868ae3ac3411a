// The hovered image: its outline, and its title beside the pointer (or beside the view's centre
// for keyboard users). The title is set as text, never markup.

import { labelPosition } from './geometry.js';

export class Hover {
  /**
   * @param {import('./map.js').MapView} map
   * @param {{map: HTMLElement, hoverLabel: HTMLElement}} el
   * @param {(item: number) => string} titleOf
   */
  constructor(map, el, titleOf) {
    this.map = map;
    this.el = el;
    this.titleOf = titleOf;
    this.item = -1;
  }

  /** Hovers `item` (-1: none); its label goes beside `point` (viewer element coordinates), if any. */
  set(item, point) {
    if (item !== this.item) {
      this.item = item;
      this.map.showOutline('hover', item);
      this.el.map.classList.toggle('over-item', item >= 0);
    }
    const label = this.el.hoverLabel;
    if (item < 0 || !point) {
      label.hidden = true;
      return;
    }
    const text = this.titleOf(item);
    if (label.textContent !== text) label.textContent = text;
    label.hidden = false;
    const box = this.map.viewer.container.getBoundingClientRect();
    const { x, y } = labelPosition(box, point, { width: label.offsetWidth, height: label.offsetHeight });
    label.style.transform = `translate(${x}px, ${y}px)`;
  }

  /** Hovers whatever is under `point` (viewer element coordinates). */
  at(point) {
    this.set(this.map.itemAt(point), point);
  }

  /** Hovers the image nearest the view's centre: what Enter would open. */
  atCentre() {
    if (!this.map.tiled) return;
    const centre = this.map.centre();
    this.set(this.map.itemNear(centre), centre);
  }
}
