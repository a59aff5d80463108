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
  (Kommunenkät 2023; :func:`kommunenkat.graphics.style.source_latest`);
- ``round-before-previous``: 'Året innan' when the previous comparable round is the year before
  the latest, else 'År 2021' (:func:`kommunenkat.text.wording.round_before_phrase`);
  ``round-before-previous-lower`` the same in lower case ('året innan');
- ``round-rate-before-previous``: the nearest round before the previous comparable one with a
  known response rate (2021: SKR's 82 %), from which the previous round's unpublished number of
  respondents is assumed (:func:`kommunenkat.inference.analysis.rate_before`).

Keys whose round does not exist (no earlier scale, unpublished respondents) are left out, so a
page that uses them fails its build naming the key instead of printing a wrong year.
"""

from __future__ import annotations

import pandas as pd

from kommunenkat.core import fmt
from kommunenkat.inference import earlier_rounds
from kommunenkat.inputs import data
from kommunenkat.text import wording
from kommunenkat.text.frames import row

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
    r = row(data.rounds(), latest)
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
    texts.update(method_texts())
    return texts


def glue_rounds() -> dict[str, str]:
    """Glue every key of :func:`round_texts` on the page that calls it; returns them."""
    from kommunenkat.text.publish import glue_many

    texts = round_texts()
    glue_many(texts)
    return texts


# --------------------------------------------------------------------------- appended keys
# Keys for the method pages (issue 14), appended after the ones above:
# - ``change-latest``: the headline change as an arrow (2022→2023);
# - ``round-first-respondents``: the first round whose report published its respondents (2023);
# - ``round-outside-rate``/``outside-response-rate``: the last round whose response rate is known
#   only from outside the reports, and that rate (2021, 82);
# - ``round-unknown-n``/``period-unknown-n``: the latest earlier round on the latest round's scale
#   whose respondents are unpublished, so that a change test must assume them, and the period
#   from it to the latest round (2022, 2022–2023).


def method_texts() -> dict[str, str]:
    """The appended keys above for the data as they are now (missing rounds: key left out)."""
    r = data.rounds()
    latest = data.latest_round()
    previous = data.previous_comparable_round()
    texts: dict[str, str] = {}
    if previous is not None:
        texts["change-latest"] = f"{previous}→{latest}"
    first_n = data.first_published_respondents()
    if first_n is not None:
        texts["round-first-respondents"] = str(first_n)
    outside = r["outside_response_percent"].dropna()
    if len(outside):
        texts["round-outside-rate"] = str(int(outside.index[-1]))
        texts["outside-response-rate"] = fmt.num(float(outside.iloc[-1]))
    unknown = [y for y in data.comparable_rounds(latest) if not earlier_rounds.n_known(y)]
    if unknown:
        texts["round-unknown-n"] = str(unknown[-1])
        texts["period-unknown-n"] = period(unknown[-1], latest)
    return texts


def question_rounds(question: str) -> list[int]:
    """Rounds with a printed national value (any category) of ``question``, oldest first."""
    from kommunenkat.core.labels import REGION_NATIONAL

    d = data.report_figures()
    d = d[(d["question"] == question) & (d["region"] == REGION_NATIONAL)]
    return sorted(int(y) for y in d["year"].unique())


def question_texts(question: str, prefix: str) -> dict[str, str]:
    """Which rounds asked ``question`` and whether a change to the latest round can be tested.

    ``{prefix}-missing``: rounds on the latest round's scale without a value (2022 for the
    support to employers); ``{prefix}-old-last``/``{prefix}-new-first``: the last round with a
    value on an earlier scale and the first on the latest scale (2021, 2023), the two the
    chapter shows side by side; ``{prefix}-change-note``: a sentence saying whether a change can
    be tested (the report prints no value for an earlier round on the same scale) or which
    rounds can.
    """
    asked = question_rounds(question)
    latest = data.latest_round()
    same = [*data.comparable_rounds(latest), latest]
    missing = [y for y in same if y not in asked]
    earlier = [y for y in data.comparable_rounds(latest) if y in asked]
    old = [y for y in asked if y < same[0]]
    new = [y for y in asked if y in same]
    texts: dict[str, str] = {}
    if missing:
        texts[f"{prefix}-missing"] = fmt.swedish_list([str(y) for y in missing])
    if old:
        texts[f"{prefix}-old-last"] = str(old[-1])
    if new:
        texts[f"{prefix}-new-first"] = str(new[0])
    if earlier:
        years = fmt.swedish_list([str(y) for y in earlier])
        texts[f"{prefix}-change-note"] = f"Frågan ställdes även {years} med samma svarsskala."
    elif missing:
        # The report prints no value for these rounds; that the question was not asked is an
        # inference (method chapter), so the sentence states only what the report shows.
        texts[f"{prefix}-change-note"] = (
            f"Rapporten har inget värde för {texts[f'{prefix}-missing']}"
            + (", och tidigare år mättes med en annan svarsskala" if old else "")
            + ", så ingen förändring kan prövas."
        )
    return texts


def direction_words(diff: float) -> dict[str, str]:
    """The verb and the noun for a change of a share: ``ökade``/``ökningen``,
    ``minskade``/``minskningen`` or ``var oförändrad``/``förändringen`` (diff 0)."""
    return {
        "verb": wording.change_verb(diff, none="var oförändrad"),
        "noun": wording.change_noun(diff),
    }


# --------------------------------------------------------------------------- data-dependent words
# Phrases of sentences whose truth depends on the data (issue 14: the verb comes from the
# computation, so a new round cannot leave "blivit mer positiva" under a fall).


def trend_words(diffs, significant) -> dict[str, str]:
    """How a group of shares changed, for a summary sentence: ``became`` ("blivit mer positiva")
    and ``got`` ("har blivit bättre"). Only a change in the same direction for every share and
    significant for every one (``significant``: one bool per diff) gets a direction."""
    diffs, significant = list(diffs), list(significant)
    if len(diffs) != len(significant) or not diffs:
        raise ValueError("trend_words: one significance verdict per change, at least one change")
    agreed = all(significant) and (all(d > 0 for d in diffs) or all(d < 0 for d in diffs))
    direction = diffs[0] if agreed else 0
    return {
        "became": wording.change_verb(
            direction, "blivit mer positiva", "blivit mer negativa", "inte entydigt förändrats"
        ),
        "got": wording.change_verb(
            direction, "har blivit bättre", "har blivit sämre", "har inte entydigt förändrats"
        ),
    }


def clearer_word(p: float, others) -> str:
    """Whether a test separates groups more clearly than ``others`` (their p-values): a smaller
    p-value than every other one is "tydligare", a larger one "mindre tydligt"."""
    others = list(others)
    if all(p < o for o in others):
        return "tydligare"
    if all(p > o for o in others):
        return "mindre tydligt"
    return "varken tydligare eller mindre tydligt"


def chance_words(p: float, alpha: float) -> str:
    """Whether an observation is unusual by chance, from its p-value at level ``alpha``."""
    return "är ovanligt" if p < alpha else "är inte ovanligt"
