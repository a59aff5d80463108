"""Swedish number formatting for prose, tables and figure labels.

Decimal comma, a no-break space before the per cent sign and a thin no-break space as thousands
separator (Språkrådet's recommendations). Formatting is done here, once, and glued as text, so
prose and tables cannot disagree.
"""

from __future__ import annotations

import math

NBSP = "\u00a0"
THIN_NBSP = "\u202f"
MINUS = "\u2212"


def num(value: float, decimals: int = 0, *, sign: bool = False) -> str:
    """``1234.5`` → ``'1 234,5'`` (thin no-break space, decimal comma, true minus sign)."""
    if value is None or (isinstance(value, float) and math.isnan(value)):
        raise ValueError("cannot format a missing value")
    value = float(value)
    text = f"{abs(value):,.{decimals}f}".replace(",", THIN_NBSP).replace(".", ",")
    if round(value, decimals) < 0:
        return MINUS + text
    if sign and round(value, decimals) > 0:
        return "+" + text
    return text


def pct(value: float, decimals: int = 0, *, sign: bool = False) -> str:
    """A percentage: ``19`` → ``'19 %'`` (no-break space)."""
    return num(value, decimals, sign=sign) + NBSP + "%"


def share_pct(share: float, decimals: int = 0, *, sign: bool = False) -> str:
    """A share in [0, 1] as a percentage: ``0.19`` → ``'19 %'``."""
    return pct(100 * share, decimals, sign=sign)


def pp(value: float, decimals: int = 0, *, sign: bool = True) -> str:
    """Percentage points: ``19`` → ``'+19 procentenheter'``."""
    return num(value, decimals, sign=sign) + NBSP + "procentenheter"


def interval(lo: float, hi: float, decimals: int = 0, *, scale: float = 100.0) -> str:
    """A confidence interval of shares as percentages: ``'12–26 %'`` (en dash)."""
    return f"{num(lo * scale, decimals)}–{num(hi * scale, decimals)}{NBSP}%"


def pvalue(p: float) -> str:
    """p-value for prose: ``'p < 0,001'`` or ``'p = 0,034'``."""
    if p < 0.001:
        return f"p{NBSP}<{NBSP}0,001"
    return f"p{NBSP}={NBSP}{num(p, 3)}"


def pvalue_cell(p: float) -> str:
    """p-value for a table column headed "p": ``'< 0,001'`` or ``'0,034'`` (no "p =")."""
    if p < 0.001:
        return f"<{NBSP}0,001"
    return num(p, 3)


def count_of(k: int, n: int) -> str:
    """``'11 av 22'``."""
    return f"{int(k)} av {int(n)}"


def swedish_list(items: list[str]) -> str:
    """``['a', 'b', 'c']`` → ``'a, b och c'``."""
    items = list(items)
    if not items:
        return ""
    if len(items) == 1:
        return items[0]
    return ", ".join(items[:-1]) + " och " + items[-1]


def pp_interval(lo: float, hi: float, decimals: int = 1) -> str:
    """Interval of a difference of shares in percentage points (``'+7,9 till +27,6 …'``)."""
    return f"{num(100 * lo, decimals, sign=True)} till {num(100 * hi, decimals, sign=True)}" + (
        NBSP + "procentenheter"
    )
