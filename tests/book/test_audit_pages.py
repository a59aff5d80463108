"""What readers see of the claims audit and the reading guide in the built book (content review
items 2–4, 6, 7, 10–12, 15, 16, 18): counts that follow the audit, wording the survey supports,
and the terms the tables use explained in the reading guide.

These tests read the built HTML (``make test`` builds it first) and compare it with values
computed here from the data, not typed.
"""

from __future__ import annotations

import re

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from kommunenkat.audit import checks, verdicts
from kommunenkat.core import fmt, paths
from kommunenkat.core.labels import SCALE
from kommunenkat.inference import analysis
from kommunenkat.inputs import data

SITE = paths.BUILD / "html"
built = pytest.mark.built("html/book/lasanvisning.html")


def text(rel: str) -> str:
    html = (SITE / rel).read_text(encoding="utf-8")
    article = BeautifulSoup(html, "html.parser").select_one("article") or BeautifulSoup(
        html, "html.parser"
    )
    return " ".join(article.get_text(" ").split())


def _nb(s: str) -> str:
    """Text with non-breaking spaces as ordinary spaces (the built pages use both)."""
    return s.replace("\u00a0", " ").replace("\u202f", " ")


@pytest.fixture(scope="module")
def audit():
    return checks.audit().set_index("id")


@built
def test_front_page_counts_follow_the_audit(audit):
    page = _nb(text("book/index.html"))
    counts = audit["verdict"].value_counts()
    bullet = re.search(r"Rapportens siffror\.(.*?)Orsaker\.", page).group(1)
    assert verdicts.self_phrase(int(counts.get(verdicts.SELF, 0))) in bullet
    assert "fall motsäger rapporten sig själv" not in bullet  # one contradiction is two claims
    assert f"{counts.get(verdicts.RESPONDENTS, 0)} stämmer för de svarande kommunerna" in bullet
    assert verdicts.impossible_phrase(int(counts.get(verdicts.IMPOSSIBLE, 0))) in bullet


@built
def test_front_page_shows_the_registration_conflict():
    # The headline rise in help with registering (figure 2's text) must show the summary's
    # other value for the same share (figure 1), not pick one.
    figs = data.report_figures().query("category == 'help_register' and region == 'Riket'")
    latest = figs[figs["year"] == figs["year"].max()]
    assert latest["percent"].nunique() == 2
    page = _nb(text("book/index.html"))
    service = re.search(r"Enklare service(.*?)Fördjupat stöd", page).group(1)
    for v in latest["percent"]:
        assert _nb(fmt.pct(v)) in service, v
    assert "motsäger" in service


@built
def test_front_page_says_what_the_questions_ask():
    page = _nb(text("book/index.html"))
    assert "tillräcklig hjälp" not in page  # the question asks about helping into employment
    assert "Frågan ställdes inte" not in page  # an inference, not a fact of the report
    assert "Samverkan har blivit bättre" not in page  # the questions ask about resources
    assert "Rapporten har inget värde för" in page
    assert "resurser räcker för samverkan" in page
    # the intervals are about the process, not about all municipalities
    assert "inte gränser för alla landets kommuner" in page


@built
def test_reading_guide_does_not_equate_interval_and_test():
    page = _nb(text("book/lasanvisning.html"))
    assert "vilket är samma sak" not in page
    assert "Det är p-värdet som avgör" in page
    # The equivalence is false for the book's own methods: a change that the test calls
    # significant whose Newcombe interval still reaches zero exists in the sensitivity table.
    sens = pd.read_csv(paths.ROOT / "data" / "derived" / "changes_sensitivity.csv")
    disagree = sens[sens["significant"] & (sens["ci_low_min"] <= 0) & (sens["ci_high_max"] >= 0)]
    assert len(disagree) > 0


@built
def test_reading_guide_explains_both_kinds_of_interval():
    page = _nb(text("book/lasanvisning.html"))
    assert "Två sorters intervall" in page
    m = analysis.manski().query(
        "question == 'far_from_labour_market' and category == 'high' and region == 'Riket'"
    )
    r = m.iloc[0]
    assert _nb(fmt.interval(r["lower"], r["upper"])) in page


