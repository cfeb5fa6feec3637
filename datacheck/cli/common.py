"""Plumbing shared by every command: the typer app, the two consoles, error handling and atomic output."""

from __future__ import annotations

import os
import signal
import sys
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import replace
from functools import partial
from pathlib import Path
from typing import Any, NoReturn, TextIO, TypeVar

import typer

from datacheck import output, timings
from datacheck.cli import outputs
from datacheck.cli.lazy_commands import app
from datacheck.errors import DatacheckError
from datacheck.render.registry import Kind, RenderContext, renderer

T = TypeVar("T")


class _LazyConsole:
    """A rich Console made on first use. `stats --format json -o FILE` prints nothing, and importing rich was
    35 ms of its start-up (about a tenth of what it adds to `import polars`)."""

    def __init__(self, **options: Any) -> None:
        object.__setattr__(self, "_options", options)
        object.__setattr__(self, "_console", None)

    def real(self) -> Any:
        """The rich Console itself, made now if it is not yet: for rich objects that take a console (a
        Progress), which call its special methods (`with console:`) that a proxy cannot pass on."""
        if self._console is None:
            from rich.console import Console

            object.__setattr__(self, "_console", Console(**self._options))
        return self._console

    def __getattr__(self, name: str) -> Any:
        return getattr(self.real(), name)

    def __setattr__(self, name: str, value: Any) -> None:
        if name == "quiet" and self._console is None:  # set by every run (`-q`): kept for when it is made
            self._options["quiet"] = value
        else:
            setattr(self.real(), name, value)

    @property
    def quiet(self) -> bool:
        return bool(self._options.get("quiet")) if self._console is None else self._console.quiet

    @property
    def is_terminal(self) -> bool:
        """rich's answer, without making the console where it is plainly no: a stream that is not a terminal
        and no TTY_COMPATIBLE or FORCE_COLOR in the environment (the two variables rich reads first)."""
        if self._console is None and "TTY_COMPATIBLE" not in os.environ and "FORCE_COLOR" not in os.environ:
            stream = sys.stderr if self._options.get("stderr") else sys.stdout
            try:
                if not stream.isatty():
                    return False
            except (AttributeError, ValueError):
                return False
        return bool(self.real().is_terminal)


#: Results go to stdout; diagnostics and progress to stderr.
# Piped output is not cut to 80 columns: a file or a CI log has room for the whole table.
out_console: Any = _LazyConsole(highlight=False, soft_wrap=False, width=None if sys.stdout.isatty() else 160)
err_console: Any = _LazyConsole(stderr=True, highlight=False)

EXIT_OK, EXIT_FINDINGS, EXIT_CANNOT_RUN, EXIT_INTERRUPTED = 0, 1, 2, 130

#: The distribution's name on the package index ("datacheck" there is an unrelated project); the import name
#: and the command stay `datacheck`.
DISTRIBUTION = "datacheck-cli"


def fail(exc: DatacheckError) -> typer.Exit:
    """Print a could-not-run error on stderr and return the exit that the caller raises."""
    # The message is plain text: a path or glob such as 'data/[ab]*.csv' must not be read as rich markup.
    # --quiet silences notes and summaries, never the reason a command could not run.
    from rich.text import Text

    quiet, err_console.quiet = err_console.quiet, False
    err_console.print(Text.assemble(("Error:", "red"), " ", str(exc)), highlight=False, soft_wrap=True)
    err_console.quiet = quiet
    return typer.Exit(EXIT_CANNOT_RUN)


@contextmanager
def reporting_errors() -> Iterator[None]:
    """Turn DatacheckError into a message plus exit 2; anything else is a bug and keeps its traceback."""
    try:
        yield
    except DatacheckError as exc:
        if _interrupted:  # a reader's error caused by Ctrl-C (see `main`)
            raise Interrupted() from None
        raise fail(exc) from None


def write_result(kind: Kind[T], result: T, fmt: str | None, output_path: Path | Sequence[Path] | None,
                 context: RenderContext | None = None) -> None:
    """Write `result` to each `-o FILE` (all atomically, from this one result) and/or stdout: the one way every
    command writes its result.

    Each FILE gets the format of its extension (.json, .md, .xml, .html) if the kind has it, else `fmt`, else a
    table; a single FILE gets `fmt` when it is given; `-o -` is stdout (`datacheck.cli.outputs.plan`). Every
    output is rendered before any is written, and the files are written together, so a failure leaves none of
    them half-finished. A table on stdout is fitted to the terminal.
    """
    context = context or RenderContext()
    with reporting_errors():
        destinations = outputs.plan(kind, fmt, output_path)
    files: list[tuple[Path, str]] = []
    to_stdout: list[Callable[[], None]] = []
    with timings.step(f"render {', '.join(chosen for _, chosen in destinations)}"):
        for path, chosen_format in destinations:
            chosen = renderer(kind, chosen_format)
            if path is not None:
                files.append((path, chosen.text(result, context)))
            elif chosen.rich is not None:
                to_stdout.append(partial(out_console.print,
                                         chosen.rich(result, replace(context, width=out_console.width))))
            else:
                to_stdout.append(partial(emit, chosen.text(result, context), None))
    if files:
        with reporting_errors(), timings.step(f"write {', '.join(str(path) for path, _ in files)}"):
            output.write_atomic_all(files)
    for show in to_stdout:
        show()


