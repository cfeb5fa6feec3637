"""A throwaway PostgreSQL cluster for tests and benchmarks: initdb and pg_ctl in a temporary folder, on a free
port, as the `postgres` user when run as root (PostgreSQL refuses to run as root). Stopped and removed after."""

from __future__ import annotations

import glob
import os
import shutil
import socket
import subprocess
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any


def binaries() -> str | None:
    """The folder of initdb and pg_ctl, or None when PostgreSQL is not installed."""
    found = shutil.which("initdb")
    if found and shutil.which("pg_ctl"):
        return os.path.dirname(os.path.realpath(found))
    for folder in sorted(glob.glob("/usr/lib/postgresql/*/bin"), reverse=True):
        if os.path.exists(os.path.join(folder, "initdb")) and os.path.exists(os.path.join(folder, "pg_ctl")):
            return folder
    return None


def missing_reason() -> str | None:
    """Why a PostgreSQL cluster cannot be started here, or None when it can."""
    if binaries() is None:
        return "PostgreSQL's initdb/pg_ctl are not installed (apt-get install postgresql)"
    if os.geteuid() == 0:
        try:
            import pwd

            pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' user to run PostgreSQL as"
    return None


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@contextmanager
def cluster() -> Iterator[str]:
    """Start a cluster; yield its connection URI (user postgres, database postgres, no password)."""
    folder = binaries()
    assert folder is not None
    root = tempfile.mkdtemp(prefix="datacheck-pg-")
    as_user: dict[str, Any] = {}
    if os.geteuid() == 0:
        import pwd

        entry = pwd.getpwnam("postgres")
        os.chown(root, entry.pw_uid, entry.pw_gid)
        as_user = {"user": entry.pw_uid, "group": entry.pw_gid, "extra_groups": []}
    data, port = os.path.join(root, "data"), _free_port()
    run = {"check": True, "capture_output": True, "cwd": root, **as_user}
    subprocess.run([os.path.join(folder, "initdb"), "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8",
                    "--no-sync"], **run)
    options = f"-p {port} -k {root} -c listen_addresses=127.0.0.1 -c fsync=off -c synchronous_commit=off"
    subprocess.run([os.path.join(folder, "pg_ctl"), "-D", data, "-o", options, "-l", os.path.join(root, "log"),
                    "-w", "-t", "60", "start"], **run)
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        subprocess.run([os.path.join(folder, "pg_ctl"), "-D", data, "-m", "immediate", "-w", "stop"],
                       **{**run, "check": False})
        shutil.rmtree(root, ignore_errors=True)


__all__ = ["binaries", "cluster", "missing_reason"]
