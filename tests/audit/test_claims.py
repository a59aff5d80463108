"""The claims register and its audit: completeness, key verdicts, staleness, interpreter,
the GRIM-type possibility check and the scan of the whole report text."""

import re

import pandas as pd
import pytest

from kommunenkat.audit import checks, claims, frame, published, scan, verdicts
from kommunenkat.core import fmt, paths
from kommunenkat.core.labels import REGIONS, SCALE
from kommunenkat.inference import reconstruct
from kommunenkat.inputs import data
from kommunenkat.tooling import derive

N_TRANSCRIBED = 71  # numeric statements transcribed from the report's prose before the scan
FREE_CLAIMED = ("none", "causal")  # kinds whose ``claimed`` column is free text


@pytest.fixture(scope="module")
def audit() -> pd.DataFrame:
    return checks.audit().set_index("id")


# --------------------------------------------------------------------------- the register
def test_register_is_complete_and_well_formed():
    reg = claims.register()
    assert len(reg) >= N_TRANSCRIBED
    assert reg["id"].is_unique
    assert all(re.fullmatch(r"C\d{2,3}", i) for i in reg["id"])
    for _, row in reg.iterrows():
        spec = claims.parse_check(row["check"], row["id"])
        if spec.kind not in FREE_CLAIMED:
            assert claims.parse_claimed(row["claimed"], row["id"])
        else:
            assert row["note"].strip(), row["id"]
        assert 0 < len(row["quote"].split()) <= 20, row["id"]
        assert row["refers_to"].strip() and row["section"].strip(), row["id"]


def test_register_covers_every_section():
    sections = set(claims.register()["section"])
    for s in (
        "Sammanfattning och förslag",
        "Kommunenkät 2023",
        "Arbetsförmedlingens fördjupade och enklare stöd till arbetslösa",
        "Arbetsförmedlingens kommunsamarbete strategiskt och operativt",
        "Lokalt stöd till arbetsgivare",
    ):
        assert s in sections


def test_audit_columns_and_verdicts(audit):
    assert list(audit.reset_index().columns) == checks.COLUMNS
    assert set(audit["verdict"]) <= set(verdicts.VERDICTS)
    assert audit["explanation"].str.len().min() > 20
    s = verdicts.summary(audit)
    assert list(s["verdict"]) == list(verdicts.VERDICTS)
    assert s["count"].sum() == len(audit)


# --------------------------------------------------------------------------- verdicts that hold
def _ranking(pairs):
    return "; ".join(f"{r} {fmt.pct(v)}" for r, v in pairs)


def test_employer_summary_names_the_wrong_table(audit):
    row = audit.loc["C11"]
    assert row["verdict"] == verdicts.WRONG
    assert row["recomputed"] == _ranking(
        [("Kronoberg", 71), ("Östergötland", 63), ("Jämtland", 60)]
    )
    assert "figur 12" in row["explanation"]
    assert "Halland 83" in row["explanation"] and "Kalmar 82" in row["explanation"]


def test_operative_low_ranking_value_is_impossible_not_rounding(audit):
    # The report says Värmland 72 %; the table prints 73 % (40 + 33). Värmland's 15 answering
    # municipalities give 10/15 = 66,7 % or 11/15 = 73,3 %: no count gives 72 %, so this is an
    # error. The old audit called it a rounding difference.
    row = audit.loc["C59"]
    assert row["verdict"] == verdicts.IMPOSSIBLE
    assert row["recomputed"] == _ranking(
        [("Kronoberg", 86), ("Östergötland", 75), ("Värmland", 73), ("Dalarna", 67)]
    )
    assert "40 + mycket låg 33" in row["explanation"] and "72" in row["explanation"]
    assert f"10 av 15 = {fmt.pct(100 * 10 / 15, 1)}" in row["explanation"]
    assert f"11 av 15 = {fmt.pct(100 * 11 / 15, 1)}" in row["explanation"]
    assert "16 kommuner" in row["explanation"]
    assert reconstruct.solve().n("Värmland", "operative_collab") == 15


def test_registration_help_88_contradicts_91(audit):
    summary, chapter = audit.loc["C14"], audit.loc["C38"]
    assert (summary["claimed"], summary["recomputed"]) == ("88", fmt.pct(91))
    assert summary["verdict"] == verdicts.SELF
    assert chapter["verdict"] == verdicts.SELF  # was "kan inte kontrolleras"
    assert fmt.pct(88) in chapter["explanation"]


def test_six_to_eight_beside_five_to_eight_is_no_contradiction(audit):
    # Figure 3 is described with two bins: "a large majority give six to eight kinds" (C13) and
    # "85 % give five to eight" (C42). Six to eight is a subgroup of five to eight, so both can
    # be true; neither share is printed in the figure, so both stay uncheckable, and each
    # explanation names the other description.
    assert audit.loc["C13", "verdict"] == verdicts.UNCHECKABLE
    assert audit.loc["C13", "recomputed"] == "högst " + fmt.pct(85)
    assert "fem och åtta" in audit.loc["C13", "explanation"]
    assert "sanna samtidigt" in audit.loc["C13", "explanation"]
    assert audit.loc["C42", "verdict"] == verdicts.UNCHECKABLE
    assert "sex och åtta" in audit.loc["C42", "explanation"]
    assert "sanna samtidigt" in audit.loc["C42", "explanation"]


def test_nested_social_assistance_ranges_are_compatible(audit):
    # "11–12" (summary) lies inside "omkring 11–13" (chapter): different precision, not a
    # contradiction. Both come from outside the survey and cannot be checked.
    for cid, other in (("C32", "11–13"), ("C70", "11–12")):
        assert audit.loc[cid, "verdict"] == verdicts.UNCHECKABLE
        assert other in audit.loc[cid, "explanation"]
        assert "förenliga" in audit.loc[cid, "explanation"]


def test_self_contradictions_are_the_registration_conflict_only(audit):
    # After C13/C42 and C32/C70 are recognised as compatible, the two claims left are the two
    # sides of 88 % against 91 % for help with registering (C14 summary, C38 chapter).
    assert sorted(audit.index[audit["verdict"] == verdicts.SELF]) == ["C14", "C38"]


