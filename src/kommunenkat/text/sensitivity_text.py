"""The alt text of the method chapter's sensitivity figure (p-value of each change against the
assumed respondents of the previous round), computed from the same table as the figure: which
lines lie below, cross or lie above the significance line.
"""

from __future__ import annotations

import pandas as pd

from kommunenkat.core import fmt
from kommunenkat.core.labels import SHORT_QUESTIONS, side_word
from kommunenkat.inference import change_tests
from kommunenkat.inputs import data
from kommunenkat.text import wording

# The change questions as the running text names them (alt text of the sensitivity figure).
# Chapter 2's topic for far_from_labour_market ("fördjupat stöd"); the others as the short
# question labels say them.
SENSITIVITY_TOPICS = {
    "far_from_labour_market": "fördjupat stöd",
    **{q: SHORT_QUESTIONS[q].lower() for q in ("strategic_collab", "operative_collab")},
}


def sensitivity_line(sens: pd.DataFrame, key: tuple[str, str]) -> str:
    """ "ökningen av den positiva andelen för strategisk samverkan": the direction from the
    point estimates over the range (a change whose sign depends on n is "förändringen")."""
    d = sens[(sens["question"] == key[0]) & (sens["category"] == key[1])]
    sign = 1 if (d["diff_min"] > 0).all() else -1 if (d["diff_max"] < 0).all() else 0
    share = side_word(key[1], inflected=True)
    topic = SENSITIVITY_TOPICS.get(key[0], key[0])
    return f"{wording.change_noun(sign)} av den {share} andelen för {topic}"


def sensitivity_alt(sens: pd.DataFrame, alpha: float) -> str:
    """Alt text of :func:`sensitivity_chart`, computed from the same table: which lines lie
    below, cross or lie above the significance line over the whole range."""
    groups = change_tests.sensitivity_groups(sens, alpha)
    latest = data.latest_round()
    prev = data.previous_comparable_round(latest)
    if "year_from" in sens:
        sens = sens[sens["year_from"] == prev]
    level = "femprocentsgränsen" if alpha == 0.05 else f"gränsen p = {fmt.num(alpha, 2)}"
    sentences = [
        "Linjediagram där p-värdet för varje förändring från den förra omgången till den senaste "
        "visas mot antaget antal svarande i den förra omgången."
    ]
    verbs = {
        "under": "ligger under {line} i hela intervallet",
        "crosses": "korsar {line}",
        "over": "ligger över {line} i hela intervallet",
    }
    for where, verb in verbs.items():
        keys = groups[where]
        if not keys:
            continue
        # The first sentence names the line, the others refer back to it.
        line = level if len(sentences) == 1 else "gränsen"
        count = fmt.number_word(len(keys), capital=True)
        lines = "linje" if len(keys) == 1 else "linjer"
        items = fmt.swedish_list([sensitivity_line(sens, k) for k in keys])
        sentences.append(f"{count} {lines} {verb.format(line=line)}: {items}.")
    return " ".join(sentences)
