"""A small Sphinx extension with the book's accessibility and Swedish-language fixes to HTML markup
that comes from Python code rather than from templates (templates are overridden in
``book/_templates``, strings with message ids are translated in ``locale/sv``).

- Citations (``{bibliography}``): docutils 0.21 writes ``role="doc-biblioentry"`` (deprecated in
  DPUB-ARIA 1.1) inside ``role="list"``, which then has no list items. axe: ``aria-deprecated-role``
  and ``aria-required-children``. Each citation becomes a ``listitem`` instead.
- The directive ``{datafiles}`` (:mod:`kommunenkat.inputs.datafiles`), the bibliography style
  ``svenska`` and the citation style ``svenska_forfattare_ar``
  (:mod:`kommunenkat.tooling.bibstyle`) are registered here. In an author–year list the entry
  itself starts with author and year, so the HTML list shows no separate label column.
- myst-nb's hidden-cell toggle (``hide-input``/``hide-output`` tags): its ``<summary>`` carries
  ``aria-label="Toggle hidden content"``, English and different from the visible text (axe:
  ``label-content-name-mismatch``, WCAG 2.5.3). The summary is named by its visible text, in
  Swedish.
- Numbering (issue 12): the appendices (the unnumbered part of ``_toc.yml``) number their tables
  and figures A.1, B.1, … in HTML as in the PDF (Sphinx numbers them 1, 2, … across all
  appendices). The PDF does the same in LaTeX (``_config.yml``'s preamble).
- Appendix letters in the HTML (issue: "Tabell D.3" pointed at a letter the reader never saw): the
  page heading reads "Bilaga D. Länsbilaga" and the sidebar entry "D. Länsbilaga", as the PDF
  prints "Bilaga D" over the chapter title and "D Länsbilaga" in its table of contents
  (:func:`letter_appendix_titles`).
- A computed alt text: ``{glue:figure}``'s ``:alt:`` may be a glue role, ``:alt: {glue:text}`key```,
  and then is the text the notebook glued under ``key`` (:func:`glued_alt_figure`), so an alt
  text that states results follows the data like the prose does.
- Pages in ``kommunenkat_html_only`` (the editors' guide) are left out of the PDF: in the LaTeX
  build they are removed from the table of contents and marked orphan. They come after every
  appendix that is in the PDF (the last chapters of _toc.yml's "Bilagor"), so the letters of the
  appendices are the same in HTML and PDF; the HTML alone has one more letter, for the editors'
  guide. A test checks that order (tests/book/test_book_output.py).
- A no-break space between a number and "%" in all text (prose typed by hand, captions, table
  headings), so that "95" and "%" never part at a line break (:mod:`kommunenkat.core.fmt` already
  writes
  one in every number it formats).
- The PDF's author is CITATION.cff's, its title the book's (a ``hypersetup`` added to the LaTeX
  preamble).
- Round-dependent text in ``_config.yml`` (the title, the description, the PDF title page):
  ``[[key]]`` is replaced by the text :mod:`kommunenkat.text.rounds_text` computes from
  ``data/rounds.csv`` (issue 14: a new survey round changes data files only). An unknown key stops
  the build naming it.
"""

from __future__ import annotations

import datetime as dt
import re
from html import escape
from pathlib import Path

import yaml
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


def appendix_docs(confdir: str | Path) -> list[str]:
    """The appendices A, B, …, in order: the chapters of the unnumbered parts of _toc.yml that
    come after the last numbered part ("Bilagor").

    The unnumbered parts before it ("Läsanvisning") are front matter, not appendices: the PDF
    prints them without number before chapter 1 and starts its appendices (``\\appendix``, in
    the first appendix's page) with A, so the HTML letters the same pages alike. (Counting the
    front matter too had given the audit C and the county appendix D on the site, A and B in
    the PDF.)
    """
    toc = yaml.safe_load((Path(confdir) / "_toc.yml").read_text(encoding="utf-8"))
    parts = toc.get("parts", [])
    numbered = [i for i, part in enumerate(parts) if part.get("numbered")]
    after = numbered[-1] + 1 if numbered else 0
    docs = []
    for part in parts[after:]:
        docs += [str(Path(c["file"]).with_suffix("")) for c in part.get("chapters", [])]
    return docs


def appendix_letters(confdir: str | Path, skip: list[str] | None = None) -> dict[str, str]:
    docs = [d for d in appendix_docs(confdir) if d not in (skip or [])]
    return {doc: chr(ord("A") + i) for i, doc in enumerate(docs)}


