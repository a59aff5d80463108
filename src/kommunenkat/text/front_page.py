"""The front page's values (``book/index.md``) as Swedish text to glue, like the chapters'.

The page calls these in its code cells, in this order: :func:`glue_edition`, then
``publish.glue_many`` of :func:`service_texts`, :func:`share_texts`, :func:`change_summary_texts`
and :func:`county_summary_texts` (the first cell), :func:`power_texts` (the second) and
:func:`analysis_texts` (the third). Each ``*_texts`` function returns ``{glue key: text}`` in the
order the page glues them. The counts of the claims audit stay in the page: the audit is a layer
of its own that the text layer does not import.
"""

from __future__ import annotations

from kommunenkat.core import fmt
from kommunenkat.core.labels import REGIONS, SHORT_QUESTIONS, side_word
from kommunenkat.inference import analysis, county_precision, ordinal, power, stats
from kommunenkat.inputs import data
from kommunenkat.text import about, chapter, county_texts, publish, rounds_text
from kommunenkat.text.frames import row

# The scale question whose change, power and county extremes the front page reports.
FAR_FROM_LABOUR_MARKET = "far_from_labour_market"


def glue_edition() -> None:
    """Glue the edition's facts (version, source code link as Markdown, contact) and ``ki``."""
    publish.glue_text("version", about.version())
    publish.glue_markdown("kallkod", about.repository_text())  # a link once there is one
    publish.glue_text("kontakt", about.contact_text())
    publish.glue_text("ki", fmt.pct(100 * (1 - analysis.ALPHA)))


def service_texts() -> dict[str, str]:
    """Simple service (figures 2-3, asked in one round only): values from the report's prose
    only, no counts; the years are the rows' own."""
    figs = data.report_figures().query("question == 'help_kinds'")
    any_help = figs.query("figure == 3 and category == 'any_help'").set_index("year")["percent"]
    texts = {"service-any": fmt.pct(float(any_help.iloc[-1]))}
    # Asked in one round: present tense while it is the latest round, its year once a newer one
    # exists.
    any_year = int(any_help.index[-1])
    texts["service-any-ger"] = (
        "av kommunerna ger"
        if any_year == data.latest_round()
        else f"av kommunerna gav år {any_year}"
    )
    reg = figs.query("figure == 2 and category == 'help_register'").set_index("year")["percent"]
    reg = reg.sort_index()
    texts["service-reg-first"] = fmt.pct(float(reg.iloc[0]))
    texts["service-reg-last"] = fmt.pct(float(reg.iloc[-1]))
    texts["service-reg-first-year"] = str(reg.index[0])
    texts["service-reg-last-year"] = str(reg.index[-1])
    texts["service-reg-verb"] = rounds_text.direction_words(float(reg.iloc[-1] - reg.iloc[0]))[
        "verb"
    ]
    # The same share printed elsewhere in the report with another value (the summary's 88 %
    # against the chapter's 91 %): the headline must show the conflict, not pick one side.
    other = figs.query(
        "category == 'help_register' and year == @reg.index[-1] and percent != @reg.iloc[-1]"
    )
    texts["service-reg-conflict"] = (
        (
            f"{str(other['source'].iloc[0]).split(' (')[0].lower()} anger "
            f"{fmt.swedish_list([fmt.pct(v) for v in other['percent']])} för {reg.index[-1]}, "
            "så rapporten motsäger sig själv"
        )
        if len(other)
        else "rapporten anger samma värde överallt"
    )
    return texts


def share_texts() -> dict[str, str]:
    """The four scale questions' latest level with its interval (reconstructed counts):
    ``{question}-high``, ``-low``, ``-dont_know`` and ``-high-ki``."""
    counts = analysis.latest_counts()
    texts = {}
    for q in SHORT_QUESTIONS:
        c = row(counts, q)
        for cat in ("high", "low", "dont_know"):
            texts[f"{q}-{cat}"] = fmt.share_pct(c[cat] / c["n"])
        low, high = stats.wilson_interval(int(c["high"]), int(c["n"]), analysis.ALPHA)[:2]
        texts[f"{q}-high-ki"] = fmt.interval(low, high)
    return texts


