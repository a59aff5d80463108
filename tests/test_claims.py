"""The claims register and its audit: completeness, key verdicts, staleness, interpreter."""

import re

import pandas as pd
import pytest

from kommunenkat import claims, data, derive, fmt, paths
from kommunenkat.labels import REGIONS

N_TRANSCRIBED = 71  # numeric statements transcribed from the report's prose


@pytest.fixture(scope="module")
def audit() -> pd.DataFrame:
    return claims.audit().set_index("id")


# --------------------------------------------------------------------------- the register
def test_register_is_complete_and_well_formed():
    reg = claims.register()
    assert len(reg) >= N_TRANSCRIBED
    assert reg["id"].is_unique
    assert all(re.fullmatch(r"C\d{2,3}", i) for i in reg["id"])
    for _, row in reg.iterrows():
        spec = claims.parse_check(row["check"], row["id"])
        if spec.kind != "none":
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
    assert list(audit.reset_index().columns) == claims.COLUMNS
    assert set(audit["verdict"]) <= set(claims.VERDICTS)
    assert audit["explanation"].str.len().min() > 20
    s = claims.summary()
    assert list(s["verdict"]) == list(claims.VERDICTS)
    assert s["count"].sum() == len(audit)


# --------------------------------------------------------------------------- verdicts that hold
def _ranking(pairs):
    return "; ".join(f"{r} {fmt.pct(v)}" for r, v in pairs)


def test_employer_summary_names_the_wrong_table(audit):
    row = audit.loc["C11"]
    assert row["verdict"] == claims.WRONG
    assert row["recomputed"] == _ranking(
        [("Kronoberg", 71), ("Östergötland", 63), ("Jämtland", 60)]
    )
    assert "figur 12" in row["explanation"]
    assert "Halland 83" in row["explanation"] and "Kalmar 82" in row["explanation"]


def test_operative_low_ranking_is_a_rounding_difference(audit):
    row = audit.loc["C59"]
    assert row["verdict"] == claims.ROUNDING
    assert row["recomputed"] == _ranking(
        [("Kronoberg", 86), ("Östergötland", 75), ("Värmland", 73), ("Dalarna", 67)]
    )
    assert "40 + mycket låg 33" in row["explanation"] and "72" in row["explanation"]


def test_registration_help_88_contradicts_91(audit):
    summary, chapter = audit.loc["C14"], audit.loc["C38"]
    assert (summary["claimed"], summary["recomputed"]) == ("88", fmt.pct(91))
    assert summary["verdict"] == claims.WRONG
    assert chapter["verdict"] == claims.UNCHECKABLE
    assert fmt.pct(88) in chapter["explanation"]


def test_six_to_eight_versus_five_to_eight(audit):
    assert audit.loc["C13", "verdict"] == claims.UNCHECKABLE
    assert audit.loc["C13", "recomputed"] == "högst " + fmt.pct(85)
    assert audit.loc["C42", "verdict"] == claims.UNCHECKABLE


def test_social_assistance_ranges_disagree(audit):
    for cid, other in (("C32", "11–13"), ("C70", "11–12")):
        assert audit.loc[cid, "verdict"] == claims.UNCHECKABLE
        assert other in audit.loc[cid, "explanation"]
        assert "inte konsekvent" in audit.loc[cid, "explanation"]


def test_work_training_sum(audit):
    row = audit.loc["C67"]
    assert row["verdict"] == claims.OK
    assert row["recomputed"] == f"{fmt.num(2200)} + {fmt.num(3500)} = {fmt.num(5700)}"


@pytest.mark.parametrize(
    "cid,verdict,recomputed",
    [
        ("C01", claims.OK, "244 av 290"),
        ("C02", claims.OK, fmt.pct(84.1, 1)),
        ("C05", claims.OK, fmt.pct(19)),
        ("C07", claims.OK, "Södermanland; Östergötland; Kronoberg; Blekinge; Halland"),
        ("C20", claims.OK, fmt.pct(39)),
        ("C43", claims.OK, fmt.pct(19)),
        ("C53", claims.OK, f"{fmt.pct(29)}; {fmt.pct(19)}"),
        ("C57", claims.OK, fmt.pct(38)),
        (
            "C58",
            claims.OK,
            _ranking([("Gävleborg", 89), ("Skåne", 86), ("Blekinge", 80), ("Örebro", 80)]),
        ),
        ("C03", claims.UNCHECKABLE, "280 kommuner"),
        ("C52", claims.UNCHECKABLE, "–"),
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
    assert path.read_text(encoding="utf-8") == derive.render(claims.audit()), (
        "data/derived/claims_audit.csv is stale; run `make derive`"
    )
    assert claims.DERIVED["claims_audit.csv"] is claims.audit


# --------------------------------------------------------------------------- the interpreter
@pytest.mark.parametrize(
    "text,value,verdict",
    [
        ("knappt 1 av 5", 19, claims.OK),
        ("nästan 30", 29, claims.OK),
        ("nästan 30", 30, claims.ROUNDING),
        ("nästan 30", 20, claims.WRONG),
        ("4 av 10", 39, claims.OK),
        ("4 av 10", 46, claims.WRONG),
        ("över 50", 57, claims.OK),
        ("över 50", 50, claims.WRONG),
        ("72", 73, claims.ROUNDING),
        ("88", 91, claims.WRONG),
        ("84", 84.14, claims.OK),
        ("5 700–5 800", 5700, claims.OK),
        ("11–12", 13, claims.ROUNDING),
        ("omkring 10", 11, claims.OK),
    ],
)
def test_judge(text, value, verdict):
    assert claims.judge(claims.parse_item(text), value) == verdict


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
    ],
)
def test_malformed_spec_names_the_claim(spec):
    with pytest.raises(ValueError, match=r"claim C99: malformed check"):
        claims.parse_check(spec, "C99")