@pytest.mark.parametrize(
    "cid,question,category,complement",
    [
        ("C04", "far_from_labour_market", "low", False),  # "en majoritet av kommunerna"
        ("C25", "operative_collab", "high", False),  # "endast halva kommunsverige"
        ("C20", "strategic_collab", "high", True),  # "mer behöver göras i 4 av 10 kommuner"
        ("C43", "far_from_labour_market", "high", False),  # "knappt en av fem kommuner"
        ("C57", "operative_collab", "low", False),  # "nästan fyra av tio kommuner"
        ("C05", "far_from_labour_market", "high", False),  # "19 procent av kommunerna"
        ("C06", "far_from_labour_market", "low", False),  # "57 procent uppger uttryckligen"
    ],
)
def test_claims_about_all_municipalities_hold_only_among_respondents(
    audit, cid, question, category, complement
):
    """The bounds agree with the book's published Manski bounds (``manski_bounds.csv``, from
    the county counts) and with the formula [k/N, (k + N − n)/N] on its counts; they reach past
    the claim, so it holds among the respondents only."""
    pub = pd.read_csv(paths.ROOT / "data" / "derived" / "manski_bounds.csv")
    row = pub[
        (pub["question"] == question) & (pub["category"] == category) & (pub["region"] == "Riket")
    ].iloc[0]
    k, n, big_n = int(row["k"]), int(row["n"]), int(row["municipalities"])
    assert big_n == int(data.counties()["municipalities"].sum())
    lo, hi = 100 * k / big_n, 100 * (k + big_n - n) / big_n
    # the CSV stores six decimals of the fractions
    assert lo == pytest.approx(100 * row["lower"], abs=1e-3)
    assert hi == pytest.approx(100 * row["upper"], abs=1e-3)
    if complement:
        lo, hi = 100 - hi, 100 - lo
    b = published.manski_percent(question, category, complement)
    assert (b["lower"], b["upper"]) == (pytest.approx(lo), pytest.approx(hi))
    assert audit.loc[cid, "verdict"] == verdicts.RESPONDENTS
    assert f"alla {big_n}: {fmt.num(lo, 1)}–{fmt.pct(hi, 1)}" in audit.loc[cid, "recomputed"]
    assert f"{fmt.pct(lo, 1)} och {fmt.pct(hi, 1)}" in audit.loc[cid, "explanation"]


def test_every_national_share_claim_is_about_all_municipalities():
    # The all-290 rule reads the spec, never the quote: every claim of a national share (or of
    # its change) is about all the country's municipalities; county claims are not; the report
    # has no sentence that restricts itself to those who answered.
    reg = claims.register()
    for _, row in reg.iterrows():
        c = claims.parse_check(row["check"], row["id"])
        national = c.kind in ("value", "change") and c.args.get("region") == "Riket"
        assert frame.about_all(c) == national, row["id"]
        assert c.args.get("frame") != "respondents", row["id"]
        assert "frame=all" not in row["check"], row["id"]
    assert not frame.about_all(claims.parse_check("top fig=12 cat=high k=2", "C99"))
    assert not frame.about_all(claims.parse_check("value fig=12 cat=high region=Uppsala", "C99"))
    assert not frame.about_all(claims.parse_check("value fig=12 cat=high frame=respondents"))


def test_the_same_share_gets_the_same_verdict_in_the_report(audit):
    # Issue 20: C05 ("19 procent av kommunerna") and C43 ("knappt en av fem kommuner") state
    # the same share, as C06 ("57 procent uppger uttryckligen") and C57 ("nästan fyra av tio
    # kommuner (38 procent) uppger uttryckligen") state theirs in the same way.
    assert audit.loc["C05", "verdict"] == audit.loc["C43", "verdict"] == verdicts.RESPONDENTS
    assert audit.loc["C06", "verdict"] == audit.loc["C57", "verdict"] == verdicts.RESPONDENTS
    bounds = audit.loc["C05", "recomputed"].split("(")[1]
    assert bounds == audit.loc["C43", "recomputed"].split("(")[1]


def test_majority_of_all_municipalities_is_not_established():
    # C04: 138 of 244 respondents answered negatively (56.6 %), but among all 290 the share is
    # between 138/290 = 47.6 % (no non-respondent negative) and 184/290 = 63.4 %.
    b = published.manski_percent("far_from_labour_market", "low")
    assert (b["k"], b["n"], b["N"]) == (138, 244, 290)
    assert b["lower"] == pytest.approx(100 * 138 / 290)
    assert b["lower"] < 50 < b["upper"]


def _level(n, k, big_n, year=2023):
    return published.Level(year, big_n, ((n, k),))


def test_a_claim_the_bounds_settle_stays_ok(synthetic, monkeypatch):
    # A claim whose every value among all municipalities satisfies it holds for all of them:
    # 38 of 100 negative and 2 who did not answer give 37,3–39,2 % of 102, always over 30 %.
    monkeypatch.setattr(published, "level", lambda *a, **k: _level(100, 38, 102))
    res = checks.evaluate(_claim("value fig=14 cat=low", "över 30"))
    assert res.verdict == verdicts.OK, res.explanation
    assert "stämmer i hela det intervallet" in res.explanation
    assert res.tipping_point == ""


@pytest.mark.parametrize(
    "spec,why",
    [
        ("value fig=12 cat=low frame=some", "unknown frame"),
        ("value fig=12 cat=low frame=all", "unknown frame"),  # the rule needs no argument
        ("value fig=12 cat=low parts=C46", "parts must name two"),
        ("value fig=12 cat=low,high parts=C46,C47", "parts needs one category"),
        ("causal type=guess", "unknown causal type"),
    ],
)
def test_bad_frame_arguments_are_rejected(spec, why):
    with pytest.raises(ValueError, match=why):
        claims.parse_check(spec, "C99")


def test_assumed_label_years_are_named(audit):
    # Figure 4's 2022 labels are assigned by their order in the source (order_assumed): the
    # verdicts of C44/C45 rest on that, and the explanation says whether SKR's press material
    # supports the value (12 % yes, 60 % no).
    assert "antaget ur etiketternas ordning" in audit.loc["C44", "explanation"]
    assert "pressmaterial" in audit.loc["C44", "explanation"]
    assert "antaget ur etiketternas ordning" in audit.loc["C45", "explanation"]
    assert "inget annat i rapporten bekräftar" in audit.loc["C45", "explanation"]


def test_no_contradiction_is_left_as_uncheckable(audit):
    unchecked = audit[audit["verdict"] == verdicts.UNCHECKABLE]
    for word in ("motsäger", "inte konsekvent", "annat värde", "annan indelning"):
        assert not unchecked["explanation"].str.contains(word).any(), word


def test_employer_comparison_between_years_is_unsupported(audit):
    # Issue 20: no single denominator fits all three years of figure 10. 2023's shares are
    # shares of everyone who answered (figure 15 prints them with all six options); with that
    # denominator 2021's and 2020's shares cannot sum to 110 %, so the years are not computed
    # alike, and comparing their don't-know shares has no support in the report.
    row = audit.loc["C72"]
    assert row["verdict"] == verdicts.UNSUPPORTED
    assert "2021: 5 + 68 + 37 = " + fmt.pct(110) in row["recomputed"]
    assert "2020: 5 + 65 + 40 = " + fmt.pct(110) in row["recomputed"]
    assert "2023: 14 + 35 + 35 = " + fmt.pct(84) in row["recomputed"]
    assert fmt.pct(101.5, 1) in row["explanation"]
    assert "Ingen enskild nämnare passar alltså alla åren" in row["explanation"]
    assert "tabellbilagans figur 15" in row["explanation"]
    assert "saknar stöd" in row["explanation"]
    # the same data are also in the validation list; the audit must not depend on it
    known = pd.read_csv(paths.KNOWN_INCONSISTENCIES, dtype=str)
    assert {"10|2020", "10|2021"} <= set(known["key"])


