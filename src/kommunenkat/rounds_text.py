"""Years, periods and round facts as Swedish text for the prose (glue), computed from
``data/rounds.csv``: no page types a year that changes with the next survey round.

Every page that mentions rounds calls :func:`glue_rounds` once in a hidden code cell and writes
``{glue:text}`round-latest``` and so on. The keys (in brackets: the 2023 edition's text):

- ``round-latest``: the latest round, the one the book reports on (2023);
- ``round-previous``: the previous round on the same answer scale (2022);
- ``round-first``: the first round in the series (2019);
- ``period-series``: first to latest round (2019–2023);
- ``period-change``: previous comparable to latest round (2022–2023);
- ``round-new-scale``: the first round on the latest round's answer scale (2022);
- ``round-old-scale-last``: the last round on the earlier scale (2021);
- ``period-old-scale``: first to last round on the earlier scale (2019–2021);
- ``respondents-latest``: responding municipalities in the latest round (244);
- ``municipalities``: municipalities asked in the latest round (290);
- ``response-rate-latest``: the latest round's published response rate (84 %);
- ``report-latest``: the short title of the latest round's report (Kommunenkät 2023);
- ``report-latest-date``: month and year the latest report was published (december 2023);
- ``survey-latest``: the survey of the latest round as figure source lines name it
  (Kommunenkät 2023; :func:`kommunenkat.figures.source_latest`);
- ``round-before-previous``: 'Året innan' when the previous comparable round is the year before
  the latest, else 'År 2021' (:func:`kommunenkat.wording.round_before_phrase`);
  ``round-before-previous-lower`` the same in lower case ('året innan');
- ``round-rate-before-previous``: the nearest round before the previous comparable one with a
  known response rate (2021: SKR's 82 %), from which the previous round's unpublished number of
  respondents is assumed (:func:`kommunenkat.analysis.rate_before`).

Keys whose round does not exist (no earlier scale, unpublished respondents) are left out, so a
page that uses them fails its build naming the key instead of printing a wrong year.
"""

from __future__ import annotations

import pandas as pd

from . import data, fmt, wording

MONTHS = (
    "januari februari mars april maj juni juli augusti september oktober november december"
).split()


def period(first: int, last: int) -> str:
    """``first–last`` with an en dash (Swedish typography); one year alone if they are equal."""
    return str(first) if first == last else f"{first}–{last}"


def report_short_title(year: int | None = None) -> str:
    """The report's title up to its subtitle (the part before " – ")."""
    r = data.rounds().loc[data.latest_round() if year is None else year]
    title = r["report"]
    if pd.isna(title):
        raise ValueError(f"rounds.csv: the round {year} has no report title")
    return str(title).split(" – ")[0].strip()


def month_year(date: str) -> str:
    """``2023-12-14`` -> ``december 2023``."""
    y, m, _ = str(date).split("-")
    return f"{MONTHS[int(m) - 1]} {y}"


def round_texts() -> dict[str, str]:
    """The keys above and their text for the data as they are now."""
    years = data.round_years()
    latest = data.latest_round()
    previous = data.previous_comparable_round()
    same_scale = [*data.comparable_rounds(latest), latest]
    older = [y for y in years if y < same_scale[0]]
    r = data.rounds().loc[latest]
    texts = {
        "round-latest": str(latest),
        "round-first": str(years[0]),
        "period-series": period(years[0], latest),
        "round-new-scale": str(same_scale[0]),
        "municipalities": fmt.num(data.municipalities(latest)),
        "report-latest": report_short_title(latest),
        "report-latest-date": month_year(r["published"]),
    }
    if previous is not None:
        texts["round-previous"] = str(previous)
        texts["period-change"] = period(previous, latest)
    if older:
        texts["round-old-scale-last"] = str(older[-1])
        texts["period-old-scale"] = period(older[0], older[-1])
    n = data.respondents(latest)
    if n is not None:
        texts["respondents-latest"] = fmt.num(n)
    if not pd.isna(r["response_percent"]):
        texts["response-rate-latest"] = fmt.pct(float(r["response_percent"]))
    texts["survey-latest"] = f"Kommunenkät {latest}"
    if previous is not None:
        texts["round-before-previous"] = wording.round_before_phrase(previous, latest)
        texts["round-before-previous-lower"] = wording.round_before_phrase(
            previous, latest, capital=False
        )
        known = r_all = data.rounds()
        known = r_all[
            (r_all.index < previous)
            & r_all[["respondents", "response_percent", "outside_response_percent"]]
            .notna()
            .any(axis=1)
        ]
        if len(known):
            texts["round-rate-before-previous"] = str(int(known.index[-1]))
    return texts


def glue_rounds() -> dict[str, str]:
    """Glue every key of :func:`round_texts` on the page that calls it; returns them."""
    from .publish import glue_many

    texts = round_texts()
    glue_many(texts)
    return texts
