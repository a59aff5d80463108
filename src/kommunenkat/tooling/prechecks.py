"""The checks before anything runs, shared by ``make html``/``make pdf`` and the preview.

- :func:`check_sources`: ``_config.yml`` and ``_toc.yml`` (valid YAML, a table of contents
  Jupyter Book can read, every page present) and every page's front matter (YAML, an installed
  kernel) and code fences (a stray or unclosed fence named at its own line). It returns the
  problems as ``file:line: message`` lines; :func:`sources_ok` prints them for the build.
- :func:`check_data`: ``data/`` validated (the same check as ``make check-data``) and every
  round's county tables reconstructed (:func:`reconstruction_problems`: county tables whose rows
  each have counts but no national row does stop here, named, not in a notebook's traceback); a
  success is remembered and told to the notebook kernels, so they need not validate again.
"""

from __future__ import annotations

import os
import re
import sys
from pathlib import Path
from typing import Any

from kommunenkat.core import paths
from kommunenkat.inputs.validated import VALIDATED_ENV, data_digest, validation_key
from kommunenkat.tooling.common import rel, say, toc_sources

FENCE = re.compile(r"^ {0,3}(`{3,}|~{3,}|:{3,})(.*)$")


def _yaml_problem(name: str, exc: Exception, offset: int = 0) -> str:
    """'file:line: message' for a YAML error, at the line the editor has to change."""
    mark = getattr(exc, "problem_mark", None)
    context = getattr(exc, "context", None) or ""
    problem = getattr(exc, "problem", None) or str(exc).splitlines()[0]
    if mark is None:
        return f"{name}: invalid YAML: {problem}"
    line, hint = mark.line + 1, ""
    context_mark = getattr(exc, "context_mark", None)
    if "flow" in context and context_mark is not None:
        # An unclosed [ or {: the parser notices on a later line; the slip is where it opened.
        line = context_mark.line + 1
        bracket = "[" if "sequence" in context else "{"
        hint = f" (the '{bracket}' opened on this line is not closed)"
    elif "block end" in problem or "indentation" in problem:
        hint = " (check the indentation of this line and the line above)"
    return f"{name}:{line + offset}: invalid YAML: {problem}{hint}"


