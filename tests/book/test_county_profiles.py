"""The county profiles (issue 21): one page per report region, written at build time from one
template (kommunenkat.tooling.county_pages).

Every number a profile shows is checked against the derived tables in ``data/derived/`` for all
20 regions (not a sample): the expected texts are formatted here from those files alone, and each
must appear in the generated page and, for the tests marked ``built``, in the built HTML page.
The verdict (does the region stand out after the adjustment for testing all regions?) must agree
with the county tests, the funnel and the pooled estimates; the statements must carry the
audit's verdicts; the rows for download must pass the privacy rule of the derived tables.
"""

from __future__ import annotations

import html
import json
import re
import shutil
import subprocess

import pandas as pd
import pytest

from kommunenkat.core import fmt, paths
from kommunenkat.core.labels import REGIONS, SCALE, SCALE_QUESTIONS, SHORT_QUESTIONS
from kommunenkat.inference import stats
from kommunenkat.inputs import privacy
from kommunenkat.text import county_page, county_profile
from kommunenkat.tooling import county_pages
from kommunenkat.tooling.measure import page_sizes

DERIVED = paths.DERIVED
SITE = paths.BUILD / "html"
TOOL = paths.ROOT / "tools" / "a11y"
SIDES = ("high", "low")
POSITION = {
    "inom": "inom 95 %-gränserna",
    "över 95 %": "över den övre 95 %-gränsen",
    "över 99,8 %": "över den övre 99,8 %-gränsen",
    "under 95 %": "under den undre 95 %-gränsen",
    "under 99,8 %": "under den undre 99,8 %-gränsen",
}


def _csv(name: str) -> pd.DataFrame:
    return pd.read_csv(DERIVED / name, keep_default_na=False)


@pytest.fixture(scope="module")
def derived() -> dict[str, pd.DataFrame]:
    names = ("county_counts", "county_response", "county_shares", "county_funnel")
    out = {n: _csv(f"{n}.csv") for n in names}
    out["county_shrinkage"] = _csv("county_shrinkage.csv")
    out["manski_bounds"] = _csv("manski_bounds.csv")
    out["county_tests"] = _csv("county_tests.csv")
    out["claims_audit"] = _csv("claims_audit.csv")
    return out


@pytest.fixture(scope="module")
def files() -> dict[str, str]:
    """Every file the build writes into lan/ (computed, not read from a build)."""
    return county_pages.pages()


def _text(page: str) -> str:
    """Plain text of a built page (tags removed, entities and spaces normalised) or of a
    generated one (MyST's bold and table bars removed)."""
    if "</html>" in page:
        page = html.unescape(re.sub(r"<[^>]+>", " ", page))
    return re.sub(r"[ \t\r\n\u00a0\u202f]+", " ", page.replace("**", "").replace("|", " "))


def _norm(s: str) -> str:
    return re.sub(r"[ \t\r\n\u00a0\u202f]+", " ", s)


def _row(frame: pd.DataFrame, **keys) -> pd.Series:
    sel = frame
    for k, v in keys.items():
        sel = sel[sel[k] == v]
    assert len(sel) == 1, keys
    return sel.iloc[0]


def _iv(share: float, lo: float, hi: float) -> str:
    return f"{fmt.share_pct(share)} (KI {fmt.interval(lo, hi)})"


def _same(printed: object, computed: float) -> float:
    """``computed`` (the package's value), after checking that the derived table holds it to
    its printed precision (six significant digits): a value the table prints as 0.105 may be
    0.1049996, which the page rounds to 10 %, so the page is formatted from the full value."""
    assert float(printed) == pytest.approx(computed, rel=1e-5, abs=1e-9), (printed, computed)
    return computed


