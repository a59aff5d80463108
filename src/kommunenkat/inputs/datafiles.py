"""The published data package and the list of its files on the page "Data att ladda ner".

Publishing: every HTML build copies ``data/datapackage.json`` and every data file to the fixed
folder ``data/`` of the site, at the same relative paths (``data/derived/…`` too), so the package a
visitor downloads validates as it is (``frictionless validate .../data/datapackage.json``); and it
writes the same files as one zip, ``kommunenkat-data.zip``, with ``datapackage.json`` at its
root. The zip is reproducible: fixed order, modes and dates (``SOURCE_DATE_EPOCH``).

The list (``{datafiles}``) is generated at build time from ``data/datapackage.json`` and the files
that exist in ``data/`` and ``data/derived/``, so a new data file appears on the page without
anyone editing it. Each file gets its title from its resource in the data package, its licence and
source from the resource or, failing that, from the package; a derived file's source is the book's
own code. A file without a resource is still listed, marked as undescribed. Links point at the
published copy (role ``{datafile}``); in the PDF the file's path in the package is shown instead.
"""

from __future__ import annotations

import json
import os
import posixpath
import shutil
import zipfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from kommunenkat.core import paths

if TYPE_CHECKING:
    from docutils import nodes
    from docutils.parsers.rst.states import Inliner
    from sphinx.application import Sphinx
    from sphinx.environment import BuildEnvironment

# Where the package is published in the site, and the name of the zip (at the site's root).
SITE_DIR = "data"
ZIP_NAME = "kommunenkat-data.zip"

UNDESCRIBED = "Beskrivning saknas i datapackage.json."
DERIVED_SOURCE = "beräknad av boken ur rapportens siffror"


def _licence(lic: dict) -> str:
    name = lic.get("name", "").replace("CC-BY-", "CC BY ").replace("CC-BY", "CC BY")
    return f"[{name}]({lic['path']})" if lic.get("path") else name


def _source(src: dict) -> str:
    title = src.get("title", "").rstrip(".")
    return f"[{title}]({src['path']})" if src.get("path") else title


def entries(data_dir: Path = paths.DATA) -> list[dict]:
    """One entry per data file: path relative to data/, title, licence, source, derived."""
    pkg = json.loads((data_dir / "datapackage.json").read_text(encoding="utf-8"))
    resources = {r["path"]: r for r in pkg.get("resources", [])}
    # The data package's order first, then any file it does not describe.
    files = [p for p in resources if (data_dir / p).exists()]
    found = _listing(data_dir).split("\n")
    files += [p for p in found if p not in resources]
    out = []
    for rel in files:
        res = resources.get(rel, {})
        derived = rel.startswith("derived/")
        licences = res.get("licenses") or pkg.get("licenses") or []
        sources = res.get("sources") or ([] if derived else pkg.get("sources", []))
        out.append({
            "path": rel,
            "title": (res.get("title") or UNDESCRIBED).rstrip("."),
            "licence": ", ".join(_licence(lic) for lic in licences) or "ej angiven",
            "source": DERIVED_SOURCE if derived and not res.get("sources")
            else "; ".join(_source(s) for s in sources) or "ej angiven",
            "derived": derived,
        })  # fmt: skip
    return out


def published_files(data_dir: Path = paths.DATA) -> list[str]:
    """Paths (relative to data/) of what is published: the data package first, then every file."""
    return ["datapackage.json", *(e["path"] for e in entries(data_dir))]


def _zip_date() -> tuple[int, int, int, int, int, int]:
    """The zip entries' date: the last commit's (SOURCE_DATE_EPOCH), so two builds agree."""
    import time

    epoch = max(int(os.environ.get("SOURCE_DATE_EPOCH", "315532800")), 315532800)  # zip: ≥ 1980
    return time.gmtime(epoch)[:6]


def publish(outdir: Path, data_dir: Path = paths.DATA) -> list[str]:
    """Copy the data package into ``outdir/data/`` and write ``outdir/kommunenkat-data.zip``.

    Returns the published paths (relative to ``outdir/data``). Files are copied byte for byte.
    """
    outdir = Path(outdir)
    target = outdir / SITE_DIR
    shutil.rmtree(target, ignore_errors=True)
    files = published_files(data_dir)
    for rel in files:
        (target / rel).parent.mkdir(parents=True, exist_ok=True)
        shutil.copyfile(data_dir / rel, target / rel)
    date = _zip_date()
    tmp = outdir / (ZIP_NAME + ".tmp")
    with zipfile.ZipFile(tmp, "w", compression=zipfile.ZIP_DEFLATED, compresslevel=9) as zf:
        for rel in files:
            info = zipfile.ZipInfo(rel, date_time=date)
            info.compress_type = zipfile.ZIP_DEFLATED
            info.external_attr = 0o644 << 16
            info.create_system = 3  # Unix, whatever machine builds the zip
            zf.writestr(info, (data_dir / rel).read_bytes())
    os.replace(tmp, outdir / ZIP_NAME)
    return files


