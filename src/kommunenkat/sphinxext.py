"""A small Sphinx extension with the book's accessibility and Swedish-language fixes to HTML markup
that comes from Python code rather than from templates (templates are overridden in
``book/_templates``, strings with message ids are translated in ``locale/sv``).

- Citations (``{bibliography}``): docutils 0.21 writes ``role="doc-biblioentry"`` (deprecated in
  DPUB-ARIA 1.1) inside ``role="list"``, which then has no list items. axe: ``aria-deprecated-role``
  and ``aria-required-children``. Each citation becomes a ``listitem`` instead.
- The directive ``{datafiles}`` (:mod:`kommunenkat.datafiles`), the bibliography style
  ``svenska`` and the citation style ``svenska_forfattare_ar`` (:mod:`kommunenkat.bibstyle`) are
  registered here. In an author–year list the entry itself starts with author and year, so the
  HTML list shows no separate label column.
- myst-nb's hidden-cell toggle (``hide-input``/``hide-output`` tags): its ``<summary>`` carries
  ``aria-label="Toggle hidden content"``, English and different from the visible text (axe:
  ``label-content-name-mismatch``, WCAG 2.5.3). The summary is named by its visible text, in
  Swedish.
"""

from __future__ import annotations

from html import escape

from sphinx.application import Sphinx

# myst-nb substitutes these English words for "{type}" in nb_code_prompt_show/hide.
CELL_PARTS = {"source": "koden", "outputs": "utdata", "output": "utdata", "content": "cellen"}


def visit_citation(self, node) -> None:
    if not isinstance(node.previous_sibling(), type(node)):
        self.body.append('<div role="list" class="citation-list">\n')
    self.body.append(self.starttag(node, "div", classes=[node.tagname], role="listitem"))


def visit_label(self, node) -> None:
    from docutils import nodes
    from docutils.writers._html_base import HTMLTranslator

    if isinstance(node.parent, nodes.citation):
        raise nodes.SkipNode  # the entry's text begins "Författare (år)" already
    HTMLTranslator.visit_label(self, node)


def _prompt(text: str) -> str:
    head, _, last = text.rpartition(" ")
    return f"{head} {CELL_PARTS[last]}" if last in CELL_PARTS else text


def visit_hide_cell(self, node) -> None:
    classes = " ".join(node["classes"])
    self.body.append(f'<details class="admonition hide {classes}">\n<summary>\n')
    self.body.append(
        f'<p class="collapsed admonition-title">{escape(_prompt(node["prompt_show"]))}</p>\n'
    )
    self.body.append(
        f'<p class="expanded admonition-title">{escape(_prompt(node["prompt_hide"]))}</p>\n'
    )
    self.body.append("</summary>\n")


def depart_hide_cell(self, node) -> None:
    self.body.append("</details>\n")


def setup(app: Sphinx) -> dict:
    from docutils import nodes
    from pybtex.plugin import register_plugin

    from . import datafiles
    from .bibstyle import SwedishStyle, _reference_styles

    datafiles.setup(app)  # the {datafiles} directive of book/data.md

    # bibtex_default_style: svenska; bibtex_reference_style: svenska_forfattare_ar
    register_plugin("pybtex.style.formatting", "svenska", SwedishStyle)
    from sphinxcontrib.bibtex.plugin import register_plugin as register_bibtex_plugin

    register_bibtex_plugin(
        "sphinxcontrib.bibtex.style.referencing", "svenska_forfattare_ar", _reference_styles()
    )
    from docutils.writers._html_base import HTMLTranslator

    app.setup_extension("myst_nb")
    from myst_nb.sphinx_ import HideCodeCellNode

    app.add_node(
        nodes.citation, override=True, html=(visit_citation, HTMLTranslator.depart_citation)
    )
    app.add_node(nodes.label, override=True, html=(visit_label, HTMLTranslator.depart_label))
    app.add_node(HideCodeCellNode, override=True, html=(visit_hide_cell, depart_hide_cell))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