def expected_texts(region: str, d: dict[str, pd.DataFrame]) -> list[str]:
    """What the region's profile must say: every number of the derived tables (checked equal to
    the package's results, :func:`_same`), formatted as the book formats numbers."""
    p = county_profile.profile(region)
    resp = _row(d["county_response"], region=region)
    year = int(_csv("changes.csv")["year_to"].iloc[0])
    assert (p.municipalities, p.respondents, p.year) == (
        resp["municipalities"],
        resp["respondents"],
        year,
    )
    rate = _same(resp["response_rate"], p.response_rate)
    out = [
        f"Kommuner i länet: {int(resp['municipalities'])}",
        f"Svarande kommuner {year}: {int(resp['respondents'])} "
        f"({fmt.share_pct(rate)} svarsfrekvens)",
    ]
    counts = d["county_counts"]
    for qp in p.questions:
        q = qp.question
        mine = counts[(counts["region"] == region) & (counts["question"] == q)]
        alla = counts[counts["question"] == q]
        n = int(mine["n"].iloc[0])
        big_n = int(alla.drop_duplicates("region")["n"].sum())
        assert (n, big_n) == (qp.n, qp.national_n)
        for c in SCALE:
            k = int(_row(mine, category=c)["count"])
            nat = int(alla[alla["category"] == c]["count"].sum())
            assert (k, nat) == (qp.counts[c], qp.national_counts[c])
            out.append(
                f"{fmt.count_of(k, n)} ({fmt.share_pct(k / n)}) {fmt.share_pct(nat / big_n)}"
            )
        out.append(f"väger {county_profile.points(n)} i länets andelar för den här frågan")
        for cat in SIDES:
            side = qp.side(cat)
            s = _row(d["county_shares"], question=q, category=cat, region=region)
            k, n_ = int(s["k"]), int(s["n"])
            assert (k, n_) == (side.k, side.n)
            shares = d["county_shares"]
            big_k = int(shares[(shares["question"] == q) & (shares["category"] == cat)]["k"].sum())
            lo, hi = stats.wilson_interval(big_k, big_n, 0.05)[:2]
            ci = (_same(s["ci_low"], side.ci_low), _same(s["ci_high"], side.ci_high))
            out.append(
                f"{fmt.count_of(k, n_)} kommuner, {_iv(k / n_, *ci)}; "
                f"riket {_iv(big_k / big_n, lo, hi)}"
            )
            assert str(s["differs_from_rest"]) == str(side.differs)
            out.append(fmt.pvalue(_same(s["p_adjusted"], side.p_adjusted)))
            est = _row(d["county_shrinkage"], question=q, category=cat, region=region)
            pooled = (
                _same(est["pooled"], side.pooled),
                _same(est["ci_low"], side.pooled_low),
                _same(est["ci_high"], side.pooled_high),
            )
            out.append(_iv(*pooled))
            m = _row(d["manski_bounds"], question=q, category=cat, region=region)
            if not m["complete"]:
                lower, upper = _same(m["lower"], side.lower), _same(m["upper"], side.upper)
                out.append(f"mellan {fmt.share_pct(lower)} och {fmt.share_pct(upper)}")
        est = _row(d["county_shrinkage"], question=q, category="high", region=region)
        out.append(f"tas {fmt.share_pct(_same(est['pulled'], qp.high.pulled))} av länets avvikelse")
        hi_pos = _row(d["county_funnel"], question=q, category="high", region=region)["position"]
        lo_pos = _row(d["county_funnel"], question=q, category="low", region=region)["position"]
        out.append(
            f"ligger båda andelarna {POSITION[hi_pos]}"
            if hi_pos == lo_pos
            else f"den positiva andelen {POSITION[hi_pos]} och den negativa {POSITION[lo_pos]}"
        )
    return [_norm(x) for x in out]


def _page(files: dict[str, str], region: str) -> str:
    return files[f"{county_profile.slug(region)}.md"]


def _own_part(text: str) -> str:
    """A profile's text before the report's statements (which quote the audit)."""
    return text.split("Rapportens påståenden om länet")[0]


# --------------------------------------------------------------------------- the pages


def test_one_template_makes_a_page_figure_and_csv_per_region(files):
    slugs = [county_profile.slug(r) for r in REGIONS]
    assert len(set(slugs)) == 20
    assert sorted(files) == sorted(
        [f"{s}.{ext}" for s in slugs for ext in ("md", "svg", "csv")] + ["oversikt.inc"]
    )
    headings = None
    for region in REGIONS:
        page = _page(files, region)
        assert "$" not in page, region  # every placeholder of the template filled in
        assert page.count(f"\n# {region}\n") == 1
        found = re.findall(r"^## (.+)$", page, re.M)
        assert headings in (None, found), region  # the same sections on every profile
        headings = found
    assert headings == [
        "Svaren i korthet",
        *SHORT_QUESTIONS.values(),
        "Rapportens påståenden om länet",
        "Ladda ner länets siffror",
    ]


