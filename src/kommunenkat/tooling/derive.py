"""Write every derived file in ``data/derived/`` (``make derive``) or check they are current.

Each module that produces derived data exposes ``DERIVED``: a mapping of file name → function
returning a DataFrame. ``python -m kommunenkat.tooling.derive --check`` fails (exit 1) and names
every file whose committed content differs from what the code computes now, so a stale derived
file cannot be published.

Bad data stop both before anything is computed or written, with the ``make check-data`` report
(file, line, field) and no traceback: ``data/`` is validated first (:func:`data_problems`; the
derived files themselves are what this command rewrites, so their own problems do not block
it), and a table that still cannot be computed from validated data (e.g. county tables whose
counts reproduce every row but no national row) is named with the reason
(:class:`DeriveError`). Every table is computed before the first file is written.
"""

from __future__ import annotations

import io
import sys
from collections.abc import Callable

import pandas as pd

from kommunenkat.core import paths

# What the computations raise for data they cannot use (reconstruct, analysis: ValueError naming
# the region, question or round; a missing printed value: KeyError).
DATA_ERRORS = (ValueError, KeyError)


class DeriveError(Exception):
    """A derived table cannot be computed from the data; the message names the file and why."""


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


def compute(name: str, fn: Callable[[], pd.DataFrame]) -> str:
    """The text of one derived file; :class:`DeriveError` when the data do not allow it."""
    try:
        return render(fn())
    except DATA_ERRORS as exc:
        reason = exc.args[0] if isinstance(exc, KeyError) and exc.args else exc
        raise DeriveError(f"data/derived/{name} cannot be computed from data/: {reason}") from exc


def stale() -> list[str]:
    out = []
    for name, fn in registry().items():
        path = paths.DERIVED / name
        if not path.exists() or path.read_text(encoding="utf-8") != compute(name, fn):
            out.append(name)
    return out


def write_all() -> None:
    texts = {name: compute(name, fn) for name, fn in registry().items()}
    paths.DERIVED.mkdir(parents=True, exist_ok=True)
    for name, text in texts.items():
        (paths.DERIVED / name).write_text(text, encoding="utf-8")
        print(f"derive: wrote data/derived/{name}")


def data_problems() -> list[str]:
    """The ``make check-data`` errors of ``data/`` but those of the derived files (which this
    command rewrites), as ``file:line: message`` lines."""
    from kommunenkat.inputs.problems import relative_name
    from kommunenkat.inputs.validate import validate_all

    derived = relative_name(paths.DERIVED) + "/"
    return [str(p) for p in validate_all(paths.DATA).errors if not p.file.startswith(derived)]


def main(argv: list[str]) -> int:
    problems = data_problems()
    if problems:
        for p in problems:
            print(f"  ERROR {p}", file=sys.stderr)
        print(
            f"derive: data/ does not validate ({len(problems)} error(s) above, the "
            "`make check-data` report); nothing was derived",
            file=sys.stderr,
        )
        return 1
    check = argv[:1] == ["--check"]
    try:
        if check:
            bad = stale()
            for name in bad:
                print(
                    f"derive: data/derived/{name} is stale; run `make derive` and commit it",
                    file=sys.stderr,
                )
            return 1 if bad else 0
        write_all()
    except DeriveError as exc:
        print(f"derive: {exc}" + ("" if check else "; nothing was written"), file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
