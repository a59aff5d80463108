import pytest

from kommunenkat import fmt


def test_swedish_decimal_comma_and_nbsp():
    assert fmt.pct(19) == "19\u00a0%"
    assert fmt.num(1234.56, 1) == "1\u202f234,6"
    assert fmt.pct(-3.25, 1) == "\u22123,2\u00a0%" or fmt.pct(-3.25, 1) == "\u22123,3\u00a0%"


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
