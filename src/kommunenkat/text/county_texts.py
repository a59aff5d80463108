"""Swedish glue strings and reader-facing tables of the whole-scale and county-precision analyses.

Built from :mod:`ordinal` and :mod:`county_precision`; formatting with :mod:`fmt`.
"""

from __future__ import annotations

import numpy as np
import pandas as pd

from kommunenkat.core import fmt
from kommunenkat.core.labels import CATEGORIES, REGION_NATIONAL, SHORT_QUESTIONS, side_word
from kommunenkat.inference import analysis, county_precision, ordinal
from kommunenkat.text.frames import row

ALPHA = ordinal.ALPHA


def _p_cell(p: float) -> str:
    """A p-value for a table cell whose heading says "p": '0,098' or '< 0,001' (narrow columns)."""
    return fmt.pvalue(p).replace(f"p{fmt.NBSP}={fmt.NBSP}", "").replace(f"p{fmt.NBSP}<", "<")


def _names(items) -> str:
    items = list(items)
    return fmt.swedish_list(items) if items else "inget län"


def mc_floor(n_resamples: int) -> float:
    """The smallest p-value ``(1 + #{T ≥ t}) / (B + 1)`` can take with ``B`` resamples."""
    if int(n_resamples) < 1:
        raise ValueError(f"n_resamples must be a positive integer, got {n_resamples}")
    return 1 / (int(n_resamples) + 1)


def at_floor(p: float, n_resamples: int | None) -> bool:
    """Whether a resampling p-value sits at its floor (``None``: an exact p-value, never)."""
    return n_resamples is not None and p <= mc_floor(n_resamples) * (1 + 1e-9)


def compare_p(a: float, a_floor: bool, b: float, b_floor: bool) -> str | None:
    """'<', '>' or '=' between two p-values, or ``None`` when a floor makes the order unknown.

    A p-value at its resampling floor only says the true value is at most the floor, so it is
    known to be below ``b`` only if ``b`` is not itself at a floor, and never known to be above.
    """
    if a < b and not b_floor:
        return "<"
    if a > b and not a_floor:
        return ">"
    if a == b and not (a_floor or b_floor):
        return "="
    return None


def _share_test_floors(question: str) -> dict[str, tuple[float, bool, float]]:
    """Per category (high/low): the county test's p, whether it is at its floor, and p_holm."""
    t = analysis.county_tests([question]).set_index("category")
    return {
        str(c): (
            float(r["p_value"]),
            at_floor(r["p_value"], r["n_resamples"] if r["method"] == "monte carlo" else None),
            float(r["p_holm"]),
        )
        for c, r in t.iterrows()
    }


def tied_first(frame: pd.DataFrame, columns: list[str]) -> list:
    """Index labels of every row that ties with the first row on ``columns``."""
    if frame.empty:
        return []
    first = frame.iloc[0][columns].to_numpy(dtype=float)
    same = np.isclose(frame[columns].to_numpy(dtype=float), first, rtol=0, atol=1e-12).all(axis=1)
    return list(frame.index[same])


def extremes(raw: pd.Series, k: int = 3) -> tuple[list, list]:
    """Regions with the ``k`` highest and the ``k`` lowest values, every region tied at the
    ``k``-th place included (so either list can be longer than ``k``)."""
    if len(raw) < k:
        raise ValueError(f"need at least {k} values, got {len(raw)}")
    ordered = raw.sort_values(ascending=False, kind="stable")
    kth_high, kth_low = ordered.iloc[k - 1], ordered.iloc[-k]
    top = list(ordered.index[ordered >= kth_high - 1e-12])
    bottom = list(ordered.index[ordered <= kth_low + 1e-12])
    return top, bottom