# 2023's county table in the synthetic cases: the six options sum to 100 and give the figure's
# 10 % high, 39 % low and 35 % don't know, so 2023's base is everyone who answered.
COUNTY_2023 = pd.DataFrame(
    [[5, 5, 16, 20, 19, 35, 10, 39]],
    index=["Riket"],
    columns=[*SCALE, "high", "low"],
)


@pytest.mark.parametrize(
    "years,sums,county,verdict",
    [
        # 2023's base is known and 2021's cannot be the same: no single denominator fits
        ((2023, 2021), (84, 110), COUNTY_2023, verdicts.UNSUPPORTED),
        # no round of known base: another common base is possible
        ((2023, 2021), (84, 110), pd.DataFrame(), verdicts.UNCHECKABLE),
        ((2021, 2020), (110, 110), COUNTY_2023, verdicts.UNCHECKABLE),
        ((2021,), (110,), COUNTY_2023, verdicts.UNCHECKABLE),  # one year: no comparison
        ((2023, 2021), (84, 100), COUNTY_2023, verdicts.OK),  # every year fits
    ],
)
def test_comparison_without_a_common_denominator(
    synthetic, monkeypatch, years, sums, county, verdict
):
    rows = []
    for y, total in zip(years, sums, strict=True):
        dont_know = 35
        high = 10
        rows += [
            _row(10, "employer_support", "Riket", "high", high, year=y, source="Figur 10"),
            _row(10, "employer_support", "Riket", "low", total - high - dont_know, year=y),
            _row(10, "employer_support", "Riket", "dont_know", dont_know, year=y),
        ]
    monkeypatch.setattr(data, "report_figures", lambda: pd.DataFrame(rows))
    monkeypatch.setattr(data, "county_table", lambda *a, **k: county)
    claimed = "; ".join("35" for _ in years)
    spec = f"total fig=10 cat=dont_know year={','.join(str(y) for y in years)}"
    res = checks.evaluate(_claim(spec, claimed))
    assert res.verdict == verdict, res.explanation


def test_causal_sentences_are_audited(audit):
    # Issue 20: a causal claim is a sentence saying that the survey's results are caused by
    # something. Hedged explanations (C79), interpretations (C78) and causes of outcomes the
    # survey does not measure (C75, C81–C83) are listed apart and cannot be checked.
    reg = claims.register().set_index("id")
    specs = {cid: claims.parse_check(reg.loc[cid, "check"], cid) for cid in reg.index}
    causal = [cid for cid, c in specs.items() if c.kind == "causal"]
    assert len(causal) >= 10
    types = {cid: specs[cid].args["type"] for cid in causal}
    assert types["C79"] == "hedged"
    assert types["C78"] == "interpretation"
    assert {cid for cid, t in types.items() if t == "outside"} == {"C75", "C81", "C82", "C83"}
    cause = [cid for cid, t in types.items() if t == "cause"]
    assert sorted(cause) == ["C73", "C74", "C76", "C77", "C80"]
    assert (audit.loc[cause, "verdict"] == verdicts.CAUSAL).all()
    assert audit["verdict"].eq(verdicts.CAUSAL).sum() == len(cause)
    for cid in cause:
        assert "jämförelsegrupp" in audit.loc[cid, "explanation"], cid
    for cid in set(causal) - set(cause):
        assert audit.loc[cid, "verdict"] == verdicts.UNCHECKABLE, cid
    assert "förbehåll" in audit.loc["C79", "explanation"]
    assert "tolkning" in audit.loc["C78", "explanation"]
    # the recount of "11 meningar": five sentences, one claim each
    assert checks.causal_sentences(audit.reset_index()) == len(cause)
    # the report's own "Det är ett resultat av …"
    hit = reg[reg["quote"].str.startswith("Det är ett resultat av")]
    assert len(hit) == 1
    row = audit.loc[hit.index[0]]
    assert row["recomputed"] == f"{fmt.pct(42)} → {fmt.pct(61)}"


@pytest.mark.parametrize(
    "kind,verdict",
    [
        ("", verdicts.CAUSAL),
        (" type=cause", verdicts.CAUSAL),
        (" type=hedged", verdicts.UNCHECKABLE),
        (" type=interpretation", verdicts.UNCHECKABLE),
        (" type=outside", verdicts.UNCHECKABLE),
    ],
)
def test_only_claims_that_results_have_causes_are_causal(synthetic, kind, verdict):
    res = checks.evaluate(_claim(f"causal{kind}", "orsak: x", note="X sägs bero på Y."))
    assert res.verdict == verdict
    assert res.explanation.startswith("X sägs bero på Y.")


def test_work_training_sum(audit):
    # Issue 20: the sum is right but its parts come from outside the survey: a split verdict.
    row = audit.loc["C67"]
    assert row["verdict"] == verdicts.SPLIT
    assert row["recomputed"] == f"{fmt.num(2200)} + {fmt.num(3500)} = {fmt.num(5700)}"
    assert "summan stämmer" in row["explanation"]
    assert "kan inte kontrolleras" in row["explanation"]


@pytest.mark.parametrize("claimed", ["22–24", "omkring 23", "23", "22,5–23,5", "omkring 22–24"])
def test_a_sum_of_outside_facts_is_never_plain_ok(synthetic, claimed):
    # facts a (11–12, read as 11) and b (11–13, read as 11) sum to 22
    res = checks.evaluate(_claim("sum a+b=a", claimed))
    assert res.verdict != verdicts.OK
    assert res.verdict in (verdicts.SPLIT, verdicts.WRONG, verdicts.ROUNDING), res.explanation


