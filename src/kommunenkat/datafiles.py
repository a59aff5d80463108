"""The list of downloadable data files on the page "Data att ladda ner" (``{datafiles}``).

The list is generated at build time from ``data/datapackage.json`` and the files that exist in
``data/`` and ``data/derived/``, so a new data file appears on the page without anyone editing it.
Each file gets its title from its resource in the data package, its licence and source from the
resource or, failing that, from the package; a derived file's source is the book's own code. A
file without a resource is still listed, marked as undescribed.
"""

from __future__ import annotations

import json
from pathlib import Path

from . import paths

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
    found = sorted(p.name for p in data_dir.glob("*.csv"))
    found += sorted(f"derived/{p.name}" for p in (data_dir / "derived").glob("*.csv"))
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


def markdown(data_dir: Path = paths.DATA, link_root: str = "/data") -> str:
    """The MyST Markdown of the list (download links relative to the book's source root)."""

    def item(e: dict) -> str:
        name = e["path"].rsplit("/", 1)[-1]
        return (f"- {{download}}`{name} <{link_root}/{e['path']}>` – {e['title']}. "
                f"Licens: {e['licence']}. Källa: {e['source']}.")  # fmt: skip

    all_entries = entries(data_dir)
    primary = [item(e) for e in all_entries if not e["derived"]]
    derived = [item(e) for e in all_entries if e["derived"]]
    lines = ["```{rubric} Rapportens siffror och underlag", "```", "", *primary, ""]
    lines += ["```{rubric} Härledda filer", "```", ""]
    lines += ["Räknade av boken ur filerna ovan; de ligger i mappen `derived/`.", ""]
    lines += derived or ["Inga härledda filer ännu."]
    lines += [
        "",
        "```{rubric} Beskrivning av alla filer",
        "```",
        "",
        f"- {{download}}`datapackage.json <{link_root}/datapackage.json>` – datapaketet "
        "(Frictionless): varje fil och fält med typ, tillåtna värden, enhet, licens och källa.",
    ]
    return "\n".join(lines)


def setup(app) -> None:
    from sphinx.util.docutils import SphinxDirective

    class DataFiles(SphinxDirective):
        """``{datafiles}``: the generated list (no arguments)."""

        has_content = False

        def run(self):
            self.env.note_dependency(str(paths.DATAPACKAGE))
            self.env.metadata[self.env.docname]["kommunenkat-datafiles"] = True
            return self.parse_text_to_nodes(markdown())

    def always_reread(app, env, added, changed, removed):
        # A new file in data/derived changes no source file; re-read the page on every build.
        return [d for d, meta in env.metadata.items() if meta.get("kommunenkat-datafiles")]

    app.add_directive("datafiles", DataFiles)
    app.connect("env-get-outdated", always_reread)
