"""The glue-key registry (src/kommunenkat/tooling/glue_keys.csv): every key a page uses is listed
with its producer, and nothing else is. Fast: reads the pages and the CSV, executes nothing."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

import pytest

from kommunenkat.core import paths
from kommunenkat.tooling import glue_keys, glue_record


def test_the_registry_lists_exactly_the_keys_the_pages_use():
    problems = glue_keys.problems()
    assert not problems, "\n".join(problems)


def test_every_key_the_front_page_uses_has_a_producer_and_is_one_grep_away():
    text = (paths.ROOT / "book" / "index.md").read_text(encoding="utf-8")
    rows = {r.key: r for r in glue_keys.read_registry() if r.page == "book/index.md"}
    assert set(rows) == glue_keys.used_keys(text)
    registry = glue_keys.REGISTRY.read_text(encoding="utf-8")
    # The example: the front page's strategic share, from a key no code spells out.
    share = rows["strategic_collab-high"]
    assert share.producer == "kommunenkat.text.front_page.share_texts"
    assert "\nstrategic_collab-high,book/index.md," in registry
    assert rows["index-strategic_collab-chg-high-diff"].producer.startswith(
        "kommunenkat.text.front_page."
    )


def test_used_keys_reads_roles_alt_texts_and_figure_directives():
    text = (
        "Text {glue:text}`a-b` and {glue:md}`c` and {glue}`d` and {glue:figure}`e`.\n"
        "```{glue:figure} fig-x\n:alt: {glue:text}`fig-x-alt`\n:name: fig-x\n```\n"
        ":::{glue:figure} fig-y\n:::\n"
    )
    assert glue_keys.used_keys(text) == {"a-b", "c", "d", "e", "fig-x", "fig-x-alt", "fig-y"}


def test_only_notebooks_are_pages_with_glue():
    pages = {glue_keys.rel(p) for p in glue_keys.pages()}
    assert "book/index.md" in pages and "notebooks/03_collaboration.md" in pages
    # The editors' guide shows glue roles as examples, it is no notebook.
    assert "book/redaktorer.md" not in pages


def test_a_page_key_missing_from_the_registry_is_reported():
    rows = [r for r in glue_keys.read_registry() if r.key != "lan-avvikande"]
    problems = glue_keys.problems(rows)
    assert any("book/index.md: uses the glue key 'lan-avvikande'" in p for p in problems)
    assert all("--write" in p for p in problems)


def test_a_registered_key_no_page_uses_is_reported():
    rows = glue_keys.read_registry()
    rows.append(glue_keys.Row("no-such-key", "book/index.md", "book/index.md", "book/index.md", ""))
    problems = glue_keys.problems(rows)
    assert any("'no-such-key' for book/index.md, which does not use it" in p for p in problems)


def test_a_producer_or_call_that_no_longer_exists_is_reported():
    rows = glue_keys.read_registry()
    i = next(i for i, r in enumerate(rows) if r.key == "lan-avvikande")
    r = rows[i]
    gone = "kommunenkat.text.front_page.gone"
    rows[i] = glue_keys.Row(r.key, r.page, gone, r.site, r.written)
    assert any(f"no producer {gone}" in p for p in glue_keys.problems(rows))
    rows[i] = glue_keys.Row(r.key, r.page, r.producer, r.site, "renamed_texts()")
    assert any("'renamed_texts()' is no longer in" in p for p in glue_keys.problems(rows))


@pytest.mark.parametrize(
    ("producer", "defined"),
    [
        ("kommunenkat.text.chapter.change_texts", True),
        ("kommunenkat.inference.power.texts", True),
        ("kommunenkat.text.chapter.no_such_function", False),
        ("kommunenkat.text.no_such_module.texts", False),
        ("notebooks/03_collaboration.md", True),
        ("notebooks/99_missing.md", False),
    ],
)
def test_producer_defined_reads_the_source(producer, defined):
    assert glue_keys.producer_defined(producer) is defined


def test_code_cells_skip_options_and_keep_page_lines():
    text = (
        "# T\n\n```{code-cell} ipython3\n:tags: [remove-cell]\nx = 1\ny = 2\n```\n\nProse\n\n"
        "```{code-cell} ipython3\n---\ntags: [remove-input]\n---\nz = 3\n```\n"
    )
    cells = glue_record.code_cells(text)
    assert [(c.line, c.source) for c in cells] == [(5, "x = 1\ny = 2\n"), (15, "z = 3\n")]
    assert text.splitlines()[4] == "x = 1"


def test_the_registry_is_sorted_and_has_its_columns(tmp_path: Path):
    rows = glue_keys.read_registry()
    assert rows == sorted(rows, key=lambda r: (r.page, r.key))
    copy = tmp_path / "glue_keys.csv"
    glue_keys.write_registry(rows, copy)
    assert copy.read_bytes() == glue_keys.REGISTRY.read_bytes()


def test_a_new_key_outside_the_naming_scheme_is_reported():
    page = "notebooks/03_collaboration.md"
    bad = glue_keys.Row("strategisk_ny-Andel", page, page, page, "")
    assert not glue_keys.follows_scheme(bad)
    assert glue_keys.follows_scheme(replace(bad, key="strategisk-ny-andel"))
    assert glue_keys.follows_scheme(replace(bad, key="fig-operativ-ny"))
    assert not glue_keys.follows_scheme(replace(bad, key="fordjupat-ny-andel"))  # another page's
    problems = glue_keys.problems([*glue_keys.read_registry(), bad])
    assert any("'strategisk_ny-Andel' is outside the naming scheme" in p for p in problems)


def test_the_legacy_keys_are_still_used_and_outside_the_scheme():
    rows = glue_keys.read_registry()
    legacy = [r for r in rows if r.key in glue_keys.LEGACY_KEYS]
    assert {r.key for r in legacy} == glue_keys.LEGACY_KEYS
    assert not any(glue_keys.follows_scheme(r) for r in legacy)
