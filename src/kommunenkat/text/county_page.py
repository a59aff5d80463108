"""The one template of the county profiles (issue 21) and the "Ditt län" overview.

:data:`PAGE` is the MyST Markdown of every profile; :func:`page` fills it in for one region from
:func:`kommunenkat.text.county_profile.profile` (every number, formatted by
:mod:`kommunenkat.core.fmt`), the report's statements about the region with their audit
verdicts (joined by the tooling, :class:`Statement`: this layer does not import the audit), and
the names of the figure and the CSV file written beside the page. :func:`overview` is the part
of the "Ditt län" page (``book/ditt-lan.md`` includes it) that follows the data: the tile map and
the list of links (web only) and the table with a row per region (web and PDF).

To change what every profile says, edit the template or the phrases in
:mod:`~kommunenkat.text.county_profile`; the pages are written again at the next build.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from string import Template

import pandas as pd

from kommunenkat.core import fmt
from kommunenkat.core.labels import SCALE, SCALE_QUESTIONS, SHORT_QUESTIONS, side_word
from kommunenkat.text import publish
from kommunenkat.text.county_profile import (
    CountyProfile,
    direction,
    distribution_table,
    facts,
    figure_alt,
    figure_caption,
    ki,
    lead,
    question_bullets,
    summary_table,
    swedish_order,
)

# The folder of the generated pages, relative to the book's root (the toc's glob, the links).
FOLDER = "lan"

PAGE = Template("""\
% Written at build time by kommunenkat.tooling.county_pages from the template in
% kommunenkat.text.county_page (issue 21). Edit the template, never this file.

(lan-$slug)=
# $region

$lead

$facts

## Svaren i korthet

$summary

I avsnitten om varje fråga är KI ett $ki konfidensintervall ({ref}`las-intervall`).

```{figure} $figure
:name: fig-lan-$slug
:alt: $alt
:figclass: kk-profil

$caption
```

$questions

## Rapportens påståenden om länet

$statements

## Ladda ner länets siffror

{download}`Länets rader som CSV-fil ($csv) <$csv>`: varje svar på de fyra frågorna med antal och
andel, och för den positiva och den negativa andelen det $ki konfidensintervallet, det justerade
testet mot övriga landet, läget i trattdiagrammet, den sammanvägda skattningen och gränserna för
alla länets kommuner. Kolumnerna heter som i bokens datafiler ({doc}`../book/data`). Alla län
finns på sidan {doc}`../book/ditt-lan`.
""")

QUESTION = Template("""\
## $label

$bullets

$table
""")


@dataclass(frozen=True)
class Statement:
    """One of the report's statements that names the region, with the audit's verdict."""

    id: str
    quote: str
    section: str
    verdict: str
    explanation: str
    ranking: bool  # a ranking of regions (the claims that are also tested against chance)


def bullets(items: Sequence[str]) -> str:
    return "\n".join(f"- {item}" for item in items)


def statements_markdown(region: str, statements: Sequence[Statement]) -> str:
    """The report's statements about the region, each with its verdict and explanation."""
    # {ref} with its own text, not {numref}: Sphinx reads the whole target page to number a
    # reference, and 20 profiles reading the claims audit took most of their build time.
    audit = "{ref}`tabellen över alla påståenden <tbl-granskning>`"
    if not statements:
        return (
            f"Rapporten nämner inte {region} i något av de påståenden som boken granskar ({audit})."
        )
    head = (
        f"Rapporten nämner {region} i de här påståendena. Bedömningen kommer från bokens "
        f"granskning av rapportens påståenden ({audit}), där varje påstående räknas om ur "
        "rapportens egna tabeller."
    )
    items = [
        f"**{s.id}** ”{s.quote}” (avsnittet ”{s.section}”). Bedömning: **{s.verdict}**. "
        f"{s.explanation}"
        for s in statements
    ]
    text = f"{head}\n\n{bullets(items)}"
    if any(s.ranking for s in statements):
        text += (
            "\n\nAtt en rangordning stämmer med tabellen säger inte att länen verkligen skiljer "
            "sig: länsbilagan prövar rapportens rangordningar mot slumpen "
            "({ref}`tabellen över länspåståendena <tbl-lan-slump>`), och "
            "avsnittet om länet ovan visar om länet skiljer sig när alla län prövas samtidigt."
        )
    return text


