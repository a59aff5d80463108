"""Swedish glue strings and reader-facing tables of the whole-scale and county-precision analyses.

Built from :mod:`ordinal` and :mod:`county_precision`; formatting with :mod:`fmt`.
"""

from __future__ import annotations

import pandas as pd

from . import county_precision, fmt, ordinal
from .labels import CATEGORIES, REGION_NATIONAL, SHORT_QUESTIONS

ALPHA = ordinal.ALPHA


def _p_cell(p: float) -> str:
    """A p-value for a table cell whose heading says "p": '0,098' or '< 0,001' (narrow columns)."""
    return fmt.pvalue(p).replace(f"p{fmt.NBSP}={fmt.NBSP}", "").replace(f"p{fmt.NBSP}<", "<")


def _names(items) -> str:
    items = list(items)
    return fmt.swedish_list(items) if items else "inget län"


def ordinal_texts(question: str, prefix: str) -> dict[str, str]:
    """Glue strings: the whole-scale test beside the dichotomised ones, and the model check."""
    r = ordinal.ordinal_tests([question]).iloc[0]
    p, hi, lo = r["p_permutation"], r["p_high_dichotomised"], r["p_low_dichotomised"]
    if p < min(hi, lo):
        verdict = "ger ett tydligare utslag än båda testen av de sammanslagna andelarna"
    elif p > max(hi, lo):
        verdict = "ger ett svagare utslag än båda testen av de sammanslagna andelarna"
    else:
        verdict = "ger ett utslag mellan de två testen av de sammanslagna andelarna"
    po_ok = r["po_deviance_p"] >= ALPHA
    dist = ordinal.distribution(question).drop(index=REGION_NATIONAL)
    order = dist.sort_values(["balance", "mean_score"], ascending=False)
    top, bottom = order.iloc[0], order.iloc[-1]
    return {
        f"{prefix}-ord-p": fmt.pvalue(p),
        f"{prefix}-ord-pholm": fmt.pvalue(r["p_permutation_holm"]),
        f"{prefix}-ord-phigh": fmt.pvalue(hi),
        f"{prefix}-ord-plow": fmt.pvalue(lo),
        f"{prefix}-ord-verdict": verdict,
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
        f"{prefix}-ord-top": f"{top.name} ({fmt.pp(100 * top['balance'], 0)})",
        f"{prefix}-ord-bottom": f"{bottom.name} ({fmt.pp(100 * bottom['balance'], 0)})",
        f"{prefix}-ord-nat": fmt.pp(
            100 * ordinal.distribution(question).loc[REGION_NATIONAL, "balance"], 0
        ),
    }


def precision_texts(question: str, prefix: str, category: str = "high") -> dict[str, str]:
    """Glue strings of the funnel plot and the partially pooled estimates of one question."""
    fun = county_precision.funnel(question, category)
    est = county_precision.shrinkage(question, category)
    out95 = fun.index[fun["position"] != "inom"]
    out998 = fun.index[fun["position"].str.contains("99,8")]
    extremes = est.sort_values("raw")
    extreme_names = list(extremes.index[:3]) + list(extremes.index[-3:])
    small = [r for r in extreme_names if est.loc[r, "mainly_small_n"]]
    best = est.sort_values("pooled", ascending=False).iloc[0]
    return {
        f"{prefix}-tratt-nat": fmt.share_pct(fun["national"].iloc[0]),
        f"{prefix}-tratt-ut95": _names(out95),
        f"{prefix}-tratt-nut95": str(len(out95)),
        f"{prefix}-tratt-ut998": _names(out998),
        f"{prefix}-krymp-rho": fmt.num(est["rho_ml"].iloc[0], 3),
        f"{prefix}-krymp-prho": fmt.pvalue(est["p_rho_zero"].iloc[0]),
        f"{prefix}-krymp-small": _names(small),
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
            "Fråga": c["label"] + ", " + c["category"].map({"high": "positiva", "low": "negativa"}),
            "Mått": c["statistic"].map(STATISTIC),
            "Extremaste län": c["regions"],
            "Utfall": [value(k, v) for k, v in zip(c["statistic"], c["observed"], strict=True)],
            "Väntat": [expected(k, v) for k, v in zip(c["statistic"], c["expected"], strict=True)],
            "p": c["p_fixed_margins"].map(_p_cell),
            "p, binomial": c["p_binomial"].map(_p_cell),
        }
    )


def claims_texts() -> dict[str, str]:
    c = county_precision.claims_vs_chance().set_index("claim")
    zero = c.loc["C50"]
    maxes = c[c["statistic"] == "max"]
    below = maxes.index[maxes["p_fixed_margins"] < ALPHA]
    return {
        "lan-slump-zero-obs": str(int(zero["observed"])),
        "lan-slump-zero-exp": fmt.num(zero["expected"], 1),
        "lan-slump-zero-p": fmt.pvalue(zero["p_fixed_margins"]),
        "lan-slump-zero-pbin": fmt.pvalue(zero["p_binomial"]),
        "lan-slump-nmax": str(len(maxes)),
        "lan-slump-nsig": str(len(below)),
        "lan-slump-sig": _sig_sentence(maxes, below),
    }


def _sig_sentence(maxes: pd.DataFrame, below) -> str:
    """How many of the report's 'highest county' claims chance rarely produces (p < ALPHA)."""
    names = [
        f"{maxes.loc[i, 'regions']} ({maxes.loc[i, 'label'].lower()}, "
        f"{fmt.pvalue(maxes.loc[i, 'p_fixed_margins'])})"
        for i in below
    ]
    if not names:
        return "inget av dem ger ett län som är mer extremt än slumpen brukar ge"
    if len(names) == 1:
        return f"bara ett ger ett län som är mer extremt än slumpen brukar ge: {names[0]}"
    return (
        f"{len(names)} ger län som är mer extrema än slumpen brukar ge: {fmt.swedish_list(names)}"
    )


def ordinal_differences() -> dict[str, str]:
    """Where the whole-scale test and the tests of the collapsed shares reach different verdicts."""
    t = ordinal.ordinal_tests()
    differ, clearer = [], []
    for _, r in t.iterrows():
        p, hi, lo = r["p_permutation"], r["p_high_dichotomised"], r["p_low_dichotomised"]
        phrase = (
            f"{r['label'].lower()} (hela skalan {fmt.pvalue(p)}, positiva {fmt.pvalue(hi)}, "
            f"negativa {fmt.pvalue(lo)})"
        )
        if (p < ALPHA) != (min(hi, lo) < ALPHA):
            differ.append(phrase)
        elif p < min(hi, lo) and p >= 0.001:
            clearer.append(phrase)
    splits = []
    for _, r in t.iterrows():
        key = min(ordinal.SPLITS, key=lambda k: r[f"p_{k}"])
        splits.append(
            f"{r['label'].lower()} vid {ordinal.SPLITS[key]} ({fmt.pvalue(r[f'p_{key}'])})"
        )
    return {
        "lan-ord-differ": _names(differ).replace("inget län", "ingen fråga"),
        "lan-ord-clearer": _names(clearer).replace("inget län", "ingen fråga"),
        "lan-ord-splits": fmt.swedish_list(splits),
    }
