"""Start-up: `datacheck --help` and `import datacheck` import only what they need.

Every module a command does not need costs start-up on each run, which dominates on small files (importing
numpy alone is about 0.1 s, the check catalogue about 0.5 s). These tests build the command line (and run
`--help`) in a fresh interpreter and list what it imported, so that an eager import added at the top of a
module shows up here instead of as a slower CI job.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]

#: Modules that `datacheck --help` must not import: the numeric and rendering stacks and datacheck's scan,
#: checks and drift, which only the commands that run them need.
NOT_FOR_HELP = ("numpy", "scipy", "pyarrow", "jinja2", "jsonschema", "dask", "datacheck.profile",
                "datacheck.profile_queries", "datacheck.sketches", "datacheck.engine", "datacheck.checks",
                "datacheck.drift", "datacheck.slices")


def imported_after(code: str, cwd: Path = ROOT) -> set[str]:
    """The modules loaded in a fresh interpreter after running `code` (with this checkout first on the path)."""
    probe = code + "\nimport sys, json\nprint(json.dumps(sorted(sys.modules)))"
    env = {**os.environ, "PYTHONPATH": str(ROOT)}
    proc = subprocess.run([sys.executable, "-c", probe], cwd=cwd, env=env, capture_output=True, text=True,
                          timeout=120)
    assert proc.returncode == 0, proc.stderr
    return set(json.loads(proc.stdout.strip().splitlines()[-1]))


def test_help_imports_no_heavy_module() -> None:
    code = ("import contextlib, io\nfrom datacheck.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
            "    try:\n        main(['--help'])\n    except SystemExit:\n        pass\n"
            "assert 'stats' in out.getvalue(), out.getvalue()")
    loaded = imported_after(code)
    assert "datacheck.cli.root" in loaded  # the probe really built the command line
    assert sorted(name for name in NOT_FOR_HELP if name in loaded) == []
    # --help lists the commands from a table: no command module is imported (datacheck.cli.lazy_commands)
    assert sorted(name for name in loaded if name.startswith("datacheck.cli.") and name.endswith("_cmd")
                  and name != "datacheck.cli.config_cmd") == []


def test_a_command_run_does_not_import_pydantic(tmp_path: Path) -> None:
    # typer coerces values through pydantic TypeAdapters; importing pydantic cost about 0.25 s a run, so the
    # command line converts its plain options itself (datacheck.cli.coercion).
    data = tmp_path / "small.csv"
    data.write_text("a,b\n" + "".join(f"{i},x{i % 3}\n" for i in range(50)))
    code = ("import contextlib, io, sys\nfrom datacheck.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
            "    try:\n"
            f"        main(['-q', 'stats', {str(data)!r}, '--format', 'json', '--max-slices', '3', '-o', '-'])\n"
            "    except SystemExit as exc:\n        assert exc.code in (0, None), exc.code\n"
            "assert '\"num_rows\": 50,' in out.getvalue(), out.getvalue()[:300]")
    loaded = imported_after(code)
    assert "datacheck.profile" in loaded  # the probe really ran the scan
    assert sorted(name for name in loaded if name.endswith("_cmd")) == ["datacheck.cli.config_cmd",
                                                                         "datacheck.cli.stats_cmd"]
    # drift (its types are only annotations in the slice renderer) and the process pool are not `stats`'s;
    # rich is loaded only to print a table (about 35 ms), urllib.request only to fetch from a web server
    unneeded = ("pydantic", "pydantic_core", "typer._adapters", "datacheck.drift", "multiprocessing", "rich",
                "rich.console", "urllib.request")
    assert sorted(name for name in unneeded if name in loaded) == []


def test_a_configuration_file_loads_only_the_running_command(tmp_path: Path) -> None:
    # The file's defaults reach the command that runs without building the others.
    (tmp_path / "datacheck.toml").write_text('fail-on = "error"\n[stats]\nformat = "json"\n'
                                             '[validate]\nformat = "json"\n')
    data = tmp_path / "small.csv"
    data.write_text("a\n1\n2\n")
    code = ("import contextlib, io\nfrom datacheck.cli import main\n"
            "with contextlib.redirect_stdout(io.StringIO()) as out:\n"
            f"    try:\n        main(['-q', 'stats', {str(data)!r}])\n"
            "    except SystemExit as exc:\n        assert exc.code in (0, None), exc.code\n"
            "assert out.getvalue().startswith('{'), out.getvalue()[:200]  # the file's format")
    loaded = imported_after(code, cwd=tmp_path)
    assert sorted(name for name in loaded if name.endswith("_cmd")) == ["datacheck.cli.config_cmd",
                                                                         "datacheck.cli.stats_cmd"]


def test_import_datacheck_is_lazy_and_keeps_its_functions() -> None:
    loaded = imported_after("import datacheck")
    assert sorted(name for name in NOT_FOR_HELP + ("polars",) if name in loaded) == []
    # profile and drift share their names with their modules: importing those modules keeps the functions.
    code = ("import inspect, datacheck, datacheck.profile, datacheck.drift\n"
            "assert inspect.isfunction(datacheck.profile) and datacheck.profile.__module__ == 'datacheck.profile'\n"
            "assert inspect.isfunction(datacheck.drift) and datacheck.drift.__module__ == 'datacheck.drift'\n"
            "from datacheck.profile import profile\nassert datacheck.profile is profile\n"
            "assert datacheck.validate.__module__.startswith('datacheck.checks')")
    assert "datacheck.profile" in imported_after(code)