def page(p: CountyProfile, statements: Sequence[Statement], figure: str, csv: str) -> str:
    """A region's profile page (MyST Markdown) from :data:`PAGE`."""
    questions = []
    for qp in p.questions:
        table = publish.table(
            distribution_table(qp, p.region),
            f"{qp.label}: svaren i {p.region} och i riket {p.year}",
            f"tbl-lan-{p.slug}-{qp.question.replace('_', '-')}",
            index=False,
            collapsed=True,
        ).data
        questions.append(
            QUESTION.substitute(
                label=qp.label, bullets=bullets(question_bullets(p, qp)), table=table
            )
        )
    summary = publish.table(
        summary_table(p),
        f"Andel positiva svar i {p.region} och i riket {p.year}",
        f"tbl-lan-{p.slug}",
        index=False,
    ).data
    return PAGE.substitute(
        slug=p.slug,
        region=p.region,
        lead=lead(p),
        facts=bullets(facts(p)),
        summary=summary,
        figure=figure,
        alt=figure_alt(p),
        caption=figure_caption(p),
        questions="\n".join(questions),
        statements=statements_markdown(p.region, statements),
        csv=csv,
        ki=ki(),
    )


def overview(profiles: Sequence[CountyProfile], tile_map: str) -> str:
    """The data-driven part of the "Ditt län" page: the tile map and the list of links (web
    only; the profiles are not in the PDF) and the overview table (web and PDF)."""
    by_region = {p.region: p for p in profiles}
    links = bullets(
        [f"{{doc}}`{r} </{FOLDER}/{by_region[r].slug}>`" for r in swedish_order(by_region)]
    )
    table = publish.table(
        overview_table(list(profiles)),
        f"Andel positiva svar per län och fråga {profiles[0].year}",
        "tbl-ditt-lan",
        index=False,
    ).data
    return "\n".join(
        [
            "% Written at build time by kommunenkat.tooling.county_pages (issue 21).",
            "",
            "::::{only} html",
            "Välj ditt län på kartan eller i listan.",
            "",
            ":::{raw} html",
            tile_map,
            ":::",
            "",
            ":::{container} kk-lanlista",
            links,
            ":::",
            "::::",
            "",
            table,
            "",
            overview_note(list(profiles)),
            "",
            "Intervallen, de negativa andelarna och rikets andelar finns på varje läns sida på "
            "bokens webbplats och i kapitlens länstabeller.",
            "",
        ]
    )


def overview_table(all_profiles: list[CountyProfile]) -> pd.DataFrame:
    """One row per region (Swedish alphabetical order): respondents and the four positive
    shares, for the "Ditt län" page and the PDF."""
    ordered = {p.region: p for p in all_profiles}
    regions = swedish_order(ordered)
    out = pd.DataFrame(
        {
            "Län": regions,
            "Svarande": [
                f"{ordered[r].respondents} av {ordered[r].municipalities}" for r in regions
            ],
        }
    )
    for i, q in enumerate(SCALE_QUESTIONS):
        out[SHORT_QUESTIONS[q]] = [
            fmt.share_pct(ordered[r].questions[i].high.share) for r in regions
        ]
    return out


def overview_note(all_profiles: list[CountyProfile]) -> str:
    """Which regions stand out from the rest after the adjustment (under the overview table)."""
    found = []
    for p in all_profiles:
        for q in p.questions:
            sides = [
                f"{side_word(s.category)} andel {direction(s)}"
                for s in (q.high, q.low)
                if s.differs
            ]
            if sides:
                found.append(f"{p.region} ({q.label.lower()}: {fmt.swedish_list(sides)})")
    head = (
        f"Andel positiva svar per län {all_profiles[0].year}, i procent av de kommuner som "
        "besvarade frågan."
    )
    if not found:
        return (
            f"{head} Inget län skiljer sig från övriga landet när hänsyn tas till att alla län "
            "prövas."
        )
    return (
        f"{head} När hänsyn tas till att alla län prövas skiljer sig från övriga landet: "
        f"{fmt.swedish_list(found)}."
    )


def csv_rows(p: CountyProfile) -> pd.DataFrame:
    """The region's rows, for download: each answer of each question with its count, and the
    positive and negative shares with every statistic the profile shows."""
    rows = []
    for q in p.questions:
        for c in SCALE:
            rows.append(
                {
                    "region": p.region,
                    "year": p.year,
                    "question": q.question,
                    "category": c,
                    "count": q.counts[c],
                    "n": q.n,
                    "share": q.counts[c] / q.n,
                    "national_share": q.national_counts[c] / q.national_n,
                }
            )
        for s in (q.high, q.low):
            rows.append(
                {
                    "region": p.region,
                    "year": p.year,
                    "question": q.question,
                    "category": s.category,
                    "count": s.k,
                    "n": s.n,
                    "share": s.share,
                    "national_share": s.national,
                    "ci_low": s.ci_low,
                    "ci_high": s.ci_high,
                    "p_adjusted": s.p_adjusted,
                    "differs_from_rest": s.differs,
                    "funnel_position": s.position,
                    "pooled": s.pooled,
                    "pooled_ci_low": s.pooled_low,
                    "pooled_ci_high": s.pooled_high,
                    "municipalities": p.municipalities,
                    "manski_lower": s.lower,
                    "manski_upper": s.upper,
                }
            )
    return pd.DataFrame(rows)
