#!/usr/bin/env node
// Run axe-core (WCAG 2.1 A and AA) over every built page of the site, in light and dark mode.
//
//   node tools/a11y/axe-check.mjs SITE_DIR [--passes light@1280,dark@1280,light@390]
//                                          [--pages a.html,b.html]
//
// Serves SITE_DIR on 127.0.0.1, opens each page (pure redirect pages skipped) in headless
// system Chromium and prints one JSON object on stdout:
//   { "pages": N, "passes": [...], "checks": N*passes, "seconds": s,
//     "violations": [{ "page", "pass", "rule", "impact", "help", "targets": [...] }] }
// A pass is a colour mode (light/dark: the pydata theme's data-theme/data-mode on <html>) at a
// viewport width: colour contrast is checked in both modes; the phone width checks what only
// exists there (the collapsed navigation, tables and figures that scroll sideways).
// Exit status: 0 when the run completed (whatever it found), 2 when it could not run.
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { sitePages, serve, launch, context, open } from './lib.mjs';

const TAGS = ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa'];
const WORKERS = Number(process.env.AXE_WORKERS || 2);
const require = createRequire(import.meta.url);
const AXE = readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

function parseArgs(argv) {
  const opts = { site: null, passes: ['light@1280', 'dark@1280', 'light@390'], pages: null };
  for (let i = 0; i < argv.length; i++) {
    if (argv[i] === '--passes') opts.passes = argv[++i].split(',');
    else if (argv[i] === '--pages') opts.pages = argv[++i].split(',');
    else opts.site = argv[i];
  }
  if (!opts.site) throw new Error('usage: axe-check.mjs SITE_DIR [--passes light@1280,...] [--pages ...]');
  return opts;
}

async function check(page, url, mode) {
  await open(page, url, mode);
  if (!(await page.evaluate(() => typeof window.axe !== 'undefined'))) {
    await page.addScriptTag({ content: AXE });
  }
  return page.evaluate(async (tags) => {
    const r = await window.axe.run(document, {
      runOnly: { type: 'tag', values: tags },
      resultTypes: ['violations'],
    });
    return r.violations.map((v) => ({
      rule: v.id, impact: v.impact, help: v.help,
      targets: v.nodes.map((n) => n.target.join(' ')),
    }));
  }, TAGS);
}

async function main() {
  const opts = parseArgs(process.argv.slice(2));
  const start = Date.now();
  const pages = opts.pages || sitePages(opts.site);
  const { server, base } = await serve(opts.site);
  const browser = await launch();
  const violations = [];
  try {
    // One browser; one context per pass (colour mode, width); WORKERS tabs per context at most,
    // reused from page to page; WORKERS jobs at a time in all (the machine has two cores).
    const contexts = new Map();
    for (const pass of opts.passes) {
      const [mode, width] = pass.split('@');
      contexts.set(pass, { mode, ctx: await context(browser, mode, { width: Number(width), height: 900 }), tabs: [] });
    }
    const jobs = opts.passes.flatMap((pass) => pages.map((rel) => ({ pass, rel })));
    const worker = async () => {
      const mine = new Map();
      for (let job; (job = jobs.shift()) !== undefined;) {
        const c = contexts.get(job.pass);
        if (!mine.has(job.pass)) mine.set(job.pass, await c.ctx.newPage());
        for (const v of await check(mine.get(job.pass), base + job.rel, c.mode)) {
          violations.push({ page: job.rel, pass: job.pass, ...v });
        }
      }
    };
    await Promise.all(Array.from({ length: WORKERS }, worker));
  } finally {
    await browser.close();
    server.close();
  }
  violations.sort((a, b) => (a.page + a.pass + a.rule).localeCompare(b.page + b.pass + b.rule));
  const out = {
    tags: TAGS, pages: pages.length, passes: opts.passes, checks: pages.length * opts.passes.length,
    seconds: (Date.now() - start) / 1000, violations,
  };
  process.stdout.write(JSON.stringify(out, null, 1) + '\n');
}

main().catch((err) => {
  process.stderr.write(`axe-check: ${err.stack || err}\n`);
  process.exit(2);
});