@pytest.mark.parametrize("region", REGIONS)
def test_every_number_on_a_profile_equals_the_derived_tables(region, files, derived):
    page = _norm(_text(_page(files, region)))
    missing = [t for t in expected_texts(region, derived) if t not in page]
    assert not missing, f"{region}: not on the page:\n" + "\n".join(missing)


@pytest.mark.parametrize("region", REGIONS)
def test_no_other_percentage_on_a_profile(region, files, derived):
    """Every percentage of a profile's own text is one of the values checked against the
    derived tables above (the region's, the rest of the country's or the country's), or a level
    of the intervals and the funnel's limits."""
    expected_texts(region, derived)  # the values below equal the derived tables
    p = county_profile.profile(region)
    values = [p.response_rate]
    for qp in p.questions:
        values += [qp.counts[c] / qp.n for c in SCALE]
        values += [qp.national_counts[c] / qp.national_n for c in SCALE]
        for s in (qp.high, qp.low):
            values += [s.share, s.ci_low, s.ci_high, s.pooled, s.pooled_low, s.pooled_high]
            values += [s.pulled, s.lower, s.upper, s.national, s.rest, *s.national_interval()]
    allowed = {_norm(fmt.share_pct(v)) for v in values} | {"95 %", "99,8 %"}
    text = _own_part(_text(_page(files, region)))
    text = re.sub(r"(\d+)–(\d+)\s%", r"\1 % \2 %", text)  # both ends of an interval
    shown = {f"{m} %" for m in re.findall(r"(\d+(?:,\d+)?)\s%", text)}
    assert shown - allowed == set(), region


@pytest.mark.parametrize("region", REGIONS)
def test_verdict_agrees_with_county_tests_funnel_and_pooling(region, derived):
    p = county_profile.profile(region)
    tests = derived["county_tests"]
    for qp in p.questions:
        for s in (qp.high, qp.low):
            singled = _row(tests, question=qp.question, category=s.category)["singled_out"]
            assert s.differs == (region in [x for x in singled.split(", ") if x]), (qp, s)
            fun = _row(derived["county_funnel"], question=qp.question, category=s.category,
                       region=region)  # fmt: skip
            assert s.position == fun["position"]
            est = _row(derived["county_shrinkage"], question=qp.question, category=s.category,
                       region=region)  # fmt: skip
            assert fmt.share_pct(s.pooled) == fmt.share_pct(float(est["pooled"]))
            assert (s.pooled_low, s.pooled_high) == pytest.approx(
                (est["ci_low"], est["ci_high"]), rel=1e-5
            )
        sentence = county_profile.comparison(qp)
        differs = qp.high.differs or qp.low.differs
        assert sentence.startswith(
            "Länet skiljer sig från" if differs else "Länet skiljer sig inte"
        )
    lead = county_profile.lead(p)
    any_differs = any(s.differs for q in p.questions for s in (q.high, q.low))
    assert ("Ingen av länets andelar skiljer sig" in lead) == (not any_differs)


def test_the_regions_that_stand_out_are_those_of_the_county_tests(derived):
    """The overview's note names exactly the regions the county tests single out."""
    note = county_page.overview_note(county_profile.profiles())
    singled = {r for s in derived["county_tests"]["singled_out"] for r in s.split(", ") if r}
    for region in REGIONS:
        assert (f"{region} (" in note) == (region in singled), region


@pytest.mark.parametrize("region", REGIONS)
def test_statements_carry_the_audit_verdict_and_link(region, files, derived):
    audit = derived["claims_audit"].set_index("id")
    claims = pd.read_csv(paths.CLAIMS, dtype=str, keep_default_na=False)
    names = {region, *(["Stockholm/Gotland"] if region.startswith("Stockholm") else [])}
    expected = [
        c.id for c in claims.itertuples() if any(n in c.claimed.split("; ") or
        any(x.startswith(n + " ") for x in c.claimed.split("; ")) for n in names)
    ]  # fmt: skip
    found = county_pages.statements(region)
    assert [s.id for s in found] == expected
    page = _norm(_text(_page(files, region)))
    for s in found:
        assert (s.verdict, s.explanation) == (
            audit.loc[s.id, "verdict"],
            audit.loc[s.id, "explanation"],
        )
        assert _norm(f"{s.id} ”{s.quote}”") in page
        assert _norm(f"Bedömning: {s.verdict}. {s.explanation}") in page
    assert "<tbl-granskning>`" in _page(files, region)


