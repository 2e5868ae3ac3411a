// The details panel (a bottom sheet on phones). It shows what details.js prepared, as text only.

export class Panel {
  /**
   * @param {import('./page.js').Elements} el
   * @param {{onLayout: () => void, focusMap: () => void}} hooks  the map's size changes with the
   *   panel; focus inside a closing panel goes back to the map
   * @param {{show: (id: string, title: string) => void} | null} [image]  draws the selected image (panel-image.js)
   */
  constructor(el, hooks, image = null) {
    this.el = el;
    this.hooks = hooks;
    this.image = image;
  }

  get isOpen() {
    return !this.el.panel.hidden;
  }

  /** @param {ReturnType<typeof import('./details.js').detailsOf>} details */
  fill(details) {
    const el = this.el;
    el.panelTitle.textContent = details.title;
    const rows = [];
    for (const { label, value } of details.rows) {
      const dt = document.createElement('dt');
      dt.textContent = label;
      const dd = document.createElement('dd');
      dd.textContent = value;
      rows.push(dt, dd);
    }
    el.panelFields.replaceChildren(...rows);
    if (details.url) {
      el.panelLink.href = details.url;
      el.panelLink.hidden = false;
    } else {
      el.panelLink.removeAttribute('href');
      el.panelLink.hidden = true;
    }
    el.panel.dataset.item = details.id;
    el.panel.scrollTop = 0; // another image's details start at its title, not where the last one was scrolled to
    if (this.image) this.image.show(details.id, details.title);
  }

  open() {
    if (this.isOpen) return;
    this.el.panel.hidden = false;
    this.el.panel.scrollTop = 0; // a hidden panel ignores fill()'s reset and shows again where it was
    this.el.root.dataset.panel = 'open';
    this.hooks.onLayout();
  }

  close() {
    if (!this.isOpen) return;
    const hadFocus = this.el.panel.contains(document.activeElement);
    this.el.panel.hidden = true;
    this.el.root.dataset.panel = 'closed';
    this.hooks.onLayout();
    if (hadFocus) this.hooks.focusMap();
  }
}
