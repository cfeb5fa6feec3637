"""Shared helpers for the benchmarks in bench/: run a command in a fresh process, time it, measure its peak RSS.

Every measurement is a separate child process, so its peak resident set size (``ru_maxrss`` as returned by
``os.wait4`` for that one child) belongs to that measurement alone -- unlike ``getrusage(RUSAGE_CHILDREN)``,
which is the maximum over every child ever waited for.

Stdlib only, so a benchmark can import it before anything heavy::

    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from _common import measure, best_of, fmt_bytes
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from dataclasses import asdict, dataclass, field
from pathlib import Path

BENCH_DIR = Path(__file__).resolve().parent
REPO_ROOT = BENCH_DIR.parent
#: Generated inputs live here (gitignored) and are reused between runs.
DATA_DIR = BENCH_DIR / ".data"


@dataclass
class Run:
    """One child process: wall time from spawn to reap, CPU time (user + system) and peak RSS in bytes."""

    seconds: float
    peak_rss: int
    returncode: int
    cpu_seconds: float = 0.0
    stdout: str = ""
    stderr: str = ""


@dataclass
class Measurement:
    """The best (smallest) wall time over ``repeat`` runs, the CPU time of that run, and the largest peak RSS seen.

    CPU time is less sensitive than wall time to other load on a shared machine; compare both.
    """

    command: list[str]
    seconds: float
    peak_rss: int
    cpu_seconds: float = 0.0
    times: list[float] = field(default_factory=list)
    rss: list[int] = field(default_factory=list)

    def as_dict(self) -> dict:
        return asdict(self)


class CommandFailed(RuntimeError):
    """A measured command exited non-zero; carries its stderr (e.g. a traceback) verbatim."""

    def __init__(self, command: Sequence[str], run: Run):
        self.command = list(command)
        self.run = run
        super().__init__(
            f"command failed with exit code {run.returncode}: {' '.join(command)}\n"
            f"--- stderr ---\n{run.stderr}\n--- stdout (tail) ---\n{run.stdout[-2000:]}"
        )


def _maxrss_bytes(ru_maxrss: int) -> int:
    # Linux reports KiB, macOS bytes.
    return ru_maxrss if sys.platform == "darwin" else ru_maxrss * 1024


def measure(command: Sequence[str], *, env: dict | None = None, cwd: str | os.PathLike | None = None,
            check: bool = True) -> Run:
    """Run ``command`` in a fresh process; return its wall time and peak RSS.

    stdout/stderr go to temporary files (not pipes), so a chatty child cannot block while we sit in
    ``wait4``. With ``check`` a non-zero exit raises `CommandFailed` with the child's stderr.
    """
    with tempfile.TemporaryFile() as out, tempfile.TemporaryFile() as err:
        start = time.perf_counter()
        proc = subprocess.Popen(list(command), stdout=out, stderr=err, stdin=subprocess.DEVNULL, env=env, cwd=cwd)
        _, status, rusage = os.wait4(proc.pid, 0)
        seconds = time.perf_counter() - start
        proc.returncode = os.waitstatus_to_exitcode(status)  # tell Popen the child is reaped
        out.seek(0)
        err.seek(0)
        run = Run(
            seconds=seconds,
            peak_rss=_maxrss_bytes(rusage.ru_maxrss),
            returncode=proc.returncode,
            cpu_seconds=rusage.ru_utime + rusage.ru_stime,
            stdout=out.read().decode("utf-8", "replace"),
            stderr=err.read().decode("utf-8", "replace"),
        )
    if check and run.returncode != 0:
        raise CommandFailed(command, run)
    return run


def _best(command: Sequence[str], runs: list[Run]) -> Measurement:
    """The best wall time of ``runs`` (with its CPU time) and the worst peak RSS."""
    best = min(runs, key=lambda r: r.seconds)
    return Measurement(
        command=list(command),
        seconds=best.seconds,
        peak_rss=max(r.peak_rss for r in runs),
        cpu_seconds=best.cpu_seconds,
        times=[r.seconds for r in runs],
        rss=[r.peak_rss for r in runs],
    )


def best_of(command: Sequence[str], repeat: int = 1, *, budget: float | None = None, **kwargs) -> Measurement:
    """`measure` ``command`` up to ``repeat`` times; keep the best time and the worst peak RSS.

    With ``budget`` (seconds), stop repeating once the runs so far took that long in total -- one run of
    a slow case is already a stable measurement, and it keeps a full benchmark within its time box.
    """
    return best_of_paired([command], repeat, budget=budget, **kwargs)[0]


def best_of_paired(commands: Sequence[Sequence[str]], repeat: int = 1, *, budget: float | None = None,
                   **kwargs) -> list[Measurement]:
    """`best_of` for commands that are compared with each other: the runs alternate (A, B, A, B, ...), so a
    slow spell of a shared machine falls on both sides rather than on whichever ran during it."""
    runs: list[list[Run]] = [[] for _ in commands]
    for _ in range(max(1, repeat)):
        for command, command_runs in zip(commands, runs):
            command_runs.append(measure(command, **kwargs))
        if budget is not None and sum(r.seconds for command_runs in runs for r in command_runs) >= budget:
            break
    return [_best(command, command_runs) for command, command_runs in zip(commands, runs)]


def python_command(code: str) -> list[str]:
    """``python -c CODE`` with the interpreter running this benchmark."""
    return [sys.executable, "-c", code]


def datacheck_command(*args: str) -> list[str]:
    """``python -m datacheck ARGS`` with the interpreter running this benchmark."""
    return [sys.executable, "-m", "datacheck", *args]


#: Byte-code cache for the children, outside the checkout.
PYCACHE_DIR = Path(tempfile.gettempdir()) / "datacheck-bench-pycache"


def child_env() -> dict:
    """Environment for children: datacheck importable from this checkout, no colour/terminal tricks.

    Children run byte-compiled, as an installed package does (pip compiles on install); the cache lives
    under PYCACHE_DIR, not in the checkout. `warm_bytecode` fills it before anything is timed.
    """
    env = dict(os.environ)
    env["PYTHONPATH"] = os.pathsep.join(p for p in (str(REPO_ROOT), env.get("PYTHONPATH", "")) if p)
    env.setdefault("NO_COLOR", "1")
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    env["PYTHONPYCACHEPREFIX"] = str(PYCACHE_DIR)
    return env


def warm_bytecode(env: dict) -> None:
    """Compile datacheck (and whatever it imports) once, so no timed run pays for compiling."""
    subprocess.run(datacheck_command("--help"), env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                   check=False)


def warm_cache(path: str | os.PathLike, chunk: int = 8 << 20) -> None:
    """Read a file once so every measured process starts with it in the page cache."""
    with open(path, "rb", buffering=0) as handle:
        while handle.read(chunk):
            pass


def atomic_path(path: Path) -> Path:
    """A sibling temporary path to write to before ``os.replace``-ing it onto ``path``."""
    return path.with_name(f".{path.name}.tmp-{os.getpid()}")


def fmt_bytes(n: float) -> str:
    for unit in ("B", "KiB", "MiB", "GiB"):
        if abs(n) < 1024 or unit == "GiB":
            return f"{n:.0f} {unit}" if unit == "B" else f"{n:.1f} {unit}"
        n /= 1024
    return f"{n:.1f} GiB"


def fmt_seconds(s: float) -> str:
    return f"{s:.2f} s" if s >= 0.1 else f"{s * 1000:.0f} ms"


def fmt_rows(n: int) -> str:
    if n >= 1_000_000 and n % 1_000_000 == 0:
        return f"{n // 1_000_000}M"
    if n >= 1_000 and n % 1_000 == 0:
        return f"{n // 1_000}k"
    return str(n)


def machine_info() -> dict:
    """Enough context to compare numbers across runs."""
    import platform

    info = {
        "python": platform.python_version(),
        "platform": platform.platform(),
        "cpus": os.cpu_count(),
    }
    try:
        info["loadavg"] = [round(x, 2) for x in os.getloadavg()]
    except (OSError, AttributeError):
        pass
    try:
        info["mem_total"] = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    except (ValueError, OSError, AttributeError):
        pass
    return info


def print_table(headers: Sequence[str], rows: Sequence[Sequence[str]], *, file=None) -> None:
    """A plain, fixed-width text table (first column left-aligned, the rest right-aligned)."""
    file = file or sys.stdout
    widths = [max(len(str(h)), *(len(str(r[i])) for r in rows)) if rows else len(str(h)) for i, h in enumerate(headers)]

    def line(cells):
        parts = [str(c).ljust(w) if i == 0 else str(c).rjust(w) for i, (c, w) in enumerate(zip(cells, widths))]
        return "  ".join(parts).rstrip()

    print(line(headers), file=file)
    print("  ".join("-" * w for w in widths), file=file)
    for row in rows:
        print(line(row), file=file)