def test_jamtland_names_three_statements():
    assert [s.id for s in county_pages.statements("Jämtland")] == ["C24", "C55", "C62"]


@pytest.mark.parametrize("region", REGIONS)
def test_rows_for_download_equal_the_derived_tables_and_keep_the_privacy_rule(
    region, files, derived, tmp_path
):
    f = tmp_path / f"{county_profile.slug(region)}.csv"
    f.write_text(files[f.name], encoding="utf-8")
    rows = pd.read_csv(f)
    assert set(rows["region"]) == {region}
    counts = derived["county_counts"]
    for r in rows[rows["category"].isin(SCALE)].itertuples():
        c = _row(counts, region=region, question=r.question, category=r.category)
        assert (r.count, r.n) == (c["count"], c["n"])
    for r in rows[rows["category"].isin(SIDES)].itertuples():
        s = _row(derived["county_shares"], region=region, question=r.question, category=r.category)
        m = _row(derived["manski_bounds"], region=region, question=r.question, category=r.category)
        assert (r.count, r.n) == (s["k"], s["n"])
        assert (r.ci_low, r.ci_high, r.p_adjusted) == pytest.approx(
            (s["ci_low"], s["ci_high"], s["p_adjusted"]), rel=1e-5
        )
        assert str(r.differs_from_rest) == str(s["differs_from_rest"])
        assert (r.manski_lower, r.manski_upper) == pytest.approx((m["lower"], m["upper"]), rel=1e-5)
    threshold, _ = privacy.smallest_group()
    assert privacy.check_table(f, threshold) == []


def test_the_privacy_rule_stops_a_profile_with_a_small_group(tmp_path):
    (tmp_path / "liten.csv").write_text(
        "region,question,category,count,n\nBlekinge,q,high,1,2\n", encoding="utf-8"
    )
    assert any(
        "smaller than the report's smallest" in p for p in county_pages.check_privacy(tmp_path)
    )


def test_swedish_order_and_slugs():
    assert county_profile.slug("Stockholm samt Gotland") == "stockholm-samt-gotland"
    assert county_profile.slug("Västra Götaland") == "vastra-gotaland"
    ordered = county_profile.swedish_order(REGIONS)
    assert ordered[:2] == ["Blekinge", "Dalarna"]
    assert ordered[-2:] == ["Örebro", "Östergötland"]
    assert (
        ordered.index("Skåne")
        < ordered.index("Stockholm samt Gotland")
        < ordered.index("Södermanland")
    )
    docs = county_pages.swedish_docnames([f"lan/{county_profile.slug(r)}" for r in REGIONS])
    assert docs[-1] == "lan/ostergotland" and docs[0] == "lan/blekinge"


def test_what_one_municipality_is_worth():
    assert county_profile.points(5) == "20\u00a0procentenheter"
    assert county_profile.points(40) == "2,5\u00a0procentenheter"
    jamtland = county_profile.profile("Jämtland")
    assert "väger varje svarande kommun 20\u00a0procentenheter" in county_profile.lead(jamtland)


def test_the_ditt_lan_overview_lists_and_maps_every_region(files):
    inc = files["oversikt.inc"]
    for region in REGIONS:
        slug = county_profile.slug(region)
        assert f"</lan/{slug}>`" in inc  # the list
        assert f'href="../lan/{slug}.html"' in inc  # the tile map
    assert inc.index("::::{only} html") < inc.index(":name: tbl-ditt-lan")  # the table: in the PDF


# --------------------------------------------------------------------------- the built site


def _site_page(region: str) -> str:
    return (SITE / "lan" / f"{county_profile.slug(region)}.html").read_text(encoding="utf-8")


