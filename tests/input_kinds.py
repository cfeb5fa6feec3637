"""Shared by the tests of each input kind (stdin, object stores, databases): run the CLI in a subprocess, and
compare its JSON with the same command on a local file, byte for byte once the inputs' names are replaced."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "sample_data"


def cli(*args: str, stdin: bytes | None = None, env: dict[str, str] | None = None,
        timeout: float = 300) -> subprocess.CompletedProcess[bytes]:
    """`python -m datacheck ARGS` with this checkout's package, stdin fed from `stdin` (or closed)."""
    environment = {**os.environ, "PYTHONPATH": str(ROOT), **(env or {})}
    return subprocess.run([sys.executable, "-m", "datacheck", *args], input=stdin if stdin is not None else b"",
                          capture_output=True, env=environment, timeout=timeout, check=False)


def json_out(proc: subprocess.CompletedProcess[bytes], codes: tuple[int, ...] = (0, 1)) -> str:
    assert proc.returncode in codes, proc.stderr.decode()
    return proc.stdout.decode()


def named(text: str, names: dict[str, str]) -> str:
    """`text` with each input's name replaced by its placeholder (longest names first)."""
    for name in sorted(names, key=len, reverse=True):
        text = text.replace(name, names[name])
    return text


def assert_same_json(local: str, other: str, local_names: dict[str, str], other_names: dict[str, str]) -> None:
    """The two outputs are byte-identical once each input's name is replaced by the same placeholder, and the
    names did appear (the outputs are not trivially equal)."""
    assert named(local, local_names) == named(other, other_names)