@pytest.mark.parametrize(
    "cid,verdict,recomputed",
    [
        ("C01", verdicts.OK, "244 av 290"),
        ("C02", verdicts.OK, fmt.pct(84.1, 1)),
        ("C05", verdicts.RESPONDENTS, f"{fmt.pct(19)} (alla 290: 15,9–{fmt.pct(31.7, 1)})"),
        ("C07", verdicts.OK, "Södermanland; Östergötland; Kronoberg; Blekinge; Halland"),
        ("C20", verdicts.RESPONDENTS, f"{fmt.pct(39)} (alla 290: 32,4–{fmt.pct(48.6, 1)})"),
        ("C43", verdicts.RESPONDENTS, f"{fmt.pct(19)} (alla 290: 15,9–{fmt.pct(31.7, 1)})"),
        (
            "C53",
            verdicts.RESPONDENTS,
            f"{fmt.pct(29)}; {fmt.pct(19)} (alla 290: 2022 23,1–{fmt.pct(43.4, 1)}, "
            f"2023 15,5–{fmt.pct(31.7, 1)}; förändringens övre gräns +6,6 till "
            f"+8,6{fmt.NBSP}procentenheter)",
        ),
        ("C57", verdicts.RESPONDENTS, f"{fmt.pct(38)} (alla 290: 31,7–{fmt.pct(47.6, 1)})"),
        (
            "C58",
            verdicts.OK,
            _ranking([("Gävleborg", 89), ("Skåne", 86), ("Blekinge", 80), ("Örebro", 80)]),
        ),
        ("C03", verdicts.UNCHECKABLE, "280 kommuner"),
        ("C52", verdicts.UNCHECKABLE, "–"),
        ("C15", verdicts.UNCHECKABLE, fmt.pct(91)),  # only in the text, stated once
        (
            "C11",
            verdicts.WRONG,
            _ranking([("Kronoberg", 71), ("Östergötland", 63), ("Jämtland", 60)]),
        ),
    ],
)
def test_specific_verdicts(audit, cid, verdict, recomputed):
    assert (audit.loc[cid, "verdict"], audit.loc[cid, "recomputed"]) == (verdict, recomputed)


def test_verdicts_equal_committed_file(audit):
    committed = pd.read_csv(paths.DERIVED / "claims_audit.csv", dtype=str, keep_default_na=False)
    assert (
        dict(zip(committed["id"], committed["verdict"], strict=True)) == audit["verdict"].to_dict()
    )


def test_committed_audit_is_current():
    path = paths.DERIVED / "claims_audit.csv"
    assert path.read_text(encoding="utf-8") == derive.render(checks.audit()), (
        "data/derived/claims_audit.csv is stale; run `make derive`"
    )
    assert checks.DERIVED["claims_audit.csv"] is checks.audit


# --------------------------------------------------------------------------- the interpreter
@pytest.mark.parametrize(
    "text,value,verdict",
    [
        ("knappt 1 av 5", 19, verdicts.OK),
        ("nästan 30", 29, verdicts.OK),
        ("nästan 30", 30, verdicts.ROUNDING),
        ("nästan 30", 20, verdicts.WRONG),
        ("4 av 10", 39, verdicts.OK),
        ("4 av 10", 46, verdicts.WRONG),
        ("över 50", 57, verdicts.OK),
        ("över 50", 50, verdicts.WRONG),
        ("72", 73, verdicts.ROUNDING),
        ("88", 91, verdicts.WRONG),
        ("84", 84.14, verdicts.OK),
        ("5 700–5 800", 5700, verdicts.OK),
        ("11–12", 13, verdicts.ROUNDING),
        ("omkring 10", 11, verdicts.OK),
    ],
)
def test_judge(text, value, verdict):
    assert verdicts.judge(claims.parse_item(text), value) == verdict


@pytest.mark.parametrize(
    "text,value,n,verdict",
    [
        ("72", 73, 15, verdicts.IMPOSSIBLE),  # no k of 15 prints as 72 %
        ("72", 73, None, verdicts.ROUNDING),  # n unknown: only the size of the difference is known
        ("56", 57, 244, verdicts.ROUNDING),  # 138/244 = 56,56 %: printed 57, truncated 56
        ("58", 57, 244, verdicts.ROUNDING),  # 140/244 = 57,38 %: printed 57, rounded up 58
        ("51", 50, 100, verdicts.WRONG),  # 51 is possible, but 50 % of 100 is exact: never both
        ("51", 50, None, verdicts.ROUNDING),
        ("12", 13, 8, verdicts.IMPOSSIBLE),  # 1/8 = 12,5 % is printed 13 (halves up), never 12
        ("73", 73, 15, verdicts.OK),
        ("nästan 30", 29, 100, verdicts.OK),  # qualified numbers are not GRIM-tested
    ],
)
def test_judge_knows_n(text, value, n, verdict):
    assert verdicts.judge(claims.parse_item(text), value, n) == verdict


def test_half_up_counts_use_the_reports_rule():
    # 1/8 = 12,5 %: the report prints 13 (the reconstruction found every exact half rounded up)
    assert list(reconstruct.counts_half_up(8, 13)) == [1]
    assert list(reconstruct.counts_half_up(8, 12)) == []
    assert list(reconstruct.count_range(8, 12)) == [1]  # the symmetric band would accept it
    assert reconstruct.printed_percent(1, 8) == 13
    assert reconstruct.printed_percent(3, 8) == 38  # 37,5 → 38
    assert [reconstruct.printed_percent(k, 15) for k in (10, 11)] == [67, 73]
    for n in (1, 7, 15, 244):
        for p in range(101):
            ks = reconstruct.counts_half_up(n, p)
            assert list(ks) == [k for k in range(n + 1) if reconstruct.printed_percent(k, n) == p]
            assert verdicts.producible(p, n) == bool(ks)
    assert verdicts.rounding_pair(56, 57, 244) == [138, 139]  # 56,56 % and 56,97 %
    assert verdicts.rounding_pair(51, 50, 100) == []


def test_parse_items():
    item = claims.parse_item("Stockholm/Gotland 82")
    assert (item.region, item.lo) == ("Stockholm samt Gotland", 82)
    assert claims.parse_item("Västra Götaland").region == "Västra Götaland"
    assert claims.parse_item("över 100 000").lo == 100000
    assert claims.parse_item("minskning").direction == "minskning"
    with pytest.raises(ValueError, match="C77"):
        claims.parse_claimed("ungefär hälften", "C77")


@pytest.mark.parametrize(
    "spec",
    [
        "",
        "frobnicate fig=12",
        "value fig=12",
        "value fig=12 cat=nonsense",
        "value fig=99 cat=high",
        "top fig=4 cat=low k=2",
        "top fig=12 cat=low k=0",
        "value fig=12 cat=high colour=red",
        "value fig=12 cat=high region=Atlantis",
        "change fig=12 cat=low from=2022 to=2023",
        "sum a=b",
        "fact",
        "value fig='12 cat=high",
        "parts fig=12 cat=high,low total=low",  # the cross-check is value … parts=ID,ID
        "causal fig=12 cat=high from=2022 to=2023",
    ],
)
def test_malformed_spec_names_the_claim(spec):
    with pytest.raises(ValueError, match=r"claim C99: malformed check"):
        claims.parse_check(spec, "C99")


def _row(fig, q, region, cat, pct, year=2023, source="Tabellbilaga"):
    return {
        "figure": fig,
        "edition": 2023,  # the report edition the row was printed in (provenance)
        "question": q,
        "year": year,
        "region": region,
        "category": cat,
        "percent": pct,
        "source": source,
        "status": "as_printed",
        "note": "",
    }


