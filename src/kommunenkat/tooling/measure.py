"""The bench's measuring instruments (:mod:`~kommunenkat.tooling.bench` decides what to
measure): a :class:`Result` (runs, median, target, verdict, one report line), commands timed in
wall and CPU seconds (:func:`timed`), what build and pytest output says (notebooks executed,
pytest's summary and time), the bytes of each chapter page, a fresh venv's set-up time, polling
a served page, and the alternating ours/stock comparison (:func:`ours_against_stock`).
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from kommunenkat.core import paths


@dataclass
class Result:
    name: str
    target: float | None
    unit: str = "s"
    values: list[float] = field(default_factory=list)
    cpu: list[float] = field(default_factory=list)
    note: str = ""
    ok_extra: bool = True
    failed: bool = False

    @property
    def value(self) -> float:
        return statistics.median(self.values) if self.values else float("nan")

    def measure(self, cmd: list[str], cwd: Path, env: dict, log: Path) -> tuple[float, str]:
        """One run: time the command (timed()) and record its wall and CPU seconds here."""
        t, out = timed(cmd, cwd, env, log)
        self.values.append(t)
        self.cpu.append(CPU[-1])
        return t, out

    @property
    def ok(self) -> bool | None:
        if self.failed:
            return False
        if self.target is None or not self.values:
            return None
        return self.value <= self.target and self.ok_extra

    def line(self) -> str:
        digits = 2 if self.unit == "×" else 1
        runs = ", ".join(f"{v:.{digits}f}" for v in self.values)
        if self.cpu:
            runs += f" (CPU {statistics.median(self.cpu):.1f} s)"
        target = f"≤ {self.target:g} {self.unit}" if self.target is not None else "–"
        verdict = {True: "OK", False: "OVER", None: ""}[self.ok]
        return (
            f"{self.name:<48} {self.value:8.{digits}f} {self.unit:<3} {target:>10}  {verdict:<4}"
            f"  runs: {runs}" + (f"  {self.note}" if self.note else "")
        )


CPU: list[float] = []  # CPU seconds (user + system, all child processes) of each timed() call


def timed(cmd: list[str], cwd: Path, env: dict, log: Path | None = None) -> tuple[float, str]:
    """Wall-clock seconds of a command (CPU seconds appended to CPU); raises if it fails."""
    before = os.times()
    start = time.perf_counter()
    proc = subprocess.run(cmd, cwd=cwd, env=env, capture_output=True, text=True)
    elapsed = time.perf_counter() - start
    after = os.times()
    CPU.append(
        after.children_user + after.children_system - before.children_user - before.children_system
    )
    out = proc.stdout + proc.stderr
    if log:
        log.write_text(out)
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(cmd)} failed (exit {proc.returncode}):\n{out[-3000:]}")
    return elapsed, out


def pytest_summary(output: str) -> str:
    """pytest's last summary ('749 passed, 1 xfailed'), without its time."""
    m = re.findall(r"=+ (.*(?:passed|failed).*) in [\d.]+s", output)
    return m[-1] if m else "no pytest summary"


def pytest_seconds(output: str) -> float | None:
    """The wall time pytest reports for itself ('… in 301.25s (0:05:01)')."""
    m = re.findall(r"=+ .*(?:passed|failed).* in ([\d.]+)s", output)
    return float(m[-1]) if m else None


def executed_count(output: str) -> int:
    """Notebooks executed by a build: by the pre-executor and, should it miss one, myst-nb."""
    pre = sum(int(m) for m in re.findall(r"^build: executed (\d+) notebook", output, re.M))
    return pre + output.count("Executing notebook")


def page_sizes(site: Path) -> dict[str, int]:
    """Bytes per chapter page: the HTML plus the images and downloads only it links to."""
    pages = sorted(p for p in (site / "notebooks").glob("*.html"))
    out = {}
    for page in pages:
        html = page.read_text(encoding="utf-8")
        total = page.stat().st_size
        seen = set()
        for ref in re.findall(r'(?:src|href)="([^"#?]+)"', html):
            if ref.startswith(("http:", "https:", "mailto:")) or "_static/" in ref:
                continue
            target = (page.parent / ref).resolve()
            if target.suffix in {".html", ""} or target in seen or not target.is_file():
                continue
            if site.resolve() not in target.parents:
                continue
            seen.add(target)
            total += target.stat().st_size
        out[page.relative_to(site).as_posix()] = total
    return out


def fresh_venv_setup(tool: str, workdir: Path) -> float:
    """Seconds to create a venv and install the locked requirements with uv or pip."""
    venv = workdir / f"venv-{tool}"
    shutil.rmtree(venv, ignore_errors=True)
    python = shutil.which("python3.11") or sys.executable
    env = dict(os.environ, PIP_CONFIG_FILE="/dev/null", UV_NO_CONFIG="1")
    env.pop("VIRTUAL_ENV", None)
    start = time.perf_counter()
    subprocess.run([python, "-m", "venv", str(venv)], check=True, env=env)
    req = str(paths.ROOT / "requirements.txt")
    if tool == "uv":
        uv = str(Path(sys.executable).with_name("uv"))
        subprocess.run(
            [uv, "pip", "sync", "--python", str(venv / "bin" / "python"), "--require-hashes", req],
            check=True,
            env=env,
            capture_output=True,
        )
    else:
        subprocess.run(
            [
                str(venv / "bin" / "python"),
                "-m",
                "pip",
                "install",
                "-q",
                "--disable-pip-version-check",
                "--require-hashes",
                "-r",
                req,
            ],
            check=True,
            env=env,
            capture_output=True,
        )
    elapsed = time.perf_counter() - start
    shutil.rmtree(venv, ignore_errors=True)
    return elapsed


def wait_for_page(url: str, text: str, timeout: float = 300) -> float:
    """Poll a served page until it contains text; the time it took."""
    import http.client
    import urllib.request

    start = time.perf_counter()
    while time.perf_counter() - start < timeout:
        try:
            with urllib.request.urlopen(url, timeout=10) as resp:
                if text in resp.read().decode("utf-8"):
                    return time.perf_counter() - start
        # Not served yet, or cut short while the rebuild replaces the file being served
        # (IncompleteRead, measured once at load 1): poll again.
        except (OSError, http.client.HTTPException):
            pass
        time.sleep(0.05)
    raise RuntimeError(f"{url} did not show {text!r} within {timeout} s")


def ours_against_stock(
    results: list[Result],
    names: tuple[str, str, str],
    target: float,
    runs: int,
    pair: Callable[[int], tuple[float, float]],
    note: str,
) -> None:
    """Time ours and the stock tool alternately (``pair(i)`` gives both seconds of run i) and
    record three results: ours, stock, and the ratio ours / stock against ``target``."""
    ours, theirs = Result(names[0], None), Result(names[1], None)
    ratio = Result(names[2], target, "×")
    for i in range(runs):
        t, s = pair(i)
        ours.values.append(t)
        theirs.values.append(s)
        ratio.values.append(t / s)
    ratio.note = f"load {os.getloadavg()[0]:.1f}; {note}"
    for r in (ours, theirs, ratio):
        print(r.line(), flush=True)
        results.append(r)
