#!/usr/bin/env node
// A reader finds their county (issue 21), in headless Chromium (tests/book/test_county_profiles.py):
//
//   node tools/a11y/reader-check.mjs SITE_DIR REGION
//
// Opens the front page (book/index.html), clicks the link "Ditt län" in its text, then the
// region's tile on the map, as a reader would (real clicks, each followed by the page load).
// Prints JSON: the number of clicks, the address reached, the page's heading and its text.
import { serve, launch, context, open } from './lib.mjs';

async function main() {
  const [site, region] = process.argv.slice(2);
  if (!site || !region) throw new Error('usage: reader-check.mjs SITE_DIR REGION');
  const { server, base } = await serve(site);
  const browser = await launch();
  try {
    const ctx = await context(browser, 'light');
    const tab = await ctx.newPage();
    await open(tab, `${base}book/index.html`, 'light');
    let clicks = 0;
    const follow = async (link) => {
      await Promise.all([tab.waitForNavigation({ waitUntil: 'load' }), link.click()]);
      clicks += 1;
    };
    await follow(tab.locator('.bd-article').getByRole('link', { name: 'Ditt län', exact: true }).first());
    const map = tab.getByRole('navigation', { name: 'Länen på en karta' });
    // The tile shows the short name (soft hyphens are not part of the accessible name).
    await follow(map.getByRole('link', { name: region, exact: true }));
    const h1 = (await tab.locator('.bd-article h1').first().innerText()).replace(/#$/, '').trim();
    const text = await tab.locator('.bd-article').innerText();
    process.stdout.write(JSON.stringify({ clicks, url: tab.url(), h1, text }));
    await ctx.close();
  } finally {
    await browser.close();
    server.close();
  }
}

main().catch((e) => { console.error(e); process.exit(1); });
