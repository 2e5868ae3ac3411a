// Counts as visitors read them. Pure: no DOM.

/** "123 images", "1 image". */
export function imageCount(count) {
  return `${count.toLocaleString()} ${count === 1 ? 'image' : 'images'}`;
}
