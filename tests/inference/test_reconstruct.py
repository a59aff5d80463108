"""Tests of the reconstruction of integer counts behind the 2023 county tables."""

import pandas as pd
import pytest

from kommunenkat.core import paths
from kommunenkat.core.labels import AGGREGATES, REGION_NATIONAL, REGIONS, SCALE, SCALE_QUESTIONS
from kommunenkat.inference import reconstruct
from kommunenkat.inputs import data
from kommunenkat.tooling import derive

CATS = [*SCALE, *AGGREGATES]
TOL = 0.5 + 1e-9


def within(count: int, n: int, printed: int) -> bool:
    """Independent float check of the rounding condition used by the brief."""
    return abs(100 * count / n - printed) <= TOL


def full_counts(counts) -> dict[str, int]:
    """Six SCALE counts plus the two aggregates."""
    out = dict(zip(SCALE, counts, strict=True))
    for agg, parts in AGGREGATES.items():
        out[agg] = sum(out[p] for p in parts)
    return out


@pytest.fixture(scope="module")
def rec():
    return reconstruct.solve()


@pytest.fixture(scope="module")
def counts():
    return reconstruct.county_counts()


# --------------------------------------------------------------------------- the report's data
def test_counts_reproduce_every_printed_county_percentage(rec):
    for q in SCALE_QUESTIONS:
        table = data.county_table(q)
        for r in REGIONS:
            sol = rec.chosen[r, q]
            assert sum(sol.counts) == sol.n
            for c, count in full_counts(sol.counts).items():
                assert within(count, sol.n, table.loc[r, c]), (r, q, c, count, sol.n)


def test_n_never_exceeds_the_regions_municipalities(rec):
    municipalities = data.region_municipalities()
    for (r, _q), sol in rec.chosen.items():
        assert 1 <= sol.n <= municipalities[r]


def test_summed_counts_reproduce_the_national_rows(rec):
    check = reconstruct.national_check()
    assert list(check["question"]) == list(SCALE_QUESTIONS)
    assert check["matches"].all()
    for q in SCALE_QUESTIONS:
        printed = data.county_table(q).loc[REGION_NATIONAL]
        summed = [0] * len(SCALE)
        for r in REGIONS:
            summed = [a + b for a, b in zip(summed, rec.chosen[r, q].counts, strict=True)]
        n = sum(summed)
        for c, count in full_counts(summed).items():
            assert within(count, n, printed[c]), (q, c, count, n)
            row = check.set_index("question").loc[q]
            assert row[f"count_{c}"] == count
            assert row[f"printed_{c}"] == printed[c]
            assert row[f"percent_{c}"] == pytest.approx(100 * count / n)


def test_totals_and_item_nonresponse(rec):
    respondents = data.fact("respondents")
    assert respondents == 244
    totals = rec.totals()
    assert totals == {
        "far_from_labour_market": 244,
        "strategic_collab": 243,
        "operative_collab": 244,
        "employer_support": 241,
    }
    assert all(t <= respondents for t in totals.values())
    assert rec.item_nonresponse() == {
        "far_from_labour_market": [],
        "strategic_collab": ["Gävleborg"],
        "operative_collab": [],
        "employer_support": ["Uppsala", "Skåne", "Gävleborg"],
    }


def test_region_respondents_add_up_to_the_survey(rec):
    response = reconstruct.county_response()
    assert list(response.columns) == [
        "region",
        "municipalities",
        "respondents",
        "min_n",
        "response_rate",
        "n_candidates",
        "resolution",
    ]
    assert list(response["region"]) == REGIONS
    assert response["respondents"].sum() == data.fact("respondents")
    assert response["municipalities"].sum() == 290
    assert dict(zip(response["region"], response["respondents"], strict=True)) == {
        "Stockholm samt Gotland": 22, "Uppsala": 8, "Södermanland": 7, "Östergötland": 8,
        "Jönköping": 11, "Kronoberg": 7, "Kalmar": 11, "Blekinge": 5, "Skåne": 28,
        "Halland": 6, "Västra Götaland": 40, "Värmland": 15, "Örebro": 10, "Västmanland": 9,
        "Dalarna": 12, "Gävleborg": 9, "Västernorrland": 6, "Jämtland": 5,
        "Västerbotten": 14, "Norrbotten": 11,
    }  # fmt: skip
    differ = response[response["min_n"] < response["respondents"]]
    assert list(differ["region"]) == ["Uppsala", "Skåne", "Gävleborg"]
    assert (differ["n_candidates"] == 0).all()
    assert (response["response_rate"] <= 1).all()
    assert response["response_rate"].iloc[0] == pytest.approx(22 / 27)