def number_appendices(app: Sphinx, env) -> list[str]:
    """Figures and tables of appendix X are X.1, X.2, … (after Sphinx has numbered them).

    Returns the appendices whose lettered numbers changed since the last build. Sphinx's own
    numbers are kept (``kommunenkat_sphinx_fignumbers``) and put back before the next build
    reads (:func:`sphinx_numbers_back`): else Sphinx compares its new numbers with the letters,
    finds every appendix "changed" and writes them all again on every incremental build.
    """
    skip = app.config.kommunenkat_html_only if app.builder.name == "latex" else []
    before = getattr(env, "kommunenkat_lettered_fignumbers", {})
    env.kommunenkat_sphinx_fignumbers, env.kommunenkat_lettered_fignumbers = {}, {}
    changed = []
    for doc, letter in appendix_letters(app.confdir, skip).items():
        if doc not in env.toc_fignumbers:
            continue
        env.kommunenkat_sphinx_fignumbers[doc] = env.toc_fignumbers[doc]
        lettered = {}
        for figtype, ids in env.toc_fignumbers[doc].items():
            ordered = sorted(ids, key=lambda i: ids[i])
            lettered[figtype] = {fig_id: (letter, n) for n, fig_id in enumerate(ordered, start=1)}
        env.toc_fignumbers[doc] = lettered
        env.kommunenkat_lettered_fignumbers[doc] = lettered
        if before.get(doc) != lettered:
            changed.append(doc)
    return changed


def letter_appendix_titles(app: Sphinx, env) -> list[str]:
    """HTML: appendix X's heading is "Bilaga X. Titel", its sidebar entry "X. Titel".

    Sphinx's own mechanism for numbered chapters ("3. Titel") is used: the section number of the
    page's first heading (``env.toc_secnumbers``, read by the HTML writer for the h1) and of the
    page's entry in the table of contents (``secnumber`` of the reference in ``env.tocs``, read
    for the sidebar, and of ``env.titles`` for the previous/next links). The writer joins a
    number's parts with "." and appends ". ", so the heading's number is the one part
    "Bilaga X". The page's other headings get an empty number (the writer would otherwise give
    them the first heading's). Cross-references ({doc}, {ref}) keep the plain title. The
    TocTreeCollector resets ``toc_secnumbers`` and compares only numbered chapters before this
    runs, so no page is rewritten because of the letters. Returns no documents to rewrite.
    """
    if app.builder.format != "html":
        return []
    from docutils import nodes
    from sphinx import addnodes

    for doc, letter in appendix_letters(app.confdir).items():
        toc = env.tocs.get(doc)
        if toc is None:
            continue
        anchors = [ref.get("anchorname", "") for ref in toc.findall(nodes.reference)]
        env.toc_secnumbers[doc] = {a: () for a in anchors} | {"": (f"Bilaga {letter}",)}
        for para in toc.findall(addnodes.compact_paragraph):
            ref = para[0]
            if isinstance(ref, nodes.reference) and ref.get("anchorname", "") == "":
                ref["secnumber"] = (letter,)
                break
        if doc in env.titles:
            env.titles[doc]["secnumber"] = (f"Bilaga {letter}",)
    return []


def unletter_appendix_titles(app: Sphinx, env, docnames: list[str]) -> None:
    """Before reading: the appendices' titles and toc entries lose their letters again (see
    letter_appendix_titles). sphinx-external-toc renumbers every entry of the root's toctrees
    whose title has a section number, the unnumbered "Bilagor" too, and cannot renumber a
    letter; with the letters left in the environment an incremental build (the preview) stops
    there. They are put back after the numbering, as on a full build."""
    from docutils import nodes

    for doc in appendix_docs(app.confdir):
        if doc in env.titles:
            env.titles[doc].attributes.pop("secnumber", None)
        if doc in env.tocs:
            for ref in env.tocs[doc].findall(nodes.reference):
                ref.attributes.pop("secnumber", None)


def sphinx_numbers_back(app: Sphinx, env, docnames: list[str]) -> None:
    """Before reading: the appendices get Sphinx's own numbers back (see number_appendices)."""
    for doc, numbers in getattr(env, "kommunenkat_sphinx_fignumbers", {}).items():
        if doc in env.toc_fignumbers:
            env.toc_fignumbers[doc] = numbers


def leave_out_of_pdf(app: Sphinx, doctree) -> None:
    """LaTeX build: pages in kommunenkat_html_only are in no toctree and marked orphan."""
    if app.builder.name != "latex":
        return
    from sphinx import addnodes

    html_only = set(app.config.kommunenkat_html_only)
    if app.env.docname in html_only:
        app.env.metadata[app.env.docname]["orphan"] = True
    for toc in doctree.findall(addnodes.toctree):
        toc["entries"] = [(t, ref) for t, ref in toc["entries"] if ref not in html_only]
        toc["includefiles"] = [ref for ref in toc["includefiles"] if ref not in html_only]


