"""The command line: the only package that imports typer.

Each command lives in its own module and has the same four steps: load inputs -> one core call -> render ->
exit code. Shared plumbing (consoles, error handling, writing a result) is in `datacheck.cli.common`; the
options several commands share are in `datacheck.cli.options`.
"""

from __future__ import annotations

from datacheck.cli import root as _root  # noqa: F401  (the options before the command, on `app`)
from datacheck.cli.common import app, main, run

# A command module is imported, and its command built, when the command is asked for
# (datacheck.cli.lazy_commands: COMMANDS lists them, in the order of a typical session).

__all__ = ["app", "main", "run"]
