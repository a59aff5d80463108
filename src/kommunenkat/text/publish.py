"""Helpers the notebooks use to publish numbers, tables and figures.

- :func:`glue_text` glues a preformatted Swedish string (never a numpy scalar).
- :func:`glue_markdown` glues MyST Markdown for ``{glue:md}`` (a link).
- :func:`glue_figure` glues a figure for ``{glue:figure}`` and closes it.
- :func:`table` renders a DataFrame as a numbered MyST table (HTML and PDF alike).
- :func:`number_check` prints a chapter's key numbers for nbval to compare.
"""

from __future__ import annotations

import re

import matplotlib.pyplot as plt
import numpy as np
import pandas as pd
from IPython.display import Markdown


def glue_text(key: str, text: str) -> str:
    from myst_nb import glue

    if not isinstance(text, str):
        raise TypeError(f"glue_text({key!r}) expects preformatted text, got {type(text).__name__}")
    glue(key, text, display=False)
    return text


def glue_markdown(key: str, text: str) -> Markdown:
    """Glue MyST Markdown (a link, emphasis) for a ``{glue:md}`` role."""
    from myst_nb import glue

    if not isinstance(text, str):
        raise TypeError(f"glue_markdown({key!r}) expects Markdown text, got {type(text).__name__}")
    markdown = Markdown(text)
    glue(key, markdown, display=False)
    return markdown


def glue_figure(key: str, fig) -> None:
    from myst_nb import glue

    glue(key, fig, display=False)
    plt.close(fig)


def _cell(value) -> str:
    # A float would be shown as Python prints it (0.125, 62.5, nan): unrounded, with a decimal
    # point, and outside the report's rounding rule. Tables take text from kommunenkat.core.fmt.
    if isinstance(value, float | np.floating):
        raise TypeError(
            f"table cell {value!r} is an unformatted number: format it with kommunenkat.core.fmt "
            "(num, pct, share_pct, …) so that it is rounded as the report rounds"
        )
    return str(value).replace("|", "\\|")


_NUMERIC = re.compile(
    r"^[\u2212+\-]?[\d\u202f\u00a0 ,./–\u2212+\-]*\d[\d\u202f\u00a0 ,./]*"
    r"(\u00a0?%|[\u00a0 ]procentenheter)?$"
)


def _is_numeric(col: pd.Series) -> bool:
    """Numbers, also Swedish-formatted ('1 234,5', '19 %', '46/244', '+7,0 – +13,1')."""
    if pd.api.types.is_numeric_dtype(col):
        return True
    values = [str(v) for v in col if not pd.isna(v) and str(v).strip() not in ("", "–")]
    return bool(values) and all(_NUMERIC.match(v.strip()) for v in values)


# Tables with more rows than this are set as longtable in the PDF (Sphinx's own limit is 30): they
# may break across pages, so a county table after a short section leaves no near-empty page.
LONGTABLE_ROWS = 15

# For the widths of long tables: the PDF's \linewidth (A4, 11 pt, Sphinx's 1 in margins) and the
# average width of a character in the table's font (footnotesize in wide tables), in pt.
LINE_PT = 452.0
CHAR_PT = {False: 5.6, True: 4.8}
TABCOLSEP_PT = 12.0  # both sides of a column
FIXED_CHARS = 14  # a long-table column whose every entry is at most this long is not wrapped
HYPHENATE_CHARS = 8  # words longer than this may be hyphenated in a narrow column


def _unbreakable(word: str) -> int:
    """Characters of a word LaTeX cannot break: all of it when it has a digit or a slash
    ('Stockholm/Gotland', '12–26'), otherwise at most HYPHENATE_CHARS (Swedish hyphenation)."""
    if "/" in word or any(c.isdigit() for c in word):
        return len(word)
    return min(len(word), HYPHENATE_CHARS)


