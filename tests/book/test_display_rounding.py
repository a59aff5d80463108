"""Displayed county shares round as the report does: exact halves up (review item 5).

The report prints 1 of 8 as 13 % and 1 of 40 as 3 %. Python's own formatting rounds halves to
even (12 % and 2 %), which made one county show two different numbers in one chapter. These
tests compare the tables the reader gets, first as the functions that build them and then in
the built HTML, with the report's printed values (data/report_figures.csv) and with each other.
"""

from __future__ import annotations

import pandas as pd
import pytest
from bs4 import BeautifulSoup

from kommunenkat.core import paths
from kommunenkat.core.labels import REGION_NATIONAL, SCALE_QUESTIONS
from kommunenkat.inference import ordinal
from kommunenkat.text import chapter, county_texts

SITE = paths.BUILD / "html"
built = pytest.mark.built("html/book/index.html")

# Each question's chapter page and the prefix of its table names (notebooks/NN_*.md).
PAGES = {
    "far_from_labour_market": ("notebooks/02_in_depth_support.html", "fordjupat"),
    "strategic_collab": ("notebooks/03_collaboration.html", "strategisk"),
    "operative_collab": ("notebooks/03_collaboration.html", "operativ"),
    "employer_support": ("notebooks/04_employer_support.html", "arbetsgivare"),
}
# The distribution table's column for each answer category (as county_texts labels them).
COLUMNS = {
    c: county_texts.CATEGORIES[c].replace("I ", "").replace(" utsträckning", "")
    for c in [*reversed(ordinal.ORDER), "dont_know"]
}


def printed_county_figure(question: str) -> pd.DataFrame:
    """The report's printed county distribution (region × category, whole per cent)."""
    rf = pd.read_csv(paths.DATA / "report_figures.csv")
    figure = SCALE_QUESTIONS[question]["county"]
    rows = rf[(rf["figure"] == figure) & (rf["status"] == "as_printed")]
    rows = rows[rows["category"].isin(COLUMNS)]
    return rows.pivot(index="region", columns="category", values="percent").astype(int)


def _plain(text: str) -> str:
    return " ".join(text.replace("\u00a0", " ").replace("\u202f", " ").split())


def html_table(page: str, table_id: str) -> pd.DataFrame:
    """A table of the built site as text cells, indexed by its first column."""
    soup = BeautifulSoup((SITE / page).read_text(encoding="utf-8"), "html.parser")
    table = soup.find("table", id=table_id)
    assert table is not None, f"{page} has no table {table_id}"
    head = [_plain(th.get_text()) for th in table.find("thead").find_all("th")]
    body = [
        [_plain(td.get_text()) for td in tr.find_all("td")]
        for tr in table.find("tbody").find_all("tr")
    ]
    return pd.DataFrame(body, columns=head).set_index(head[0])


@pytest.mark.parametrize("question", SCALE_QUESTIONS)
def test_distribution_table_rows_are_the_printed_values(question):
    shown = county_texts.distribution_table(question)
    printed = printed_county_figure(question)
    assert len(printed) == 21  # 20 counties and Riket, six categories each
    for region, row in printed.iterrows():
        for cat, percent in row.items():
            assert shown.loc[region, COLUMNS[cat]] == str(percent), (question, region, cat)


def test_uppsala_and_vastra_gotaland_in_figure_12():
    """The review's examples: Uppsala 1, 5, 1 and 1 of 8, Västra Götaland 1 of 40."""
    shown = county_texts.distribution_table("far_from_labour_market")
    assert shown.loc["Uppsala", list(COLUMNS.values())].tolist() == [
        "0",
        "13",
        "0",
        "63",
        "13",
        "13",
    ]
    assert shown.loc["Västra Götaland", COLUMNS["very_high"]] == "3"
    # Balance 12,5 − 75 = −62,5 points: the magnitude rounds up, as 62,5 % does.
    assert shown.loc["Uppsala", "Balans, pe"] == "\u221263"
    collab = county_texts.distribution_table("strategic_collab")
    assert collab.loc["Uppsala", "Balans, pe"] == "+13"  # the report's 38 − 25


@pytest.mark.parametrize("question", SCALE_QUESTIONS)
def test_county_share_is_the_same_in_the_county_and_shrinkage_tables(question):
    county = chapter.county_table(question)  # the report's printed share
    shrink = county_texts.shrinkage_table(question)  # the book's own k/n
    regions = shrink.index.drop(REGION_NATIONAL, errors="ignore")
    assert len(regions) == 20
    for region in regions:
        assert county.loc[region, "Hög, %"] == shrink.loc[region, "Rå andel"], (question, region)


@built
@pytest.mark.parametrize("question", SCALE_QUESTIONS)
def test_built_tables_agree_on_each_county_share(question):
    page, prefix = PAGES[question]
    county = html_table(page, f"tbl-{prefix}-lan")
    shrink = html_table(page, f"tbl-{prefix}-krympt")
    assert len(shrink) == 20
    for region in shrink.index:
        assert county.loc[region, "Hög, %"] == shrink.loc[region, "Rå andel"], (page, region)
    if question == "far_from_labour_market":  # the review's Tabell 3.4 and 3.7
        assert county.loc["Uppsala", "Hög, %"] == shrink.loc["Uppsala", "Rå andel"] == "13 %"


@built
@pytest.mark.parametrize("question", SCALE_QUESTIONS)
def test_built_distribution_tables_show_the_printed_values(question):
    page, prefix = PAGES[question]
    shown = html_table(page, f"tbl-{prefix}-divergerande")
    printed = printed_county_figure(question)
    for region, row in printed.iterrows():
        for cat, percent in row.items():
            assert shown.loc[region, COLUMNS[cat]] == str(percent), (page, region, cat)


@built
def test_built_response_rates_round_halves_up():
    """Tabell B.1: every county's rate is its respondents/municipalities rounded half up
    (Jämtland 5 of 8 = 62,5 % → 63 %), computed here with integers only."""
    shown = html_table("notebooks/07_county_appendix.html", "tbl-lan-svar")
    seen = 0
    for region, row in shown.iterrows():
        k, n = int(row["Svarande"]), int(row["Kommuner"])
        assert row["Svarsfrekvens"] == f"{(200 * k + n) // (2 * n)} %", region
        seen += (200 * k) % (2 * n) == n  # an exact half
    assert seen >= 1  # the table holds at least one exact half (Jämtland)
    assert shown.loc["Jämtland", "Svarsfrekvens"] == "63 %"
