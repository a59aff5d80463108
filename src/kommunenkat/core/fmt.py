"""Swedish number formatting for prose, tables and figure labels.

Decimal comma, a no-break space before the per cent sign and a thin no-break space as thousands
separator (Språkrådet's recommendations). Formatting is done here, once, and glued as text, so
prose and tables cannot disagree.

Every displayed number is rounded by :func:`round_half_up`: exact halves go away from zero
(12,5 → 13, −12,5 → −13), the rule the report uses for its printed percentages (book/metod.md,
"Avrundningen"). Python's own ``f"{x:.0f}"`` and ``round`` round halves to even (12,5 → 12) and
must not be used for anything a reader sees.
"""

from __future__ import annotations

import math
from decimal import ROUND_HALF_UP, Decimal

NBSP = "\u00a0"
THIN_NBSP = "\u202f"
MINUS = "\u2212"


# Significant digits a float is cut to before it is rounded for display. Shares computed in binary
# floating point miss exact halves by a few units in the last place: 100 * (23 / 40) is
# 57.49999999999999, not 57.5, and would round down. Nine significant digits remove that noise
# (a few parts in 1e16) and keep every true value: a percentage k/n · 100 of a count is either an
# exact half or at least 1/(2n) percentage points away from one (the numerator of
# 100k/n − (m + ½) = (200k − (2m + 1)n) / 2n is a whole number), far above 1e-9 · 100 for any
# n the survey can have.
SIGNIFICANT_DIGITS = 9


def round_half_up(value: float, decimals: int = 0) -> Decimal:
    """``value`` rounded to ``decimals`` places for display, exact halves away from zero.

    ``12.5`` → 13, ``62.5`` → 63, ``2.5`` → 3, ``0.5`` → 1, and symmetrically ``-12.5`` → −13:
    "avrundat uppåt" read as a rule for the magnitude, so a difference of −12,5 and one of
    +12,5 percentage points show the same number of points. (The report prints no negative
    percentage or difference, so it does not decide the negative case; this is the symmetric
    choice, ``decimal.ROUND_HALF_UP``.) The float is first cut to :data:`SIGNIFICANT_DIGITS`
    significant digits so that binary noise does not move an exact half
    (``100 * (23 / 40)`` → 58, as 23 av 40 = 57,5 %).

    Raises :class:`ValueError` for a missing (None, NaN) or infinite value.
    """
    if value is None:
        raise ValueError("cannot format a missing value")
    value = float(value)
    if math.isnan(value):
        raise ValueError("cannot format a missing value")
    if math.isinf(value):
        raise ValueError(f"cannot format an infinite value ({value})")
    if isinstance(decimals, bool) or not isinstance(decimals, int) or decimals < 0:
        raise ValueError(f"decimals must be a whole number >= 0, got {decimals!r}")
    # Large numbers keep all their whole digits and the places asked for, plus three.
    digits = max(SIGNIFICANT_DIGITS, len(str(int(abs(value)))) + decimals + 3)
    exact = Decimal(f"{value:.{digits}g}")
    rounded = exact.quantize(Decimal(1).scaleb(-decimals), rounding=ROUND_HALF_UP)
    return rounded + 0  # + 0 turns a negative zero (−0,4 → −0) into 0


def round_int(value: float) -> int:
    """``value`` rounded to a whole number by :func:`round_half_up` (for counts shown in prose)."""
    return int(round_half_up(value, 0))


def num(value: float, decimals: int = 0, *, sign: bool = False) -> str:
    """``1234.5`` → ``'1 235'``, ``num(1234.56, 1)`` → ``'1 234,6'`` (thin no-break space,
    decimal comma, true minus sign), rounded by :func:`round_half_up`."""
    rounded = round_half_up(value, decimals)
    text = f"{abs(rounded):,.{decimals}f}".replace(",", THIN_NBSP).replace(".", ",")
    if rounded < 0:
        return MINUS + text
    if sign and rounded > 0:
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


def number_word(n: int, *, neuter: bool = False, capital: bool = False, up_to: int = 6) -> str:
    """A count in prose, the one home of the number words: 0 to ``up_to`` (at most six) in words,
    'ingen', 'en', 'två', 'tre', 'fyra', 'fem', 'sex' ('inget', 'ett' with ``neuter``: 'ett av
    påståendena'), other counts in digits ('7'). ``capital`` for the start of a sentence ('Två')."""
    first = ("inget", "ett") if neuter else ("ingen", "en")
    words = (*first, "två", "tre", "fyra", "fem", "sex")
    if not 0 <= n <= min(up_to, len(words) - 1):
        return str(n)
    return words[n].capitalize() if capital else words[n]
