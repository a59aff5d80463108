"""The county profiles (issue 21): one page per report region, written from the data before
Sphinx reads the book.

``make html`` and ``make pdf`` write them in a process of their own while the notebooks run
(:func:`start`, :func:`finish`, called by :mod:`kommunenkat.tooling.build`). This module is also a
Sphinx extension (``_config.yml``'s ``extra_extensions``): on ``config-inited``, before
sphinx-external-toc reads ``_toc.yml`` (whose ``glob: lan/*`` lists them), it writes them if they
are not current, so ``make preview`` and a plain ``jupyter-book build`` have them too.
:func:`generate` writes into ``lan/`` (:data:`OUT`, a build product that is not committed):

- ``<slug>.md``: the profile, from the one template :data:`kommunenkat.text.county_page.PAGE`;
- ``<slug>.svg``: its small-multiples figure (:mod:`kommunenkat.graphics.county_profile_figures`);
- ``<slug>.csv``: the region's rows for download, written like the derived tables
  (:func:`kommunenkat.tooling.derive.render`) and checked by the privacy rule of the derived
  tables (:func:`kommunenkat.inputs.privacy.check_table`): a profile whose rows would go below the
  report's level stops the build;
- ``oversikt.inc``: the tile map, the list of links and the overview table that
  ``book/ditt-lan.md`` includes.

The report's statements about each region come from the claims register and the audit's
verdicts (:func:`statements`): the joining is done here because the wording layer does not
import the audit.

Files are written only when their text changed, and nothing is computed when the inputs (the
data, the package but for the rest of the tooling, the locked dependencies) are those of the
last generation (:data:`STAMP`, under ``_build``: a clean build writes them afresh). The glob's
pages come in file-name order; :func:`order_profiles` lists them in Swedish alphabetical order
instead (Skåne, Stockholm samt Gotland, Södermanland, …, Örebro, Östergötland).

``python -m kommunenkat.tooling.county_pages`` writes them without building the book.
"""

from __future__ import annotations

import hashlib
import subprocess
import sys
import time
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING

from kommunenkat.core import paths

if TYPE_CHECKING:
    from sphinx.application import Sphinx
    from sphinx.config import Config

    from kommunenkat.text.county_page import Statement

OUT = paths.ROOT / "lan"
STAMP = paths.BUILD / ".county-pages"
# The files generate() owns in OUT (anything else there is left alone).
OWNED = ("*.md", "*.svg", "*.csv", "*.inc")
GLOB = "lan/*"
MAP_LABEL = "Länen på en karta"


def inputs_key() -> str:
    """What the pages depend on: data/ (with the derived tables), the package's code and
    styles (the tooling only for this module), the locked dependencies and Python."""
    from kommunenkat.inputs.validated import data_digest

    h = hashlib.sha256(data_digest().encode())
    here = Path(__file__).resolve()
    for f in sorted(p for p in paths.PACKAGE.rglob("*") if p.is_file()):
        rel = f.relative_to(paths.PACKAGE)
        if "__pycache__" in rel.parts or (rel.parts[0] == "tooling" and f != here):
            continue
        h.update(rel.as_posix().encode() + b"\0" + f.read_bytes() + b"\0")
    lock = paths.ROOT / "requirements.txt"
    if lock.exists():
        h.update(lock.read_bytes())
    h.update(sys.version.encode())
    return h.hexdigest()


@cache
def all_statements() -> dict[str, list[Statement]]:
    """Per region, the report's statements that name it (a region item of the claim, or its
    ``region=`` argument), in the register's order, each with the audit's verdict
    (:func:`kommunenkat.audit.checks.evaluate`: the claim's row of ``claims_audit.csv``)."""
    from kommunenkat.audit import checks, claims
    from kommunenkat.core.labels import REGIONS
    from kommunenkat.text.county_page import Statement

    reg = claims.register()
    out: dict[str, list[Statement]] = {}
    for _, claim in reg.iterrows():
        check = claims.parse_check(claim["check"], claim["id"])
        candidates = [check.args.get("region")]
        if check.kind not in ("none", "causal"):
            candidates += [i.region for i in claims.parse_claimed(claim["claimed"], claim["id"])]
        # Regions only: not Riket, the default region of a check.
        named = {r for r in candidates if isinstance(r, str) and r in REGIONS}
        if not named:
            continue
        result = checks.evaluate(claim, reg)
        for region in sorted(named):
            out.setdefault(region, []).append(
                Statement(
                    id=str(claim["id"]),
                    quote=str(claim["quote"]),
                    section=str(claim["section"]),
                    verdict=result.verdict,
                    explanation=result.explanation,
                    ranking=check.kind in ("top", "zero"),
                )
            )
    return out


def statements(region: str) -> list[Statement]:
    """The report's statements about ``region`` (:func:`all_statements`)."""
    return all_statements().get(region, [])


def relative_link(slug: str) -> str:
    """A profile's address from the "Ditt län" page (``book/ditt-lan.html``)."""
    return f"../{OUT.name}/{slug}.html"