ALT_GLUE = re.compile(r"^\{glue(?::text)?\}`([^`]+)`$")


def glued_alt_figure():
    """myst-nb's ``{glue:figure}`` whose ``:alt:`` may be ``{glue:text}`key```: the glued text.

    The directive runs while the notebook's glue data are at hand (myst-nb keeps them on the
    document only while it parses), which is why this is a directive and not a transform. An
    unknown key is an error (the strict build fails), as for ``{glue:text}`` in the prose.
    """
    from myst_nb.core.variables import format_plain_text
    from myst_nb.ext.glue.directives import PasteFigureDirective
    from myst_nb.ext.glue.utils import RetrievalError, retrieve_glue_data

    class GluedAltFigure(PasteFigureDirective):
        def run(self):
            m = ALT_GLUE.match(self.options.get("alt", "").strip())
            if m:
                try:
                    data = retrieve_glue_data(self.document, m.group(1))
                    text = format_plain_text(data.data["text/plain"], "")
                except (RetrievalError, KeyError) as exc:
                    raise self.error(f"alt text {m.group(0)}: {exc}") from exc
                self.options["alt"] = text
            return super().run()

    return GluedAltFigure


PERCENT_SPACE = re.compile(r"(?<=\d) (?=%)")


def no_break_before_percent(app: Sphinx, doctree) -> None:
    """'95 %' with an ordinary space becomes '95\u00a0%' (not in code or raw markup)."""
    from docutils import nodes

    skip = (nodes.literal_block, nodes.literal, nodes.raw, nodes.comment)
    for text in list(doctree.findall(nodes.Text)):
        if not PERCENT_SPACE.search(text) or any(isinstance(a, skip) for a in _ancestors(text)):
            continue
        text.parent.replace(text, nodes.Text(PERCENT_SPACE.sub("\u00a0", str(text))))


def _ancestors(node):
    while node.parent is not None:
        node = node.parent
        yield node


def _tex(text: str) -> str:
    for char in "{}#%&$_^~":
        text = text.replace(char, "\\" + char)
    return text


PLACEHOLDER = re.compile(r"\[\[([a-z0-9-]+)\]\]")


def fill_placeholders(value, texts: dict[str, str], where: str = "_config.yml"):
    """``value`` (a config value: text, or lists, tuples and dicts of them) with every
    ``[[key]]`` replaced by ``texts[key]``; an unknown key raises naming it and ``where``."""
    if isinstance(value, str):

        def text(m: re.Match) -> str:
            if m.group(1) not in texts:
                known = ", ".join(sorted(texts))
                raise ValueError(f"{where}: unknown placeholder [[{m.group(1)}]] (known: {known})")
            return texts[m.group(1)]

        return PLACEHOLDER.sub(text, value)
    if isinstance(value, list | tuple):
        return type(value)(fill_placeholders(v, texts, where) for v in value)
    if isinstance(value, dict):
        return {k: fill_placeholders(v, texts, where) for k, v in value.items()}
    return value


def round_placeholders(app: Sphinx, config) -> None:
    """Replace ``[[key]]`` in every text setting with the round texts of the data."""
    from sphinx.errors import ConfigError

    from kommunenkat.text.rounds_text import round_texts

    texts = round_texts()
    for item in list(config):
        value = getattr(config, item.name, None)
        try:
            filled = fill_placeholders(value, texts, f"_config.yml ({item.name})")
        except ValueError as e:
            raise ConfigError(str(e)) from None
        if filled != value:
            setattr(config, item.name, filled)


def round_placeholders_in_latex_documents(app: Sphinx, env, docnames) -> None:
    """jupyter-book writes ``_config.yml``'s raw title into ``latex_documents`` after
    ``config-inited`` (jupyter_book.sphinx.build_sphinx); fill it in before the LaTeX writer
    reads it."""
    from kommunenkat.text.rounds_text import round_texts

    app.config.latex_documents = fill_placeholders(
        app.config.latex_documents, round_texts(), "_config.yml (title)"
    )


