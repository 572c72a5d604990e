import { existsSync, readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

/** The page's static files, read once when the hub starts. */
export interface LiveViewAssets {
  html: string;
  script: string;
  style: string;
}

/**
 * Finds the assets folder. The files are plain HTML, CSS and JavaScript that the browser runs as they
 * are, so the TypeScript build does not copy them: from `src/` they sit beside this module, and from
 * `dist/` they are read out of `src/` (which the package ships, see `files` in package.json).
 */
function assetsDir(): string {
  const candidates = [new URL('./assets/', import.meta.url), new URL('../../src/live-view/assets/', import.meta.url)];
  for (const candidate of candidates) {
    const path = fileURLToPath(candidate);
    if (existsSync(`${path}index.html`)) return path;
  }
  throw new Error(`live view assets not found; looked in ${candidates.map((url) => fileURLToPath(url)).join(' and ')}`);
}

/** Reads the page, its script and its stylesheet. */
export function loadLiveViewAssets(): LiveViewAssets {
  const dir = assetsDir();
  return {
    html: readFileSync(`${dir}index.html`, 'utf8'),
    script: readFileSync(`${dir}live-view.js`, 'utf8'),
    style: readFileSync(`${dir}live-view.css`, 'utf8'),
  };
}