def pages() -> dict[str, str]:
    """Every file of :data:`OUT`: name → text."""
    from kommunenkat.graphics import county_profile_figures as figures
    from kommunenkat.graphics import style
    from kommunenkat.text import county_page, county_profile
    from kommunenkat.tooling.derive import render

    profiles = county_profile.profiles()
    out: dict[str, str] = {}
    source = (
        f"{style.source_latest(profiles[0].year)} Antalen per län är rekonstruerade ur "
        "rapportens tabellbilaga."
    )
    for p in profiles:
        panels = [
            figures.Panel(
                q.label,
                (
                    figures.Bar(f"{p.region} ({q.n} svar)", q.counts, q.n),
                    figures.Bar(f"Riket ({q.national_n} svar)", q.national_counts, q.national_n),
                ),
            )
            for q in p.questions
        ]
        out[f"{p.slug}.svg"] = figures.small_multiples_svg(panels, county_profile.LEVELS, source)
        out[f"{p.slug}.csv"] = render(county_page.csv_rows(p))
        out[f"{p.slug}.md"] = county_page.page(
            p, statements(p.region), f"{p.slug}.svg", f"{p.slug}.csv"
        )
    tiles = figures.tile_map_html({p.region: relative_link(p.slug) for p in profiles}, MAP_LABEL)
    out["oversikt.inc"] = county_page.overview(profiles, tiles)
    return out


def check_privacy(directory: Path) -> list[str]:
    """The privacy rule of the derived tables, applied to every CSV file of the profiles."""
    from kommunenkat.inputs import privacy

    threshold, _ = privacy.smallest_group()
    return [
        str(problem)
        for f in sorted(directory.glob("*.csv"))
        for problem in privacy.check_table(f, threshold)
    ]


def write(files: dict[str, str], out: Path = OUT) -> list[str]:
    """Write ``files`` into ``out`` where the text changed (so unchanged pages keep their
    modification time and Sphinx does not read them again); remove owned files no longer
    produced. Returns the names written."""
    out.mkdir(parents=True, exist_ok=True)
    written = []
    for name, text in sorted(files.items()):
        f = out / name
        if not f.exists() or f.read_text(encoding="utf-8") != text:
            tmp = f.with_name(f".{name}.tmp")
            tmp.write_text(text, encoding="utf-8")
            tmp.replace(f)
            written.append(name)
    for pattern in OWNED:
        for f in out.glob(pattern):
            if f.name not in files:
                f.unlink()
    return written


def generate(force: bool = False) -> str:
    """Write the profiles into :data:`OUT` unless they are current; a line saying what was
    done. Raises RuntimeError when a profile's rows break the privacy rule."""
    if not force and current():
        return "county profiles: current"
    key = inputs_key()
    start = time.time()
    STAMP.unlink(missing_ok=True)
    files = pages()
    written = write(files)
    problems = check_privacy(OUT)
    if problems:
        raise RuntimeError(
            "county profiles: the privacy rule of the derived tables is broken:\n  "
            + "\n  ".join(problems)
        )
    STAMP.parent.mkdir(parents=True, exist_ok=True)
    STAMP.write_text(key)
    return (
        f"county profiles: {len(files)} files in {OUT.name}/ ({len(written)} changed) "
        f"in {time.time() - start:.1f} s"
    )


def current() -> bool:
    """Whether :data:`OUT` holds the pages of the present inputs."""
    return (OUT / "oversikt.inc").exists() and STAMP.exists() and STAMP.read_text() == inputs_key()


def listed(toc: Path) -> bool:
    """Whether the table of contents ``toc`` lists the profiles (``glob: lan/*``): a book built
    from another toc (the tests' small books) has no use for them."""
    from sphinx_external_toc.api import GlobItem
    from sphinx_external_toc.parsing import parse_toc_yaml

    try:
        site_map = parse_toc_yaml(toc)
    except Exception:  # noqa: BLE001 - sphinx-external-toc reports a broken toc itself
        return False
    return any(GlobItem(GLOB) in tree.items for doc in site_map for tree in site_map[doc].subtrees)


def command() -> list[str]:
    return [sys.executable, "-m", __name__]


