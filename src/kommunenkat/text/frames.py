"""Typed reads of the analysis's tables for the wording.

pandas types ``frame.loc[label]`` as a row *or* a frame (a label may repeat) and ``frame.loc[label,
column]`` as any scalar, so a number read that way cannot be passed to :mod:`kommunenkat.core.fmt`
without a type error. :func:`row` returns the one row of a label as a Series, whose cells are
then read as they always were (``row(counts, question)["high"]``).
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import pandas as pd


def row(frame: pd.DataFrame, label: Hashable) -> pd.Series[Any]:
    """The row of ``frame`` with index ``label`` (a tuple for a MultiIndex), as ``frame.loc[label]``
    gives it; a label that is missing or names several rows is an error."""
    found = frame.xs(label)
    if not isinstance(found, pd.Series):
        raise KeyError(f"{label!r} names {len(found)} rows, not one")
    return found
