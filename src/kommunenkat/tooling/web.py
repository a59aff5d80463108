"""Fixes to the HTML site that the theme's templates cannot make (templates: ``book/_templates``).

- Duplicate scripts: sphinx-thebe and sphinx-togglebutton add their inline configuration scripts
  after the HTML builder has started, so Sphinx 7.4 holds them twice (once from the registry with
  file name "", once with None) and every page declared ``const THEBE_JS_URL`` twice: the browser
  stopped with "Identifier 'THEBE_JS_URL' has already been declared". Each page now gets every
  script and stylesheet once (``html-page-context``).
- The site's root ``index.html``: sphinx-external-toc writes a one-line redirect without doctype,
  language or title (Nu HTML checker errors). A complete small page is written instead, before
  sphinx-external-toc looks (it keeps an existing ``index.html``).
- pydata-sphinx-theme copies two Jinja macro files (``_static/webpack-macros.html``,
  ``_static/sbt-webpack-macros.html``) into the site as if they were pages; they are templates,
  never loaded by a page, and are removed from the output.
"""

from __future__ import annotations

from html import escape
from pathlib import Path

from sphinx.application import Sphinx

TEMPLATE_LEFTOVERS = ("_static/webpack-macros.html", "_static/sbt-webpack-macros.html")


def _asset_key(asset) -> tuple:
    """What makes two script/stylesheet entries the same: file (or inline body) and attributes.
    The priority is left out, and an inline script's missing file name may be None or "" (Sphinx
    re-adds the registered scripts with ""; extensions adding them later pass None)."""
    filename = getattr(asset, "filename", asset) or ""
    attributes = getattr(asset, "attributes", {}) or {}
    return (str(filename), tuple(sorted((k, str(v)) for k, v in attributes.items())))


def dedupe_assets(app: Sphinx, pagename, templatename, context, doctree) -> None:
    for key in ("script_files", "css_files"):
        assets = context.get(key)
        if not assets:
            continue
        seen, unique = set(), []
        for asset in assets:
            k = _asset_key(asset)
            if k not in seen:
                seen.add(k)
                unique.append(asset)
        context[key] = unique


def redirect_page(target: str, title: str, language: str = "sv") -> str:
    """A complete HTML page that sends the browser on to ``target`` (relative URL)."""
    t, url = escape(title), escape(target, quote=True)
    return (
        "<!DOCTYPE html>\n"
        f'<html lang="{escape(language, quote=True)}">\n'
        "<head>\n"
        '<meta charset="utf-8">\n'
        f"<title>{t}</title>\n"
        f'<meta http-equiv="refresh" content="0; url={url}">\n'
        f'<link rel="canonical" href="{url}">\n'
        '<link rel="icon" href="_static/favicon.svg" type="image/svg+xml">\n'
        "</head>\n"
        "<body>\n"
        f'<p><a href="{url}">{t}</a></p>\n'
        "</body>\n"
        "</html>\n"
    )


def finish_site(app: Sphinx, exception) -> None:
    if exception is not None or app.builder.format != "html":
        return
    out = Path(app.outdir)
    root = app.config.root_doc
    if root != "index" and app.builder.name == "html":
        title = app.config.html_title or app.config.project
        (out / "index.html").write_text(
            redirect_page(f"{root}.html", title, app.config.language or "sv"), encoding="utf-8"
        )
    for rel in TEMPLATE_LEFTOVERS:
        (out / rel).unlink(missing_ok=True)


def setup(app: Sphinx) -> dict:
    # Late, after the extensions that add scripts to the page context.
    app.connect("html-page-context", dedupe_assets, priority=900)
    # Before sphinx-external-toc's ensure_index_file (priority 500), which keeps an index.html.
    app.connect("build-finished", finish_site, priority=400)
    return {"parallel_read_safe": True, "parallel_write_safe": True}
