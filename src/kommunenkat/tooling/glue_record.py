"""Writes the registry of glue keys (:mod:`kommunenkat.tooling.glue_keys`) by executing the pages.

``python -m kommunenkat.tooling.glue_record --write`` executes every page's code cells in this
process, in the page's directory and one namespace per page as its kernel would, with myst-nb's
``glue`` replaced by a :class:`Recorder`. For each glue call the recorder finds the code that
glued it: the page line or the package function calling ``publish.glue_text``/``glue_many``/
``glue_figure``, and for ``glue_many(make(...))`` the function ``make`` (narrowed to the function
of its module that writes the key as a literal, when one does). About a minute.

``--dump PATH`` writes every glued value (in the order glued) and every cell's printed, displayed
and result output as JSON: two dumps compared prove that a refactoring changes no value a page
glues (``--page`` for some pages only).
"""

from __future__ import annotations

import argparse
import ast
import contextlib
import inspect
import io
import json
import os
import re
import sys
import types
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kommunenkat.tooling.glue_keys import REGISTRY, Row, pages, rel, used_keys, write_registry

CODE_CELL = re.compile(r"^(`{3,})\{code-cell\}")
# The functions that glue (kommunenkat.text.publish and myst-nb's own).
GLUE_FUNCTIONS = {"glue", "glue_text", "glue_many", "glue_figure", "glue_markdown"}


@dataclass
class Cell:
    line: int  # 1-based line of the cell's first code line in the page
    source: str


def code_cells(text: str) -> list[Cell]:
    """The ``{code-cell}`` blocks of a MyST notebook, without their options."""
    lines = text.splitlines()
    cells = []
    i = 0
    while i < len(lines):
        m = CODE_CELL.match(lines[i])
        if not m:
            i += 1
            continue
        fence = m.group(1)
        j = i + 1
        if j < len(lines) and lines[j].strip() == "---":  # YAML options
            j += 1
            while j < len(lines) and lines[j].strip() != "---":
                j += 1
            j += 1
        while j < len(lines) and re.match(r"^:[\w-]+:", lines[j]):
            j += 1
        end = j
        while end < len(lines) and lines[end].rstrip() != fence:
            end += 1
        cells.append(Cell(j + 1, "\n".join(lines[j:end]) + "\n"))
        i = end + 1
    return cells


@dataclass
class Glued:
    key: str
    value: str  # the text, a Markdown's data, or a description of a figure
    producer: str
    site: str
    written: str


def _describe(value: object) -> str:
    if isinstance(value, str):
        return value
    data = getattr(value, "data", None)
    if isinstance(data, str):  # IPython.display.Markdown
        return f"{type(value).__name__}: {data}"
    return f"<{type(value).__module__}.{type(value).__name__}>"


class Recorder:
    """Stands in for ``myst_nb.glue``: records each key, its value and who glued it."""

    def __init__(self) -> None:
        self.glued: list[Glued] = []
        self.cells: dict[str, list[ast.Module]] = {}  # page -> parsed cells (page line numbers)
        self.modules: dict[str, ast.Module] = {}
        self.skip = {str(Path(__file__).resolve())}
        from kommunenkat.text import publish

        self.skip.add(str(Path(publish.__file__).resolve()))

    def glue(self, name: str, variable: object, display: bool = True) -> None:
        frame = inspect.currentframe()
        while frame is not None and str(Path(frame.f_code.co_filename).resolve()) in self.skip:
            frame = frame.f_back
        if frame is None:
            raise RuntimeError(f"glue({name!r}) called from no page and no function")
        producer, site, written = self.attribute(frame, name)
        self.glued.append(Glued(name, _describe(variable), producer, site, written))

    def trees(self, filename: str) -> list[ast.Module]:
        path = str(Path(filename).resolve())
        if path.endswith(".md"):
            return self.cells[path]
        if path not in self.modules:
            source = Path(path).read_text(encoding="utf-8")
            self.modules[path] = ast.parse(source)
            _annotate(self.modules[path], source)
        return [self.modules[path]]

    def attribute(self, frame: types.FrameType, key: str) -> tuple[str, str, str]:
        """(producer, site, written) of the glue of ``key`` the frame is executing."""
        filename = frame.f_code.co_filename
        line = frame.f_lineno
        site = rel(filename)
        if filename.endswith(".md"):
            here = site
        else:
            here = f"{frame.f_globals['__name__']}.{frame.f_code.co_qualname}"
        calls = [
            n
            for tree in self.trees(filename)
            for n in ast.walk(tree)
            if isinstance(n, ast.Call)
            and _name(n.func) in GLUE_FUNCTIONS
            and n.lineno <= line <= (n.end_lineno or n.lineno)
            and n.args
        ]
        if not calls:
            return here, site, ""
        call = min(calls, key=lambda n: (n.end_lineno or n.lineno) - n.lineno)
        arg = call.args[0]
        if _name(call.func) != "glue_many":
            return here, site, _source(arg)
        made = arg
        if isinstance(arg, ast.Name):  # glue_many(texts) after texts = make(...)
            made = _last_assignment(self.trees(filename), arg.id, call.lineno) or arg
        if isinstance(made, ast.Dict):  # glue_many({"key": …, …}): the key as written
            for k in made.keys:
                if isinstance(k, ast.Constant) and k.value == key:
                    return here, site, _source(k)
        if isinstance(made, ast.Call):
            func = _resolve(made.func, frame)
            if func is not None:
                written = _source(made) if _source(made) in _text(filename) else _source(arg)
                return _narrowed(func, key), site, written
        return here, site, _source(arg)


