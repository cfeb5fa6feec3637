"""The repository's integrations run as their users run them: the pre-commit hooks through `pre-commit try-repo`
on a fixture git repository, and the composite action's steps, in order, on sample_data.

The expectations come from the library (`datacheck.validate`) and from plain commands, never from the
integration's own output.
"""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
import venv
from pathlib import Path
from typing import Any

import polars as pl
import pytest
import yaml

import datacheck

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = ROOT / "sample_data"
GIT = shutil.which("git")
IN_GIT = GIT is not None and subprocess.run([GIT, "-C", str(ROOT), "rev-parse"], capture_output=True).returncode == 0


def _git(repo: Path, *args: str) -> None:
    subprocess.run([GIT or "git", "-C", str(repo), "-c", "user.name=test", "-c", "user.email=test@example.com",
                    *args], check=True, capture_output=True)


@pytest.fixture(scope="module")
def schema_path(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("schema") / "schema.json"
    datacheck.infer_schema(datacheck.profile(str(SAMPLE / "loans_train.csv"))).dump(path)
    return path


# ------------------------------------------------------------------------------------------------ pre-commit


def _hook_sections(output: str) -> dict[str, str]:
    """pre-commit's output cut into each hook's result line and what it printed: {hook name: text}."""
    sections: dict[str, str] = {}
    current = None
    for line in output.splitlines():
        match = re.match(r"^(datacheck [a-z ]+?)\.{3,}(Passed|Failed)$", line)
        if match:
            current = match.group(1)
            sections[current] = match.group(2) + "\n"
        elif current is not None:
            sections[current] += line + "\n"
    return sections


@pytest.mark.skipif(not IN_GIT, reason="pre-commit try-repo needs this checkout to be a git repository, and git")
def test_pre_commit_hooks_through_try_repo(tmp_path: Path, schema_path: Path) -> None:
    pytest.importorskip("pre_commit", reason="install the test extra: pip install -e '.[test]'")
    repo = tmp_path / "project"
    (repo / "data").mkdir(parents=True)
    clean = pl.read_csv(SAMPLE / "loans_clean.csv", infer_schema_length=0)  # text: the halves keep their bytes
    clean[:1000].write_csv(repo / "data" / "part_a.csv")
    clean[1000:].write_csv(repo / "data" / "part_b.csv")
    shutil.copy(SAMPLE / "loans_broken.csv", repo / "data" / "broken.csv")
    shutil.copy(schema_path, repo / "schema.json")
    (repo / "schema_edited.json").write_text(
        '{"format": "datacheck.schema", "version": 1, "columns": [{"name": 3, "type": "integer"}]}\n')
    # The validate hook takes its schema from the project's configuration, as a user's would.
    (repo / "datacheck.toml").write_text('schema = "schema.json"\n')
    _git(repo, "init", "-q")
    _git(repo, "add", "-A")
    _git(repo, "commit", "-qm", "fixture")
    env = {**os.environ, "PRE_COMMIT_HOME": str(tmp_path / "pre-commit-home"), "PRE_COMMIT_COLOR": "never"}

    def try_repo(*files: str) -> tuple[int, dict[str, str]]:
        proc = subprocess.run([sys.executable, "-m", "pre_commit", "try-repo", str(ROOT), "--files", *files],
                              cwd=repo, capture_output=True, text=True, env=env, timeout=900)
        return proc.returncode, _hook_sections(proc.stdout + proc.stderr)

    # Both hooks pass: a valid schema, and two files validated together as one dataset.
    code, hooks = try_repo("schema.json", "data/part_a.csv", "data/part_b.csv")
    assert code == 0, hooks
    assert hooks["datacheck schema check"].startswith("Passed")
    assert hooks["datacheck validate"].startswith("Passed")
    # The same two files, validated by the library as one dataset, pass too.
    assert datacheck.validate([str(repo / "data" / "part_a.csv"), str(repo / "data" / "part_b.csv")],
                              str(schema_path)).passed

    # Both fail: the hand-edited schema with each error's JSON path, the broken data with its findings.
    code, hooks = try_repo("schema_edited.json", "data/broken.csv")
    assert code == 1
    assert hooks["datacheck schema check"].startswith("Failed")
    assert "$.columns[0].name: 3 is not of type 'string'" in hooks["datacheck schema check"]
    expected = datacheck.validate(str(SAMPLE / "loans_broken.csv"), str(schema_path))
    assert hooks["datacheck validate"].startswith("Failed")
    assert "- exit code: 1" in hooks["datacheck validate"]
    for finding in expected.findings:
        assert finding.code in hooks["datacheck validate"], finding.code


# ---------------------------------------------------------------------------------------------- action.yml

EXPRESSION = re.compile(r"\$\{\{\s*(.+?)\s*\}\}")


def _substitute(text: str, inputs: dict[str, str], outputs: dict[str, dict[str, str]]) -> str:
    """The `${{ }}` expressions the action uses: inputs, this action's path and earlier steps' outputs. Any
    other expression fails the test, so the action cannot rely on something this test does not model."""
    def value(match: re.Match[str]) -> str:
        expression = match.group(1)
        if expression.startswith("inputs."):
            return inputs[expression.removeprefix("inputs.")]
        if expression == "github.action_path":
            return str(ROOT)
        step = re.fullmatch(r"steps\.([\w-]+)\.outputs\.([\w-]+)", expression)
        if step:
            return outputs.get(step.group(1), {}).get(step.group(2), "")
        raise AssertionError(f"action.yml uses an expression this test does not model: {expression}")

    return EXPRESSION.sub(value, text)


def _read_outputs(path: Path) -> dict[str, str]:
    found = {}
    for line in path.read_text(encoding="utf-8").splitlines():
        key, _, value = line.partition("=")
        found[key] = value
    return found


def _run_action(workdir: Path, given: dict[str, str], venv_bin: Path) -> dict[str, Any]:
    """Run the action's steps in order, as the runner does: `run` steps through bash with their env, `uses`
    steps recorded (and the artifact's path checked). Returns the outputs, summary, stdout and uploads."""
    action = yaml.safe_load((ROOT / "action.yml").read_text(encoding="utf-8"))
    inputs = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    inputs.update(given)
    temp = workdir / "runner-temp"
    temp.mkdir(exist_ok=True)
    summary = workdir / "step-summary.md"
    summary.write_text("")
    outputs: dict[str, dict[str, str]] = {}
    stdout, uploads, failed = "", [], None
    for index, step in enumerate(action["runs"]["steps"]):
        condition = step.get("if", "")
        if failed is not None and "always()" not in condition:
            continue
        if "uses" in step:
            with_ = {key: _substitute(str(value), inputs, outputs) for key, value in step.get("with", {}).items()}
            if step["uses"].startswith("actions/upload-artifact@"):
                uploads.append(with_)
            else:
                assert step["uses"].startswith("actions/setup-python@"), step["uses"]
            continue
        output_file = workdir / f"output-{index}"
        output_file.write_text("")
        env = {**os.environ, "PATH": f"{venv_bin}{os.pathsep}{os.environ['PATH']}", "RUNNER_TEMP": str(temp),
               "GITHUB_OUTPUT": str(output_file), "GITHUB_STEP_SUMMARY": str(summary),
               **{key: _substitute(str(value), inputs, outputs) for key, value in step.get("env", {}).items()}}
        env.pop("PYTHONPATH", None)  # the action runs the datacheck it installed
        proc = subprocess.run(["bash", "-e", "-c", _substitute(step["run"], inputs, outputs)], cwd=ROOT, env=env,
                              capture_output=True, text=True, timeout=600)
        stdout += proc.stdout
        if "id" in step:
            outputs[step["id"]] = _read_outputs(output_file)
        if proc.returncode != 0:
            failed = (step.get("name"), proc.returncode, proc.stderr)
    action_outputs = {name: _substitute(spec["value"], inputs, outputs) for name, spec in action["outputs"].items()}
    return {"outputs": action_outputs, "summary": summary.read_text(encoding="utf-8"), "stdout": stdout,
            "uploads": uploads, "failed": failed}


@pytest.fixture(scope="module")
def venv_bin(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A virtual environment over this Python's packages (so that the install step finds the dependencies
    and leaves this environment alone), where the action's install step installs this checkout."""
    where = tmp_path_factory.mktemp("venv")
    venv.create(where, system_site_packages=True, with_pip=True)
    return where / "bin"


def test_the_action_runs_its_steps_on_sample_data(tmp_path: Path, schema_path: Path, venv_bin: Path) -> None:
    broken = str(SAMPLE / "loans_broken.csv")
    result = _run_action(tmp_path, {"data": broken, "schema": str(schema_path)}, venv_bin)
    expected = datacheck.validate(broken, str(schema_path))
    assert result["failed"] is not None and result["failed"][:2] == ("Validate", 1)
    assert result["outputs"]["passed"] == "false" and result["outputs"]["exit-code"] == "1"
    assert result["outputs"]["errors"] == str(expected.summary.errors) != "0"
    assert result["outputs"]["warnings"] == str(expected.summary.warnings)
    # Annotations: one workflow command per finding.
    annotations = [line for line in result["stdout"].splitlines() if line.startswith(("::error", "::warning"))]
    assert len(annotations) == len(expected.findings)
    # The step summary is the Markdown report; the artifact is the HTML report, escaped and complete.
    from datacheck.render.registry import render_report

    assert result["summary"] == render_report(expected, "markdown")
    (upload,) = result["uploads"]
    report_html = Path(upload["path"])
    assert upload["name"] == "datacheck-report" and report_html.name == "report.html"
    assert report_html.read_text(encoding="utf-8").rstrip().endswith("</html>")
    installed = subprocess.run([str(venv_bin / "python"), "-c", "import datacheck; print(datacheck.__file__)"],
                               capture_output=True, text=True, cwd=tmp_path, env={**os.environ, "PYTHONPATH": ""})
    assert installed.stdout.startswith(str(venv_bin.parent)), installed.stdout  # the action's own install ran
    assert (Path(installed.stdout.strip()).parent / "py.typed").is_file()  # the installed package is typed

    clean = _run_action(tmp_path, {"data": str(SAMPLE / "loans_clean.csv"), "schema": str(schema_path),
                                   "fail-on": "warning", "python-version": ""}, venv_bin)
    assert clean["failed"] is None
    assert clean["outputs"] | {"report": ""} == {"passed": "true", "errors": "0", "warnings": "0", "exit-code": "0",
                                                 "report": ""}
    assert clean["summary"].startswith("### ✅")


def test_the_action_reports_a_run_that_could_not_start(tmp_path: Path, venv_bin: Path) -> None:
    result = _run_action(tmp_path, {"data": str(SAMPLE / "loans_clean.csv"), "schema": str(tmp_path / "none.json")},
                         venv_bin)
    assert result["failed"] is not None and result["failed"][1] == 2
    assert "no such schema file" in result["failed"][2]
    assert result["outputs"]["passed"] == "false" and result["outputs"]["exit-code"] == "2"
    assert result["outputs"]["errors"] == "" and "could not run (exit code 2)" in result["summary"]
    assert not Path(result["uploads"][0]["path"]).exists()