@pytest.fixture
def synthetic(monkeypatch):
    """Tiny data: figure 14 'low' by region, a prose-only figure-1/2 pair, two facts."""
    low = {r: 10 for r in REGIONS}
    low.update(
        {
            "Kronoberg": 80,
            "Östergötland": 70,
            "Värmland": 70,
            "Dalarna": 50,
            "Gävleborg": 0,
            "Skåne": 0,
        }
    )
    rows = [_row(14, "operative_collab", r, "low", v) for r, v in low.items()]
    rows += [_row(14, "operative_collab", "Riket", "low", 38)]
    rows += [
        _row(1, "help_kinds", "Riket", "help_register", 88, source="Sammanfattningen"),
        _row(2, "help_kinds", "Riket", "help_register", 91, source="Avsnittet X"),
    ]
    figures = pd.DataFrame(rows)
    facts = pd.DataFrame(
        [
            {
                "fact": "respondents",
                "section": "S",
                "year": 2023,
                "value_low": 10.0,
                "value_high": 10.0,
                "unit": "kommuner",
                "qualifier": "exact",
                "source": "s",
                "note": "",
            },
            {
                "fact": "a",
                "section": "S",
                "year": 2023,
                "value_low": 11.0,
                "value_high": 12.0,
                "unit": "procent av inskrivna",
                "qualifier": "range",
                "source": "s",
                "note": "",
            },
            {
                "fact": "b",
                "section": "T",
                "year": 2023,
                "value_low": 11.0,
                "value_high": 13.0,
                "unit": "procent av inskrivna",
                "qualifier": "range",
                "source": "s",
                "note": "",
            },
            {
                "fact": "c",
                "section": "U",
                "year": 2023,
                "value_low": 14.0,
                "value_high": 15.0,
                "unit": "procent av inskrivna",
                "qualifier": "range",
                "source": "s",
                "note": "",
            },
        ]
    ).set_index("fact")
    counties = pd.DataFrame(
        {
            "county_code": ["01", "02"],
            "county": ["X", "Y"],
            "municipalities": [8, 4],
            "region": ["Uppsala", "Skåne"],
        }
    )
    monkeypatch.setattr(data, "report_figures", lambda: figures)
    monkeypatch.setattr(data, "report_facts", lambda: facts)
    monkeypatch.setattr(data, "counties", lambda: counties)
    monkeypatch.setattr(published, "n_for", lambda *args: None)
    # every municipality answered: a claim among the respondents holds for all of them
    monkeypatch.setattr(
        published,
        "level",
        lambda q, cat, year, percent, claim_id="?": _level(100, int(percent), 100, int(year)),
    )


def _claim(check, claimed, note=""):
    return pd.Series(
        {
            "id": "C99",
            "section": "S",
            "quote": "q",
            "claimed": claimed,
            "refers_to": "r",
            "check": check,
            "note": note,
        }
    )


@pytest.mark.parametrize(
    "check,claimed,verdict",
    [
        ("top fig=14 cat=low k=2", "Kronoberg; Östergötland", verdicts.OK),
        ("top fig=14 cat=low k=2", "Kronoberg; Värmland", verdicts.OK),  # tie at second place
        ("top fig=14 cat=low k=2", "Kronoberg; Dalarna", verdicts.WRONG),
        ("top fig=14 cat=low k=2", "Östergötland; Kronoberg", verdicts.WRONG),  # order
        ("top fig=14 cat=low k=3", "Kronoberg 80; Östergötland 69; Värmland 70", verdicts.ROUNDING),
        ("top fig=14 cat=low k=3", "Kronoberg 80; Östergötland 67; Värmland 70", verdicts.WRONG),
        ("zero fig=14 cat=low", "2; Gävleborg; Skåne", verdicts.OK),
        ("zero fig=14 cat=low", "3; Gävleborg; Skåne", verdicts.WRONG),
        ("zero fig=14 cat=low", "Gävleborg", verdicts.WRONG),
        ("value fig=14 cat=low", "nästan 4 av 10; 38", verdicts.OK),
        ("value fig=14 cat=low op=complement", "62", verdicts.OK),
        ("value fig=2 cat=help_register", "91", verdicts.SELF),  # figure 1 prints 88
        ("value fig=2 cat=help_register", "88", verdicts.SELF),
        ("upper fig=2 cat=help_register", "över 50", verdicts.UNCHECKABLE),
        ("upper fig=2 cat=help_register", "över 95", verdicts.WRONG),
        ("fact a vs=b", "11–12", verdicts.UNCHECKABLE),  # nested in 11–13: compatible
        ("fact a vs=c", "11–12", verdicts.SELF),  # 14–15: cannot both be true
        ("share num=respondents den=counties", "10 av 12", verdicts.OK),
        ("share num=respondents den=counties", "83", verdicts.OK),
        ("share num=respondents den=counties", "80", verdicts.WRONG),
        ("sum a+b=a", "22–24", verdicts.SPLIT),  # the sum is right, the parts unchecked
        ("none", "", verdicts.UNCHECKABLE),
    ],
)
def test_interpreter_on_synthetic_data(synthetic, check, claimed, verdict):
    res = checks.evaluate(_claim(check, claimed, note="Ingen data."))
    assert res.verdict == verdict, res.explanation
    assert res.explanation.endswith(".")


def test_interpreter_explains_rankings_and_conflicts(synthetic):
    res = checks.evaluate(_claim("top fig=14 cat=low k=2", "Kronoberg; Dalarna"))
    assert res.recomputed == _ranking([("Kronoberg", 80), ("Östergötland", 70), ("Värmland", 70)])
    assert "delad" in res.explanation and "Dalarna 50" in res.explanation
    res = checks.evaluate(_claim("value fig=2 cat=help_register", "91"))
    assert "sammanfattningen anger " + fmt.pct(88) in res.explanation
    res = checks.evaluate(_claim("fact a vs=b", "11–12"))
    assert "11–13" in res.explanation and "förenliga" in res.explanation
    res = checks.evaluate(_claim("fact a vs=c", "11–12"))
    assert "14–15" in res.explanation and "motsäger sig själv" in res.explanation


@pytest.mark.parametrize(
    "check,claimed",
    [
        ("value fig=14 cat=low year=2019", "38"),  # nothing published
        ("top fig=14 cat=low k=2", "Kronoberg"),  # too few regions
        ("fact a", "11–13"),  # differs from the recorded fact
        ("fact nosuchfact", "1"),
        ("none", ""),  # no note
        ("value fig=14 cat=low", "trettioåtta"),
        ("zero fig=14 cat=low", "Gävleborg; ökning"),  # a direction is not a count
        ("top fig=14 cat=low k=2", "Kronoberg; ökning"),  # nor a region
    ],
)
def test_interpreter_errors_name_the_claim(synthetic, check, claimed):
    with pytest.raises(ValueError, match="C99"):
        checks.evaluate(_claim(check, claimed))