def emit(text: str, output_path: Path | Sequence[Path] | None) -> None:
    """Send text to each -o FILE (atomically, all together; `-` is stdout) or, without one, to stdout."""
    targets = [output_path] if isinstance(output_path, Path) else list(output_path or [])
    files = [(path, text) for path in targets if str(path) != outputs.STDOUT]
    if files:
        with reporting_errors():
            output.write_atomic_all(files)
    if files and len(files) == len(targets):
        return
    sys.stdout.write(text)
    if not text.endswith("\n"):
        sys.stdout.write("\n")
    sys.stdout.flush()


class Interrupted(BaseException):
    """Ctrl-C. Raised by our SIGINT handler instead of KeyboardInterrupt, which click turns into "Aborted!" (or a
    silent exit 130, depending on the version); a BaseException of our own passes through click to `main`."""


#: Set by the SIGINT handler: whatever exception follows a Ctrl-C is the interruption (see `main`).
_interrupted = False


def _on_sigint(signum: int, frame: object) -> None:
    global _interrupted
    _interrupted = True
    raise Interrupted()


class _StdoutReaderMayLeave:
    """sys.stdout for `datacheck stats big.csv | head -1`: when the reader closes the pipe, the rest of the output
    goes to /dev/null and the command finishes with its own exit code, instead of a BrokenPipeError traceback
    (or click's exit 1, which a CI script would read as "findings")."""

    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self.reader_left = False

    def write(self, text: str) -> int:
        if not self.reader_left:
            try:
                return self._stream.write(text)
            except BrokenPipeError:
                self._discard()
        return len(text)

    def flush(self) -> None:
        if not self.reader_left:
            try:
                self._stream.flush()
            except BrokenPipeError:
                self._discard()

    def _discard(self) -> None:
        self.reader_left = True
        try:
            devnull = os.open(os.devnull, os.O_WRONLY)
            os.dup2(devnull, self._stream.fileno())  # what is still buffered is flushed there at exit
            os.close(devnull)
        except (OSError, ValueError):
            pass

    def __getattr__(self, name: str) -> object:
        return getattr(self._stream, name)


def main(argv: list[str] | None = None) -> None:
    """Entry point of the `datacheck` console script (and `python -m datacheck`).

    Exit codes beyond the commands' own: 130 on Ctrl-C, with one line on stderr and no traceback; a reader
    that closes stdout early (`| head -1`) is not an error.
    """
    try:
        previous = signal.signal(signal.SIGINT, _on_sigint)
    except ValueError:  # not the main thread: leave signals alone
        previous = None
    sys.stdout = _StdoutReaderMayLeave(sys.stdout)
    try:
        app(args=argv, prog_name="datacheck")
    except (Interrupted, KeyboardInterrupt):
        _exit_interrupted(previous)
    except BaseException as exc:
        # Ctrl-C can surface as another exception when it lands inside a library call that converts what it
        # catches: polars turns it into a TypeError while it parses a dtype argument (or into a panic, a
        # BaseException). After a Ctrl-C it is still the interruption.
        if isinstance(exc, SystemExit) or not _interrupted:
            raise
        _exit_interrupted(previous)


def run() -> NoReturn:
    """The `datacheck` console script (and `python -m datacheck`): `main`, then exit at once.

    Tearing the interpreter down after the result is written (freeing polars' and numpy's objects module by
    module) took 90-140 ms, about 4% of `stats` on 10M rows. By then every output is written and closed and
    every thread pool and cluster has been shut down by its `with` block, so only the standard streams
    need flushing before the process ends.
    """
    try:
        main()
        code = EXIT_OK
    except SystemExit as exc:
        if isinstance(exc.code, str):  # what sys.exit("message") does: the message on stderr, exit 1
            sys.stderr.write(exc.code + "\n")
        code = exc.code if isinstance(exc.code, int) else (EXIT_OK if exc.code is None else 1)
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except (OSError, ValueError):
            pass
    os._exit(code)


def _exit_interrupted(previous: Any) -> NoReturn:
    signal.signal(signal.SIGINT, signal.SIG_DFL if previous is None else previous)
    try:
        sys.stderr.write("\nInterrupted.\n")
        sys.stderr.flush()
    except OSError:
        pass
    sys.exit(EXIT_INTERRUPTED)


__all__ = ["app", "main", "run", "out_console", "err_console", "write_result", "emit", "fail", "reporting_errors",
           "EXIT_OK", "EXIT_FINDINGS", "EXIT_CANNOT_RUN", "EXIT_INTERRUPTED"]

