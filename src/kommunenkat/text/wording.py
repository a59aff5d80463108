"""Words of the prose whose truth depends on the data, computed from the data.

Two kinds:

- **Computed words**: a direction verb or noun (``ökade``/``minskade``, ``ökningen``/
  ``minskningen``), a comparison (``högre``/``lägre``) or a phrase for the round before
  (``Året innan`` / ``År 2021``). The chapters glue them, so they follow a new round.
- **Conditions**: a sentence that stays typed (its structure would not survive other data, e.g.
  "Antalet svarande 2022 är inte publicerat") is registered in :func:`conditions` with the test
  that makes it true. ``python -m kommunenkat.text.wording`` lists every condition the data no
  longer supports, and ``tests/text/test_wording.py`` fails when one of them does not hold for
  ``data/``; after adding a round, rewrite each listed sentence (README, "Adding a survey round").
  Every sentence of every page that speaks of the previous round's number of respondents is found
  by scanning the pages (:func:`earlier_n_sentences`): those that call it unpublished are listed
  once it is published (:func:`earlier_n_conditions`).
"""

from __future__ import annotations

import re
import sys
from dataclasses import dataclass

import pandas as pd


def change_verb(
    diff: float, up: str = "ökade", down: str = "minskade", none: str = "förändrades inte"
) -> str:
    """'ökade' / 'minskade' (or the given ``up`` / ``down`` words, e.g. 'steg' / 'sjönk') for a
    change ``diff``, 'förändrades inte' (or ``none``) for none: the sign decides. The one place
    that turns the direction of a change into words (rounds_text calls it too)."""
    if diff > 0:
        return up
    if diff < 0:
        return down
    return none


def change_noun(diff: float, capital: bool = False) -> str:
    """'ökningen' / 'minskningen' / 'förändringen' (definite form) for a change ``diff``."""
    word = "ökningen" if diff > 0 else "minskningen" if diff < 0 else "förändringen"
    return word.capitalize() if capital else word


def comparison(a: float, b: float) -> str:
    """'högre' / 'lägre' / 'lika hög': ``a`` compared with ``b``."""
    if a > b:
        return "högre"
    if a < b:
        return "lägre"
    return "lika hög"


def round_before_phrase(previous: int, latest: int, capital: bool = True) -> str:
    """'Året innan' when the compared round is the year before, else 'År 2021' (lower case
    'året innan' / 'år 2021' with ``capital=False``)."""
    text = "Året innan" if previous == latest - 1 else f"År {previous}"
    return text if capital else text[0].lower() + text[1:]


@dataclass(frozen=True)
class Condition:
    page: str
    sentence: str
    holds: bool
    line: int | None = None

    @property
    def path(self) -> str:
        """The page's file (``notebooks/NN_*.md`` for a chapter's bare name), with its line."""
        name = f"{self.page}.md" if "/" in self.page else f"notebooks/{self.page}.md"
        return name + (f":{self.line}" if self.line else "")