def test_audit_uses_the_register(synthetic, monkeypatch):
    reg = pd.DataFrame(
        [
            _claim("top fig=14 cat=low k=2", "Kronoberg; Dalarna"),
            _claim("value fig=14 cat=low", "38"),
        ]
    )
    reg["id"] = ["C01", "C02"]
    monkeypatch.setattr(claims, "register", lambda: reg)
    out = checks.audit()
    assert list(out.columns) == checks.COLUMNS
    assert list(out["verdict"]) == [verdicts.WRONG, verdicts.OK]
    counts = verdicts.summary(out).set_index("verdict")["count"]
    assert counts[verdicts.WRONG] == counts[verdicts.OK] == 1
    assert counts.sum() == 2 and len(counts) == len(verdicts.VERDICTS)


def test_interpreter_applies_grim_when_n_is_known(synthetic, monkeypatch):
    monkeypatch.setattr(published, "n_for", lambda question, year, region: 8)
    monkeypatch.setattr(data, "region_municipalities", lambda: pd.Series(8, index=REGIONS))
    res = checks.evaluate(
        _claim("top fig=14 cat=low k=3", "Kronoberg 80; Östergötland 69; Värmland 70")
    )
    assert res.verdict == verdicts.IMPOSSIBLE, res.explanation  # 69 % of 8 cannot happen
    assert "5 av 8" in res.explanation and "6 av 8" in res.explanation


@pytest.mark.parametrize(
    "check,claimed,note",
    [
        ("causal", "orsak: x", ""),  # causal needs a note
        ("causal fig=14 cat=low from=2022 to=2023", "orsak: x", "n"),  # not a series figure
        ("causal fig=4 cat=low", "orsak: x", "n"),  # change without years
        ("value fig=14 cat=low vs=nonsense", "38", ""),
        ("value fig=14 cat=low vs=C98", "38", ""),  # names no claim
    ],
)
def test_new_kinds_reject_bad_specs(synthetic, check, claimed, note):
    reg = pd.DataFrame([_claim(check, claimed, note)])
    with pytest.raises(ValueError, match="C99"):
        checks.evaluate(reg.iloc[0], reg)


# --------------------------------------------------------------------------- the whole report
def test_report_text_is_the_whole_report():
    lines = scan.text_lines()
    assert lines[0].strip() == "Förord"
    assert "Oscar Svensson" in [t for t in lines if t.strip()][-1]
    assert any("Det är ett resultat av" in t for t in lines)


@pytest.mark.parametrize(
    "text,expected",
    [
        ("har ökat från 75 till 91 procent från 2020 till 2023 (figur 2).", ["75", "91"]),
        ("SOU 2020:41. Lag (2009:47), 8 kap. 7§ regeringsformen.", []),
        ("Nästan fyra av tio kommuner (38 procent)", ["38", "fyra", "tio"]),
        ("möter över 100 000 deltagare", ["100 000"]),
        ("i mer än två år.5", ["två"]),
        ("trädde ikraft 1 december 2022", []),
    ],
)
def test_numbers_skip_references_and_dates(text, expected):
    assert scan.numbers(text) == expected


def test_sentence_split_keeps_abbreviations_and_list_numbers():
    text = (
        "att bl.a. nå fram till individer. SKR har därför tre förslag. 1. Säkra att "
        "kravet blir en del av politiken: Den pågående utredningen."
    )
    assert scan.split_sentences(text) == [
        "att bl.a. nå fram till individer.",
        "SKR har därför tre förslag.",
        "1. Säkra att kravet blir en del av politiken:",
        "Den pågående utredningen.",
    ]


def test_every_quote_stands_once_in_the_report():
    located = scan.quote_locations()
    assert {cid: units for cid, units in located.items() if len(units) != 1} == {}
    skip = scan.not_audited()
    texts = scan.sentences()["text"]
    for q in skip["quote"]:
        assert texts.str.contains(q, regex=False).sum() == 1, q


def test_scan_covers_every_numeric_and_causal_sentence():
    cov = scan.coverage()
    uncovered = cov[(cov["claims"] == "") & (cov["not_audited"] == "")]
    assert uncovered.empty, uncovered[["unit", "text"]].to_string()
    # a sentence is either audited or set aside, not both
    assert not ((cov["claims"] != "") & (cov["not_audited"] != "")).any()
    s = scan.coverage_summary()
    assert s["candidates"] == s["candidates_in_register"] + s["candidates_not_audited"]
    assert s["claims"] == len(claims.register()) and s["claims_not_found"] == 0
    assert s["table_rows"] == 84 and s["sentences"] > 200


def test_scan_notices_a_missing_claim():
    reg = claims.register()
    reg = reg[reg["id"] != "C17"]  # "Även andelen som samordnar insatser för nyanlända …"
    cov = scan.coverage(reg)
    missing = cov[(cov["claims"] == "") & (cov["not_audited"] == "")]
    assert len(missing) == 1 and "nyanlända" in missing.iloc[0]["text"]


def test_every_appendix_row_is_possible_and_transcribed():
    rows = checks.appendix_possibility()
    assert len(rows) == 84
    assert rows["matches_transcription"].all()
    assert rows["possible"].all()


def test_every_known_inconsistency_is_in_the_audit(audit):
    # Data that cannot be true must be explained in the appendix, not only in the validation list.
    reg = claims.register().set_index("id")
    specs = {cid: claims.parse_check(reg.loc[cid, "check"], cid) for cid in reg.index}
    known = pd.read_csv(paths.KNOWN_INCONSISTENCIES, dtype=str, keep_default_na=False)
    for _, row in known.iterrows():
        if row["check"] == "series-sum":
            fig, year = (int(x) for x in row["key"].split("|"))
            hits = [
                cid
                for cid, c in specs.items()
                if c.kind == "total" and c.args["fig"] == fig and year in c.args["year"]
            ]
            assert hits, row["key"]
            # impossible only under a denominator the report does not state (review 2, item 3);
            # a comparison of years that no single denominator fits has no support (issue 20)
            assert all(
                audit.loc[cid, "verdict"] in (verdicts.UNCHECKABLE, verdicts.UNSUPPORTED)
                for cid in hits
            )
            assert all("samma nämnare" in audit.loc[cid, "explanation"] for cid in hits)
        elif row["check"] == "cross-figure":
            question, year, region, category = row["key"].split("|")
            key = (question, category, int(year), region)
            hits = [cid for cid, c in specs.items() if key in claims.value_keys(c)]
            assert len(hits) >= 2, row["key"]
            assert all(audit.loc[cid, "verdict"] == verdicts.SELF for cid in hits), hits
        else:
            pytest.fail(f"known inconsistency of kind {row['check']!r} has no audit rule")


