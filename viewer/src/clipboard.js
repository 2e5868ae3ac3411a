// Copying text with the asynchronous Clipboard API, which browsers refuse outside secure contexts
// (file://, plain http other than localhost) or without permission.

/**
 * Copies `text`; resolves to whether the clipboard took it (never rejects).
 * @param {string} text
 * @param {{writeText?: (text: string) => Promise<void>} | undefined} clipboard  navigator.clipboard
 *   (undefined where the page is not a secure context)
 */
export async function copyText(text, clipboard) {
  if (!clipboard || typeof clipboard.writeText !== 'function') return false;
  try {
    await clipboard.writeText(text);
    return true;
  } catch {
    return false;
  }
}
