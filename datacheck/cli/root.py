"""The options before the command (`datacheck [--config FILE] [-q|-v] COMMAND ...`): the version, the
configuration file, and how much goes to stderr.

The app's callback runs after these options are parsed and before the command parses its own, so the
configuration file's settings become the command's defaults (see `datacheck.cli.config_cmd`).
"""

from __future__ import annotations

import logging
import sys
import time
from pathlib import Path
from typing import Annotated

import typer

from datacheck import config as config_file
from datacheck.cli.common import DISTRIBUTION, EXIT_OK, app, err_console, fail, out_console
from datacheck.cli.config_cmd import META_KEY, default_map
from datacheck.errors import DatacheckError
from datacheck.timings import LOGGER_NAME


def _print_version(value: bool) -> None:
    # An option callback: it runs while the options are parsed, before click asks for a command.
    if not value:
        return
    from importlib.metadata import PackageNotFoundError
    from importlib.metadata import version as package_version

    try:
        out_console.print(f"datacheck {package_version(DISTRIBUTION)}")
    except PackageNotFoundError:
        out_console.print("datacheck (not installed)")
    raise typer.Exit(EXIT_OK)


def set_verbosity(quiet: bool, verbose: int) -> None:
    """-q: no notes, summaries or progress on stderr (errors still show). -v: timings of each step on stderr
    through the `datacheck` logger; -vv adds debug detail."""
    err_console.quiet = quiet
    logger = logging.getLogger(LOGGER_NAME)
    for handler in list(logger.handlers):
        if getattr(handler, "datacheck_cli", False):
            logger.removeHandler(handler)
    if quiet or not verbose:
        logger.setLevel(logging.WARNING)
        return
    handler = _ToStderr()
    handler.setFormatter(_ElapsedFormatter())
    logger.addHandler(handler)
    logger.setLevel(logging.INFO if verbose == 1 else logging.DEBUG)
    logger.propagate = False


class _ElapsedFormatter(logging.Formatter):
    """`[  0.42s] scan: ...`: the time since the command started, then the message."""

    def __init__(self) -> None:
        super().__init__()
        self.start = time.perf_counter()

    def format(self, record: logging.LogRecord) -> str:
        return f"[{time.perf_counter() - self.start:7.2f}s] {record.getMessage()}"


class _ToStderr(logging.Handler):
    """Writes to the sys.stderr of the moment (a test runner swaps it between commands)."""

    datacheck_cli = True

    def emit(self, record: logging.LogRecord) -> None:
        try:
            sys.stderr.write(self.format(record) + "\n")
        except (OSError, ValueError):
            pass


ConfigOpt = Annotated[Path | None, typer.Option(
    "--config", metavar="FILE", show_default=False,
    help="Read settings from FILE (a datacheck.toml, or a pyproject.toml's [tool.datacheck]) instead of the one "
         "found from the working directory upward.")]
NoConfigOpt = Annotated[bool, typer.Option("--no-config", help="Ignore configuration files: only flags and defaults.")]
QuietOpt = Annotated[bool, typer.Option("--quiet", "-q", help="Only results and errors: no notes, summaries or "
                                                              "progress on stderr.")]
VerboseOpt = Annotated[int, typer.Option("--verbose", "-v", count=True,
                                         help="Timings of reading, scanning and rendering on stderr (-vv: more).")]


@app.callback()
def _root(
    ctx: typer.Context,
    version: Annotated[bool, typer.Option("--version", help="Print the version and exit.", is_eager=True,
                                          callback=_print_version)] = False,
    config: ConfigOpt = None,
    no_config: NoConfigOpt = False,
    quiet: QuietOpt = False,
    verbose: VerboseOpt = 0,
) -> None:
    """Fast data validation for ML pipelines: statistics, schema inference, validation and drift.

    Exit codes: 0 passed, 1 anomalies or drift at or above --fail-on, 2 could not run.

    Settings for every command can live in pyproject.toml ([tool.datacheck]) or datacheck.toml; see
    `datacheck config`.
    """
    set_verbosity(quiet, verbose)
    try:
        path = None if no_config else (config if config is not None else config_file.find())
        if config is not None and not config.is_file():
            raise config_file.ConfigError("no such configuration file", path=str(config))
        settings = config_file.load(path)
    except DatacheckError as exc:
        raise fail(exc) from None
    ctx.meta[META_KEY] = settings
    if settings.path is not None:
        logging.getLogger(LOGGER_NAME).info("config: %s", settings.where())
        # The running command's defaults only: the other commands are not loaded (datacheck.cli.lazy_commands).
        ctx.default_map = default_map(ctx.command, settings, only=ctx.invoked_subcommand)


__all__ = ["set_verbosity"]
