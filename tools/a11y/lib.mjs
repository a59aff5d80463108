// Shared helpers: find the built pages, serve the site locally, launch the system Chromium.
import { createServer } from 'node:http';
import { readdirSync, readFileSync, statSync, createReadStream } from 'node:fs';
import { join, relative, extname, resolve, sep } from 'node:path';
import { chromium } from 'playwright-core';

export const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
export const CHROMIUM_ARGS = [
  '--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync',
  // Nothing leaves the machine: every host name except the local server fails to resolve
  // (done in the browser: Playwright's request routing would disable the HTTP cache).
  '--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1',
];

const TYPES = {
  '.html': 'text/html; charset=utf-8', '.css': 'text/css', '.js': 'text/javascript',
  '.mjs': 'text/javascript', '.svg': 'image/svg+xml', '.png': 'image/png', '.json': 'application/json',
  '.woff2': 'font/woff2', '.woff': 'font/woff', '.ttf': 'font/ttf', '.pdf': 'application/pdf',
  '.csv': 'text/csv; charset=utf-8', '.txt': 'text/plain; charset=utf-8', '.ico': 'image/x-icon',
};

/** Every HTML page of the site (relative paths, sorted), without _static/ and pure redirects. */
export function sitePages(root) {
  const out = [];
  const walk = (dir) => {
    for (const name of readdirSync(dir)) {
      const p = join(dir, name);
      if (statSync(p).isDirectory()) {
        if (!['_static', '_sources', '_images', '_downloads'].includes(name)) walk(p);
      } else if (name.endsWith('.html')) {
        const head = readFileSync(p, 'utf8').slice(0, 1000);
        if (/http-equiv=["']refresh["']/i.test(head)) continue; // redirect page
        out.push(relative(root, p).split(sep).join('/'));
      }
    }
  };
  walk(root);
  return out.sort();
}

/** Serve `root` on 127.0.0.1 (random port); resolves to { server, base }. */
export function serve(root) {
  root = resolve(root);
  const server = createServer((req, res) => {
    let path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    if (path.endsWith('/')) path += 'index.html';
    const file = resolve(join(root, path));
    if (!file.startsWith(root) || !statSync(file, { throwIfNoEntry: false })?.isFile()) {
      res.writeHead(404).end('not found');
      return;
    }
    // Cacheable, so that the theme's scripts and styles load once per browser context.
    res.writeHead(200, {
      'content-type': TYPES[extname(file)] || 'application/octet-stream',
      'cache-control': 'max-age=600',
    });
    createReadStream(file).pipe(res);
  });
  return new Promise((ok) => server.listen(0, '127.0.0.1', () => {
    ok({ server, base: `http://127.0.0.1:${server.address().port}/` });
  }));
}

export async function launch() {
  const [major] = process.versions.node.split('.').map(Number);
  if (major < 18) throw new Error(`Node.js >= 18 is required (found ${process.versions.node})`);
  return chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS, headless: true });
}

/** A browser context in the given colour mode ('light' | 'dark'). */
export async function context(browser, mode, viewport = { width: 1280, height: 900 }) {
  const ctx = await browser.newContext({ viewport, colorScheme: mode, reducedMotion: 'reduce' });
  // The pydata theme reads the mode from localStorage before the first paint.
  await ctx.addInitScript((m) => {
    try { localStorage.setItem('mode', m); localStorage.setItem('theme', m); } catch (e) { /* */ }
  }, mode);
  return ctx;
}

/** Load a page and make sure the colour mode is applied and layout has settled. */
export async function open(page, url, mode) {
  await page.goto(url, { waitUntil: 'load' });
  await page.evaluate((m) => {
    document.documentElement.dataset.theme = m;
    document.documentElement.dataset.mode = m;
  }, mode);
  await page.evaluate(() => document.fonts.ready);
}
