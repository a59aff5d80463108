"""kommunenkat.inputs.printable: which numbers of answering municipalities can print a county
row, decided by interval bounds, against a brute-force search and the reconstruction."""

from __future__ import annotations

import itertools
import random

from kommunenkat.core.labels import AGGREGATES, REGIONS, SCALE
from kommunenkat.inference import reconstruct
from kommunenkat.inputs import printable


def _printed(counts: tuple[int, ...]) -> dict[str, int]:
    n = sum(counts)
    c = dict(zip(SCALE, counts, strict=True))
    out = {k: (200 * v + n) // (2 * n) for k, v in c.items()}
    for agg, parts in AGGREGATES.items():
        out[agg] = (200 * sum(c[p] for p in parts) + n) // (2 * n)
    return out


def _brute_force(percents: dict[str, int], max_n: int) -> list[int]:
    found = []
    for n in range(1, max_n + 1):
        for head in itertools.product(range(n + 1), repeat=len(SCALE) - 1):
            if sum(head) <= n and _printed((*head, n - sum(head))) == percents:
                found.append(n)
                break
    return found


def test_half_up_counts_follow_the_reports_rounding():
    assert printable.half_up_counts(8, 13) == (1, 1)  # 1/8 = 12.5 % is printed 13
    assert printable.half_up_counts(8, 12) == (1, 0)  # ... so nothing of 8 is printed 12
    assert printable.half_up_counts(240, 13) == (30, 32)  # 30/240 = 12.5 %, 32/240 = 13.3 %
    assert printable.half_up_counts(5, 0) == (0, 0) and printable.half_up_counts(5, 100) == (5, 5)


def test_possible_n_agrees_with_a_brute_force_search():
    rng = random.Random(24)
    rows = []
    for _ in range(60):
        n = rng.randint(1, 8)
        cuts = sorted(rng.randint(0, n) for _ in range(len(SCALE) - 1))
        counts = tuple(b - a for a, b in zip([0, *cuts], [*cuts, n], strict=True))
        rows.append(_printed(counts))
    rows.append({**rows[0], "high": (rows[0]["high"] + 7) % 100})  # an impossible aggregate
    for percents in rows:
        assert printable.possible_n(percents, 8) == _brute_force(percents, 8), percents


def test_every_reconstructed_county_cell_is_printable():
    """The validator never rejects what the reconstruction of the real tables found."""
    rec = reconstruct.solve()
    for (region, question), sol in rec.chosen.items():
        printed = {c: int(rec.printed[question].loc[region, c]) for c in [*SCALE, *AGGREGATES]}
        assert sol.n in printable.possible_n(printed, rec.municipalities[region]), (
            region,
            question,
        )
    assert set(rec.regions) == set(REGIONS)
