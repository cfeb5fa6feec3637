"""The TFDV protocol buffers (tensorflow-metadata), loaded on first use, and reading them from files.

tensorflow-metadata ships the generated Python classes of TFDV's Schema and DatasetFeatureStatisticsList
protos and needs only protobuf, not TensorFlow. It is an optional extra: every TFDV feature starts with
`modules()`, which names the extra to install when it is missing.
"""

from __future__ import annotations

import os
from types import ModuleType
from typing import Any

from datacheck.errors import InputError, UsageError

#: The pip extra that installs tensorflow-metadata (see pyproject.toml).
EXTRA = "tfdv"
INSTALL_HINT = f"pip install 'datacheck-cli[{EXTRA}]' (it installs tensorflow-metadata and protobuf, not TensorFlow)"


def modules() -> tuple[ModuleType, ModuleType]:
    """The `schema_pb2` and `statistics_pb2` modules of tensorflow-metadata.

    Raises:
        UsageError: tensorflow-metadata is not installed; the message names the extra that installs it.
    """
    try:
        from tensorflow_metadata.proto.v0 import schema_pb2, statistics_pb2
    except ImportError:
        raise UsageError("reading or writing TFDV files needs the tensorflow-metadata package",
                         hint=INSTALL_HINT) from None
    return schema_pb2, statistics_pb2


def read_bytes(path: str | os.PathLike[str]) -> bytes:
    """The bytes of a proto file, with could-not-read errors that name the file.

    Raises:
        InputError: the file is missing or unreadable.
    """
    try:
        with open(path, "rb") as handle:
            return handle.read()
    except FileNotFoundError:
        raise InputError("no such file", path=str(path), hint="check the path") from None
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc.strerror or exc}", path=str(path)) from None


def parse(message: Any, data: bytes, path: str, *, text: bool | None = None) -> Any:
    """Fill `message` from `data`, as text format (`.pbtxt`) or binary wire format.

    Args:
        message: an empty proto message of the expected type.
        data: the file's bytes.
        path: the file's name, for the format (a `.pbtxt`/`.txt` suffix means text) and error messages.
        text: force text (True) or binary (False); None: text for a `.pbtxt` suffix or content that is
            printable UTF-8 (a `.pb` written in text format is still read), else binary.

    Raises:
        InputError: the bytes are not a message of that type in either format.
    """
    from google.protobuf import message as proto_message
    from google.protobuf import text_format

    kind = type(message).__name__
    if text is None:
        lower = str(path).lower()
        text = lower.endswith((".pbtxt", ".txt", ".textproto")) or _looks_textual(data)
    try:
        if text:
            text_format.Parse(data.decode("utf-8"), message)
        else:
            message.ParseFromString(data)
    except (text_format.ParseError, proto_message.DecodeError, UnicodeDecodeError) as exc:
        shape = "text-format" if text else "binary"
        raise InputError(f"not a {shape} TFDV {kind}: {str(exc).splitlines()[0] if str(exc) else exc}",
                         path=str(path),
                         hint="text format is told from binary by the .pbtxt suffix or printable content") from None
    return message


def _looks_textual(data: bytes) -> bool:
    """Text-format protos are UTF-8 text; the wire format of these messages is not (field tags are control
    bytes)."""
    head = data[:4096]
    try:
        head.decode("utf-8")
    except UnicodeDecodeError:
        return False
    return not any(byte < 9 or 13 < byte < 32 for byte in head)


__all__ = ["EXTRA", "INSTALL_HINT", "modules", "read_bytes", "parse"]
