/**
 * Bundles the dashboard's page (src/dashboard/web) with esbuild into dist/dashboard/web: one
 * script, one style sheet, the page. Minified and self-contained: the page loads nothing from
 * anywhere but the dashboard server (no CDN), so it works offline.
 */
import { copyFileSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { build } from 'esbuild';

const root = join(import.meta.dirname, '..');
const src = join(root, 'src', 'dashboard', 'web');
const out = join(root, 'dist', 'dashboard', 'web');
mkdirSync(out, { recursive: true });
await build({
  entryPoints: [join(src, 'main.tsx')],
  outfile: join(out, 'app.js'),
  bundle: true,
  format: 'esm',
  target: 'es2022',
  minify: true,
  jsx: 'automatic',
  jsxImportSource: 'preact',
  legalComments: 'eof',
  logLevel: 'warning',
});
await build({ entryPoints: [join(src, 'app.css')], outfile: join(out, 'app.css'), bundle: true, minify: true, logLevel: 'warning' });
copyFileSync(join(src, 'index.html'), join(out, 'index.html'));
