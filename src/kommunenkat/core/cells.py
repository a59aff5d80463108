"""One cell or column of a pandas table as a plain Python value, checked.

``frame.loc[row, column]`` is typed as any scalar pandas can hold (a string, a date, a period, …),
so ``int(frame.loc[row, column])`` does not type-check although the book's tables hold numbers
there. :func:`as_int` and :func:`as_float` convert such a cell exactly as ``int()`` and
``float()`` do, and raise :class:`TypeError` naming the value when it is not a number.
:func:`column_position` is the position of a column that must occur once (``Index.get_loc`` may
also return a slice or a mask).
"""

from __future__ import annotations

import numbers
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import pandas as pd


def as_float(value: object) -> float:
    """``float(value)`` for a number (numpy scalars included; NaN stays NaN)."""
    if isinstance(value, numbers.Real):
        return float(value)
    raise TypeError(f"expected a number, got {value!r}")


def as_int(value: object) -> int:
    """``int(value)`` for a number (numpy scalars included): an integer as it is, a float
    truncated towards zero as ``int()`` truncates it."""
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        return int(float(value))
    raise TypeError(f"expected a number, got {value!r}")


def column_position(frame: pd.DataFrame, name: str) -> int:
    """The position of the column ``name``, which must occur exactly once in ``frame``."""
    position = frame.columns.get_loc(name)
    if isinstance(position, numbers.Integral):
        return int(position)
    raise ValueError(f"column {name!r} occurs more than once")
