// `npm start [-- <collection folder>] [--port N] [--host H]`: the Vite dev server for the viewer,
// serving a built collection's data. The collection folder is <root>/site/<id> (the folder that
// holds current.json); it can also be given as TSNE_COLLECTION.
import fs from 'node:fs';
import path from 'node:path';
import { createServer } from 'vite';

const args = process.argv.slice(2);
let dir = process.env.TSNE_COLLECTION || '';
let port = 5173;
let host = '127.0.0.1';
for (let i = 0; i < args.length; i++) {
  if (args[i] === '--port') port = Number(args[++i]);
  else if (args[i] === '--host') host = args[++i];
  else dir = args[i];
}
if (!dir) {
  console.error('usage: npm start -- <root>/site/<collection-id>   (or TSNE_COLLECTION=<dir> npm start)');
  process.exit(2);
}
dir = path.resolve(process.env.INIT_CWD || process.cwd(), dir);
if (!fs.existsSync(path.join(dir, 'current.json'))) {
  console.error(`${dir} has no current.json: give the published collection folder <root>/site/<id>`);
  process.exit(2);
}
process.env.TSNE_COLLECTION = dir;
const server = await createServer({
  configFile: path.resolve(import.meta.dirname, '../vite.config.js'),
  root: path.resolve(import.meta.dirname, '..'),
  server: { port, host, strictPort: false },
});
await server.listen();
console.log(`serving the collection ${dir}`);
server.printUrls();