def _text(filename: str) -> str:
    return Path(filename).read_text(encoding="utf-8")


def _narrowed(producer: str, key: str) -> str:
    """The function of ``producer``'s module that writes ``key`` as a literal, when exactly one
    does (``round_texts`` merges ``method_texts``' keys: ``change-latest`` is written in
    ``method_texts``); else ``producer``."""
    module_name, _, _ = producer.rpartition(".")
    module = sys.modules.get(module_name)
    source = getattr(module, "__file__", None)
    if not source:
        return producer
    tree = ast.parse(_text(source))
    writers = [
        f.name
        for f in tree.body
        if isinstance(f, ast.FunctionDef)
        and any(isinstance(n, ast.Constant) and n.value == key for n in ast.walk(f))
    ]
    return f"{module_name}.{writers[0]}" if len(writers) == 1 else producer


def _name(node: ast.expr) -> str:
    if isinstance(node, ast.Name):
        return node.id
    if isinstance(node, ast.Attribute):
        return node.attr
    return ""


def _source(node: ast.expr) -> str:
    """The expression as written (kept by :func:`_annotate`), else as ``ast.unparse`` writes it."""
    text = getattr(node, "source_text", None)
    return text if isinstance(text, str) else ast.unparse(node)


def _annotate(tree: ast.Module, source: str) -> None:
    """Keep each expression's source text as written (``ast.unparse`` would requote it), as the
    attribute ``source_text`` (mypy: an attribute ast does not declare)."""
    for node in ast.walk(tree):
        if isinstance(node, ast.expr):
            segment = ast.get_source_segment(source, node)
            if segment is not None:  # an expression over several lines: its first line
                node.source_text = segment.splitlines()[0].rstrip()  # type: ignore[attr-defined]


def _last_assignment(trees: list[ast.Module], name: str, before: int) -> ast.expr | None:
    best: tuple[int, ast.expr] | None = None
    for tree in trees:
        for n in ast.walk(tree):
            if (
                isinstance(n, ast.Assign)
                and n.lineno < before
                and any(isinstance(t, ast.Name) and t.id == name for t in n.targets)
                and (best is None or n.lineno > best[0])
            ):
                best = (n.lineno, n.value)
    return best[1] if best else None


def _resolve(func: ast.expr, frame: types.FrameType) -> str | None:
    """The dotted name of the function ``func`` names in ``frame`` (``chapter.change_texts`` ->
    ``kommunenkat.text.chapter.change_texts``)."""
    chain = []
    while isinstance(func, ast.Attribute):
        chain.append(func.attr)
        func = func.value
    if not isinstance(func, ast.Name):
        return None
    scope = {**frame.f_globals, **frame.f_locals}
    if func.id not in scope:
        return None
    obj = scope[func.id]
    for attr in reversed(chain):
        obj = getattr(obj, attr, None)
    module, qualname = getattr(obj, "__module__", None), getattr(obj, "__qualname__", None)
    if not (isinstance(module, str) and isinstance(qualname, str)):
        return None
    return f"{module}.{qualname}"


