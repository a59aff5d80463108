"""Accessibility of the built site: axe-core (WCAG 2.0/2.1, levels A and AA) in headless Chromium.

Every HTML page of ``_build/html`` (pure redirect pages excepted) is checked in light mode and
dark mode at desktop width and in light mode at phone width, by ``tools/a11y/axe-check.mjs``
(``make setup`` installs its pinned npm packages with ``npm ci``). Any violation fails the test;
the message lists page, pass, rule, impact and the CSS selectors of the offending elements.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time

import pytest

from kommunenkat.core import paths

SITE = paths.BUILD / "html"
TOOL = paths.ROOT / "tools" / "a11y"
CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")  # the same default as tools/a11y

pytestmark = [pytest.mark.built("html/book/index.html"), pytest.mark.slow]


def site_pages() -> list[str]:
    """The pages axe must see: every .html outside _static/ that is not a redirect."""
    out = []
    for page in sorted(SITE.rglob("*.html")):
        rel = page.relative_to(SITE)
        if rel.parts[0] in {"_static", "_sources", "_images", "_downloads"}:
            continue
        if re.search(
            r'http-equiv=["\']refresh["\']', page.read_text(encoding="utf-8")[:1000], re.I
        ):
            continue
        out.append(rel.as_posix())
    return out


def run_browser_check(script: str, package: str) -> dict:
    """Run tools/a11y/<script> (headless Chromium, npm package <package>) on the site; its JSON."""
    node = shutil.which("node")
    assert node, "node is missing: run `make setup` (scripts/system-deps.sh names the package)"
    assert (TOOL / "node_modules" / package).is_dir(), "npm packages missing: run `make setup`"
    assert shutil.which(CHROMIUM), f"{CHROMIUM} is missing: `make setup` (or set CHROMIUM)"
    run = subprocess.run(
        [node, str(TOOL / script), str(SITE)],
        capture_output=True,
        text=True,
        timeout=900,  # the machine may be shared: axe took 303 s at load 17 on 2 cores
        cwd=paths.ROOT,
    )
    name = script.removesuffix(".mjs")
    assert run.returncode == 0, f"{name} could not run (exit {run.returncode}):\n{run.stderr}"
    return json.loads(run.stdout)


def test_axe_wcag21_aa_every_page(capsys):
    start = time.monotonic()
    result = run_browser_check("axe-check.mjs", "axe-core")
    seconds = time.monotonic() - start

    expected = site_pages()
    violations = result["violations"]
    with capsys.disabled():
        print(
            f"\naxe: {result['pages']} pages × {len(result['passes'])} passes "
            f"({', '.join(result['passes'])}) = {result['checks']} checks, "
            f"{len(violations)} violations, {seconds:.1f} s"
        )

    assert result["pages"] == len(expected) >= 10, (result["pages"], expected)
    if violations:
        lines = [
            f"{len(violations)} accessibility violation(s) (axe-core, {'/'.join(result['tags'])}):"
        ]
        for v in violations:
            lines.append(f"  {v['page']} [{v['pass']}] {v['rule']} ({v['impact']}): {v['help']}")
            lines += [f"      {target}" for target in v["targets"]]
        pytest.fail("\n".join(lines), pytrace=False)


def test_no_console_errors_on_any_page():
    """Every page (and the search page with a query) loads without a console error, an uncaught
    exception or a failed request (tools/a11y/console-check.mjs, headless Chromium)."""
    result = run_browser_check("console-check.mjs", "playwright-core")
    assert result["pages"] == len(site_pages()) >= 10, result["pages"]
    errors = result["errors"]
    assert not errors, f"{len(errors)} browser console error(s):\n" + "\n".join(
        f"  {e['page']} [{e['kind']}] {e['text']}" for e in errors
    )