def test_hand_checked_examples(rec):
    stockholm = rec.chosen["Stockholm samt Gotland", "far_from_labour_market"]
    assert (stockholm.n, stockholm.counts) == (22, (1, 5, 1, 6, 7, 2))
    uppsala = rec.chosen["Uppsala", "far_from_labour_market"]
    assert (uppsala.n, uppsala.counts) == (8, (0, 1, 0, 5, 1, 1))
    # 1/8 = 12.5 % and 5/8 = 62.5 % are printed 13 and 63: the report rounds half up.
    assert list(data.county_table("far_from_labour_market").loc["Uppsala", SCALE]) == [
        0, 13, 0, 63, 13, 13,
    ]  # fmt: skip
    gavleborg = rec.chosen["Gävleborg", "strategic_collab"]
    assert (gavleborg.n, gavleborg.counts) == (8, (3, 3, 1, 0, 0, 1))


def test_ambiguous_cells_are_resolved_by_the_common_n(rec, counts):
    ambiguous = {k: len(v) for k, v in rec.solutions.items() if len(v) > 1}
    assert ambiguous == {
        ("Örebro", "strategic_collab"): 2,
        ("Örebro", "employer_support"): 2,
        ("Dalarna", "employer_support"): 2,
    }
    assert {s.n for s in rec.solutions["Örebro", "strategic_collab"]} == {5, 10}
    assert rec.n("Örebro", "strategic_collab") == 10
    assert rec.n("Dalarna", "employer_support") == 12
    for key in ambiguous:
        assert rec.cell_resolution[key] == reconstruct.COMMON_N
    assert rec.n_full_solutions == 1
    # The national rows alone single out the same solution.
    assert rec.n_full_solutions_unrestricted == 1
    multi = counts[counts["n_solutions"] > 1]
    assert set(multi["resolution"]) == {reconstruct.COMMON_N}
    assert len(multi) == 3 * len(SCALE)


def test_county_counts_layout(counts):
    assert list(counts.columns) == [
        "region",
        "question",
        "category",
        "count",
        "n",
        "n_solutions",
        "resolution",
    ]
    assert len(counts) == len(REGIONS) * len(SCALE_QUESTIONS) * len(SCALE)
    expected = [(r, q, c) for r in REGIONS for q in SCALE_QUESTIONS for c in SCALE]
    assert list(zip(counts["region"], counts["question"], counts["category"], strict=True)) == (
        expected
    )
    for col in ("count", "n", "n_solutions"):
        assert pd.api.types.is_integer_dtype(counts[col])
    sums = counts.groupby(["region", "question"], sort=False).agg(
        total=("count", "sum"), n=("n", "first")
    )
    assert (sums["total"] == sums["n"]).all()


def test_no_prints_and_log_present(rec):
    assert any("item non-response" in line for line in rec.log)
    assert any("rounded down" in line for line in rec.log)