@pytest.mark.built("html/lan/jamtland.html")
@pytest.mark.parametrize("region", REGIONS)
def test_every_built_profile_shows_the_derived_numbers(region, derived):
    page = _norm(_text(_site_page(region)))
    missing = [t for t in expected_texts(region, derived) if t not in page]
    assert not missing, f"{region}: not on the built page:\n" + "\n".join(missing)
    # its own figure and its rows for download
    assert re.search(rf'<img[^>]+src="[^"]*{county_profile.slug(region)}\.svg"', _site_page(region))
    assert re.search(rf'href="[^"]*{county_profile.slug(region)}\.csv"', _site_page(region))


@pytest.mark.built("html/lan/jamtland.html")
def test_profiles_are_in_swedish_order_under_ditt_lan():
    page = (SITE / "book" / "ditt-lan.html").read_text(encoding="utf-8")
    start = page.index("bd-docs-nav")
    nav = page[start : page.index("</nav>", start)]
    found = re.findall(r'href="(?:\.\./)?lan/([a-z-]+)\.html"', nav)
    expected = [county_profile.slug(r) for r in county_profile.swedish_order(REGIONS)]
    assert [s for s in dict.fromkeys(found) if s in expected] == expected


@pytest.mark.built("html/lan/jamtland.html")
def test_a_profile_weighs_no_more_than_a_chapter_page():
    chapters = page_sizes(SITE)
    lightest = min(v for k, v in chapters.items() if re.search(r"/0[1-5]_", k))
    profiles = {}
    for f in sorted((SITE / "lan").glob("*.html")):
        size = f.stat().st_size
        for ref in set(re.findall(r'(?:src|href)="([^"#?]+\.(?:svg|csv))"', f.read_text("utf-8"))):
            size += (f.parent / ref).resolve().stat().st_size
        profiles[f.name] = size
    assert len(profiles) == 20
    assert max(profiles.values()) <= lightest, (
        max(profiles.items(), key=lambda kv: kv[1]),
        lightest,
    )


@pytest.mark.built("pdf/kommunenkat.pdf", target="make pdf")
def test_the_pdf_has_the_overview_table_and_no_profile():
    """The PDF carries the one overview table (a row per region) on the "Ditt län" page, which
    takes at most five pages, and none of the profiles (they are on the site)."""
    pdf = paths.BUILD / "pdf" / "kommunenkat.pdf"
    text = subprocess.run(["pdftotext", "-layout", str(pdf), "-"], capture_output=True,
                          text=True, check=True).stdout  # fmt: skip
    pages = [_norm(p) for p in text.split("\f")]
    start = next(i for i, p in enumerate(pages) if "Välj ditt län" in p or
                 re.search(r"Ditt län .*Rapporten redovisar länen", p))  # fmt: skip
    end = next(
        i for i in range(start + 1, len(pages)) if "Om undersökningen och metoden" in pages[i]
    )
    assert end - start <= 5, (start, end)
    ditt = " ".join(pages[start : end + 1])
    for region in REGIONS:
        assert region.split()[0] in ditt, region
    assert "Kommuner i länet:" not in " ".join(pages)  # a profile's facts: not in the PDF
    assert "Välj ditt län på kartan" not in " ".join(pages)


@pytest.mark.built("html/lan/jamtland.html")
def test_reader_reaches_jamtland_in_two_clicks_from_the_front_page(derived):
    """Headless Chromium (tools/a11y/reader-check.mjs): the front page's link to "Ditt län",
    then Jämtland on the tile map; the profile names the county, its respondents and the four
    positive shares."""
    node = shutil.which("node")
    assert node, "node is missing: run `make setup`"
    run = subprocess.run(
        [node, str(TOOL / "reader-check.mjs"), str(SITE), "Jämtland"],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=paths.ROOT,
    )
    assert run.returncode == 0, run.stderr
    result = json.loads(run.stdout)
    assert result["clicks"] == 2
    assert result["url"].endswith("lan/jamtland.html")
    assert result["h1"] == "Jämtland"
    text = _norm(result["text"])
    resp = _row(derived["county_response"], region="Jämtland")
    assert f"{int(resp['respondents'])} av dem besvarade enkäten" in text
    for q in SCALE_QUESTIONS:
        s = _row(derived["county_shares"], question=q, category="high", region="Jämtland")
        share = f"{fmt.count_of(s['k'], s['n'])} ({fmt.share_pct(s['k'] / s['n'])})"
        assert _norm(f"{SHORT_QUESTIONS[q]} {share}") in text, q
