#!/usr/bin/env node
// Load every built page in headless Chromium and report what the browser's console reports.
//
//   node tools/a11y/console-check.mjs SITE_DIR [--pages a.html,b.html]
//
// Serves SITE_DIR on 127.0.0.1 and opens each page (pure redirect pages skipped, as in
// axe-check.mjs) plus the search page with a query, so that the search script runs. Collected:
// console messages of type "error", uncaught exceptions ("pageerror") and requests that failed
// or answered 4xx/5xx. Prints one JSON object on stdout:
//   { "pages": N, "seconds": s, "errors": [{ "page", "kind", "text" }] }
// Exit status: 0 when the run completed (whatever it found), 2 when it could not run.
import { sitePages, serve, launch, context } from './lib.mjs';

// Long enough for the theme's deferred scripts to run after "load". The search page is not left
// to this: it is waited for until the search has finished (its summary line is written), with
// a generous bound, so that a loaded machine cannot end the check before the search ran.
const SETTLE_MS = Number(process.env.CONSOLE_SETTLE_MS || 400);
const SEARCH_TIMEOUT_MS = 120000;

function parseArgs(argv) {
  const opts = { site: null, pages: null };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--pages') opts.pages = argv[++i].split(',');
    else opts.site = argv[i];
  }
  if (!opts.site) throw new Error('usage: console-check.mjs SITE_DIR [--pages ...]');
  return opts;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const start = Date.now();
  const pages = opts.pages || sitePages(opts.site);
  // The search page does its work only with a query.
  const urls = pages.map((rel) => (rel === 'search.html' ? `${rel}?q=kommun` : rel));
  const { server, base } = await serve(opts.site);
  const browser = await launch();
  const errors = [];
  try {
    const ctx = await context(browser, 'light');
    const page = await ctx.newPage();
    let current = '';
    page.on('console', (msg) => {
      if (msg.type() === 'error') {
        const loc = msg.location();
        const where = loc && loc.url ? ` (${loc.url.replace(base, '')}:${loc.lineNumber})` : '';
        errors.push({ page: current, kind: 'console', text: msg.text() + where });
      }
    });
    page.on('pageerror', (err) => errors.push({ page: current, kind: 'exception', text: String(err) }));
    page.on('requestfailed', (req) => errors.push({
      page: current, kind: 'request', text: `${req.url().replace(base, '')}: ${req.failure()?.errorText}`,
    }));
    page.on('response', (res) => {
      if (res.status() >= 400) {
        errors.push({ page: current, kind: 'request', text: `${res.url().replace(base, '')}: HTTP ${res.status()}` });
      }
    });
    for (const rel of urls) {
      current = rel;
      await page.goto(base + rel, { waitUntil: 'load' });
      if (rel.startsWith('search.html')) {
        await page.waitForFunction(
          () => document.querySelector('#search-results .search-summary')?.innerText.trim(),
          null, { timeout: SEARCH_TIMEOUT_MS });
      }
      await page.waitForTimeout(SETTLE_MS);
    }
    await ctx.close();
  } finally {
    await browser.close();
    server.close();
  }
  const out = { pages: urls.length, seconds: (Date.now() - start) / 1000, errors };
  process.stdout.write(JSON.stringify(out, null, 1) + '\n');
}

main().catch((err) => {
  process.stderr.write(`console-check: ${err.stack || err}\n`);
  process.exit(2);
});
