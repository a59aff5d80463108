"""Checks of the arguments the statistical functions take, shared by :mod:`stats`,
:mod:`change_tests` and :mod:`homogeneity`.

Each check returns the value in the type the computation needs (a Python ``int``, ``float`` or
``Fraction``, an integer array) or raises :class:`ValueError` naming the argument and the value,
so that a wrong call fails where it is made and not deep inside scipy or statsmodels.
"""

from __future__ import annotations

import math
import numbers
from fractions import Fraction

import numpy as np
import numpy.typing as npt


def as_int(name: str, value: object) -> int:
    """An integer argument; integral floats (``149.0``) are accepted, anything else is not."""
    if isinstance(value, bool):
        raise ValueError(f"{name} must be an integer, got {value!r}")
    if isinstance(value, numbers.Integral):
        return int(value)
    if isinstance(value, numbers.Real):
        number = float(value)
        if math.isfinite(number) and number.is_integer():
            return int(number)
    raise ValueError(f"{name} must be an integer, got {value!r}")


def check_count(k_name: str, k: object, n_name: str, n: object) -> tuple[int, int]:
    """``k`` of ``n``: two integers with ``n > 0`` and ``0 ≤ k ≤ n``."""
    k_int, n_int = as_int(k_name, k), as_int(n_name, n)
    if n_int <= 0:
        raise ValueError(f"{n_name} must be positive, got {n_name}={n_int}")
    if k_int < 0:
        raise ValueError(f"{k_name} must not be negative, got {k_name}={k_int}")
    if k_int > n_int:
        raise ValueError(
            f"{k_name} must not exceed {n_name}, got {k_name}={k_int} > {n_name}={n_int}"
        )
    return k_int, n_int


def check_alpha(alpha: float) -> float:
    """A significance level strictly between 0 and 1, as a float."""
    if not (isinstance(alpha, numbers.Real) and 0 < alpha < 1):
        raise ValueError(f"alpha must be strictly between 0 and 1, got alpha={alpha!r}")
    return float(alpha)


def check_percent(name: str, value: object) -> Fraction:
    """A printed percentage in [0, 100] as an exact fraction (42.5 is exactly 85/2)."""
    if not (
        isinstance(value, numbers.Real) and math.isfinite(float(value)) and 0 <= float(value) <= 100
    ):
        raise ValueError(f"{name} must be a percentage in [0, 100], got {name}={value!r}")
    # Via str so that 42.5 is exactly 85/2 (not the binary float's neighbour).
    return Fraction(str(value))


def int_vector(name: str, values: npt.ArrayLike) -> npt.NDArray[np.int_]:
    """A non-empty one-dimensional sequence of integer counts as an integer array."""
    arr = np.asarray(values)
    if arr.ndim != 1 or arr.size == 0:
        raise ValueError(f"{name} must be a non-empty one-dimensional sequence of counts")
    return np.array([as_int(f"{name}[{i}]", v) for i, v in enumerate(arr.tolist())], dtype=int)