def conditions() -> list[Condition]:
    """Every typed sentence of the pages whose truth depends on the data, with its test."""
    from kommunenkat.core.labels import SCALE, SCALE_QUESTIONS
    from kommunenkat.inference import analysis, earlier_rounds
    from kommunenkat.inputs import data
    from kommunenkat.text.frames import row

    out: list[Condition] = []
    prev, latest = analysis.previous_year(), analysis.latest_year()
    unpublished = not earlier_rounds.n_known(prev)
    pages = {
        "far_from_labour_market": "02_in_depth_support",
        "strategic_collab": "03_collaboration",
        "operative_collab": "03_collaboration",
        "employer_support": "04_employer_support",
    }
    for q in analysis.CHANGE_QUESTIONS:
        out.append(
            Condition(
                pages[q],
                f"{q}: the previous round's respondents are not published (the sentences on the "
                "assumed number, the plausible band and the smallest significant n)",
                unpublished,
            )
        )
        ch = analysis.changes([q]).set_index("category")
        out.append(
            Condition(
                pages[q],
                f"{q}: 'Först från N svarande … är ökningen säkerställd' needs such an N",
                bool(pd.notna(row(ch, "high")["smallest_significant_n_from"])),
            )
        )
    for q in SCALE_QUESTIONS:
        s = data.national_series(q)
        old = s[(s["year"] < data.comparable_rounds(latest)[0]) & (s["category"] == "low")]
        low_now = s[(s["year"] == latest) & (s["category"] == "low")]["percent"]
        if q == "far_from_labour_market":
            out.append(
                Condition(
                    pages[q],
                    "'Före skalbytet låg den negativa andelen ännu högre'",
                    bool(len(old) and len(low_now) and old["percent"].min() > low_now.max()),
                )
            )
    nat = data.county_table("far_from_labour_market").loc["Riket"]
    out.append(
        Condition(
            "02_in_depth_support",
            "'Den negativa sidan domineras av i ganska låg utsträckning, följt av i mycket låg'",
            bool(nat["low"] > nat["high"] and nat["fairly_low"] > nat["very_low"]),
        )
    )
    emp = data.national_series("employer_support")
    e = analysis.employer_change()
    e_from = int(e["year_from"].iloc[0])
    emp_nat = data.county_table("employer_support").loc["Riket"]
    out += [
        Condition(
            "04_employer_support",
            "employer support: the report has no value for the previous comparable round "
            "('Rapporten har inget värde för …')",
            prev not in set(emp["year"]),
        ),
        Condition(
            "04_employer_support",
            "employer support: the earlier round's printed shares sum past 100 % and its "
            "respondents are not published ('av tre skäl: …')",
            bool(e["sum_from_printed"].iloc[0] > 100) and not earlier_rounds.n_known(e_from),
        ),
        Condition(
            "04_employer_support",
            "employer support: the comparison crosses the change of answer scale",
            e_from not in data.comparable_rounds(latest),
        ),
        Condition(
            "04_employer_support",
            "alt text: 'vet ej är det största enskilda alternativet'",
            bool(emp_nat["dont_know"] == max(emp_nat[c] for c in SCALE)),
        ),
    ]
    ch = analysis.changes().set_index(["question", "category"])
    out += [
        Condition(
            "03_collaboration",
            "operative_collab: 'först från N svarande … är den säkerställd' (low) needs such an N",
            bool(pd.notna(row(ch, ("operative_collab", "low"))["smallest_significant_n_from"])),
        ),
        Condition(
            "05_proposals",
            "'Att andelen positiva svar ökade' and 'Förbättringen …': both collaboration "
            "questions' positive shares increased",
            bool(
                row(ch, ("strategic_collab", "high"))["diff"] > 0
                and row(ch, ("operative_collab", "high"))["diff"] > 0
            ),
        ),
    ]
    started = int(data.fact("local_agreements_started"))
    out.append(
        Condition(
            "03_collaboration",
            "'Att förändringen sammanfaller i tid med de lokala överenskommelserna och "
            "myndighetens nya instruktion': they began between the two rounds compared",
            prev <= started < latest,
        )
    )
    help_rows = data.report_figures().query("question == 'help_kinds' and figure == 2")
    reg = help_rows.set_index("year")["percent"]
    out.append(
        Condition(
            "01_simple_service",
            "'Stöd att skriva in sig … uppges ha ökat från … till …'",
            bool(len(reg) >= 2 and reg.loc[reg.index.max()] > reg.loc[reg.index.min()]),
        )
    )
    return out + earlier_n_conditions(prev)