def ordinal_texts(question: str, prefix: str) -> dict[str, str]:
    """Glue strings: the whole-scale test beside the dichotomised ones, and the model check."""
    r = ordinal.ordinal_tests([question]).iloc[0]
    p, hi, lo = r["p_permutation"], r["p_high_dichotomised"], r["p_low_dichotomised"]
    share = _share_test_floors(question)
    verdict = ordinal_verdict(
        (p, at_floor(p, r["n_resamples"])),
        (hi, share["high"][1]),
        (lo, share["low"][1]),
        max_floor=max([mc_floor(r["n_resamples"]), *(v[0] for v in share.values() if v[1])]),
    )
    # The three values at their floors: the verdict ends with their common bound, nothing to
    # set against each other.
    all_floor = at_floor(p, r["n_resamples"]) and share["high"][1] and share["low"][1]
    holm = f"{fmt.pvalue(r['p_permutation_holm'])} efter Holm-justering över bokens fyra frågor"
    if all_floor:
        # End with the common bound; the Holm value only when it says more than the bound.
        sentence = f"Testet {verdict}."
        if fmt.pvalue(r["p_permutation_holm"]) != fmt.pvalue(p):
            sentence = f"Testet {verdict[:-1]}; rangtestet {holm})."
    else:
        sentence = (
            f"Testet {verdict}: {fmt.pvalue(p)} (permutationstest; {holm}), mot "
            f"{fmt.pvalue(hi)} för andelen positiva och {fmt.pvalue(lo)} för andelen negativa svar."
        )
    po_ok = r["po_deviance_p"] >= ALPHA
    dist = ordinal.distribution(question).drop(index=REGION_NATIONAL)
    keys = ["balance", "mean_score"]
    top = tied_first(dist.sort_values(keys, ascending=False), keys)
    bottom = tied_first(dist.sort_values(keys, ascending=True), keys)

    def place(regions):
        # Tied regions share the place; the balance is the same for all of them.
        value = fmt.pp(100 * dist.loc[regions[0], "balance"], 0)
        shared = ", delad plats" if len(regions) > 1 else ""
        return f"{fmt.swedish_list(regions)} ({value}{shared})"

    return {
        f"{prefix}-ord-verdict": verdict,
        f"{prefix}-ord-sentence": sentence,
        f"{prefix}-ord-n": str(int(r["n_scale"])),
        f"{prefix}-ord-ndk": str(int(r["k_dont_know"])),
        f"{prefix}-ord-dkmid-p": fmt.pvalue(r["p_dont_know_as_middle"]),
        f"{prefix}-ord-dk-p": fmt.pvalue(r["p_dont_know_share"]),
        f"{prefix}-ord-po-p": fmt.pvalue(r["po_p"]),
        f"{prefix}-ord-dev-p": fmt.pvalue(r["po_deviance_p"]),
        f"{prefix}-ord-po-verdict": (
            "talar inte emot antagandet om proportionella odds"
            if po_ok
            else "talar emot antagandet om proportionella odds, så modellens test är osäkert"
        ),
        f"{prefix}-ord-top": place(top),
        f"{prefix}-ord-bottom": place(bottom),
        f"{prefix}-ord-nat": fmt.pp(
            100 * row(ordinal.distribution(question), REGION_NATIONAL)["balance"], 0
        ),
    }


def ordinal_verdict(whole, high, low, max_floor: float) -> str:
    """How the whole-scale test's p compares with the two share tests' (value, at_floor) pairs.

    No ordering when a p-value at its resampling floor makes it unknown (all of them are then
    only known to be below their floors).
    """
    rel = [compare_p(whole[0], whole[1], other[0], other[1]) for other in (high, low)]
    if None in rel:
        if whole[1] and high[1] and low[1]:
            bound = (
                fmt.pvalue(max_floor * 0.999)
                if max_floor < 0.001
                else f"p ≤ {fmt.num(max_floor, 4)}"
            )
            return (
                "ger, liksom båda testen av de sammanslagna andelarna, ett p-värde vid den lägsta "
                "nivå som simuleringarna kan visa, så de tre utslagen kan inte rangordnas "
                f"(alla tre {bound})"
            )
        return (
            "kan inte rangordnas mot testen av de sammanslagna andelarna, eftersom ett p-värde vid "
            "simuleringarnas lägsta nivå bara visar att det verkliga värdet är ännu lägre"
        )
    if rel == ["<", "<"]:
        return "ger ett tydligare utslag än båda testen av de sammanslagna andelarna"
    if rel == [">", ">"]:
        return "ger ett svagare utslag än båda testen av de sammanslagna andelarna"
    return "ger ett utslag mellan de två testen av de sammanslagna andelarna"


