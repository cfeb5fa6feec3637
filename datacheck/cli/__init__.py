"""The command line: the only package that imports typer.

Each command lives in its own module and has the same four steps: load inputs -> one core call -> render ->
exit code. Shared plumbing (consoles, error handling, writing a result) is in `datacheck.cli.common`; the
options several commands share are in `datacheck.cli.options`.
"""

from __future__ import annotations

import importlib

from datacheck.cli.common import app, main, run
from datacheck.cli.outputs import name_outputs

# Importing a command module registers its command on `app`; `datacheck --help` lists the commands in the
# order they were registered, which is the order of a typical session.
for _module in ("stats_cmd", "infer_cmd", "schema_cmd", "drift_cmd", "validate_cmd", "schema_update_cmd",
                "merge_cmd", "tfdv_cmd", "skew_cmd", "monitor_cmd",
                "history_cmd", "config_cmd", "root"):
    importlib.import_module(f"datacheck.cli.{_module}")
name_outputs(app)

__all__ = ["app", "main", "run"]
