"""The county profiles' numbers and Swedish (issue 21): one page per report region, written at
build time by :mod:`kommunenkat.tooling.county_pages` from the one page template of
:mod:`.county_page`.

:func:`profile` gathers a region's numbers of the latest round from the analysis: the
reconstructed counts of every answer (:func:`reconstruct.county_counts`), the positive and
negative shares with their Wilson intervals and the test against the rest of the country,
Holm-adjusted over the regions (:func:`analysis.county_positive`), the funnel position
(:func:`county_precision.funnel`), the partially pooled estimate
(:func:`county_precision.pooled_estimates`, as in :func:`county_precision.shrinkage`) and
Manski's bounds among all the region's municipalities
(:func:`analysis.manski`). Every number a profile shows is one of these, formatted by
:mod:`kommunenkat.core.fmt`; ``tests/book/test_county_profiles.py`` compares them with the derived
tables for all 20 regions.

Privacy: a profile shows one region's row of the report's county tables (as reconstructed
counts, which ``data/derived/county_counts.csv`` publishes) and statistics of that row, nothing
finer: no municipality, no cross-tabulation of two questions (which could show one
municipality's answers together), no group smaller than the report's.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import cache

import pandas as pd

from kommunenkat.core import fmt
from kommunenkat.core.cells import as_float, as_int
from kommunenkat.core.labels import (
    REGION_NATIONAL,
    REGIONS,
    SCALE,
    SCALE_QUESTIONS,
    SHORT_QUESTIONS,
    side_word,
)
from kommunenkat.inference import analysis, county_precision, reconstruct, stats
from kommunenkat.text.frames import row

SIDES = ("high", "low")
# The answers as the profiles' tables name them (the scale's long labels are the report's).
LEVELS = {
    "very_high": "Mycket hög",
    "fairly_high": "Ganska hög",
    "middle": "Mitten",
    "fairly_low": "Ganska låg",
    "very_low": "Mycket låg",
    "dont_know": "Vet ej",
}
# Swedish alphabetical order: å, ä, ö after z (in that order).
_SWEDISH = str.maketrans({"å": "{", "ä": "|", "ö": "}"})
_ASCII = str.maketrans({"å": "a", "ä": "a", "ö": "o", "é": "e"})


def slug(region: str) -> str:
    """The file name of a region's profile: 'Västra Götaland' → 'vastra-gotaland'."""
    return re.sub(r"[^a-z0-9]+", "-", region.lower().translate(_ASCII)).strip("-")


def swedish_order(names) -> list[str]:
    """``names`` in Swedish alphabetical order (Skåne, Stockholm, Södermanland, …, Örebro)."""
    return sorted(names, key=lambda s: s.lower().translate(_SWEDISH))


@dataclass(frozen=True)
class Share:
    """A region's positive (``high``) or negative (``low``) share of one question."""

    category: str
    k: int
    n: int
    ci_low: float
    ci_high: float
    p_adjusted: float  # Fisher's test against the rest of the country, Holm over the regions
    differs: bool  # p_adjusted below ALPHA
    position: str  # in the funnel plot (county_precision.position_from_tails)
    pooled: float  # partially pooled estimate with its interval
    pooled_low: float
    pooled_high: float
    pulled: float  # the share of the deviation from the country the pooling takes back
    lower: float  # Manski's bounds among all the region's municipalities
    upper: float
    national_k: int
    national_n: int

    @property
    def share(self) -> float:
        return self.k / self.n

    @property
    def national(self) -> float:
        return self.national_k / self.national_n

    @property
    def rest(self) -> float:
        """The share among the respondents of every other region."""
        return (self.national_k - self.k) / (self.national_n - self.n)

    def national_interval(self) -> tuple[float, float]:
        iv = stats.wilson_interval(self.national_k, self.national_n, analysis.ALPHA)
        return iv[0], iv[1]


@dataclass(frozen=True)
class QuestionProfile:
    question: str
    n: int  # the region's municipalities that answered the question
    counts: dict[str, int]  # answers per category of SCALE
    national_counts: dict[str, int]
    national_n: int
    high: Share
    low: Share

    @property
    def label(self) -> str:
        return SHORT_QUESTIONS[self.question]

    def side(self, category: str) -> Share:
        return self.high if category == "high" else self.low


