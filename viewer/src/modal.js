// A modal <dialog> (About, the keyboard help): focus moves in when it opens and back where it was
// when it closes; Escape and a click on the backdrop close the dialog, and only the dialog.

/**
 * @param {HTMLDialogElement} dialog  its visible box is an inner frame, so a click on the dialog
 *   element itself is a click on the backdrop
 * @param {HTMLElement} closeButton
 * @returns {{open: (returnTo?: Element | null) => void}}  open: shows the dialog; focus goes back to
 *   `returnTo` (default: what has the focus now) when it closes
 */
export function bindModal(dialog, closeButton) {
  let returnTo = null;
  closeButton.addEventListener('click', () => dialog.close());
  dialog.addEventListener('close', () => returnTo?.focus());
  dialog.addEventListener('keydown', (ev) => {
    if (ev.key === 'Escape') ev.stopPropagation(); // the page's Escape would close the details panel
  });
  dialog.addEventListener('click', (ev) => {
    if (ev.target === dialog) dialog.close();
  });
  return {
    open(to = document.activeElement) {
      if (dialog.open) return;
      returnTo = to instanceof HTMLElement ? to : null;
      dialog.showModal();
    },
  };
}
