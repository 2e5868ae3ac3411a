import { defineConfig } from 'vite';
import { fileURLToPath } from 'node:url';
import { collectionMiddleware } from './scripts/collection.mjs';

const outDir = fileURLToPath(new URL('../tsne_assets/viewer_dist/', import.meta.url));

export default defineConfig({
  // Relative URLs only: the built folder works from any sub-path of any static host.
  base: './',
  publicDir: false,
  build: {
    outDir,
    emptyOutDir: true,
    assetsDir: 'viewer',
    sourcemap: false,
    target: 'es2020',
    chunkSizeWarningLimit: 1024,
  },
  plugins: [
    {
      name: 'tsne-assets-collection',
      apply: 'serve',
      configureServer(server) {
        server.middlewares.use(collectionMiddleware(process.env.TSNE_COLLECTION));
      },
    },
  ],
});