@dataclass(frozen=True)
class CountyProfile:
    region: str
    year: int
    municipalities: int
    respondents: int
    questions: tuple[QuestionProfile, ...]

    @property
    def response_rate(self) -> float:
        return self.respondents / self.municipalities

    @property
    def slug(self) -> str:
        return slug(self.region)


@cache
def pooled(question: str, category: str) -> pd.DataFrame:
    """The partially pooled estimates of every region (:func:`county_precision.pooled_estimates`
    on the counts of :func:`analysis.county_positive`): the columns of
    :func:`county_precision.shrinkage` the profiles show, without its maximum-likelihood fit,
    which they do not show and which took half the time of writing the profiles."""
    cp = analysis.county_positive(question, category)
    est = county_precision.pooled_estimates(cp["k"].astype(int), cp["n"].astype(int))
    est.index = cp.index
    return est


def _share(question: str, category: str, region: str, municipalities: int) -> Share:
    cp = analysis.county_positive(question, category)
    r = row(cp, region)
    fun = row(county_precision.funnel(question, category), region)
    est = row(pooled(question, category), region)
    k, n = as_int(r["k"]), as_int(r["n"])
    bounds = stats.manski_bounds(k, n, municipalities)
    return Share(
        category=category,
        k=k,
        n=n,
        ci_low=as_float(r["ci_low"]),
        ci_high=as_float(r["ci_high"]),
        p_adjusted=as_float(r["p_adjusted"]),
        differs=bool(r["differs_from_rest"]),
        position=str(fun["position"]),
        pooled=as_float(est["pooled"]),
        pooled_low=as_float(est["ci_low"]),
        pooled_high=as_float(est["ci_high"]),
        pulled=as_float(est["pulled"]),
        lower=bounds.lower,
        upper=bounds.upper,
        national_k=int(cp["k"].sum()),
        national_n=int(cp["n"].sum()),
    )


@cache
def profile(region: str) -> CountyProfile:
    """Everything a region's profile shows, for the latest round with county tables."""
    if region not in REGIONS:
        raise KeyError(f"{region!r} is not one of the report's 20 regions")
    response = row(reconstruct.county_response().set_index("region"), region)
    municipalities = as_int(response["municipalities"])
    counts = reconstruct.county_counts()
    counts = counts[counts["region"] == region]
    national = analysis.latest_counts()
    questions = []
    for q in SCALE_QUESTIONS:
        d = counts[counts["question"] == q].set_index("category")
        nat = row(national, q)
        questions.append(
            QuestionProfile(
                question=q,
                n=as_int(d["n"].iloc[0]),
                counts={c: as_int(row(d, c)["count"]) for c in SCALE},
                national_counts={c: as_int(nat[c]) for c in SCALE},
                national_n=as_int(nat["n"]),
                high=_share(q, "high", region, municipalities),
                low=_share(q, "low", region, municipalities),
            )
        )
    return CountyProfile(
        region=region,
        year=reconstruct.county_year(),
        municipalities=municipalities,
        respondents=as_int(response["respondents"]),
        questions=tuple(questions),
    )


def profiles() -> list[CountyProfile]:
    """Every region's profile, in the report's order."""
    return [profile(r) for r in REGIONS]


# --------------------------------------------------------------------------- phrases


def ki() -> str:
    """'95 %': the level of the book's intervals."""
    return fmt.pct(100 * (1 - analysis.ALPHA))


def points(n: int) -> str:
    """What one municipality of ``n`` is worth in a share: '20 procentenheter' (one decimal
    below 10: '2,5 procentenheter')."""
    value = 100 / n
    return fmt.pp(value, 0 if value >= 10 else 1, sign=False)


def worth(p: CountyProfile) -> str:
    """One municipality in the region's shares, over the questions' numbers of answers."""
    ns = sorted({q.n for q in p.questions})
    if len(ns) == 1:
        return points(ns[0])
    low, high = points(ns[-1]), points(ns[0])
    return f"{low.split(fmt.NBSP)[0]}–{high}"