def funnel_sentence(fun: pd.DataFrame) -> str:
    """Which regions lie outside the funnel's 95 % and 99.8 % limits (exact tails), in Swedish."""
    pos = fun["position"]
    above = list(fun.index[pos.str.startswith("över")])
    below = list(fun.index[pos.str.startswith("under")])
    out998 = list(fun.index[pos.str.contains("99,8", regex=False)])
    if not above and not below:
        return "Inget län ligger utanför 95 %-gränserna."
    clauses = []
    if above:
        clauses.append(f"över den övre 95 %-gränsen ligger {fmt.swedish_list(above)}")
    if below:
        clauses.append(f"under den undre ligger {fmt.swedish_list(below)}")
    first = ", och ".join(clauses)
    first = first[0].upper() + first[1:] + "."
    if not above:
        first = first.replace("Under den undre ligger", "Under den undre 95 %-gränsen ligger")
    if out998:
        n_out = len(above) + len(below)
        also = "ligger också" if n_out > 1 else "ligger dessutom"
        second = f" {fmt.swedish_list(out998)} {also} utanför 99,8 %-gränserna."
    else:
        second = " Inget län ligger utanför 99,8 %-gränserna."
    return first + second


def shrinkage_sentence(est: pd.DataFrame) -> str:
    """How many regions' raw shares mainly reflect few respondents, and which of the extremes.

    The extremes are the three highest and three lowest raw shares with every tied region
    included; the clause about them is left out when none of them is mainly small-n.
    """
    n_all = len(est)
    n_small = int(est["mainly_small_n"].sum())
    head = (
        f"I inget av de {n_all} länen tas mer än hälften av avvikelsen från riket tillbaka."
        if n_small == 0
        else f"I {n_small} av {n_all} län tas mer än hälften av avvikelsen från riket tillbaka."
    )
    top, bottom = extremes(est["raw"])
    group = list(dict.fromkeys(top + bottom))
    small = [r for r in group if est.loc[r, "mainly_small_n"]]
    if not small:
        return head
    ties = (
        f" ({len(group)} län, eftersom några delar plats)"
        if len(top) > 3 or len(bottom) > 3
        else ""
    )
    return (
        f"{head} Bland länen med de tre högsta och de tre lägsta råa andelarna{ties} gäller det "
        f"{fmt.swedish_list(small)}: där speglar placeringen främst att få kommuner har svarat."
    )


def precision_texts(question: str, prefix: str, category: str = "high") -> dict[str, str]:
    """Glue strings of the funnel plot and the partially pooled estimates of one question."""
    fun = county_precision.funnel(question, category)
    est = county_precision.shrinkage(question, category)
    out95 = fun.index[fun["position"] != "inom"]
    out998 = fun.index[fun["position"].str.contains("99,8", regex=False)]
    tests = analysis.county_tests([question]).set_index("category")
    singled = [r for r in str(tests.loc[category, "singled_out"]).split(", ") if r]
    best = est.sort_values("pooled", ascending=False).iloc[0]
    return {
        f"{prefix}-tratt-nat": fmt.share_pct(fun["national"].iloc[0]),
        f"{prefix}-tratt-text": funnel_sentence(fun),
        f"{prefix}-tratt-ut95": _names(out95),
        f"{prefix}-tratt-nut95": str(len(out95)),
        f"{prefix}-tratt-ut998": _names(out998),
        f"{prefix}-tratt-holm": _names(singled),
        f"{prefix}-krymp-rho": fmt.num(est["rho_ml"].iloc[0], 3),
        f"{prefix}-krymp-rho-pooled": fmt.num(est["rho_pooled"].iloc[0], 3),
        f"{prefix}-krymp-prho": fmt.pvalue(est["p_rho_zero"].iloc[0]),
        f"{prefix}-krymp-text": shrinkage_sentence(est),
        f"{prefix}-krymp-nsmall": str(int(est["mainly_small_n"].sum())),
        f"{prefix}-krymp-best": (
            f"{best.name} ({fmt.share_pct(best['pooled'])}, rang {int(best['rank_low'])}–"
            f"{int(best['rank_high'])})"
        ),
        f"{prefix}-krymp-range": fmt.interval(est["pooled"].min(), est["pooled"].max()),
        f"{prefix}-krymp-rawrange": fmt.interval(est["raw"].min(), est["raw"].max()),
    }


