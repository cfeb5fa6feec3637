"""The command line: the only package that imports typer.

Each command lives in its own module and has the same four steps (style.md practice 2):
load inputs -> one core call -> render -> exit code. Shared plumbing (consoles, error handling, atomic
output) is in `datacheck.cli.common`.
"""

from __future__ import annotations

from datacheck.cli.common import app, main, run

# Importing a command module registers its command on `app`.
from datacheck.cli import stats_cmd  # noqa: E402,F401
from datacheck.cli import infer_cmd  # noqa: E402,F401
from datacheck.cli import schema_cmd  # noqa: E402,F401
from datacheck.cli import drift_cmd  # noqa: E402,F401
from datacheck.cli import validate_cmd  # noqa: E402,F401
from datacheck.cli import schema_update_cmd  # noqa: E402,F401
from datacheck.cli import merge_cmd  # noqa: E402,F401

__all__ = ["app", "main", "run"]