def _listing(data_dir: Path = paths.DATA) -> str:
    """The data files the page lists, as one string (what the page must be re-read for)."""
    found = sorted(p.name for p in data_dir.glob("*.csv"))
    found += sorted(f"derived/{p.name}" for p in (data_dir / "derived").glob("*.csv"))
    return "\n".join(found)


def markdown(data_dir: Path = paths.DATA) -> str:
    """The MyST Markdown of the list; ``{datafile}`` links point at the published copy."""

    def item(e: dict) -> str:
        name = e["path"].rsplit("/", 1)[-1]
        return (f"- {{datafile}}`{name} <{e['path']}>` – {e['title']}. "
                f"Licens: {e['licence']}. Källa: {e['source']}.")  # fmt: skip

    all_entries = entries(data_dir)
    primary = [item(e) for e in all_entries if not e["derived"]]
    derived = [item(e) for e in all_entries if e["derived"]]
    lines = [
        "```{rubric} Hela datapaketet",
        "```",
        "",
        f"- {{datafile}}`{ZIP_NAME} <../{ZIP_NAME}>` – alla filer nedan och datapaketets "
        "beskrivning i en zip-fil, med samma mappar som här.",
        "- {datafile}`datapackage.json <datapackage.json>` – datapaketet (Frictionless): varje "
        "fil och fält med typ, rubrik, tillåtna värden, enhet, nycklar, licens och källa.",
        "",
        "```{rubric} Rapportens siffror och underlag",
        "```",
        "",
        *primary,
        "",
    ]
    lines += ["```{rubric} Härledda filer", "```", ""]
    lines += ["Räknade av boken ur filerna ovan; de ligger i mappen `derived/`.", ""]
    lines += derived or ["Inga härledda filer ännu."]
    return "\n".join(lines)


def datafile_role(
    name: str,
    rawtext: str,
    text: str,
    lineno: int,
    inliner: Inliner,
    options: dict[str, Any] | None = None,
    content: list[str] | None = None,
) -> tuple[list[nodes.Node], list[nodes.system_message]]:
    """``{datafile}`name <path>```: a link to ``path`` (relative to data/) in the published copy.

    HTML: a plain link relative to the page (not Sphinx's ``_downloads/<hash>/``, which would
    separate the files from the data package). Other builders: the path in the package, as code.
    """
    from docutils import nodes
    from sphinx.util.nodes import split_explicit_title

    _, label, target = split_explicit_title(text)
    env = inliner.document.settings.env
    site_path = posixpath.normpath(f"{SITE_DIR}/{target}")
    if env.app.builder.format != "html":
        return [nodes.literal(rawtext, site_path)], []
    uri = posixpath.relpath(site_path, posixpath.dirname(env.docname) or ".")
    ref = nodes.reference(rawtext, "", refuri=uri, classes=["datafile"])
    ref += nodes.literal(label, label)
    return [ref], []


def _publish_on_build(app: Sphinx, exception: Exception | None) -> None:
    if exception is None and app.builder.format == "html":
        publish(Path(app.outdir))


def setup(app: Sphinx) -> None:
    """Register ``{datafiles}``, ``{datafile}`` and the publishing of the package (Sphinx)."""
    from sphinx.util.docutils import SphinxDirective

    class DataFiles(SphinxDirective):
        """``{datafiles}``: the generated list (no arguments)."""

        has_content = False

        def run(self) -> list[nodes.Node]:
            self.env.note_dependency(str(paths.DATAPACKAGE))
            self.env.metadata[self.env.docname]["kommunenkat-datafiles"] = _listing()
            return self.parse_text_to_nodes(markdown())

    def reread_on_new_files(
        app: Sphinx, env: BuildEnvironment, added: set[str], changed: set[str], removed: set[str]
    ) -> list[str]:
        # A new or removed file in data/ changes no source file: the page is read again when the
        # list of data files differs from the one it was made from (datapackage.json is a noted
        # dependency, so a changed description is seen by Sphinx itself).
        now = _listing()
        return [
            d
            for d, meta in env.metadata.items()
            if meta.get("kommunenkat-datafiles") not in (None, now)
        ]

    app.add_directive("datafiles", DataFiles)
    app.add_role("datafile", datafile_role)
    app.connect("env-get-outdated", reread_on_new_files)
    app.connect("build-finished", _publish_on_build)