def test_parts_of_the_negative_share_are_a_cross_check_of_c06(audit):
    # Issue 20: C84 restated C46 and C47 against C06 and counted them twice; the check is now a
    # note in C06's explanation. Chapter: 24 % + 32 % = 56 %; table: 57 % negative. 59 + 79 =
    # 138 of 244 municipalities print as 24, 32 and 57 %: one set of counts gives all three.
    assert "C84" not in audit.index
    reg = claims.register()
    assert not reg["check"].str.startswith("parts").any()
    row = audit.loc["C06"]
    assert "Kontroll mot C46 och C47" in row["explanation"]
    assert f"138 av 244 = {fmt.pct(100 * 138 / 244, 1)}" in row["explanation"]
    assert "avrundning" in row["explanation"]
    assert row["verdict"] == audit.loc["C57", "verdict"]  # the note does not change it


def _parts_register(total):
    reg = pd.DataFrame(
        [
            _claim("value fig=14 cat=low parts=C02,C03", str(total)),
            _claim("value fig=14 cat=fairly_low", "13"),
            _claim("value fig=14 cat=very_low", "13"),
        ]
    )
    reg["id"] = ["C01", "C02", "C03"]
    return reg


@pytest.mark.parametrize("total,finding", [(25, "en avrundning"), (30, "minst en av dem är fel")])
def test_parts_cross_check(synthetic, monkeypatch, total, finding):
    # 1 of 8 = 12,5 % is printed 13; two such parts (2 of 8) make 25 %, never 30 %.
    rows = [
        _row(14, "operative_collab", "Riket", c, p)
        for c, p in (("fairly_low", 13), ("very_low", 13), ("low", total))
    ]
    monkeypatch.setattr(data, "report_figures", lambda: pd.DataFrame(rows))
    monkeypatch.setattr(published, "n_for", lambda *args: 8)
    reg = _parts_register(total)
    res = checks.evaluate(reg.iloc[0], reg)
    assert finding in res.explanation
    assert "Kontroll mot C02 och C03" in res.explanation
    # a note, not a verdict of its own: the claim is judged as it is without the cross-check
    plain = checks.evaluate(pd.Series({**reg.iloc[0], "check": "value fig=14 cat=low"}), reg)
    assert res.verdict == plain.verdict


def test_parts_cross_check_without_n_says_so(synthetic, monkeypatch):
    rows = [
        _row(14, "operative_collab", "Riket", c, p)
        for c, p in (("fairly_low", 13), ("very_low", 13), ("low", 30))
    ]
    monkeypatch.setattr(data, "report_figures", lambda: pd.DataFrame(rows))
    reg = _parts_register(30)
    res = checks.evaluate(reg.iloc[0], reg)
    assert "antalet svarande är okänt" in res.explanation


def test_parts_must_be_the_parts_of_the_aggregate(synthetic):
    reg = _parts_register(25)
    reg.loc[2, "check"] = "value fig=14 cat=high"
    with pytest.raises(ValueError, match="C01.*not the parts"):
        checks.evaluate(reg.iloc[0], reg)


@pytest.mark.skipif(
    not (paths.ROOT.parent / "shared" / "seed").exists(),
    reason="the report's text extraction (../shared/seed) is absent",
)
def test_report_text_is_a_faithful_copy_of_the_extraction():
    seed = sorted((paths.ROOT.parent / "shared" / "seed").glob("*.txt"))[0]
    lines = seed.read_text(encoding="utf-8").split("\n")
    lines = lines[:-1] if lines and lines[-1] == "" else lines
    assert list(scan.text_lines()) == [t.rstrip() for t in lines]


def test_audited_edition_is_read_again_after_the_file_changes(tmp_path, monkeypatch):
    """audited_edition() is cached (the audit asks for it per claim), but never past a change
    of data/report_figures.csv within the same process."""
    import shutil

    f = tmp_path / "report_figures.csv"
    shutil.copy(paths.REPORT_FIGURES, f)
    monkeypatch.setattr(paths, "REPORT_FIGURES", f)
    first = claims.audited_edition()
    assert first == int(pd.read_csv(f)["edition"].min())
    rows = pd.read_csv(f, dtype=str, keep_default_na=False)
    rows["edition"] = str(first + 1)  # every row now printed by the next edition
    rows.to_csv(f, index=False)
    assert claims.audited_edition() == first + 1


@pytest.mark.parametrize(
    "func,n,expected",
    [
        (verdicts.impossible_phrase, 1, "1 är en siffra som inte kan vara sann"),
        (verdicts.impossible_phrase, 2, "2 är siffror som inte kan vara sanna"),
        (verdicts.impossible_phrase, 0, "0 är siffror som inte kan vara sanna"),
        # one contradiction is two claims: never "2 fall"
        (verdicts.self_phrase, 2, "2 påståenden motsäger varandra"),
        (verdicts.self_phrase, 4, "4 påståenden motsäger andra uppgifter i rapporten"),
        (
            verdicts.split_phrase,
            1,
            "1 är en summa som stämmer men vars delar inte kan kontrolleras",
        ),
        (
            verdicts.unsupported_phrase,
            2,
            "2 är jämförelser mellan år som rapportens egna siffror inte ger stöd för",
        ),
    ],
)
def test_count_phrases_agree_in_number(func, n, expected):
    assert func(n) == expected


# --------------------------------------------------------------------------- the all-290 rule
PHRASINGS = [
    # (quote, claimed): the same share of 46 of 244 (19 %) written in different ways
    ("19 procent av kommunerna anser att myndigheten gör det", "19"),
    ("Knappt en av fem kommuner uppger att myndigheten gör det", "knappt 1 av 5"),
    ("Nästan en av fem kommuner (19 procent) uppger det", "nästan 1 av 5; 19"),
    ("Endast 19 procent uppger uttryckligen att den gör det", "19"),
]


def _far_from(monkeypatch, n, k, big_n):
    rows = [_row(12, "far_from_labour_market", "Riket", "high", 19)]
    monkeypatch.setattr(data, "report_figures", lambda: pd.DataFrame(rows))
    monkeypatch.setattr(published, "level", lambda *a, **kw: _level(n, k, big_n))


