"""s3:// and https:// DATA: the same statistics, validation and drift as the local files, byte for byte apart
from the inputs' names. S3 is moto's server on this machine, https a local http.server: never the internet."""

from __future__ import annotations

import functools
import http.server
import socket
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.input_kinds import SAMPLE, assert_same_json, cli, json_out

BUCKET = "datacheck-test"
FILES = ("loans_train.csv", "loans_train.parquet", "loans_broken.csv", "loans_drifted.parquet", "loans_clean.csv")


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@pytest.fixture(scope="module")
def s3_env() -> Iterator[dict[str, str]]:
    """A moto S3 server with the sample files under data/, and the environment that reaches it."""
    server_module = pytest.importorskip("moto.server", reason="moto[server] is not installed")
    boto3 = pytest.importorskip("boto3")
    port = _free_port()
    server = server_module.ThreadedMotoServer(ip_address="127.0.0.1", port=port, verbose=False)
    server.start()
    endpoint = f"http://127.0.0.1:{port}"
    env = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing", "AWS_REGION": "us-east-1",
           "AWS_ENDPOINT_URL": endpoint}
    client = boto3.client("s3", endpoint_url=endpoint, region_name="us-east-1", aws_access_key_id="testing",
                          aws_secret_access_key="testing")
    client.create_bucket(Bucket=BUCKET)
    for name in FILES:
        client.upload_file(str(SAMPLE / name), BUCKET, f"data/{name}")
    client.upload_file(str(SAMPLE / "loans_train.csv"), BUCKET, "glob/2024/a.csv")
    client.upload_file(str(SAMPLE / "loans_clean.csv"), BUCKET, "glob/2025/b.csv")
    try:
        yield env
    finally:
        server.stop()


@pytest.fixture(scope="module")
def web() -> Iterator[str]:
    """A local web server over sample_data/: its base URL."""
    handler = functools.partial(_QuietHandler, directory=str(SAMPLE))
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), handler)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_address[1]}"
    finally:
        server.shutdown()


class _QuietHandler(http.server.SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: object) -> None:
        pass


@pytest.fixture(scope="module")
def schema(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("schema") / "schema.json"
    assert cli("infer", str(SAMPLE / "loans_train.csv"), "-o", str(path)).returncode == 0
    return path


@pytest.mark.parametrize("name", ["loans_train.csv", "loans_train.parquet"])
def test_s3_stats_equal_the_file(s3_env: dict[str, str], name: str) -> None:
    url = f"s3://{BUCKET}/data/{name}"
    local = json_out(cli("stats", str(SAMPLE / name), "--format", "json"))
    remote = json_out(cli("stats", url, "--format", "json", env=s3_env))
    assert f'"path": "{url}"' in remote
    assert_same_json(local, remote, {str(SAMPLE / name): "DATA"}, {url: "DATA"})


def test_s3_validate_and_drift_equal_the_files(s3_env: dict[str, str], schema: Path) -> None:
    url = f"s3://{BUCKET}/data/loans_broken.csv"
    local = json_out(cli("validate", str(SAMPLE / "loans_broken.csv"), "-s", str(schema), "--format", "json"))
    remote = json_out(cli("validate", url, "-s", str(schema), "--format", "json", env=s3_env))
    assert_same_json(local, remote, {str(SAMPLE / "loans_broken.csv"): "DATA"}, {url: "DATA"})
    base, cur = f"s3://{BUCKET}/data/loans_train.parquet", f"s3://{BUCKET}/data/loans_drifted.parquet"
    local = json_out(cli("drift", str(SAMPLE / "loans_train.parquet"), str(SAMPLE / "loans_drifted.parquet"),
                         "--format", "json"))
    remote = json_out(cli("drift", base, cur, "--format", "json", env=s3_env))
    assert_same_json(local, remote, {str(SAMPLE / "loans_train.parquet"): "BASE",
                                     str(SAMPLE / "loans_drifted.parquet"): "CUR"}, {base: "BASE", cur: "CUR"})


def test_s3_glob_lists_the_matching_objects(s3_env: dict[str, str], tmp_path: Path) -> None:
    (tmp_path / "2024").mkdir()
    (tmp_path / "2025").mkdir()
    (tmp_path / "2024" / "a.csv").write_bytes((SAMPLE / "loans_train.csv").read_bytes())
    (tmp_path / "2025" / "b.csv").write_bytes((SAMPLE / "loans_clean.csv").read_bytes())
    local = json_out(cli("stats", f"{tmp_path}/**/*.csv", "--format", "json"))
    remote = json_out(cli("stats", f"s3://{BUCKET}/glob/**/*.csv", "--format", "json", env=s3_env))
    assert_same_json(local, remote, {str(tmp_path): "ROOT"}, {f"s3://{BUCKET}/glob": "ROOT"})
    assert remote.count('"format": "csv"') == 2


def test_storage_options_carry_the_credentials(s3_env: dict[str, str]) -> None:
    url = f"s3://{BUCKET}/data/loans_train.csv"
    keys = {"AWS_ACCESS_KEY_ID": "", "AWS_SECRET_ACCESS_KEY": "", "AWS_ENDPOINT_URL": ""}
    options = ["--storage-option", f"aws_endpoint_url={s3_env['AWS_ENDPOINT_URL']}",
               "--storage-option", "aws_access_key_id=testing", "--storage-option", "aws_secret_access_key=testing"]
    proc = cli("stats", url, "--format", "json", *options, env={**s3_env, **keys})
    local = json_out(cli("stats", str(SAMPLE / "loans_train.csv"), "--format", "json"))
    assert_same_json(local, json_out(proc), {str(SAMPLE / "loans_train.csv"): "DATA"}, {url: "DATA"})


@pytest.mark.parametrize("args, message", [
    (("s3://datacheck-test/data/nope.csv",), b"no such object"),
    (("s3://datacheck-test/data/*.zzz",), b"matches no object"),
    (("s3://datacheck-test/data/loans_train.csv", "--storage-option", "novalue"), b"expected KEY=VALUE"),
])
def test_s3_errors(s3_env: dict[str, str], args: tuple[str, ...], message: bytes) -> None:
    proc = cli("stats", *args, env=s3_env)
    assert proc.returncode == 2 and message in proc.stderr, proc.stderr.decode()
    assert b"Traceback" not in proc.stderr


@pytest.mark.parametrize("name", ["loans_train.csv", "loans_train.parquet"])
def test_https_equals_the_file(web: str, name: str) -> None:
    url = f"{web}/{name}"
    local = json_out(cli("stats", str(SAMPLE / name), "--format", "json"))
    remote = json_out(cli("stats", url, "--format", "json"))
    assert_same_json(local, remote, {str(SAMPLE / name): "DATA"}, {url: "DATA"})


@pytest.mark.parametrize("path, message", [("/missing.csv", b"answered 404"), ("/*.csv", b"cannot be listed")])
def test_https_errors(web: str, path: str, message: bytes) -> None:
    proc = cli("stats", web + path)
    assert proc.returncode == 2 and message in proc.stderr, proc.stderr.decode()
    assert b"Traceback" not in proc.stderr