def municipalities_word(count: int) -> str:
    """'en kommun', 'två kommuner', '12 kommuner'."""
    return f"{fmt.number_word(count)} {'kommun' if count == 1 else 'kommuner'}"


def those(count: int) -> str:
    """The municipalities that did not answer, as the subject of a relative clause: 'den kommun',
    'de tre kommuner'."""
    return "den kommun" if count == 1 else f"de {municipalities_word(count)}"


def with_interval(share: float, low: float, high: float) -> str:
    """'40 % (KI 12–77 %)'."""
    return f"{fmt.share_pct(share)} (KI {fmt.interval(low, high)})"


def count_share(k: int, n: int) -> str:
    """'2 av 5 (40 %)'."""
    return f"{fmt.count_of(k, n)} ({fmt.share_pct(k / n)})"


POSITION_WORDS = {
    "inom": "inom 95 %-gränserna",
    "över 95 %": "över den övre 95 %-gränsen",
    "över 99,8 %": "över den övre 99,8 %-gränsen",
    "under 95 %": "under den undre 95 %-gränsen",
    "under 99,8 %": "under den undre 99,8 %-gränsen",
}


def direction(s: Share) -> str:
    """'högre' or 'lägre': the region's share against the rest of the country."""
    return "högre" if s.share > s.rest else "lägre"


def comparison(qp: QuestionProfile, n_regions: int = len(REGIONS)) -> str:
    """Whether the region stands out from the rest of the country for this question, after the
    adjustment for testing all regions (Holm), and where the funnel plot puts it."""
    differs = [s for s in (qp.high, qp.low) if s.differs]
    adjusted = f"när hänsyn tas till att alla {n_regions} län prövas"
    if differs:
        parts = [
            f"den {side_word(s.category, inflected=True)} andelen är {direction(s)} än i övriga "
            f"landet ({fmt.share_pct(s.rest)}, {fmt.pvalue(s.p_adjusted)} efter Holm-justering)"
            for s in differs
        ]
        head = f"Länet skiljer sig från övriga landet även {adjusted}: {fmt.swedish_list(parts)}."
        same = [s for s in (qp.high, qp.low) if not s.differs]
        if same:
            head += (
                f" Den {side_word(same[0].category, inflected=True)} andelen skiljer sig inte "
                f"({fmt.pvalue(same[0].p_adjusted)})."
            )
    else:
        head = (
            f"Länet skiljer sig inte från övriga landet, varken i positiv eller negativ andel, "
            f"{adjusted} ({fmt.pvalue(qp.high.p_adjusted)} och {fmt.pvalue(qp.low.p_adjusted)} "
            "efter Holm-justering)."
        )
    places = {POSITION_WORDS[s.position] for s in (qp.high, qp.low)}
    if len(places) == 1:
        funnel = f"I trattdiagrammet ligger båda andelarna {places.pop()}"
    else:
        funnel = (
            f"I trattdiagrammet ligger den positiva andelen {POSITION_WORDS[qp.high.position]} "
            f"och den negativa {POSITION_WORDS[qp.low.position]}"
        )
    return f"{head} {funnel} (ett län i taget, utan den justeringen)."


def bounds_sentence(qp: QuestionProfile, municipalities: int) -> str:
    """Manski's bounds among all the region's municipalities, or that every one answered."""
    if qp.n == municipalities:
        return (
            f"Alla länets {municipalities} kommuner besvarade frågan, så andelarna gäller hela "
            "länet; intervallen ovan beskriver bara hur slumpmässiga bedömningarna är."
        )
    missing = municipalities - qp.n
    if missing == 1:
        rule = (
            "den lägre gränsen gäller om den kommun som inte besvarade frågan inte skulle ha gett "
            "det svaret, den högre om den skulle ha gjort det."
        )
    else:
        rule = (
            f"den lägre gränsen gäller om ingen av {those(missing)} som inte besvarade frågan "
            "skulle ha gett det svaret, den högre om alla skulle ha gjort det."
        )
    return (
        f"Bland alla länets {municipalities} kommuner ligger andelen positiva mellan "
        f"{fmt.share_pct(qp.high.lower)} och {fmt.share_pct(qp.high.upper)} och andelen negativa "
        f"mellan {fmt.share_pct(qp.low.lower)} och {fmt.share_pct(qp.low.upper)}: {rule}"
    )


