"""Object stores and web servers as DATA: `s3://`, `gs://`, `az://` and `https://` paths and globs.

polars reads Parquet, Arrow IPC and NDJSON straight from an object store (its object-store support), in
batches like a local file. CSV, TSV, JSON and compressed files, and every file from a web server, are copied
to a local temporary file first (in bounded memory, see `datacheck.spool`): the CSV reader looks at a file's
bytes more than once (the header, blank lines, padding, the types), which an object store serves only as new
requests, and a web server need not serve byte ranges at all (Python's http.server does not).

Credentials come from the usual environment variables (AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY,
AWS_SESSION_TOKEN, AWS_REGION, AWS_ENDPOINT_URL; GOOGLE_APPLICATION_CREDENTIALS; AZURE_STORAGE_ACCOUNT_NAME,
AZURE_STORAGE_ACCOUNT_KEY) and from `--storage-option KEY=VALUE`, whose keys are polars' (object_store's):
aws_access_key_id, aws_secret_access_key, aws_session_token, aws_region, aws_endpoint_url,
azure_storage_account_name, azure_storage_account_key, ... Listing a glob and copying a file go through
pyarrow's file systems, given the same settings; https has no listing, so an https glob is refused.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any

from datacheck.errors import InputError
from datacheck.spool import spool

SCHEMES = ("s3", "s3a", "gs", "gcs", "az", "abfs", "abfss", "http", "https")
#: Formats polars streams from an object store itself (uncompressed, not over http); the others are copied first.
NATIVE_FORMATS = ("parquet", "ipc", "ndjson")
#: Seconds to wait for a web server's answer before giving up.
HTTP_TIMEOUT = 60
_SCHEME = re.compile(r"^([A-Za-z][A-Za-z0-9+.-]*)://")
_GLOB = re.compile(r"[*?\[]")
_HINT = ("check the URL and the credentials: AWS_* / GOOGLE_APPLICATION_CREDENTIALS / AZURE_STORAGE_* environment "
         "variables, or --storage-option KEY=VALUE")

_copies: dict[str, str] = {}  # URL -> local copy, so that a URL resolved twice in one run is fetched once


def is_remote(raw: str) -> bool:
    """True for a URL of an object store or web server that polars can read.

    Example:
        >>> is_remote("s3://bucket/data/*.parquet"), is_remote("data/file.csv"), is_remote("postgresql://db")
        (True, False, False)
    """
    match = _SCHEME.match(raw)
    return match is not None and match.group(1).lower() in SCHEMES


def scheme(url: str) -> str:
    match = _SCHEME.match(url)
    return match.group(1).lower() if match else ""


def list_objects(url: str, storage_options: Mapping[str, str]) -> list[str]:
    """The URLs that `url` names: itself, when the object exists, or the objects a glob matches, sorted.

    Raises:
        InputError: no such object, a glob that matches nothing or that https cannot list, or a store that
            cannot be reached with the credentials given.
    """
    kind = scheme(url)
    if kind in ("http", "https"):
        if _GLOB.search(url.split("?", 1)[0]):
            raise InputError("a web server cannot be listed, so an https:// glob cannot be expanded", path=url,
                             hint="name each file, or use the object store's own URL (s3://, gs://, az://)")
        return [url]
    filesystem, root = _filesystem(url, storage_options)
    import pyarrow.fs as pafs

    path = url[len(kind) + 3:]
    try:
        if not _GLOB.search(path):
            info = filesystem.get_file_info(path)
            if info.type == pafs.FileType.NotFound:
                raise InputError("no such object", path=url, hint=_HINT)
            if info.type == pafs.FileType.Directory:
                return _listed(filesystem, kind, path, None)
            return [url]
        base = path[: _GLOB.search(path).start()].rsplit("/", 1)[0]  # type: ignore[union-attr]
        found = _listed(filesystem, kind, base, _glob_regex(path))
    except InputError:
        raise
    except Exception as exc:  # pyarrow raises OSError, ArrowInvalid, ... for unreachable stores and bad credentials
        raise InputError(f"cannot reach the object store: {_first_line(exc)}", path=url, hint=_HINT) from None
    if not found:
        raise InputError(f"the pattern {url!r} matches no object", hint="check the pattern and the bucket")
    return found


def _listed(filesystem: Any, kind: str, base: str, pattern: re.Pattern[str] | None) -> list[str]:
    import pyarrow.fs as pafs

    infos = filesystem.get_file_info(pafs.FileSelector(base, recursive=True))
    names = sorted(info.path for info in infos if info.type == pafs.FileType.File)
    names = [n for n in names if not os.path.basename(n).startswith((".", "_"))]
    if pattern is not None:
        names = [n for n in names if pattern.fullmatch(n)]
    return [f"{kind}://{name}" for name in names]


def _glob_regex(pattern: str) -> re.Pattern[str]:
    """A glob as a regular expression: `**/` any folders, `*` and `?` within one folder name, `[...]` a class.

    Example:
        >>> [bool(_glob_regex(p).fullmatch("b/x/y/z.csv")) for p in ("b/**/*.csv", "b/*.csv", "b/x/?/[xyz].csv")]
        [True, False, True]
    """
    out, i = [], 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            out.append("(?:.*/)?")
            i += 3
        elif pattern.startswith("**", i):
            out.append(".*")
            i += 2
        elif pattern[i] == "*":
            out.append("[^/]*")
            i += 1
        elif pattern[i] == "?":
            out.append("[^/]")
            i += 1
        elif pattern[i] == "[" and "]" in pattern[i + 1:]:
            end = pattern.index("]", i + 1)
            body = pattern[i + 1:end]
            out.append("[" + ("^" + body[1:] if body.startswith("!") else body) + "]")
            i = end + 1
        else:
            out.append(re.escape(pattern[i]))
            i += 1
    return re.compile("".join(out))


def _option(options: Mapping[str, str], *names: str, env: tuple[str, ...] = ()) -> str | None:
    lowered = {k.lower(): v for k, v in options.items()}
    for name in names:
        if name in lowered:
            return lowered[name]
    return next((os.environ[e] for e in env if os.environ.get(e)), None)


def _filesystem(url: str, options: Mapping[str, str]) -> tuple[Any, str]:
    """The pyarrow file system for `url`, set up from the storage options and the environment."""
    import pyarrow.fs as pafs

    kind = scheme(url)
    if kind in ("s3", "s3a"):
        endpoint = _option(options, "aws_endpoint_url", "aws_endpoint", "endpoint_url", "endpoint",
                           env=("AWS_ENDPOINT_URL_S3", "AWS_ENDPOINT_URL"))
        kwargs: dict[str, Any] = {
            "access_key": _option(options, "aws_access_key_id", "access_key_id"),
            "secret_key": _option(options, "aws_secret_access_key", "secret_access_key"),
            "session_token": _option(options, "aws_session_token", "session_token", "token"),
            "region": _option(options, "aws_region", "region", "aws_default_region",
                              env=("AWS_REGION", "AWS_DEFAULT_REGION")),
        }
        if endpoint:
            match = _SCHEME.match(endpoint)
            kwargs["scheme"] = match.group(1) if match else "https"
            kwargs["endpoint_override"] = endpoint[match.end():] if match else endpoint
        if kwargs["access_key"] is None or kwargs["secret_key"] is None:
            kwargs.pop("access_key")
            kwargs.pop("secret_key")
            kwargs.pop("session_token")
        return pafs.S3FileSystem(**{k: v for k, v in kwargs.items() if v is not None}), "s3"
    if kind in ("gs", "gcs"):
        return pafs.GcsFileSystem(), "gs"
    account = _option(options, "azure_storage_account_name", "account_name",
                      env=("AZURE_STORAGE_ACCOUNT_NAME",))
    if account is None:
        raise InputError("az:// needs the storage account's name", path=url,
                         hint="set AZURE_STORAGE_ACCOUNT_NAME or pass --storage-option azure_storage_account_name=NAME")
    key = _option(options, "azure_storage_account_key", "account_key", env=("AZURE_STORAGE_ACCOUNT_KEY",))
    return pafs.AzureFileSystem(account_name=account, account_key=key), "az"


def local_copy(url: str, storage_options: Mapping[str, str]) -> str:
    """A local copy of the object at `url` (once per process): the path that reads it.

    Raises:
        InputError: the object cannot be fetched (missing, or the credentials are refused).
    """
    if url in _copies:
        return _copies[url]
    # Imported here: urllib.request (with http.client, ssl and email) is 10-15 ms of every start-up otherwise.
    import urllib.error
    import urllib.request

    kind = scheme(url)
    try:
        if kind in ("http", "https"):
            request = urllib.request.Request(url, headers={"User-Agent": "datacheck"})
            with urllib.request.urlopen(request, timeout=HTTP_TIMEOUT) as response:  # noqa: S310 (a URL the user gave)
                location, _, _ = spool(response, "datacheck-download-")
        else:
            filesystem, _ = _filesystem(url, storage_options)
            with filesystem.open_input_stream(url[len(kind) + 3:]) as stream:
                location, _, _ = spool(stream, "datacheck-download-")
    except urllib.error.HTTPError as exc:
        raise InputError(f"the web server answered {exc.code} {exc.reason}", path=url,
                         hint="check the URL" if exc.code == 404 else _HINT) from None
    except (urllib.error.URLError, TimeoutError) as exc:
        raise InputError(f"cannot reach the web server: {getattr(exc, 'reason', exc)}", path=url) from None
    except InputError:
        raise
    except Exception as exc:
        raise InputError(f"cannot fetch the object: {_first_line(exc)}", path=url, hint=_HINT) from None
    _copies[url] = location
    return location


def polars_options(storage_options: Mapping[str, str]) -> dict[str, Any]:
    """The keyword arguments that give polars' readers the storage options (none: polars reads the
    environment itself)."""
    return {"storage_options": dict(storage_options)} if storage_options else {}


def _first_line(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()
    return text[0] if text else type(exc).__name__


__all__ = ["HTTP_TIMEOUT", "NATIVE_FORMATS", "SCHEMES", "is_remote", "list_objects", "local_copy",
           "polars_options", "scheme"]