def _row(fig, q, region, cat, pct, year=2023, source="Tabellbilaga"):
    return {
        "figure": fig,
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
        ("top fig=14 cat=low k=2", "Kronoberg; Östergötland", claims.OK),
        ("top fig=14 cat=low k=2", "Kronoberg; Värmland", claims.OK),  # tie at second place
        ("top fig=14 cat=low k=2", "Kronoberg; Dalarna", claims.WRONG),
        ("top fig=14 cat=low k=2", "Östergötland; Kronoberg", claims.WRONG),  # order
        ("top fig=14 cat=low k=3", "Kronoberg 80; Östergötland 69; Värmland 70", claims.ROUNDING),
        ("top fig=14 cat=low k=3", "Kronoberg 80; Östergötland 67; Värmland 70", claims.WRONG),
        ("zero fig=14 cat=low", "2; Gävleborg; Skåne", claims.OK),
        ("zero fig=14 cat=low", "3; Gävleborg; Skåne", claims.WRONG),
        ("zero fig=14 cat=low", "Gävleborg", claims.WRONG),
        ("value fig=14 cat=low", "nästan 4 av 10; 38", claims.OK),
        ("value fig=14 cat=low op=complement", "62", claims.OK),
        ("value fig=2 cat=help_register", "91", claims.UNCHECKABLE),
        ("value fig=2 cat=help_register", "88", claims.WRONG),
        ("upper fig=2 cat=help_register", "över 50", claims.UNCHECKABLE),
        ("upper fig=2 cat=help_register", "över 95", claims.WRONG),
        ("fact a vs=b", "11–12", claims.UNCHECKABLE),
        ("share num=respondents den=counties", "10 av 12", claims.OK),
        ("share num=respondents den=counties", "83", claims.OK),
        ("share num=respondents den=counties", "80", claims.WRONG),
        ("sum a+b=a", "22–24", claims.OK),
        ("none", "", claims.UNCHECKABLE),
    ],
)
def test_interpreter_on_synthetic_data(synthetic, check, claimed, verdict):
    res = claims.evaluate(_claim(check, claimed, note="Ingen data."))
    assert res.verdict == verdict, res.explanation
    assert res.explanation.endswith(".")


def test_interpreter_explains_rankings_and_conflicts(synthetic):
    res = claims.evaluate(_claim("top fig=14 cat=low k=2", "Kronoberg; Dalarna"))
    assert res.recomputed == _ranking([("Kronoberg", 80), ("Östergötland", 70), ("Värmland", 70)])
    assert "delad" in res.explanation and "Dalarna 50" in res.explanation
    res = claims.evaluate(_claim("value fig=2 cat=help_register", "91"))
    assert "sammanfattningen anger " + fmt.pct(88) in res.explanation
    res = claims.evaluate(_claim("fact a vs=b", "11–12"))
    assert "11–13" in res.explanation and "inte konsekvent" in res.explanation


@pytest.mark.parametrize(
    "check,claimed",
    [
        ("value fig=14 cat=low year=2019", "38"),  # nothing published
        ("top fig=14 cat=low k=2", "Kronoberg"),  # too few regions
        ("fact a", "11–13"),  # differs from the recorded fact
        ("fact nosuchfact", "1"),
        ("none", ""),  # no note
        ("value fig=14 cat=low", "trettioåtta"),
    ],
)
def test_interpreter_errors_name_the_claim(synthetic, check, claimed):
    with pytest.raises(ValueError, match="C99"):
        claims.evaluate(_claim(check, claimed))


def test_audit_uses_the_register(synthetic, monkeypatch):
    reg = pd.DataFrame(
        [
            _claim("top fig=14 cat=low k=2", "Kronoberg; Dalarna"),
            _claim("value fig=14 cat=low", "38"),
        ]
    )
    reg["id"] = ["C01", "C02"]
    monkeypatch.setattr(claims, "register", lambda: reg)
    out = claims.audit()
    assert list(out.columns) == claims.COLUMNS
    assert list(out["verdict"]) == [claims.WRONG, claims.OK]
    assert claims.summary(out)["count"].tolist() == [1, 0, 1, 0]
