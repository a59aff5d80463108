from fractions import Fraction

import pytest

from kommunenkat.core import fmt
from kommunenkat.inference import change_tests


def test_swedish_decimal_comma_and_nbsp():
    assert fmt.pct(19) == "19\u00a0%"
    assert fmt.num(1234.56, 1) == "1\u202f234,6"
    # -3.25 is exact in binary: half away from zero gives −3,3 (Python's '.1f' gives −3,2)
    assert fmt.pct(-3.25, 1) == "\u22123,3\u00a0%"


def test_signs_and_points():
    assert fmt.pp(19) == "+19\u00a0procentenheter"
    assert fmt.pp(-11) == "\u221211\u00a0procentenheter"
    assert fmt.pp(0) == "0\u00a0procentenheter"


def test_interval_and_pvalue():
    assert fmt.interval(0.123, 0.256) == "12–26\u00a0%"
    assert fmt.pvalue(0.0004) == "p\u00a0<\u00a00,001"
    assert fmt.pvalue(0.0341) == "p\u00a0=\u00a00,034"


def test_list():
    assert (
        fmt.swedish_list(["Blekinge", "Kronoberg", "Halland"]) == "Blekinge, Kronoberg och Halland"
    )


def test_missing_value_is_an_error():
    with pytest.raises(ValueError, match="missing"):
        fmt.num(float("nan"))


def test_pp_interval():
    assert fmt.pp_interval(0.079, 0.2761) == "+7,9 till +27,6\u00a0procentenheter"
    assert fmt.pp_interval(-0.05, 0.02) == "\u22125,0 till +2,0\u00a0procentenheter"


# --- Display rounding: exact halves away from zero, as the report prints (book/metod.md) ---


@pytest.mark.parametrize(
    ("value", "shown"),
    [
        (12.5, "13"),
        (62.5, "63"),
        (2.5, "3"),
        (0.5, "1"),
        (1.5, "2"),
        (37.5, "38"),
        (12.4999, "12"),
        (-12.5, "\u221213"),  # symmetric: the magnitude rounds up
        (-0.5, "\u22121"),
        (-0.4, "0"),  # no "−0"
    ],
)
def test_halves_round_away_from_zero(value, shown):
    assert fmt.num(value) == shown


@pytest.mark.parametrize(
    ("k", "n", "shown"),
    [
        (5, 8, "63\u00a0%"),  # Jämtland 5 of 8; Python's f"{62.5:.0f}" is '62'
        (1, 40, "3\u00a0%"),  # Västra Götaland 1 of 40 in the report's figure 12
        (1, 8, "13\u00a0%"),  # Uppsala 1 of 8 in the report's figure 12
        (3, 8, "38\u00a0%"),
        (23, 40, "58\u00a0%"),  # 100 * (23 / 40) is 57.49999999999999 in binary
        (11, 40, "28\u00a0%"),  # 100 * (11 / 40) is 27.500000000000004
        (8, 13, "62\u00a0%"),  # Östergötland 61,5… % stays 62
    ],
)
def test_count_shares_round_as_the_exact_fraction(k, n, shown):
    assert fmt.share_pct(k / n) == shown
    assert fmt.pct(100 * k / n) == shown


def test_binary_noise_in_sums_of_shares_does_not_move_a_half():
    # 100 * (1/40 + 2/40) is 7.500000000000001 and 100 * (1/40 + 22/40) 57.50000000000001;
    # both are exactly 7,5 and 57,5. A value truly below a half stays below it.
    assert fmt.num(100 * (1 / 40 + 2 / 40)) == "8"
    assert fmt.num(100 * (2 / 40 + 7 / 40)) == "23"  # 22.499999999999996 → 22,5 → 23
    assert fmt.num(22.4999) == "22"
    assert fmt.num(100 * (1 / 3), 1) == "33,3"


def test_decimals_signs_and_thousands():
    assert fmt.num(0.125 * 100, 1) == "12,5"
    assert fmt.num(1.25, 1) == "1,3"
    assert fmt.num(0.0125, 3) == "0,013"
    # the float nearest 2.675 lies just below it; the number meant, 2,675, rounds up
    assert fmt.num(2.675, 2) == "2,68"
    assert fmt.pp(12.5) == "+13\u00a0procentenheter"
    assert fmt.pp(-12.5) == "\u221213\u00a0procentenheter"
    assert fmt.num(-0.04, 1, sign=True) == "0,0"
    assert fmt.num(1234.5) == "1\u202f235"
    assert fmt.num(12345678.25, 1) == "12\u202f345\u202f678,3"
    assert fmt.interval(0.125, 0.625) == "13–63\u00a0%"
    assert fmt.pvalue(0.0495) == "p\u00a0=\u00a00,050"


def test_round_int_and_round_half_up():
    assert fmt.round_int(237.5) == 238
    assert fmt.round_int(-237.5) == -238
    assert isinstance(fmt.round_int(12.0), int)
    assert str(fmt.round_half_up(2.5)) == "3"
    assert str(fmt.round_half_up(0.125, 2)) == "0.13"


@pytest.mark.parametrize("n", [7, 8, 13, 22, 40, 243, 290])
def test_every_count_share_agrees_with_exact_fractions_and_the_reconstruction(n):
    """Every k of n shown in whole per cent equals floor(100k/n + ½) in exact arithmetic, and
    lies inside change_tests.rounding_bounds (the reconstruction's own rule, written with
    Fraction)."""
    for k in range(n + 1):
        exact = int(Fraction(100 * k, n) + Fraction(1, 2))  # int() floors a non-negative Fraction
        assert fmt.share_pct(k / n) == f"{exact}\u00a0%", (k, n)
        k_min, k_max = change_tests.rounding_bounds(exact, n)
        assert k_min <= k <= k_max, (k, n, exact)


@pytest.mark.parametrize(
    ("bad", "message"),
    [
        (None, "missing"),
        (float("nan"), "missing"),
        (float("inf"), "infinite"),
        (float("-inf"), "infinite"),
    ],
)
def test_unformattable_values_are_refused(bad, message):
    with pytest.raises(ValueError, match=message):
        fmt.num(bad)


@pytest.mark.parametrize("decimals", [-1, 1.5, True])
def test_bad_decimals_are_refused(decimals):
    with pytest.raises(ValueError, match="decimals"):
        fmt.round_half_up(1.0, decimals)
