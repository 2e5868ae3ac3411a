// Dev-server middleware: serves a published collection's `current.json` and `versions/...`
// (the files the viewer fetches at runtime) from the folder given by TSNE_COLLECTION.
import fs from 'node:fs';
import path from 'node:path';

const TYPES = {
  '.json': 'application/json',
  '.dzi': 'application/xml',
  '.xml': 'application/xml',
  '.jpg': 'image/jpeg',
  '.jpeg': 'image/jpeg',
  '.png': 'image/png',
  '.webp': 'image/webp',
  '.avif': 'image/avif',
};

export function collectionMiddleware(dir) {
  if (!dir) {
    return (req, res, next) => {
      const url = (req.url || '').split('?')[0];
      if (url.endsWith('/current.json')) {
        res.statusCode = 404;
        res.setHeader('Content-Type', 'text/plain; charset=utf-8');
        res.end('No collection: start with `npm start -- <root>/site/<id>` or TSNE_COLLECTION=<dir>.\n');
        return;
      }
      next();
    };
  }
  const root = path.resolve(dir);
  return (req, res, next) => {
    const url = decodeURIComponent((req.url || '/').split('?')[0]);
    // The app is served at '/', so its relative fetches arrive as /current.json and /versions/...
    if (url !== '/current.json' && !url.startsWith('/versions/')) return next();
    const file = path.resolve(root, '.' + url);
    if (!file.startsWith(root + path.sep)) {
      res.statusCode = 403;
      res.end();
      return;
    }
    fs.stat(file, (err, st) => {
      if (err || !st.isFile()) {
        res.statusCode = 404;
        res.end();
        return;
      }
      res.setHeader('Content-Type', TYPES[path.extname(file).toLowerCase()] || 'application/octet-stream');
      res.setHeader('Content-Length', st.size);
      res.setHeader('Cache-Control', 'no-cache');
      fs.createReadStream(file).pipe(res);
    });
  };
}