def distribution_table(question: str) -> pd.DataFrame:
    """The diverging chart's data: percent per level, balance and mean score, in chart order."""
    d = ordinal.distribution(question)
    nat = d.loc[[REGION_NATIONAL]]
    rest = d.drop(index=REGION_NATIONAL).sort_values(["balance", "mean_score"], ascending=False)
    d = pd.concat([nat, rest])
    cols = {c: CATEGORIES[c] for c in [*reversed(ordinal.ORDER), "dont_know"]}
    out = pd.DataFrame(index=pd.Index(d.index, name="Län"))
    out["n"] = d["n"].astype(int)
    for c, label in cols.items():
        out[label.replace("I ", "").replace(" utsträckning", "")] = (100 * d[c]).map(fmt.num)
    out["Balans, pe"] = (100 * d["balance"]).map(lambda v: fmt.num(v, sign=True))
    out["Medel 1–5"] = d["mean_score"].map(lambda v: fmt.num(v, 2))
    return out


def ordinal_table() -> pd.DataFrame:
    """All four questions: the whole-scale tests beside the dichotomised ones."""
    t = ordinal.ordinal_tests()
    return pd.DataFrame(
        {
            "Fråga": t["question"].map(SHORT_QUESTIONS),
            "n (skala)": t["n_scale"].astype(int),
            "Skalan, p": t["p_permutation"].map(_p_cell),
            "Holm": t["p_permutation_holm"].map(_p_cell),
            "Hög, p": t["p_high_dichotomised"].map(_p_cell),
            "Låg, p": t["p_low_dichotomised"].map(_p_cell),
            "Vet ej mitten": t["p_dont_know_as_middle"].map(_p_cell),
            "PO, p": t["po_p"].map(_p_cell),
            "PO-kontroll": t["po_deviance_p"].map(_p_cell),
            "Vet ej-andel": t["p_dont_know_share"].map(_p_cell),
        }
    )


def splits_table() -> pd.DataFrame:
    """Permutation p-values of the county test at each cumulative split of the scale."""
    t = ordinal.ordinal_tests()
    out = pd.DataFrame({"Fråga": t["question"].map(SHORT_QUESTIONS)})
    for key, label in ordinal.SPLITS.items():
        out[label] = t[f"p_{key}"].map(_p_cell)
    return out


def shrinkage_table(question: str, category: str = "high") -> pd.DataFrame:
    est = county_precision.shrinkage(question, category).sort_values("pooled", ascending=False)
    fun = county_precision.funnel(question, category)
    return pd.DataFrame(
        {
            "n": est["n"].astype(int),
            "Rå andel": est["raw"].map(fmt.share_pct),
            "Rå rang": est["raw_rank"].astype(int),
            "Sammanvägd": est["pooled"].map(fmt.share_pct),
            "95 % intervall": [
                fmt.interval(a, b) for a, b in zip(est["ci_low"], est["ci_high"], strict=True)
            ],
            "Rangintervall": [
                f"{int(a)}–{int(b)}" for a, b in zip(est["rank_low"], est["rank_high"], strict=True)
            ],
            "Tas tillbaka": est["pulled"].map(fmt.share_pct),
            "Tratten": fun.loc[est.index, "position"],
        },
        index=pd.Index(est.index, name="Län"),
    )


STATISTIC = {"zero": "Antal län med 0 %", "max": "Högsta länsandel"}