@contextlib.contextmanager
def _patched(recorder: Recorder, outputs: list[str]) -> Iterator[None]:
    import IPython.display
    import myst_nb

    def display(*objs: object, **_: object) -> None:
        outputs.extend(f"display: {_describe(o)}" for o in objs)

    saved = myst_nb.glue, IPython.display.display
    myst_nb.glue = recorder.glue
    IPython.display.display = display
    try:
        yield
    finally:
        myst_nb.glue, IPython.display.display = saved


def run_page(page: Path, recorder: Recorder) -> list[str]:
    """Execute a page's code cells as its kernel would (in its directory, one namespace);
    returns every cell's printed and displayed output."""
    import matplotlib.pyplot as plt

    path = str(page.resolve())
    cells = code_cells(page.read_text(encoding="utf-8"))
    trees = []
    for c in cells:
        padded = "\n" * (c.line - 1) + c.source
        tree = ast.parse(padded, filename=path)
        _annotate(tree, padded)
        trees.append(tree)
    recorder.cells[path] = trees
    namespace: dict[str, Any] = {"__name__": "__main__"}
    outputs: list[str] = []
    cwd = Path.cwd()
    os.chdir(page.parent)
    try:
        with _patched(recorder, outputs):
            for tree in trees:
                body = list(tree.body)
                last = body[-1] if body and isinstance(body[-1], ast.Expr) else None
                if last is not None:  # shown as the cell's result, as a notebook shows it
                    body = body[:-1]
                out = io.StringIO()
                with contextlib.redirect_stdout(out):
                    exec(compile(ast.Module(body, []), path, "exec"), namespace)
                    if last is not None:
                        expr = ast.Expression(last.value)
                        value = eval(compile(expr, path, "eval"), namespace)
                        if value is not None:
                            outputs.append(f"result: {_describe(value)}")
                if out.getvalue():
                    outputs.append(f"stdout: {out.getvalue()}")
        plt.close("all")
    finally:
        os.chdir(cwd)
    return outputs


def generate(
    only: list[Path] | None = None, say: Callable[[str], None] = print
) -> tuple[list[Row], dict[str, Any]]:
    """Execute the pages, return the registry's rows and a dump of every glued value and output."""
    os.environ.setdefault("MPLBACKEND", "Agg")
    rows: list[Row] = []
    dump: dict[str, Any] = {}
    for page in only or pages():
        text = page.read_text(encoding="utf-8")
        keys = used_keys(text)
        if not code_cells(text):
            if keys:
                raise ValueError(f"{rel(page)} uses glue keys but has no code cell")
            continue
        recorder = Recorder()
        say(f"glue_keys: executing {rel(page)}")
        outputs = run_page(page, recorder)
        glued = {g.key: g for g in recorder.glued}  # the last glue of a key wins, as in myst-nb
        missing = sorted(keys - set(glued))
        if missing:
            raise ValueError(f"{rel(page)} uses glue keys its code does not glue: {missing}")
        rows += [
            Row(k, rel(page), glued[k].producer, glued[k].site, glued[k].written)
            for k in sorted(keys)
        ]
        dump[rel(page)] = {
            "glue": [[g.key, g.value] for g in recorder.glued],  # in the order glued
            "outputs": outputs,
            "unused": sorted(set(glued) - keys),
        }
    return rows, dump


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m kommunenkat.tooling.glue_record")
    parser.add_argument("--write", action="store_true", help=f"rewrite {rel(REGISTRY)}")
    parser.add_argument("--dump", type=Path, help="write every glued value and output as JSON")
    parser.add_argument("--page", type=Path, action="append", help="only this page (--dump)")
    args = parser.parse_args(argv)
    if not (args.write or args.dump):
        parser.error("say --write, --dump PATH or both")
    if args.write and args.page:
        parser.error("--write executes every page; --page is for --dump")
    rows, dump = generate([p.resolve() for p in args.page] if args.page else None)
    if args.write:
        write_registry(rows)
        print(f"glue_record: {len(rows)} keys of {len(dump)} pages in {rel(REGISTRY)}")
    if args.dump:
        args.dump.write_text(
            json.dumps(dump, ensure_ascii=False, indent=1, sort_keys=True) + "\n", encoding="utf-8"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