def question_bullets(p: CountyProfile, qp: QuestionProfile) -> list[str]:
    """The profile's list for one question (MyST Markdown, one item each)."""
    out = []
    for s in (qp.high, qp.low):
        nat_low, nat_high = s.national_interval()
        out.append(
            f"**{side_word(s.category, inflected=True).capitalize()} svar:** "
            f"{fmt.count_of(s.k, s.n)} kommuner, "
            f"{with_interval(s.share, s.ci_low, s.ci_high)}; "
            f"riket {with_interval(s.national, nat_low, nat_high)}."
        )
    out.append(
        "**Sammanvägd skattning:** positiva "
        f"{with_interval(qp.high.pooled, qp.high.pooled_low, qp.high.pooled_high)}, negativa "
        f"{with_interval(qp.low.pooled, qp.low.pooled_low, qp.low.pooled_high)}. Den väger "
        "samman länets svar med alla läns och drar länets andel mot rikets, mer ju färre som "
        f"svarat: här tas {fmt.share_pct(qp.high.pulled)} av länets avvikelse från riket "
        "tillbaka."
    )
    out.append(f"**Mot övriga landet:** {comparison(qp)}")
    out.append(f"**Alla länets kommuner:** {bounds_sentence(qp, p.municipalities)}")
    out.append(f"**En kommun** väger {points(qp.n)} i länets andelar för den här frågan.")
    return out


def distribution_table(qp: QuestionProfile, region: str) -> pd.DataFrame:
    """The six answers of one question: the region's counts and shares beside the country's."""
    return pd.DataFrame(
        {
            "Svar": [LEVELS[c] for c in SCALE],
            region: [count_share(qp.counts[c], qp.n) for c in SCALE],
            REGION_NATIONAL: [fmt.share_pct(qp.national_counts[c] / qp.national_n) for c in SCALE],
        }
    )


def summary_table(p: CountyProfile) -> pd.DataFrame:
    """The four positive shares of the region beside the country's."""
    return pd.DataFrame(
        {
            "Fråga": [q.label for q in p.questions],
            "Positiva svar i länet": [count_share(q.high.k, q.high.n) for q in p.questions],
            REGION_NATIONAL: [fmt.share_pct(q.high.national) for q in p.questions],
        }
    )


def largest_gap(p: CountyProfile) -> str:
    """The share (positive or negative, any question) furthest from the country's, and how
    many of the region's municipalities the difference amounts to."""
    q, s = max(
        ((q, s) for q in p.questions for s in (q.high, q.low)),
        key=lambda qs: (abs(qs[1].share - qs[1].national), -qs[0].n),
    )
    diff = s.share - s.national
    exact = abs(diff) * s.n
    if exact < 1 - 1e-9:
        size = "Skillnaden är mindre än en kommuns svar."
    else:
        many = fmt.round_int(exact)
        about = "" if abs(exact - many) < 1e-9 else "ungefär "
        size = f"Skillnaden motsvarar {about}{municipalities_word(many)} av länets {s.n} svarande."
    return (
        f"Den största skillnaden mot riket gäller {q.label.lower()}: "
        f"{fmt.share_pct(s.share)} {side_word(s.category, inflected=True)} svar i länet mot "
        f"{fmt.share_pct(s.national)} i riket ({fmt.pp(100 * diff, 0)}). {size}"
    )


