"""The claims register and its audit: completeness, key verdicts, staleness, interpreter,
the GRIM-type possibility check and the scan of the whole report text."""

import re

import pandas as pd
import pytest

from kommunenkat.audit import checks, claims, published, scan, verdicts
from kommunenkat.core import fmt, paths
from kommunenkat.core.labels import REGIONS
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


QUANTITY_WORDS = ("av tio", "av fem", "majoritet", "halva", "hälften")


def test_word_quantified_claims_about_the_country_get_the_manski_check():
    # A share in words about "kommuner" speaks of the country's municipalities, not only of
    # those who answered: every such claim with a numeric check must carry frame=all.
    reg = claims.register()
    for _, row in reg.iterrows():
        quote = row["quote"].lower()
        if not any(w in quote for w in QUANTITY_WORDS) or "kommun" not in quote:
            continue
        c = claims.parse_check(row["check"], row["id"])
        if c.kind == "value" and c.args.get("region", "Riket") == "Riket":
            assert c.args.get("frame") == "all", (row["id"], row["quote"])


def test_majority_of_all_municipalities_is_not_established():
    # C04: 138 of 244 respondents answered negatively (56.6 %), but among all 290 the share is
    # between 138/290 = 47.6 % (no non-respondent negative) and 184/290 = 63.4 %.
    b = published.manski_percent("far_from_labour_market", "low")
    assert (b["k"], b["n"], b["N"]) == (138, 244, 290)
    assert b["lower"] == pytest.approx(100 * 138 / 290)
    assert b["lower"] < 50 < b["upper"]


def test_frame_all_that_the_bounds_settle_stays_ok(monkeypatch):
    # A claim whose every value in the bounds satisfies it holds for all municipalities.
    monkeypatch.setattr(
        published,
        "manski_percent",
        lambda *a, **k: {"lower": 52.0, "upper": 60.0, "k": 1, "n": 2, "N": 3},
    )
    res = checks.evaluate(_claim("value fig=12 cat=low frame=all", "över 50"))
    assert res.verdict == verdicts.OK
    assert "stämmer i hela det intervallet" in res.explanation