def claims_table() -> pd.DataFrame:
    c = county_precision.claims_vs_chance()

    def value(kind, v):
        return str(int(v)) if kind == "zero" else fmt.share_pct(v)

    def expected(kind, v):
        return fmt.num(v, 1) if kind == "zero" else fmt.share_pct(v)

    return pd.DataFrame(
        {
            "Påstående": c["claim"],
            "Fråga": c["label"] + ", " + c["category"].map(lambda v: side_word(v, inflected=True)),
            "Mått": c["statistic"].map(STATISTIC),
            "Extremaste län": c["regions"],
            "Utfall": [value(k, v) for k, v in zip(c["statistic"], c["observed"], strict=True)],
            "Väntat": [expected(k, v) for k, v in zip(c["statistic"], c["expected"], strict=True)],
            "p": c["p_fixed_margins"].map(_p_cell),
            "Holm": c["p_holm"].map(_p_cell),
            "p, binomial": c["p_binomial"].map(_p_cell),
        }
    )


def claims_texts() -> dict[str, str]:
    c = county_precision.claims_vs_chance().set_index("claim")
    zero = row(c, "C50")
    maxes = c[c["statistic"] == "max"]
    return {
        "lan-slump-zero-obs": str(int(zero["observed"])),
        "lan-slump-zero-exp": fmt.num(zero["expected"], 1),
        "lan-slump-zero-p": fmt.pvalue(zero["p_fixed_margins"]),
        "lan-slump-zero-pbin": fmt.pvalue(zero["p_binomial"]),
        "lan-slump-zero-verdict": (
            f"Att {int(zero['observed'])} län saknar positiva svar är alltså väl förenligt med "
            "att länen inte skiljer sig alls."
            if zero["p_fixed_margins"] >= ALPHA
            else f"Så många som {int(zero['observed'])} län utan positiva svar ger slumpen sällan."
        ),
        "lan-slump-n": str(len(c)),
        "lan-slump-nmax": str(len(maxes)),
        "lan-slump-nsig": str(int((maxes["p_holm"] < ALPHA).sum())),
        "lan-slump-nsig-raw": str(int((maxes["p_fixed_margins"] < ALPHA).sum())),
        "lan-slump-sig": chance_sentence(maxes, len(c)),
    }


def _count_word(n: int) -> str:
    """A count of claims ('påståenden', neuter): 'ett' for one, digits above, as the book reads
    ('ett av rapportens 8 påståenden', '2 av …'); :func:`kommunenkat.core.fmt.number_word`."""
    return fmt.number_word(n, neuter=True, up_to=1)


def chance_sentence(maxes: pd.DataFrame, family: int) -> str:
    """How many of the report's 'highest county' claims chance rarely produces, after Holm's
    adjustment over the ``family`` claims tested together and, beside it, without adjustment.

    ``maxes``: rows of :func:`county_precision.claims_vs_chance` (regions, label,
    p_fixed_margins, p_holm).
    """
    n = len(maxes)
    adj = maxes[maxes["p_holm"] < ALPHA]
    raw = maxes[maxes["p_fixed_margins"] < ALPHA]

    def names(rows, with_holm):
        return fmt.swedish_list(
            [
                f"{r['regions']} ({r['label'].lower()}, {fmt.pvalue(r['p_fixed_margins'])}"
                + (f", {fmt.pvalue(r['p_holm'])} efter justering" if with_holm else "")
                + ")"
                for _, r in rows.iterrows()
            ]
        )

    lead = (
        f"Efter Holm-justering för att {family} påståenden prövas samtidigt är "
        if len(adj) != 1
        else f"Efter Holm-justering för att {family} påståenden prövas samtidigt är bara "
    )
    if adj.empty:
        out = (
            f"{lead}inget av rapportens {n} påståenden om län med högst andel mer extremt än "
            "slumpen brukar ge (p < 0,05)."
        )
    else:
        out = (
            f"{lead}{_count_word(len(adj))} av rapportens {n} påståenden om län med högst andel "
            f"mer extrema än slumpen brukar ge (p < 0,05): {names(adj, False)}."
        )
    extra = raw[~raw.index.isin(adj.index)]
    if raw.empty:
        out += " Inget av dem gör det ens utan justering."
    elif not extra.empty:
        what = "gäller det" if len(adj) == 0 else "gäller det också"
        out += f" Utan justering {what} {_count_word(len(extra))}: {names(extra, True)}."
    return out