def stand_out(p: CountyProfile, n_regions: int = len(REGIONS)) -> str:
    """Which of the region's eight shares differ from the rest after the adjustment."""
    found = [
        (
            q,
            [f"{direction(s)} {side_word(s.category)} andel" for s in (q.high, q.low) if s.differs],
        )
        for q in p.questions
    ]
    found = [(q, sides) for q, sides in found if sides]
    if not found:
        return (
            "Ingen av länets andelar skiljer sig från övriga landets mer än slumpen kan förklara, "
            f"när hänsyn tas till att alla {n_regions} län prövas. Var länet hamnar i en "
            "rangordning av länen säger därför lite om hur Arbetsförmedlingen fungerar just här "
            "jämfört med andra län."
        )
    parts = [f"{q.label.lower()} ({fmt.swedish_list(sides)})" for q, sides in found]
    return (
        f"Även när hänsyn tas till att alla {n_regions} län prövas skiljer sig länet från "
        f"övriga landet i fråga om {fmt.swedish_list(parts)}. Övriga andelar ryms inom slumpens "
        "variation."
    )


def lead(p: CountyProfile) -> str:
    """The profile's opening paragraph, in plain Swedish: what the numbers show and what they
    cannot show."""
    if p.respondents == p.municipalities:
        who = (
            f"Alla {p.municipalities} kommuner i {p.region} besvarade enkäten {p.year}, och "
            f"varje kommun väger {worth(p)} i länets andelar."
        )
    else:
        few = "Med så få svar väger" if 100 / min(q.n for q in p.questions) >= 10 else "Där väger"
        who = (
            f"I {p.region} finns {p.municipalities} kommuner, och {p.respondents} av dem "
            f"besvarade enkäten {p.year} ({fmt.share_pct(p.response_rate)}). {few} varje "
            f"svarande kommun {worth(p)} i länets andelar."
        )
    missing = p.municipalities - min(q.n for q in p.questions)
    cannot = (
        "Siffrorna är kommunernas egna bedömningar av Arbetsförmedlingen. De kan visa hur de "
        "svarande kommunerna ser på myndighetens arbete i länet, men inte hur den faktiskt "
        "arbetar eller varför bedömningarna blev som de blev"
    )
    if missing:
        unanswered = (
            "inte svarade" if p.respondents < p.municipalities else "inte besvarade alla frågor"
        )
        cannot += (
            f", och inte hur {those(missing)} som {unanswered} skulle ha svarat: bland alla "
            "länets kommuner kan andelarna ligga inom de gränser som anges för varje fråga."
        )
    else:
        cannot += "; eftersom alla kommuner svarade finns inget bortfall att ta hänsyn till."
    return f"{who} {largest_gap(p)}\n\n{stand_out(p)} {cannot}"


def facts(p: CountyProfile) -> list[str]:
    """The profile's key facts: municipalities, respondents and response rate."""
    answered = sorted({q.n for q in p.questions})
    items = [
        f"**Kommuner i länet:** {p.municipalities}",
        f"**Svarande kommuner {p.year}:** {p.respondents} ({fmt.share_pct(p.response_rate)} "
        "svarsfrekvens)",
    ]
    if answered != [p.respondents]:
        items.append(
            "**Besvarade frågan:** "
            + fmt.swedish_list([f"{q.label.lower()} {q.n}" for q in p.questions])
        )
    items.append(f"**En kommun väger:** {worth(p)} i länets andelar")
    return items


def figure_alt(p: CountyProfile) -> str:
    """The small-multiples figure's alt text: the region's and the country's shares."""
    parts = [
        f"{q.label.lower()}: {fmt.share_pct(q.high.share)} positiva och "
        f"{fmt.share_pct(q.low.share)} negativa svar i länet, {fmt.share_pct(q.high.national)} "
        f"och {fmt.share_pct(q.low.national)} i riket"
        for q in p.questions
    ]
    return (
        f"Stapeldiagram med svarsfördelningen i {p.region} och i riket för fyra frågor; "
        f"{'; '.join(parts)}. Alla värden finns i tabellerna under diagrammet."
    )


def figure_caption(p: CountyProfile) -> str:
    n = ", ".join(str(q.n) for q in p.questions)
    return (
        f"Svarsfördelningen {p.year} i {p.region} (antal kommuner som besvarade frågorna: {n}) "
        f"och i riket, per fråga. Procent av de kommuner som besvarade frågan; antalen är "
        "rekonstruerade ur rapportens tabellbilaga."
    )
