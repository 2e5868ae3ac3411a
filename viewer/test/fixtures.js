// A small collection for the unit tests: a 3 × 2 grid of 100 × 50 px cells (not square), two
// empty cells and one item that is not on the map.
//
//   cell:  0  1  2        item:  2 -1  0
//          3  4  5               3  1 -1

export function sampleMeta() {
  return {
    format: 'tsne-assets.viewer/1',
    title: 'Sample',
    image: { dzi: 'tiles.dzi', width: 300, height: 100 },
    grid: { cols: 3, rows: 2, cell_width: 100, cell_height: 50 },
    cells: [2, -1, 0, 3, 1, -1],
    items: {
      id: ['a', 'b', 'c', 'd', 'e'],
      title: ['Red amphora', '', 'Déjà vu', 'Small amphora', 'Hidden'],
      culture: ['Etruscan', 'Français', null, 'Etruscan', 'Greek'],
      date: ['500 BC', '', '1900', '400 BC', '300 BC'],
      url: ['https://example.org/a', 'javascript:alert(1)', null, 'http://example.org/d', ''],
    },
    fields: ['culture', 'date'],
  };
}