# --------------------------------------------------------------------------- synthetic tables
def printed_row(counts) -> dict[str, int]:
    """Percentages of a count vector rounded half up, as the report prints them."""
    n = sum(counts)
    return {c: (200 * v + n) // (2 * n) for c, v in full_counts(counts).items()}


def table(rows: dict[str, tuple], national: tuple | dict) -> pd.DataFrame:
    nat = national if isinstance(national, dict) else printed_row(national)
    return pd.DataFrame({REGION_NATIONAL: nat} | {r: printed_row(c) for r, c in rows.items()}).T


def test_cell_solver_unique_and_half_rounding():
    # 1 of 8 = 12.5 %: both 13 (half up) and 12 (half even) are accepted.
    for printed in (13, 12):
        row = printed_row((1, 7, 0, 0, 0, 0)) | {"very_high": printed}
        sols = reconstruct.cell_solutions(row, 8)
        assert (8, (1, 7, 0, 0, 0, 0)) in [(s.n, s.counts) for s in sols]
    # A half that is off by one more point is not.
    row = printed_row((1, 7, 0, 0, 0, 0)) | {"very_high": 14, "high": 100}
    with pytest.raises(ValueError):
        reconstruct.cell_solutions(row, 8)


def test_cell_solver_checks_the_aggregates():
    row = printed_row((1, 1, 6, 0, 0, 0))  # 13 13 75 0 0 0, high 25
    assert [(s.n, s.counts) for s in reconstruct.cell_solutions(row, 8)] == [
        (8, (1, 1, 6, 0, 0, 0))
    ]
    with pytest.raises(ValueError, match="no counts reproduce"):
        reconstruct.cell_solutions(row | {"high": 26}, 8)


def test_cell_solver_ambiguous_n():
    row = printed_row((1, 1, 0, 0, 0, 0))  # 50 50 0 0 0 0
    sols = reconstruct.cell_solutions(row, 6, region="A", question="q")
    assert [(s.n, s.counts) for s in sols] == [
        (2, (1, 1, 0, 0, 0, 0)),
        (4, (2, 2, 0, 0, 0, 0)),
        (6, (3, 3, 0, 0, 0, 0)),
    ]


def test_cell_solver_no_solution_names_the_cell():
    row = {"very_high": 50, "fairly_high": 50, "middle": 50, "fairly_low": 0, "very_low": 0,
           "dont_know": 0, "high": 100, "low": 0}  # fmt: skip
    with pytest.raises(ValueError, match=r"'Blekinge'.*'strategic_collab'"):
        reconstruct.cell_solutions(row, 5, region="Blekinge", question="strategic_collab")


def test_reconstruct_reports_an_unsolvable_cell():
    bad = table({"A": (1, 1, 0, 0, 0, 0)}, (1, 1, 0, 0, 0, 0))
    bad.loc["A", "middle"] = 60
    with pytest.raises(ValueError, match=r"region 'A', question 'q1'"):
        reconstruct.reconstruct({"q1": bad}, {"A": 4}, 4)


def test_reconstruct_common_n_national_row_and_item_nonresponse():
    a1, a2 = (1, 1, 0, 0, 0, 0), (1, 3, 0, 0, 0, 0)  # A: n 2 or 4 for q1, only 4 for q2
    b1, b2 = (1, 0, 0, 0, 0, 1), (0, 1, 0, 0, 0, 1)  # B: n 2 or 4 for both
    c1, c2 = (0, 0, 1, 1, 0, 0), (0, 0, 1, 1, 1, 0)  # C: n 2 for q1, 3 for q2
    tables = {
        "q1": table({"A": a1, "B": b1, "C": c1}, (3, 2, 1, 1, 0, 1)),  # A n=4, B n=2, C n=2
        "q2": table({"A": a2, "B": b2, "C": c2}, (1, 4, 1, 1, 1, 1)),  # A n=4, B n=2, C n=3
    }
    rec = reconstruct.reconstruct(tables, {"A": 4, "B": 4, "C": 3}, 9)
    assert rec.chosen["A", "q1"].counts == (2, 2, 0, 0, 0, 0)
    assert rec.cell_resolution["A", "q1"] == reconstruct.COMMON_N
    assert rec.cell_resolution["A", "q2"] == reconstruct.UNIQUE
    assert rec.common_n["B"] == (2, 4)
    assert (rec.n("B", "q1"), rec.n("B", "q2")) == (2, 2)
    assert rec.cell_resolution["B", "q1"] == reconstruct.NATIONAL
    assert rec.region_resolution["B"] == reconstruct.NATIONAL
    assert rec.common_n["C"] == ()
    assert rec.region_resolution["C"] == reconstruct.NO_COMMON_N
    assert rec.totals() == {"q1": 8, "q2": 9}
    assert rec.item_nonresponse() == {"q1": ["C"], "q2": []}
    assert rec.n_full_solutions == 1
    check = reconstruct.national_check(rec)
    assert check["matches"].all()


def test_reconstruct_tie_break_prefers_all_respondents():
    only = table({"A": (1, 1, 0, 0, 0, 0)}, (1, 1, 0, 0, 0, 0))
    rec = reconstruct.reconstruct({"q": only}, {"A": 4}, 4)
    assert rec.n_full_solutions == 2  # n = 2 and n = 4 both reproduce the national row
    assert rec.chosen["A", "q"].n == 4
    assert rec.cell_resolution["A", "q"] == reconstruct.TIE_BREAK
    assert any("1 alternative" in line for line in rec.log)


def test_reconstruct_fails_when_the_national_row_cannot_be_met():
    tables = {"q": table({"A": (1, 1, 0, 0, 0, 0)}, {c: 0 for c in CATS} | {"dont_know": 100})}
    with pytest.raises(ValueError, match="national rows of q"):
        reconstruct.reconstruct(tables, {"A": 4}, 4)


# --------------------------------------------------------------------------- derived files
@pytest.mark.parametrize("name", ["county_counts.csv", "county_response.csv"])
def test_committed_derived_file_is_current(name):
    assert reconstruct.DERIVED[name] in (reconstruct.county_counts, reconstruct.county_response)
    committed = (paths.DERIVED / name).read_text(encoding="utf-8")
    assert derive.render(reconstruct.DERIVED[name]()) == committed