def homogeneity_counts() -> dict[str, str]:
    """The family of county homogeneity tests: how many have p < ALPHA after Holm and before.

    For the front page: ``lan-test`` tests, ``lan-test-under-holm`` below ALPHA after Holm's
    adjustment over the family (as the method chapter prescribes), ``lan-test-under`` unadjusted.
    """
    t = analysis.county_tests()
    return {
        "lan-test": str(len(t)),
        "lan-test-under-holm": str(int((t["p_holm"] < ALPHA).sum())),
        "lan-test-under": str(int((t["p_value"] < ALPHA).sum())),
    }


def ordinal_differences() -> dict[str, str]:
    """Where the whole-scale test and the tests of the collapsed shares reach different verdicts.

    Verdicts are after Holm's adjustment within each family the book defines: the four
    whole-scale tests (``p_permutation_holm``) and the eight share tests (``p_holm`` of
    :func:`analysis.county_tests`). "Clearer" compares the unadjusted p-values of one question
    and is left out where a resampling floor makes the order unknown.
    """
    t = ordinal.ordinal_tests()
    differ, clearer, unknown = [], [], []
    for _, r in t.iterrows():
        share = _share_test_floors(r["question"])
        p, p_adj = r["p_permutation"], r["p_permutation_holm"]
        (hi, hi_floor, hi_adj), (lo, lo_floor, lo_adj) = share["high"], share["low"]
        label = r["label"].lower()
        if (p_adj < ALPHA) != (min(hi_adj, lo_adj) < ALPHA):
            differ.append(
                f"{label} (hela skalan {fmt.pvalue(p_adj)}, positiva {fmt.pvalue(hi_adj)}, "
                f"negativa {fmt.pvalue(lo_adj)}, alla efter Holm-justering)"
            )
            continue
        p_floor = at_floor(p, r["n_resamples"])
        rel = [compare_p(p, p_floor, hi, hi_floor), compare_p(p, p_floor, lo, lo_floor)]
        if None in rel:
            unknown.append(label)
        elif rel == ["<", "<"]:
            clearer.append(
                f"{label} (hela skalan {fmt.pvalue(p)}, positiva {fmt.pvalue(hi)}, "
                f"negativa {fmt.pvalue(lo)}, ojusterade)"
            )
    splits = []
    for _, r in t.iterrows():
        ps = pd.Series({k: r[f"p_{k}"] for k in ordinal.SPLITS}).sort_values(kind="stable")
        tied = [k for k in ps.index if np.isclose(ps[k], ps.iloc[0], rtol=1e-9, atol=0)]
        where = fmt.swedish_list([ordinal.SPLITS[k] for k in tied])
        both = {1: "", 2: "båda "}.get(len(tied), "alla ")
        splits.append(f"{r['label'].lower()} vid {where} ({both}{fmt.pvalue(ps.iloc[0])})")
    n_scale, n_share = len(t), len(analysis.county_tests())
    families = (
        f"Efter Holm-justering inom varje familj av test (de {n_scale} testen på hela skalan, "
        f"de {n_share} testen av andelarna) blir slutsatsen om länsskillnader"
    )
    return {
        "lan-ord-differ-text": (
            f"{families} en annan på hela skalan än för de sammanslagna andelarna i fråga om "
            f"{fmt.swedish_list(differ)}."
            if differ
            else f"{families} densamma på hela skalan som för de sammanslagna andelarna i alla "
            f"{n_scale} frågorna."
        ),
        "lan-ord-clearer-text": (
            "Där slutsatserna är desamma ger hela skalan ett tydligare utslag (lägre ojusterat "
            f"p-värde) än båda andelarna i fråga om {fmt.swedish_list(clearer)}."
            if clearer
            else "Där slutsatserna är desamma ger hela skalan inte i någon fråga ett tydligare "
            "utslag (lägre ojusterat p-värde) än båda andelarna"
            + (
                f"; i fråga om {fmt.swedish_list(unknown)} ligger p-värdena vid "
                "simuleringarnas lägsta nivå och kan inte rangordnas."
                if unknown
                else "."
            )
        ),
        "lan-ord-splits": fmt.swedish_list(splits),
    }
