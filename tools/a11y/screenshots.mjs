#!/usr/bin/env node
// Full-page screenshots of the built book as readers see it (`make screenshots`).
//
//   node tools/a11y/screenshots.mjs SITE_DIR OUT_DIR [--pages a.html,b.html] [--modes light,dark]
//
// Default pages: the front page and every chapter/appendix page under book/ and notebooks/.
// Widths: desktop 1280 px and phone 390 px. Files: OUT_DIR/<page>--<width>--<mode>.png.
// It also reports, per page and width, elements wider than the viewport that make the whole
// page scroll sideways (tables must scroll inside their own box instead).
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { sitePages, serve, launch, context, open } from './lib.mjs';

const WIDTHS = [{ name: 'desktop', width: 1280, height: 900 }, { name: 'phone', width: 390, height: 844 }];

function parseArgs(argv) {
  const opts = { site: null, out: null, pages: null, modes: ['light'] };
  const rest = [];
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--pages') opts.pages = argv[++i].split(',');
    else if (argv[i] === '--modes') opts.modes = argv[++i].split(',');
    else rest.push(argv[i]);
  }
  [opts.site, opts.out] = rest;
  if (!opts.site || !opts.out) throw new Error('usage: screenshots.mjs SITE_DIR OUT_DIR [--pages ...] [--modes ...]');
  return opts;
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const pages = opts.pages
    || sitePages(opts.site).filter((p) => p.startsWith('book/') || p.startsWith('notebooks/'));
  mkdirSync(opts.out, { recursive: true });
  const { server, base } = await serve(opts.site);
  const browser = await launch();
  const problems = [];
  try {
    for (const mode of opts.modes) {
      for (const vp of WIDTHS) {
        const ctx = await context(browser, mode, { width: vp.width, height: vp.height });
        const tab = await ctx.newPage();
        for (const rel of pages) {
          await open(tab, base + rel, mode);
          const file = join(opts.out, `${rel.replace(/\//g, '_').replace(/\.html$/, '')}--${vp.width}--${mode}.png`);
          await tab.screenshot({ path: file, fullPage: true });
          const wide = await tab.evaluate(() => {
            const w = document.documentElement.clientWidth;
            const out = [];
            // Inside a box that scrolls or clips sideways (table wrapper, figure on a phone)?
            const contained = (el) => {
              for (let a = el.parentElement; a && a !== document.body; a = a.parentElement) {
                if (['auto', 'scroll', 'hidden', 'clip'].includes(getComputedStyle(a).overflowX)) {
                  return a.getBoundingClientRect().right <= w + 1;
                }
              }
              return false;
            };
            for (const el of document.querySelectorAll('.bd-article *')) {
              const r = el.getBoundingClientRect();
              if (r.width > 0 && r.right > w + 1 && !contained(el)) {
                // report the outermost offender only
                if (!out.some((o) => o.el.contains(el))) out.push({ el, right: Math.round(r.right) });
              }
            }
            // Content cut off by a box that hides what does not fit (not scrollable).
            const clipped = [...document.querySelectorAll('.bd-main *')].filter((el) => {
              const ox = getComputedStyle(el).overflowX;
              return ['hidden', 'clip'].includes(ox) && el.scrollWidth > el.clientWidth + 1
                && el.getBoundingClientRect().width > 0;
            }).map((el) => `${el.tagName.toLowerCase()}.${String(el.className).trim().split(/\s+/).join('.')} clips ${el.scrollWidth - el.clientWidth}px`);
            out.push(...clipped.map((c) => ({ el: document.createElement('i'), right: c })));
            return {
              pageWidth: document.documentElement.scrollWidth, viewport: w,
              wide: out.map((o) => typeof o.right === 'string' ? o.right : `${o.el.tagName.toLowerCase()}${o.el.className ? '.' + String(o.el.className).trim().split(/\s+/).join('.') : ''} (right edge ${o.right}px)`),
            };
          });
          if (wide.pageWidth > wide.viewport || wide.wide.length) {
            problems.push({ page: rel, width: vp.width, mode, ...wide });
          }
          process.stderr.write(`screenshots: ${file}\n`);
        }
        await ctx.close();
      }
    }
  } finally {
    await browser.close();
    server.close();
  }
  process.stdout.write(JSON.stringify({ pages: pages.length, widths: WIDTHS.map((w) => w.width), modes: opts.modes, overflow: problems }, null, 1) + '\n');
}

main().catch((err) => {
  process.stderr.write(`screenshots: ${err.stack || err}\n`);
  process.exit(2);
});