@pytest.mark.parametrize(
    "spec,why",
    [
        ("value fig=12 cat=low frame=some", "unknown frame"),
        ("value fig=12 cat=low region=Uppsala frame=all", "frame=all needs"),
        ("value fig=3 cat=any_help frame=all", "frame=all needs"),
        ("value fig=12 cat=very_low frame=all", "frame=all needs"),
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


def test_employer_shares_past_100_percent_cannot_be_checked(audit):
    # Past 100 % only under one denominator, which the report does not state: not "omöjligt".
    row = audit.loc["C72"]
    assert row["verdict"] == verdicts.UNCHECKABLE
    assert "2021: 5 + 68 + 37 = " + fmt.pct(110) in row["recomputed"]
    assert "2020: 5 + 65 + 40 = " + fmt.pct(110) in row["recomputed"]
    assert "2023: 14 + 35 + 35 = " + fmt.pct(84) in row["recomputed"]
    assert fmt.pct(101.5, 1) in row["explanation"]
    # impossible only under one denominator, which the report does not give
    assert "samma nämnare" in row["explanation"] and "anger inte nämnaren" in row["explanation"]
    # the same data are also in the validation list; the audit must not depend on it
    known = pd.read_csv(paths.KNOWN_INCONSISTENCIES, dtype=str)
    assert {"10|2020", "10|2021"} <= set(known["key"])


def test_causal_sentences_are_audited(audit):
    reg = claims.register().set_index("id")
    causal = reg[reg["check"].str.startswith("causal")].index
    assert len(causal) >= 10
    assert (audit.loc[causal, "verdict"] == verdicts.CAUSAL).all()
    assert audit["verdict"].eq(verdicts.CAUSAL).sum() == len(causal)
    for cid in causal:
        assert "jämförelsegrupp" in audit.loc[cid, "explanation"], cid
    # the report's own "Det är ett resultat av …"
    hit = reg[reg["quote"].str.startswith("Det är ett resultat av")]
    assert len(hit) == 1
    row = audit.loc[hit.index[0]]
    assert row["recomputed"] == f"{fmt.pct(42)} → {fmt.pct(61)}"


def test_work_training_sum(audit):
    row = audit.loc["C67"]
    assert row["verdict"] == verdicts.OK
    assert row["recomputed"] == f"{fmt.num(2200)} + {fmt.num(3500)} = {fmt.num(5700)}"


@pytest.mark.parametrize(
    "cid,verdict,recomputed",
    [
        ("C01", verdicts.OK, "244 av 290"),
        ("C02", verdicts.OK, fmt.pct(84.1, 1)),
        ("C05", verdicts.OK, fmt.pct(19)),
        ("C07", verdicts.OK, "Södermanland; Östergötland; Kronoberg; Blekinge; Halland"),
        ("C20", verdicts.RESPONDENTS, f"{fmt.pct(39)} (alla 290: 32,4–{fmt.pct(48.6, 1)})"),
        ("C43", verdicts.RESPONDENTS, f"{fmt.pct(19)} (alla 290: 15,9–{fmt.pct(31.7, 1)})"),
        ("C53", verdicts.OK, f"{fmt.pct(29)}; {fmt.pct(19)}"),
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
        "parts fig=12 cat=high,low total=low",
        "parts fig=4 cat=fairly_low,very_low total=low",
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
        ("sum a+b=a", "22–24", verdicts.OK),
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
    assert verdicts.summary(out)["count"].tolist() == [1, 0, 0, 1, 0, 0, 0, 0]


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
            # impossible only under a denominator the report does not state (review 2, item 3)
            assert all(audit.loc[cid, "verdict"] == verdicts.UNCHECKABLE for cid in hits)
            assert all("samma nämnare" in audit.loc[cid, "explanation"] for cid in hits)
        elif row["check"] == "cross-figure":
            question, year, region, category = row["key"].split("|")
            key = (question, category, int(year), region)
            hits = [cid for cid, c in specs.items() if key in claims.value_keys(c)]
            assert len(hits) >= 2, row["key"]
            assert all(audit.loc[cid, "verdict"] == verdicts.SELF for cid in hits), hits
        else:
            pytest.fail(f"known inconsistency of kind {row['check']!r} has no audit rule")


def test_parts_that_do_not_add_up_are_rounding_when_counts_exist(audit):
    # Chapter: 24 % + 32 % = 56 %; summary and table: 57 % negative. 59 + 79 = 138 of 244
    # municipalities print as 24, 32 and 57 %: one set of counts gives all three numbers.
    row = audit.loc["C84"]
    assert row["verdict"] == verdicts.ROUNDING
    assert row["recomputed"] == f"24 + 32 = {fmt.pct(56)}; tryckt summa {fmt.pct(57)}"
    assert f"138 av 244 = {fmt.pct(100 * 138 / 244, 1)}" in row["explanation"]


@pytest.mark.parametrize("total,verdict", [(25, verdicts.ROUNDING), (30, verdicts.IMPOSSIBLE)])
def test_parts_interpreter(synthetic, monkeypatch, total, verdict):
    # 1 of 8 = 12,5 % is printed 13; two such parts (2 of 8) make 25 %, never 30 %.
    rows = [
        _row(14, "operative_collab", "Riket", c, p)
        for c, p in (("fairly_low", 13), ("very_low", 13), ("low", total))
    ]
    monkeypatch.setattr(data, "report_figures", lambda: pd.DataFrame(rows))
    monkeypatch.setattr(published, "n_for", lambda *args: 8)
    res = checks.evaluate(
        _claim("parts fig=14 cat=fairly_low,very_low total=low", f"13; 13; {total}")
    )
    assert res.verdict == verdict, res.explanation


def test_parts_that_do_not_add_up_need_a_known_n(synthetic, monkeypatch):
    # Without the number of answers no count can be tried: an error naming the claim.
    rows = [
        _row(14, "operative_collab", "Riket", c, p)
        for c, p in (("fairly_low", 13), ("very_low", 13), ("low", 30))
    ]
    monkeypatch.setattr(data, "report_figures", lambda: pd.DataFrame(rows))
    with pytest.raises(ValueError, match="C99.*unknown"):
        checks.evaluate(_claim("parts fig=14 cat=fairly_low,very_low total=low", "13; 13; 30"))


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
    ],
)
def test_count_phrases_agree_in_number(func, n, expected):
    assert func(n) == expected
