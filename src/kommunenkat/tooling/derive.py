"""Write every derived file in ``data/derived/`` (``make derive``) or check they are current.

Each module that produces derived data exposes ``DERIVED``: a mapping of file name → function
returning a DataFrame. ``python -m kommunenkat.tooling.derive --check`` fails (exit 1) and names
every file whose committed content differs from what the code computes now, so a stale derived
file cannot be published.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable

import pandas as pd

from kommunenkat.core import paths


def registry() -> dict[str, Callable[[], pd.DataFrame]]:
    from kommunenkat.audit import checks
    from kommunenkat.inference import analysis, county_precision, ordinal, power, reconstruct

    out: dict[str, Callable[[], pd.DataFrame]] = {}
    for module in (reconstruct, checks, analysis, power, ordinal, county_precision):
        for name, fn in module.DERIVED.items():
            if name in out:
                raise ValueError(f"derived file {name} is produced twice")
            out[name] = fn
    return out


def render(df: pd.DataFrame) -> str:
    """The exact text a derived CSV is written with (UTF-8, LF, fixed float format)."""
    buf = io.StringIO()
    df.to_csv(buf, index=False, lineterminator="\n", float_format="%.6g")
    return buf.getvalue()


def stale() -> list[str]:
    out = []
    for name, fn in registry().items():
        path = paths.DERIVED / name
        if not path.exists() or path.read_text(encoding="utf-8") != render(fn()):
            out.append(name)
    return out


def write_all() -> None:
    paths.DERIVED.mkdir(parents=True, exist_ok=True)
    for name, fn in registry().items():
        (paths.DERIVED / name).write_text(render(fn()), encoding="utf-8")
        print(f"derive: wrote data/derived/{name}")


def main(argv: list[str]) -> int:
    if argv[:1] == ["--check"]:
        bad = stale()
        for name in bad:
            print(
                f"derive: data/derived/{name} is stale; run `make derive` and commit it",
                file=sys.stderr,
            )
        return 1 if bad else 0
    write_all()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
