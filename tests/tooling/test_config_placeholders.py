"""_config.yml's round-dependent text: [[key]] placeholders filled from data/rounds.csv."""

from __future__ import annotations

import re

import pytest
import yaml

from kommunenkat.core import paths
from kommunenkat.text import rounds_text
from kommunenkat.tooling.sphinxext import fill_placeholders

CONFIG = yaml.safe_load((paths.ROOT / "_config.yml").read_text(encoding="utf-8"))


def test_placeholders_are_filled_in_text_lists_and_dicts():
    texts = {"round-latest": "2023", "report-latest": "Kommunenkät 2023"}
    value = {"a": "År [[round-latest]]", "b": ["[[report-latest]]", 3], "c": ("x", None)}
    assert fill_placeholders(value, texts) == {
        "a": "År 2023",
        "b": ["Kommunenkät 2023", 3],
        "c": ("x", None),
    }


def test_latex_braces_are_left_alone():
    assert fill_placeholders(r"\emph{[[round-latest]]}", {"round-latest": "2023"}) == (
        r"\emph{2023}"
    )


def test_an_unknown_placeholder_is_named():
    with pytest.raises(ValueError, match=r"_config.yml: unknown placeholder \[\[round-lastest\]\]"):
        fill_placeholders("Kommunenkät [[round-lastest]]", {"round-latest": "2023"})


def test_every_placeholder_of_the_config_is_known():
    used = set(re.findall(r"\[\[([a-z0-9-]+)\]\]", yaml.safe_dump(CONFIG, allow_unicode=True)))
    assert used, "the config's round-dependent text uses placeholders"
    assert used <= set(rounds_text.round_texts())


def test_the_config_types_no_survey_year_outside_its_copyright():
    """A new round must not need an edit of _config.yml: the title, description and PDF title
    page take the year from the data (copyright years are the book's own)."""
    text = yaml.safe_dump({k: v for k, v in CONFIG.items() if k != "copyright"}, allow_unicode=True)
    assert not re.findall(r"(?<!\d)20\d\d(?!\d)", text)