def pdf_metadata_from_citation(app: Sphinx, config) -> None:
    """pdfauthor from CITATION.cff, pdftitle the book's title (``_config.yml``'s ``title``, which
    jupyter-book passes as ``html_title`` to every builder)."""
    cff = Path(app.confdir) / "CITATION.cff"
    if not cff.exists():
        return
    meta = yaml.safe_load(cff.read_text(encoding="utf-8"))
    authors = [
        a.get("name") or " ".join(filter(None, (a.get("given-names"), a.get("family-names"))))
        for a in meta.get("authors", [])
    ]
    elements = dict(config.latex_elements)
    elements["preamble"] = (
        elements.get("preamble", "")
        + (
            "\n% From CITATION.cff (kommunenkat.tooling.sphinxext).\n"
            f"\\AtBeginDocument{{\\hypersetup{{pdftitle={{{_tex(config.html_title)}}}, "
            f"pdfauthor={{{_tex('; '.join(authors))}}}}}}}\n"
        )
        + reproducible_xmp(config.html_title)
    )
    config.latex_elements = elements


def reproducible_xmp(title: str) -> str:
    """XMP dates and instance id from SOURCE_DATE_EPOCH (the last commit), not from the clock.

    \\DocumentMetadata's XMP packet (TeX Live 2022) takes its dates from the log file's time and
    makes the instance id from them, so two builds of one commit differed; these are the
    properties its own regression-test mode sets. Without SOURCE_DATE_EPOCH: nothing.
    """
    import os
    import uuid

    epoch = os.environ.get("SOURCE_DATE_EPOCH")
    if not epoch:
        return ""
    stamp = dt.datetime.fromtimestamp(int(epoch), dt.UTC).strftime("D:%Y%m%d%H%M%SZ")
    instance = uuid.uuid5(uuid.NAMESPACE_URL, f"{title}|{epoch}")
    lines = [
        f"\\AddToDocumentProperties[document]{{pdfcreationdate}}{{{stamp}}}",
        f"\\AddToDocumentProperties[document]{{pdfmoddate}}{{{stamp}}}",
        f"\\AddToDocumentProperties[hyperref]{{pdfmetadate}}{{{stamp}}}",
        f"\\AddToDocumentProperties[hyperref]{{pdfdate}}{{{stamp}}}",
        f"\\AddToDocumentProperties[hyperref]{{pdfinstanceid}}{{uuid:{instance}}}",
    ]
    return (
        "% Reproducible XMP metadata (kommunenkat.tooling.sphinxext.reproducible_xmp).\n"
        + "\n".join(lines)
        + "\n"
    )


def setup(app: Sphinx) -> dict:
    from docutils import nodes
    from pybtex.plugin import register_plugin

    from kommunenkat.inputs import datafiles
    from kommunenkat.tooling.bibstyle import SwedishStyle, reference_styles

    datafiles.setup(app)  # the {datafiles} directive of book/data.md

    app.add_config_value("kommunenkat_html_only", [], "env")
    # Placeholders first: the PDF metadata below reads the filled-in title.
    app.connect("config-inited", round_placeholders, priority=400)
    app.connect("config-inited", pdf_metadata_from_citation)
    app.connect("env-before-read-docs", round_placeholders_in_latex_documents)
    # After Sphinx's TocTreeCollector (priority 500) has assigned the numbers.
    app.connect("env-get-updated", number_appendices, priority=900)
    app.connect("env-get-updated", letter_appendix_titles, priority=900)
    app.connect("env-before-read-docs", sphinx_numbers_back)
    app.connect("env-before-read-docs", unletter_appendix_titles)
    # Before the TocTreeCollector records the toctrees (doctree-read, priority 500).
    app.connect("doctree-read", leave_out_of_pdf, priority=400)
    # Text pasted from other pages (glue) is formatted by kommunenkat.core.fmt, with the no-break
    # space.
    app.connect("doctree-read", no_break_before_percent)

    # bibtex_default_style: svenska; bibtex_reference_style: svenska_forfattare_ar
    register_plugin("pybtex.style.formatting", "svenska", SwedishStyle)
    from sphinxcontrib.bibtex.plugin import register_plugin as register_bibtex_plugin

    register_bibtex_plugin(
        "sphinxcontrib.bibtex.style.referencing", "svenska_forfattare_ar", reference_styles()
    )
    from docutils.writers._html_base import HTMLTranslator

    app.setup_extension("myst_nb")
    app.add_directive_to_domain("glue", "figure", glued_alt_figure(), override=True)
    from myst_nb.sphinx_ import HideCodeCellNode

    app.add_node(
        nodes.citation, override=True, html=(visit_citation, HTMLTranslator.depart_citation)
    )
    app.add_node(nodes.label, override=True, html=(visit_label, HTMLTranslator.depart_label))
    app.add_node(HideCodeCellNode, override=True, html=(visit_hide_cell, depart_hide_cell))
    return {"parallel_read_safe": True, "parallel_write_safe": True}