def check_config() -> list[str]:
    """_config.yml and _toc.yml: valid YAML, a toc Jupyter Book can read, every page exists."""
    import yaml

    problems = []
    for name in ("_config.yml", "_toc.yml"):
        try:
            value = yaml.safe_load((paths.ROOT / name).read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            problems.append(_yaml_problem(name, exc))
            continue
        except OSError as exc:
            problems.append(f"{name}: cannot be read: {exc.strerror}")
            continue
        if not isinstance(value, dict):
            problems.append(f"{name}:1: expected 'key: value' lines (a YAML mapping)")
    if problems:
        return problems
    from sphinx_external_toc.parsing import MalformedError, parse_toc_yaml

    try:
        parse_toc_yaml(paths.ROOT / "_toc.yml")
    except MalformedError as exc:
        return [f"_toc.yml: {exc}"]
    except Exception as exc:  # noqa: BLE001 - any other reading problem, shown plainly
        return [f"_toc.yml: {type(exc).__name__}: {exc}"]
    text = (paths.ROOT / "_toc.yml").read_text(encoding="utf-8")
    for number, line in enumerate(text.splitlines(), 1):
        m = re.match(r"\s*-?\s*(?:file|root):\s*(\S+)\s*$", line)
        if m:
            page = m.group(1)
            if not any((paths.ROOT / (page + s)).is_file() for s in (".md", ".ipynb", ".rst")):
                problems.append(f"_toc.yml:{number}: no page {page}.md (check the file name)")
    return problems


def check_page(path: Path) -> list[str]:
    """A page's front matter (YAML between '---' lines) and its code fences."""
    import yaml

    name = rel(path)
    try:
        text = path.read_text(encoding="utf-8")
    except UnicodeDecodeError as exc:
        return [f"{name}: is not UTF-8 (byte 0x{exc.object[exc.start]:02x}); save it as UTF-8"]
    lines = text.splitlines()
    problems = []
    body = 0
    if lines and lines[0].strip() == "---":
        end = next((i for i, x in enumerate(lines[1:], 1) if x.strip() in ("---", "...")), None)
        if end is None:
            return [f"{name}:1: the header that starts with '---' is never closed with '---'"]
        try:
            header = yaml.safe_load("\n".join(lines[1:end]))
        except yaml.YAMLError as exc:
            problems.append(_yaml_problem(name, exc, offset=1))
        else:
            problems += _kernel_problem(name, header, lines[:end])
        body = end + 1
    opened: tuple[int, str, str] | None = None  # (line, marker, info)
    for i in range(body, len(lines)):
        m = FENCE.match(lines[i])
        if not m:
            continue
        marker, info = m.group(1), m.group(2).strip()
        if opened is None:
            if marker[0] == "`" and "`" in info:
                continue  # inline code such as ```x```, not a fence
            opened = (i + 1, marker, info)
            if info.startswith("{") and not re.match(r"^\{[\w:-]+\}", info):
                problems.append(
                    f"{name}:{i + 1}: the fence '{marker}{info}' lacks its closing '}}' "
                    "(write e.g. ```{code-cell} ipython3)"
                )
        elif marker[0] == opened[1][0] and len(marker) >= len(opened[1]) and not info:
            opened = None
        elif marker == opened[1] and marker[0] == "`" and info.startswith("{"):
            # A fence just as long with a directive (```{code-cell}, ```{glue:figure}, …) cannot
            # be inside the open block: that block lacks its closing fence (a stray ``` in the
            # prose, or a code cell whose closing ``` was deleted). Left as it is, the open block
            # swallows what follows (code cells, figures vanish) and only follow-on errors
            # further down would show: name the fence that was not closed, and go on from here.
            problems.append(_unclosed_before(name, opened, i + 1, marker, info))
            opened = (i + 1, marker, info)
        elif marker[0] == ":" and opened[1][0] == ":" and info:
            pass  # a nested colon directive
    if opened is not None:
        line, marker, info = opened
        what = f"'{marker}{info}'" if info else f"'{marker}'"
        problems.append(
            f"{name}:{line}: the fence {what} opened here is never closed "
            f"(add a line '{marker}' where it should end)"
        )
    return problems


def _kernel_problem(name: str, header: Any, lines: list[str]) -> list[str]:
    """A kernel name in the header that is not installed (else: 'NoSuchKernel', no line)."""
    kernel = (
        ((header or {}).get("kernelspec") or {}).get("name") if isinstance(header, dict) else None
    )
    if not kernel:
        return []
    from jupyter_client.kernelspec import KernelSpecManager

    known = sorted(KernelSpecManager().find_kernel_specs())
    if kernel in known:
        return []
    line = next(
        (
            i + 1
            for i, x in enumerate(lines)
            if re.match(rf"^\s+name:\s*['\"]?{re.escape(kernel)}", x)
        ),
        1,
    )
    return [
        f"{name}:{line}: unknown kernel '{kernel}' (the kernels here: {', '.join(known)}; "
        f"write name: {known[0] if known else 'python3'})"
    ]


def _unclosed_before(
    name: str, opened: tuple[int, str, str], line: int, marker: str, info: str
) -> str:
    """The message for a fence left open when the next directive fence starts."""
    start, open_marker, open_info = opened
    what = "the code cell" if info.startswith("{code-cell}") else f"'{marker}{info.split()[0]}'"
    if open_info.startswith("{code-cell}"):
        return (
            f"{name}:{start}: the code cell opened here is not closed before {what} on line "
            f"{line} (add a line '{open_marker}' after the cell's last line of code)"
        )
    fence = f"'{open_marker}{open_info}'" if open_info else f"'{open_marker}'"
    return (
        f"{name}:{start}: the fence {fence} opened here is not closed before {what} on line "
        f"{line} (a stray '{open_marker}': delete it; a code block: add a line '{open_marker}' "
        "where it ends)"
    )


def check_sources() -> list[str]:
    """Problems of the configuration, else of every page in the table of contents."""
    problems = check_config()
    if problems:
        return problems
    for page in toc_sources():
        problems += check_page(page)
    return problems


def sources_ok() -> bool:
    """The build's check of the sources (:func:`check_sources`) before anything runs: a stray or
    unclosed ``` is named at its own line, not through the errors it causes below."""
    problems = check_sources()
    if problems:
        say("the book's sources have mistakes; nothing was built. Fix:", err=True)
        for p in problems:
            print(f"  {p}", file=sys.stderr, flush=True)
    return not problems


def check_data() -> bool:
    """Validate data/; on success tell the notebook kernels (environment) they need not redo it.

    A successful validation is remembered (``_build/.data-validated``) and not repeated while
    the data files and the package's code stay byte-identical.
    """
    stamp = paths.BUILD / ".data-validated"
    key = validation_key()
    if not (stamp.exists() and stamp.read_text() == key):
        from kommunenkat.inputs.validate import validate_all

        report = validate_all(paths.DATA)
        problems = [] if not report.ok else reconstruction_problems()
        if not report.ok or problems:
            stamp.unlink(missing_ok=True)
            print(report.summary() if not report.ok else "\n".join(problems), file=sys.stderr)
            say(
                "data/ does not validate: nothing was built and the published book is unchanged.",
                err=True,
            )
            return False
        say(
            f"data/ validated: {len(report.files)} files, {len(report.known)} known "
            "inconsistencies of the source"
        )
        paths.BUILD.mkdir(parents=True, exist_ok=True)
        stamp.write_text(key)
    os.environ[VALIDATED_ENV] = data_digest()
    return True


def reconstruction_problems() -> list[str]:
    """Each round whose county tables no counts reproduce, as ``file:line: message`` (the line
    of the round's first national county row). ``make check-data`` rules out every row no counts
    can give on its own (:mod:`kommunenkat.inputs.printable`); what is left is a combination of
    rows that each have counts (:func:`kommunenkat.inference.reconstruct.solve`)."""
    from kommunenkat.core.labels import REGION_NATIONAL, SCALE
    from kommunenkat.inference import reconstruct
    from kommunenkat.inputs import data
    from kommunenkat.inputs.problems import numbered_rows, relative_name

    problems = []
    for year in data.county_years():
        try:
            reconstruct.solve(year)
        except ValueError as exc:
            line = next(
                (
                    n
                    for n, r in numbered_rows(paths.REPORT_FIGURES)
                    if r["year"] == str(year)
                    and r["region"] == REGION_NATIONAL
                    and r["category"] == SCALE[0]
                ),
                None,
            )
            where = relative_name(paths.REPORT_FIGURES) + (f":{line}" if line else "")
            problems.append(f"{where}: the county tables of {year} cannot be reconstructed: {exc}")
    return problems