@pytest.mark.parametrize(
    "n,k,big_n,verdict",
    [
        (244, 46, 290, verdicts.RESPONDENTS),  # the report's counts: 46 did not answer
        (244, 46, 244, verdicts.OK),  # had every municipality answered, it would hold for all
    ],
)
def test_all_290_rule_gives_the_same_verdict_however_phrased(
    synthetic, monkeypatch, n, k, big_n, verdict
):
    _far_from(monkeypatch, n, k, big_n)
    results = [
        checks.evaluate(pd.Series({**_claim("value fig=12 cat=high", claimed), "quote": quote}))
        for quote, claimed in PHRASINGS
    ]
    assert {r.verdict for r in results} == {verdict}
    assert len({r.recomputed.split("(", 1)[-1] for r in results}) == 1  # the same bounds
    # only a sentence the register marks as restricted to the respondents escapes the rule
    res = checks.evaluate(_claim("value fig=12 cat=high frame=respondents", "19"))
    assert res.verdict == verdicts.OK and "alla" not in res.recomputed


@pytest.mark.parametrize(
    "n,k,big_n,claimed,expected",
    [
        # 5 of 8 negative, 2 did not answer: (5 + x)/10 = 50, 60, 70 % for x = 0, 1, 2;
        # a majority needs x ≥ 1
        (
            8,
            5,
            10,
            "över 50",
            "Faller om ingen av de 2 som inte besvarade frågan hade svarat negativt.",
        ),
        # 9 of 16, 4 did not answer: (9 + x)/20 = 45, 50, 55, 60, 65 %; "45" needs x = 0
        (
            16,
            9,
            20,
            "45",
            "Faller om minst 1 av de 4 som inte besvarade frågan hade svarat negativt.",
        ),
        # "50" needs exactly x = 1
        (
            16,
            9,
            20,
            "50",
            "Stämmer bara om 1 av de 4 som inte besvarade frågan hade svarat negativt; med ingen "
            "eller minst 2 faller påståendet.",
        ),
        # C04 by hand: 138 of 244 negative, 46 did not answer; a majority of 290 is 146 or
        # more, so it needs x ≥ 8 and fails with 7 or fewer
        (
            244,
            138,
            290,
            "över 50",
            "Faller om högst 7 av de 46 som inte besvarade frågan hade svarat negativt.",
        ),
        # "57" by hand: 56,5 ≤ 100·(138 + x)/290 < 57,5 ⇔ 163,85 ≤ 138 + x < 166,75 ⇔ x = 26–28
        (
            244,
            138,
            290,
            "57",
            "Stämmer bara om 26–28 av de 46 som inte besvarade frågan hade svarat negativt; med "
            "högst 25 eller minst 29 faller påståendet.",
        ),
    ],
)
def test_tipping_point_against_hand_computed_examples(n, k, big_n, claimed, expected):
    share = frame.Share(tuple(claims.parse_claimed(claimed)), _level(n, k, big_n), "low")
    assert not frame.holds_for_all(share)
    assert frame.tipping_point(share) == expected


def test_c04_tipping_point_is_the_issues(audit):
    # Issue 20: "C04 fails only if 7 or fewer of the 46 were negative".
    assert audit.loc["C04", "tipping_point"] == (
        "Faller om högst 7 av de 46 som inte besvarade frågan hade svarat negativt."
    )
    tipped = audit[audit["verdict"] == verdicts.RESPONDENTS]
    assert (tipped["tipping_point"].str.len() > 20).all()
    assert (audit.loc[audit["verdict"] != verdicts.RESPONDENTS, "tipping_point"] == "").all()


def test_change_bounds_of_the_strategic_increase_by_hand():
    # Issue 20: among all 290 the increase from 42 % (2022) to 61 % (2023) has a lower bound
    # between −2,4 and +1,7 percentage points. By hand: 2023 149 of 243 answered positively,
    # so at least 149/290; 2022 any n of the plausible band 232–250 and any k of n printed as
    # 42 %, so at most (k + 290 − n)/290.
    band = published.plausible_n(2022)
    assert (band.start, band.stop - 1) == (232, 250)
    lows = [
        100 * (149 / 290 - (k + 290 - n) / 290)
        for n in band
        for k in range(n + 1)
        if reconstruct.printed_percent(k, n) == 42
    ]
    ch = checks.claim_change("C51")
    assert ch.low == (pytest.approx(min(lows)), pytest.approx(max(lows)))
    assert (fmt.num(ch.low[0], 1), fmt.num(ch.low[1], 1, sign=True)) == ("−2,4", "+1,7")
    assert not frame.direction_holds(ch)
    # operative: 26 % → 50 %, the increase holds for all 290 in the whole band
    assert frame.direction_holds(checks.claim_change("C56"))


def test_change_tipping_point_by_hand():
    # 2022: 4 of 8 positive, 2 did not answer; 2023: 6 of 9, 1 did not answer; N = 10.
    # Among all 10 the increase fails iff x22 − x23 ≥ 6 − 4 = 2, i.e. both 2022 non-respondents
    # positive and the 2023 one not: possible, and then the lower bound is exactly 0.
    first = frame.Share((), _level(8, 4, 10, 2022), "high")
    last = frame.Share((), _level(9, 6, 10, 2023), "high")
    ch = frame.change(first, last)
    assert ch.direction == "ökning"
    assert ch.low == (pytest.approx(0.0), pytest.approx(0.0))
    assert not frame.direction_holds(ch)
    assert frame.change_tipping(first, last, ch) == (
        "Ökningen faller bland alla 10 bara om minst 2 fler av dem som inte besvarade frågan "
        "2022 än av dem som inte besvarade den 2023 hade svarat positivt."
    )
    # with 7 of 9 positive in 2023 the gap is 3, more than the two 2022 non-respondents
    last = frame.Share((), _level(9, 7, 10, 2023), "high")
    ch = frame.change(first, last)
    assert frame.direction_holds(ch)
    assert frame.change_tipping(first, last, ch).startswith("Ökningen gäller alla 10")


def test_claims_of_change_get_bounds(audit):
    # Issue 20: C21, C51 and C56 (and every other claimed change of a national share).
    for cid in ("C21", "C51", "C56", "C22", "C53"):
        assert audit.loc[cid, "verdict"] == verdicts.RESPONDENTS, cid
        assert "förändringens" in audit.loc[cid, "recomputed"], cid
    assert "nedre gräns −2,4 till +1,7" in audit.loc["C51", "recomputed"]
    assert "så ökningen gäller alla 290" in audit.loc["C56", "explanation"]
    assert "så ökningen är inte säker bland alla 290" in audit.loc["C51", "explanation"]
    for cid in ("C44", "C45"):  # direction only
        assert audit.loc[cid, "verdict"] == verdicts.RESPONDENTS, cid
        assert "inte säker bland alla 290" in audit.loc[cid, "explanation"], cid


def test_count_list_names_only_verdicts_that_occur():
    counts = {verdicts.OK: 3, verdicts.ROUNDING: 0, verdicts.SPLIT: 1, verdicts.CAUSAL: 2}
    assert verdicts.count_list(counts, skip=[verdicts.CAUSAL]) == [
        "3 stämmer med rapportens tabeller och figurer",
        verdicts.split_phrase(1),
    ]