# --------------------------------------------------------------------------- the earlier round's n
# Glue keys whose value exists only because the previous comparable round's respondents are
# unpublished: its assumed n, plausible band and the response rates that band is built on, the
# smallest n from which a change would be significant.
UNKNOWN_N_KEYS = re.compile(
    r"\{glue:text\}`((?:[\w-]+-chg-(?:high|low)-(?:band|pband|nmin))|las-n-antagen|las-n-band"
    r"|m-n2022(?:-min|-max)?|m-band|m-rate-band|m-rate2021|round-rate-before-previous)`"
)
# Glue keys whose words follow whether that n is published (kommunenkat.text.chapter's
# robustness_words asks kommunenkat.inference.earlier_rounds.n_known).
FOLLOWING_KEYS = re.compile(r"\{glue:text\}`([\w-]+-chg-(?:high|low)-robust)`")
# Typed words that call the previous round's n unknown, in a sentence naming that round.
UNKNOWN_N_WORDS = re.compile(r"tänkbar|rimlig|inte (?:är )?publicerat|huvudantagande|okän[dt]")
PREVIOUS_ROUND = "{glue:text}`round-previous`"
SENTENCE_END = re.compile(r"(?<=[.;:])\s+(?=[A-ZÅÄÖ{*])")
PAGE_FOLDERS = ("book", "notebooks")


def _excerpt(sentence: str) -> str:
    text = re.sub(r"\{glue:text\}`([^`]+)`", r"{\1}", sentence.strip(" |"))
    return text if len(text) <= 110 else text[:107] + "…"


def earlier_n_sentences() -> list[tuple[str, int, str, bool]]:
    """Every sentence of every page (``book/``, ``notebooks/``) that speaks of the previous
    comparable round's number of respondents: ``(page, line, excerpt, assumes_unknown)``.
    ``assumes_unknown``: the sentence is true only while that n is unpublished (typed words such
    as "inte publicerat", "det rimliga intervallet", or glue keys of the assumed n and its band);
    False: its words are computed and follow whether the n is published (``…-robust``)."""
    from kommunenkat.core import paths

    found = []
    for folder in PAGE_FOLDERS:
        for path in sorted((paths.ROOT / folder).glob("*.md")):
            page = f"{folder}/{path.stem}"
            for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
                for sentence in SENTENCE_END.split(line):
                    typed = PREVIOUS_ROUND in sentence and UNKNOWN_N_WORDS.search(sentence)
                    unknown = bool(typed or UNKNOWN_N_KEYS.search(sentence))
                    if unknown or FOLLOWING_KEYS.search(sentence):
                        found.append((page, number, _excerpt(sentence), unknown))
    return found


def earlier_n_conditions(prev: int) -> list[Condition]:
    """The sentences of :func:`earlier_n_sentences` as conditions: each that assumes the
    respondents of ``prev`` (the previous comparable round) unpublished holds only while they are
    (:func:`kommunenkat.inference.earlier_rounds.n_known`); the computed ones always hold and are
    listed so that every page using these phrases, the front page included, is covered. The
    method chapter's sensitivity figure and table show the changes from ``prev`` under the name
    of the round whose n is unknown: true only while that is ``prev``."""
    from kommunenkat.inference import earlier_rounds

    unknown = not earlier_rounds.n_known(prev)
    out = []
    for page, line, excerpt, assumes in earlier_n_sentences():
        if assumes:
            what = f"'{excerpt}': assumes the respondents of {prev} are unpublished"
        else:
            what = f"'{excerpt}': computed, follows whether the respondents of {prev} are published"
        out.append(Condition(page, what, unknown or not assumes, line))
    out.append(
        Condition(
            "book/metod",
            "fig-metod-kanslighet and tbl-metod-kanslighet: the sensitivity of the changes from "
            f"{prev} over its unknown number of respondents ({{round-unknown-n}} in the caption)",
            unknown,
        )
    )
    return out


def unsupported() -> list[Condition]:
    """The conditions the data no longer support."""
    return [c for c in conditions() if not c.holds]


def main() -> int:
    bad = unsupported()
    for c in bad:
        print(f"wording: {c.path}: no longer true: {c.sentence}")
    print(f"wording: {len(bad)} of {len(conditions())} data-dependent sentence(s) to rewrite")
    return 1 if bad else 0


if __name__ == "__main__":
    sys.exit(main())