def change_summary_texts() -> dict[str, str]:
    """The changes from the previous round, worded by the same code as the chapters
    (``{question}-high-previous`` and :func:`kommunenkat.text.chapter.change_texts` with the
    prefix ``index-{question}``), and ``index-samverkan-blivit``."""
    ch = analysis.changes().set_index(["question", "category"])
    texts = {}
    for q in analysis.CHANGE_QUESTIONS:
        texts[f"{q}-high-previous"] = fmt.pct(row(ch, (q, "high"))["percent_from_printed"])
        texts.update(chapter.change_texts(q, f"index-{q}"))
    # The direction of collaboration that the conclusions and proposal 3 state: computed, so that
    # a new round cannot leave "better" under a fall.
    collab = ch.loc[[("strategic_collab", "high"), ("operative_collab", "high")]]
    trend = rounds_text.trend_words(collab["diff"], collab["significant"])
    texts["index-samverkan-blivit"] = trend["became"]
    return texts


def county_summary_texts() -> dict[str, str]:
    """The counties: how much of the ranking is within chance (``lan-…``; ``lan-test…`` from
    :func:`kommunenkat.text.county_texts.homogeneity_counts`)."""
    tests = analysis.county_tests()
    rows = list(zip(tests["question"], tests["category"], tests["singled_out"], strict=True))
    singled = [(q, n) for q, _, out in rows for n in out.split(", ") if n]
    texts = {"lan-jamforelser": str(len(tests) * len(REGIONS))}
    texts.update(county_texts.homogeneity_counts())
    texts["lan-avvikande-antal"] = str(len(singled))
    # One phrase per county and question, naming the shares (positive, negative) that single it
    # out, so that two comparisons of one county read as such.
    sides: dict[tuple[str, str], list[str]] = {}
    for q, category, out in rows:
        for n in filter(None, out.split(", ")):
            sides.setdefault((n, q), []).append(side_word(category))
    texts["lan-avvikande"] = (
        fmt.swedish_list(
            [
                f"{n} i fråga om {SHORT_QUESTIONS[q].lower()} ({fmt.swedish_list(c)} andel)"
                for (n, q), c in sorted(sides.items())
            ]
        )
        if sides
        else "inget län"
    )
    texts["lan-avvikande-fragor"] = (
        fmt.swedish_list(sorted({SHORT_QUESTIONS[q].lower() for q, _ in singled})) or "ingen fråga"
    )
    return texts


def power_texts() -> dict[str, str]:
    """What the next round can detect for the support to those far from the labour market
    (:func:`kommunenkat.inference.power.texts`, prefix ``index-styrka``)."""
    changes = analysis.changes([FAR_FROM_LABOUR_MARKET]).set_index("category")
    observed = float(row(changes, "high")["diff"])
    return {
        **power.texts(FAR_FROM_LABOUR_MARKET, "index-styrka", observed),
        "index-styrka-obs-noun": rounds_text.direction_words(observed)["noun"],
    }


def analysis_texts() -> dict[str, str]:
    """The further analyses: the whole-scale county test of strategic collaboration beside the
    dichotomised ones (``fa-ord-…``) and the report's counties without a positive answer
    against chance (``fa-zero-…``)."""
    ot = ordinal.ordinal_tests(["strategic_collab"]).iloc[0]
    texts = {
        "fa-ord-p": fmt.pvalue(ot["p_permutation"]),
        "fa-ord-phigh": fmt.pvalue(ot["p_high_dichotomised"]),
        "fa-ord-plow": fmt.pvalue(ot["p_low_dichotomised"]),
        "fa-ord-jamfort": rounds_text.clearer_word(
            ot["p_permutation"], [ot["p_high_dichotomised"], ot["p_low_dichotomised"]]
        ),
    }
    zero = row(county_precision.claims_vs_chance().set_index("claim"), "C50")
    texts["fa-zero-obs"] = str(int(zero["observed"]))
    texts["fa-zero-exp"] = fmt.num(zero["expected"], 1)
    texts["fa-zero-p"] = fmt.pvalue(zero["p_fixed_margins"])
    texts["fa-zero-slump"] = rounds_text.chance_words(zero["p_fixed_margins"], analysis.ALPHA)
    return texts