def latex_columns(df: pd.DataFrame, index: bool = True) -> str:
    """The PDF column spec, following the table's alignment.

    Numeric columns are ``r`` (natural width, never squeezed) unless their heading is much
    longer than their values: then ``R`` (right-aligned, wraps the heading). Text columns are
    ``L`` (tabulary shares the rest of the line among them by their length and they wrap).

    Long tables are set with longtable, where tabulary's letters do not exist. There short
    columns keep their natural width (``l``/``r``), and the rest of the line is shared among the
    wrapping columns in proportion to their average text length, each at least as wide as its
    longest word (up to 8 characters: longer ones are hyphenated), set ragged right (never
    justified into gaps).
    """
    d = df.reset_index() if index else df
    align = markdown_table(df, index).splitlines()[1].strip("|").split("|")
    kinds = []
    for col, a in zip(d.columns, align, strict=True):
        numeric = a.endswith(":") and not a.startswith(":")
        longest = max((len(str(v)) for v in d[col]), default=0)
        kinds.append("r" if numeric and len(str(col)) <= longest + 4 else "R" if numeric else "L")
    if len(df) <= LONGTABLE_ROWS:
        return "".join(kinds)

    char = CHAR_PT[len(d.columns) >= WIDE_TABLE_COLUMNS]

    def width(chars: int) -> float:  # share of the line for a column of this many characters
        return (chars * char + TABCOLSEP_PT) / LINE_PT

    spec: list[str | None] = []
    weights: dict[int, float] = {}
    minimum: dict[int, float] = {}
    fixed = 0.0
    for i, (col, kind) in enumerate(zip(d.columns, kinds, strict=True)):
        texts = [str(v) for v in d[col]]
        longest_value = max((len(t) for t in texts), default=0)
        longest = max(longest_value, len(str(col)))
        header_word = max((len(w) for w in str(col).split()), default=0)
        if kind == "r" or (kind == "L" and longest <= FIXED_CHARS):
            spec.append("r" if kind == "r" else "l")
            fixed += width(longest)
        elif kind == "R":  # numbers under a long heading: as wide as the numbers, heading wraps
            spec.append(None)
            minimum[i] = width(max(longest_value, header_word))
            weights[i] = 0.0
        else:
            spec.append(None)
            words = [w for t in [*texts, str(col)] for w in t.split()]
            # Longer words are hyphenated (Swedish patterns), so no column need be wider.
            minimum[i] = width(max(_unbreakable(w) for w in words))
            weights[i] = max(sum(len(t) for t in texts) / max(len(texts), 1), 4.0)
    left = max(0.97 - fixed, 0.1)
    if sum(minimum.values()) > left:  # many wrapping columns: narrower still, LaTeX hyphenates
        minimum = {i: v * left / sum(minimum.values()) for i, v in minimum.items()}
    total = sum(weights.values()) or 1.0
    shares = {i: max(minimum[i], left * w / total) for i, w in weights.items()}
    # Columns raised to their minimum take from the others (proportionally).
    over = sum(shares.values()) - left
    if over > 0:
        flexible = {i: v - minimum[i] for i, v in shares.items() if v > minimum[i]}
        room = sum(flexible.values())
        for i, extra in flexible.items():
            shares[i] -= over * extra / room if room else 0
    out = []
    for i, fixed_kind in enumerate(spec):
        if fixed_kind is not None:
            out.append(fixed_kind)
        else:
            ragged = "\\raggedleft" if kinds[i] == "R" else "\\raggedright"
            out.append(f">{{{ragged}\\arraybackslash}}\\Y{{{shares[i]:.3f}}}")
    return "".join(out)


WIDE_TABLE_COLUMNS = 6  # from this many columns the PDF sets the table in a smaller font


def markdown_table(df: pd.DataFrame, index: bool = True) -> str:
    """A pipe table: numeric columns right-aligned (digits line up), text columns left-aligned."""
    d = df.reset_index() if index else df
    header = "| " + " | ".join(_cell(c) for c in d.columns) + " |"
    align = "|" + "|".join("--:" if _is_numeric(d[c]) else ":--" for c in d.columns) + "|"
    body = ["| " + " | ".join(_cell(v) for v in row) + " |" for row in d.itertuples(index=False)]
    return "\n".join([header, align, *body])


def table(
    df: pd.DataFrame,
    caption: str,
    name: str,
    *,
    index: bool = True,
    collapsed: bool = False,
    source: str | None = None,
) -> Markdown:
    """A numbered table with caption; ``collapsed`` puts it in a dropdown in HTML."""
    fence = "::::" if collapsed else ":::"
    parts = [
        f"{fence}{{tabularcolumns}} {latex_columns(df, index)}",
        fence,
        "",
        f"{fence}{{table}} {caption}",
        f":name: {name}",
        *([":class: longtable"] if len(df) > LONGTABLE_ROWS else []),
        "",
        markdown_table(df, index),
        fence,
    ]
    if len(df.columns) + index >= WIDE_TABLE_COLUMNS:
        parts = [
            "```{raw} latex",
            "\\begingroup\\footnotesize",
            "```",
            "",
            *parts,
            "",
            "```{raw} latex",
            "\\endgroup",
            "```",
        ]
    text = "\n".join(parts)
    if source:
        text += f"\n\n*{source}*"
    if collapsed:
        text = f":::::{{dropdown}} Data: {caption}\n{text}\n:::::"
    return Markdown(text)


def number_check(values: dict[str, object]) -> None:
    """Print ``key = value`` lines, sorted, for an ``# NBVAL_CHECK_OUTPUT`` cell."""
    for key in sorted(values):
        print(f"{key} = {values[key]}")


def glue_many(texts: dict[str, str]) -> None:
    """Glue several preformatted strings at once (keys become the glue keys)."""
    for key, text in texts.items():
        glue_text(key, text)