@built
def test_reading_guide_row_sums_are_the_data_range():
    d = data.report_figures().query("category in @SCALE")
    rows = d.groupby(["figure", "edition", "year", "region"]).agg(
        total=("percent", "sum"), options=("category", "nunique")
    )
    rows = rows[rows["options"] == len(SCALE)]
    lo, hi = int(rows["total"].min()), int(rows["total"].max())
    assert hi > 101  # some rows sum to more than "99 eller 101"
    page = _nb(text("book/lasanvisning.html"))
    assert f"mellan {lo} och {hi} procent" in page


@built
def test_table_headings_are_in_the_symbol_key():
    """Every column heading of the chapters' tables that the review found unexplained is used in
    the built book and has a row in the reading guide's symbol key."""
    headings = [
        "Hög, samtidigt 95 % KI",
        "Rangintervall",
        "Tas tillbaka",
        "Tratten",
        "Balans, pe",
        "Medel 1–5",
        "Sammanvägd",
    ]
    guide = BeautifulSoup(
        (SITE / "book" / "lasanvisning.html").read_text(encoding="utf-8"), "html.parser"
    )
    key = {
        _nb(row.select("td")[0].get_text(" ", strip=True))
        for row in guide.select("section#teckenforklaring tbody tr")
    }
    chapters = " ".join(
        _nb(text(f"notebooks/{p.stem}.html")) for p in sorted(paths.ROOT.glob("notebooks/0*.md"))
    )
    previous = str(data.previous_comparable_round())
    for h in [*headings, f"Minsta n {previous}"]:
        assert _nb(h) in chapters, h
        assert _nb(h) in key, h
    assert any("Tre betydelser" in _nb(row.get_text(" ")) for row in guide.select("tbody tr"))


@built
def test_figure_10_names_every_impossible_year_and_the_denominator():
    series = data.national_series("employer_support")
    wide = series.pivot_table(index="year", columns="category", values="percent")
    sums = wide[["high", "low", "dont_know"]].dropna().sum(axis=1)
    bad = [int(y) for y, v in sums.items() if v > 101.5]
    assert len(bad) >= 2
    chapter = _nb(text("notebooks/04_employer_support.html"))
    guide = _nb(text("book/lasanvisning.html"))
    for y in bad:
        assert f"{y} (" in chapter, y
        assert str(y) in re.search(r"Figur 10 (.*?) Figur 11", guide).group(1)
    assert "samma antal svarande" in chapter and "nämnaren" in chapter
    assert "samma nämnare" in guide


@built
def test_proposals_show_both_social_assistance_ranges():
    facts = data.report_facts()
    page = _nb(text("notebooks/05_proposals.html"))
    for name in (
        "registered_with_social_assistance_share",
        "registered_with_social_assistance_share_alt",
    ):
        lo, hi = facts.loc[name, ["value_low", "value_high"]]
        assert f"{fmt.num(lo)}–{fmt.num(hi)} procent" in page, name


@built
def test_audit_chapter_shows_the_respondents_verdict_and_adds_up(audit):
    page = _nb(text("notebooks/06_claims_audit.html"))
    assert "Kommunerna eller de svarande" in page
    for cid in audit.index[audit["verdict"] == verdicts.RESPONDENTS]:
        assert _nb(audit.loc[cid, "recomputed"]) in page, cid
    # the three groups of scanned sentences add up to the total
    m = re.search(
        r"(\d+) meningar innehåller siffror, ytterligare (\d+) bara mängdord och ytterligare "
        r"(\d+) bara orsaksord – sammanlagt (\d+) meningar",
        page,
    )
    assert m, "scan sentence not found"
    a, b, c, total = (int(x) for x in m.groups())
    assert a + b + c == total


@built
def test_reading_guide_figure_10_sums_read_as_swedish():
    # Equal sums are written once ("var för sig till 110 %"), never "110 % respektive 110 %".
    page = _nb(text("book/lasanvisning.html"))
    s = (
        data.national_series("employer_support")
        .pivot_table(index="year", columns="category", values="percent")[
            ["high", "low", "dont_know"]
        ]
        .dropna()
        .sum(axis=1)
    )
    bad = s[s > 101.5]
    assert len(bad) == 2 and bad.nunique() == 1  # 2020 and 2021: 110 % each
    assert _nb(f"summerar var för sig till {fmt.pct(bad.iloc[0])}") in page
    assert " respektive ".join([_nb(fmt.pct(bad.iloc[0]))] * 2) not in page
