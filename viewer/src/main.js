// The tsne-assets viewer: a static deep-zoom map of a collection (see README.md for the modules).
// Every metadata string is data: it is only ever set with textContent or as an attribute value,
// never parsed as markup.

import { start } from './app.js';

start();
