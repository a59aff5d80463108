"""The editors' guide (book/redaktorer.md) shows what kommunenkat.core.fmt really returns."""

import re

from kommunenkat.core import fmt, paths

GUIDE = (paths.ROOT / "book" / "redaktorer.md").read_text(encoding="utf-8")


def test_formatting_examples_are_true():
    rows = re.findall(r"^\| `(fmt\.[^`]+)` \| (.+?) \|$", GUIDE, re.M)
    assert len(rows) >= 8
    for call, shown in rows:
        result = eval(call, {"fmt": fmt})  # noqa: S307 - the guide's own examples
        plain = result.replace("\u00a0", " ").replace("\u202f", " ")
        assert plain == shown, f"{call} gives {plain!r}, the guide says {shown!r}"


def test_guide_is_in_the_book():
    assert "file: book/redaktorer" in (paths.ROOT / "_toc.yml").read_text(encoding="utf-8")
