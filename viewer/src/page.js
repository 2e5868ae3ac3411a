// The page's fixed elements (index.html), looked up once when the app starts, and its state.

/** @param {Document} doc */
export function findElements(doc) {
  const $ = (id) => doc.getElementById(id);
  return {
    root: doc.documentElement,
    skipLink: /** @type {HTMLAnchorElement} */ (doc.querySelector('.skip-link')),
    title: $('collection-title'),
    mapCredit: $('map-credit'),
    aboutOpen: /** @type {HTMLButtonElement} */ ($('about-open')),
    about: /** @type {HTMLDialogElement} */ ($('about')),
    aboutClose: $('about-close'),
    aboutTitle: $('about-title'),
    aboutText: $('about-text'),
    aboutFacts: $('about-facts'),
    map: $('map'),
    status: $('map-status'),
    hoverLabel: $('hover-label'),
    form: /** @type {HTMLFormElement} */ ($('search-form')),
    input: /** @type {HTMLInputElement} */ ($('search-input')),
    prev: /** @type {HTMLButtonElement} */ ($('search-prev')),
    next: /** @type {HTMLButtonElement} */ ($('search-next')),
    count: $('match-count'),
    resultsToggle: /** @type {HTMLButtonElement} */ ($('results-toggle')),
    results: $('results'),
    resultsList: $('results-list'),
    resultsMore: /** @type {HTMLButtonElement} */ ($('results-more')),
    filtersOpen: /** @type {HTMLButtonElement} */ ($('filters-open')),
    filtersBadge: $('filters-badge'),
    filters: $('filters'),
    filtersTitle: $('filters-title'),
    filtersClear: /** @type {HTMLButtonElement} */ ($('filters-clear')),
    filtersClose: $('filters-close'),
    filtersShown: $('filters-shown'),
    filtersList: $('filters-list'),
    // The toolbar's "More tools" button and the groups it folds away on phones (toolbar-menu.js).
    moreToggle: $('more-toggle'),
    toolbarMore: $('toolbar-more'),
    zoomIn: $('zoom-in'),
    zoomOut: $('zoom-out'),
    zoomHome: $('zoom-home'),
    // The arrangement switch (arrangements.js).
    arrangement: $('arrangement'),
    arrangeSimilarity: $('arrange-similarity'),
    arrangeTimeline: $('arrange-timeline'),
    // The View group and the keyboard help (view-tools.js).
    minimap: $('minimap'),
    minimapToggle: $('minimap-toggle'),
    fullscreenToggle: /** @type {HTMLButtonElement} */ ($('fullscreen-toggle')),
    copyLink: $('copy-link'),
    copyFallback: /** @type {HTMLInputElement} */ ($('copy-link-fallback')),
    viewAnnounce: $('view-announce'),
    helpOpen: $('help-open'),
    help: /** @type {HTMLDialogElement} */ ($('help')),
    helpClose: $('help-close'),
    helpList: $('help-list'),
    // The selection (selection-tools.js, selection-panel.js).
    selectPan: $('select-pan'),
    selectRect: $('select-rect'),
    selectLasso: $('select-lasso'),
    selectRemove: $('select-remove'),
    selectCluster: $('select-cluster'),
    selectionToggle: $('selection-toggle'),
    selectionCount: $('selection-count'),
    resultsSelect: $('results-select'),
    selection: $('selection'),
    selectionTitle: $('selection-title'),
    selectionClose: $('selection-close'),
    selectionSummary: $('selection-summary'),
    selectionNote: $('selection-note'),
    selectionList: $('selection-list'),
    selectionMore: /** @type {HTMLButtonElement} */ ($('selection-more')),
    selectionClear: /** @type {HTMLButtonElement} */ ($('selection-clear')),
    exportCsv: /** @type {HTMLButtonElement} */ ($('export-csv')),
    exportJson: /** @type {HTMLButtonElement} */ ($('export-json')),
    exportIiif: /** @type {HTMLButtonElement} */ ($('export-iiif')),
    panel: $('panel'),
    panelTitle: $('panel-title'),
    panelSteps: $('panel-steps'),
    panelPrev: /** @type {HTMLButtonElement} */ ($('panel-prev')),
    panelNext: /** @type {HTMLButtonElement} */ ($('panel-next')),
    panelPlace: $('panel-place'),
    panelFields: $('panel-fields'),
    panelLink: /** @type {HTMLAnchorElement} */ ($('panel-link')),
    panelClose: $('panel-close'),
    similar: $('similar'),
    similarList: $('similar-list'),
  };
}

/** @typedef {ReturnType<typeof findElements>} Elements */

/** 'loading' | 'ready' | 'error', on <html data-state>: styles and the browser tests wait on it. */
export function setPageState(el, name) {
  el.root.dataset.state = name;
}

/** The map's status line; an error is an alert, anything else a polite status. */
export function showStatus(el, text, { error = false } = {}) {
  el.status.textContent = text;
  el.status.classList.toggle('error', error);
  el.status.setAttribute('role', error ? 'alert' : 'status');
}
