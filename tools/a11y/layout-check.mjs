#!/usr/bin/env node
// Layout checks of the built book in headless Chromium (tests/book/test_layout.py runs it):
//
//   node tools/a11y/layout-check.mjs SITE_DIR
//
// Prints JSON: for every page at 1280 px,
//   tables: every table of the article that is wider than the column it sits in (so part of it
//           hides behind a horizontal scroll), with its caption and both widths;
//   images: every figure image with its rendered and natural width (CSS px), so that a test can
//           compute the rendered size of the figure's text;
// and at 390 px (phone) every figure image with the box that shows it (visible left/right edge
// of the image inside its scrolling figure), so that a test can see what part is on screen.
import { sitePages, serve, launch, context, open } from './lib.mjs';

const VIEWPORTS = [{ width: 1280, height: 900 }, { width: 390, height: 844 }];

async function measure(tab) {
  return tab.evaluate(() => {
    const article = document.querySelector('.bd-article') || document.body;
    const tables = [];
    for (const t of article.querySelectorAll('table')) {
      const box = t.closest('.pst-scrollable-table-container') || t.parentElement;
      const tw = t.getBoundingClientRect().width;
      const cw = box.clientWidth;
      const cap = t.querySelector('caption');
      tables.push({
        caption: cap ? cap.textContent.trim().replace(/\s+/g, ' ') : '',
        table: Math.round(tw), column: Math.round(cw),
        scroll: Math.round(box.scrollWidth), article: Math.round(article.clientWidth),
      });
    }
    const images = [];
    for (const img of article.querySelectorAll('figure img')) {
      const r = img.getBoundingClientRect();
      const fig = img.closest('figure');
      const f = fig.getBoundingClientRect();
      images.push({
        src: img.getAttribute('src'), rendered: r.width, natural: img.naturalWidth,
        figure: fig.id || (fig.querySelector('[id]') || {}).id || '',
        left: r.left, right: r.right, shownLeft: Math.max(r.left, f.left),
        shownRight: Math.min(r.right, f.right, document.documentElement.clientWidth),
      });
    }
    return { tables, images };
  });
}

async function main() {
  const site = process.argv[2];
  if (!site) throw new Error('usage: layout-check.mjs SITE_DIR');
  const pages = sitePages(site);
  const { server, base } = await serve(site);
  const browser = await launch();
  const out = {};
  try {
    for (const vp of VIEWPORTS) {
      const ctx = await context(browser, 'light', vp);
      const tab = await ctx.newPage();
      for (const rel of pages) {
        await open(tab, base + rel, 'light');
        (out[rel] ||= {})[vp.width] = await measure(tab);
      }
      await ctx.close();
    }
  } finally {
    await browser.close();
    server.close();
  }
  process.stdout.write(JSON.stringify(out, null, 1));
}

main().catch((e) => { console.error(e); process.exit(1); });