def start() -> subprocess.Popen[str] | None:
    """Start writing the pages in the background, unless they are current or not in the book's
    toc: the build (:mod:`kommunenkat.tooling.build`) runs it beside the notebooks and waits
    for it (:func:`finish`) before Sphinx starts, so it costs no time of its own."""
    if not listed(paths.ROOT / "_toc.yml") or current():
        return None
    return subprocess.Popen(
        command(), cwd=paths.ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def finish(proc: subprocess.Popen[str] | None, stop: bool = False) -> str | None:
    """Wait for :func:`start`'s process (``stop``: end it first, after Ctrl-C or a failed
    notebook); None when it succeeded or was stopped, else its error."""
    if proc is None:
        return None
    if stop:
        proc.terminate()
    out, err = proc.communicate()
    if stop or proc.returncode == 0:
        return None
    return (err or out).strip()[-3000:]


def on_config_inited(app: Sphinx, config: Config) -> None:
    """Write the pages in a fresh Python process unless they are current (the build has
    usually written them already, :func:`start`): the preview keeps its build process between
    rebuilds, and the analysis caches what it computed (a changed data file would otherwise
    give pages of the old data)."""
    from sphinx.errors import ExtensionError
    from sphinx.util import logging

    toc = Path(app.srcdir) / str(app.config["external_toc_path"] or "_toc.yml")
    if not listed(toc) or current():
        return
    run = subprocess.run(command(), cwd=paths.ROOT, capture_output=True, text=True, check=False)
    if run.returncode != 0:
        raise ExtensionError(
            "county profiles could not be written (python -m kommunenkat.tooling.county_pages):"
            f"\n{(run.stderr or run.stdout).strip()[-3000:]}"
        )
    logging.getLogger(__name__).info(run.stdout.strip())


def swedish_docnames(docnames: list[str]) -> list[str]:
    """Profile docnames (``lan/<slug>``) in the Swedish alphabetical order of their regions."""
    from kommunenkat.core.labels import REGIONS
    from kommunenkat.text.county_profile import slug, swedish_order

    by_slug = {f"{OUT.name}/{slug(r)}": r for r in REGIONS}
    known = [d for d in docnames if d in by_slug]
    ordered = [
        d for r in swedish_order(by_slug[d] for d in known) for d in known if by_slug[d] == r
    ]
    return ordered + sorted(d for d in docnames if d not in by_slug)


def order_profiles(app: Sphinx, config: Config) -> None:
    """After sphinx-external-toc has read ``_toc.yml``: its ``glob: lan/*`` becomes the
    profiles listed one by one in Swedish alphabetical order (a glob is sorted by file name:
    'orebro' before 'skane')."""
    from sphinx_external_toc.api import Document, FileItem, GlobItem

    site_map = getattr(config, "external_site_map", None)
    if site_map is None:
        return
    found = sorted(p.with_suffix("").relative_to(paths.ROOT).as_posix() for p in OUT.glob("*.md"))
    for docname in list(site_map):
        for tree in site_map[docname].subtrees:
            if GlobItem(GLOB) not in tree.items:
                continue
            i = tree.items.index(GlobItem(GLOB))
            names = swedish_docnames(found)
            tree.items[i : i + 1] = [FileItem(d) for d in names]
            for d in names:
                if d not in site_map:
                    site_map[d] = Document(d)


def is_profile(docname: str) -> bool:
    return docname.startswith(f"{OUT.name}/")


def number_per_profile(app: Sphinx, env) -> list[str]:
    """Each profile numbers its own figure and tables from 1 ("Tabell 1" … on every profile).

    The profiles stand in an unnumbered part of the book, where Sphinx numbers across pages
    (Jämtland's first table was "Tabell 22"). Sphinx's own numbers are kept and put back
    before the next build reads (:func:`sphinx_numbers_back`), as
    :func:`kommunenkat.tooling.sphinxext.number_appendices` does for the appendices, so an
    incremental build (the preview) does not find every profile "changed". Returns the
    profiles whose numbers changed since the last build.
    """
    before = getattr(env, "kommunenkat_profile_fignumbers", {})
    env.kommunenkat_sphinx_profile_fignumbers, env.kommunenkat_profile_fignumbers = {}, {}
    changed = []
    for doc in [d for d in env.toc_fignumbers if is_profile(d)]:
        numbers = env.toc_fignumbers[doc]
        env.kommunenkat_sphinx_profile_fignumbers[doc] = numbers
        own = {
            figtype: {fig: (n,) for n, fig in enumerate(sorted(ids, key=ids.get), start=1)}
            for figtype, ids in numbers.items()
        }
        env.toc_fignumbers[doc] = env.kommunenkat_profile_fignumbers[doc] = own
        if before.get(doc) != own:
            changed.append(doc)
    return changed


def sphinx_numbers_back(app: Sphinx, env, docnames: list[str]) -> None:
    """Before reading: the profiles get Sphinx's own numbers back (see number_per_profile)."""
    for doc, numbers in getattr(env, "kommunenkat_sphinx_profile_fignumbers", {}).items():
        if doc in env.toc_fignumbers:
            env.toc_fignumbers[doc] = numbers


def setup(app: Sphinx) -> dict:
    # Before sphinx-external-toc reads _toc.yml (config-inited, priority 900), then after it.
    app.connect("config-inited", on_config_inited, priority=100)
    app.connect("config-inited", order_profiles, priority=950)
    # After Sphinx's TocTreeCollector (priority 500) has numbered the figures and tables.
    app.connect("env-get-updated", number_per_profile, priority=900)
    app.connect("env-before-read-docs", sphinx_numbers_back)
    return {"parallel_read_safe": True, "parallel_write_safe": True}


def main(argv: list[str]) -> int:
    print(generate(force="--force" in argv))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
