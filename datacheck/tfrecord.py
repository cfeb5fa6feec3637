"""The TFRecord file framing: records of bytes, each with its length and CRC-32C checksums.

TFX's StatisticsGen wrote its statistics as a TFRecord file of one serialized proto. Each record is

    uint64 length (little-endian) | uint32 masked CRC-32C of the length bytes | data | uint32 masked CRC-32C of data

where masking is ((crc >> 15) | (crc << 17)) + 0xa282ead8 modulo 2**32 (TensorFlow's
tensorflow/core/lib/hash/crc32c.h). Both checksums are verified: a torn or corrupted file is an error, not a
silently truncated read. Compressed TFRecord files (GZIP, ZLIB) are not read.
"""

from __future__ import annotations

import struct
from collections.abc import Iterable, Iterator

from datacheck.errors import InputError

_MASK_DELTA = 0xA282EAD8
_POLY = 0x82F63B78  # CRC-32C (Castagnoli), reflected


def _table() -> tuple[int, ...]:
    table = []
    for byte in range(256):
        crc = byte
        for _ in range(8):
            crc = (crc >> 1) ^ _POLY if crc & 1 else crc >> 1
        table.append(crc)
    return tuple(table)


_TABLE = _table()


def crc32c(data: bytes) -> int:
    """CRC-32C of `data` (statistics files are kilobytes, so a table-driven loop is fast enough: ~20 ms for 100 KB).

    Example:
        >>> hex(crc32c(b"123456789"))
        '0xe3069283'
    """
    crc = 0xFFFFFFFF
    table = _TABLE
    for byte in data:
        crc = table[(crc ^ byte) & 0xFF] ^ (crc >> 8)
    return crc ^ 0xFFFFFFFF


def masked_crc(data: bytes) -> int:
    """The masked CRC-32C that TFRecord stores."""
    crc = crc32c(data)
    return (((crc >> 15) | (crc << 17)) + _MASK_DELTA) & 0xFFFFFFFF


def is_tfrecord(head: bytes) -> bool:
    """Whether `head` (the first 12 bytes or more of a file) starts a TFRecord: the length's checksum matches."""
    if len(head) < 12:
        return False
    return struct.unpack("<I", head[8:12])[0] == masked_crc(head[:8])


def read_records(data: bytes, path: str = "<bytes>") -> Iterator[bytes]:
    """The records of a TFRecord file's bytes, in order.

    Raises:
        InputError: a record is cut short or a checksum does not match (with the record's byte offset).
    """
    offset = 0
    while offset < len(data):
        header = data[offset:offset + 12]
        if len(header) < 12:
            raise InputError(f"TFRecord cut short: {len(header)} stray bytes at offset {offset}", path=path)
        (length,) = struct.unpack("<Q", header[:8])
        if struct.unpack("<I", header[8:12])[0] != masked_crc(header[:8]):
            raise InputError(f"TFRecord length checksum mismatch at offset {offset}", path=path,
                             hint="the file is corrupted or not a TFRecord file")
        body = data[offset + 12:offset + 12 + length]
        footer = data[offset + 12 + length:offset + 16 + length]
        if len(body) < length or len(footer) < 4:
            raise InputError(f"TFRecord cut short: the record at offset {offset} holds {length} bytes, the file "
                             "ends before", path=path)
        if struct.unpack("<I", footer)[0] != masked_crc(body):
            raise InputError(f"TFRecord data checksum mismatch in the record at offset {offset}", path=path,
                             hint="the file is corrupted")
        yield body
        offset += 16 + length


def write_records(records: Iterable[bytes]) -> bytes:
    """Records framed as a TFRecord file."""
    out = bytearray()
    for record in records:
        length = struct.pack("<Q", len(record))
        out += length + struct.pack("<I", masked_crc(length)) + record + struct.pack("<I", masked_crc(record))
    return bytes(out)


__all__ = ["crc32c", "masked_crc", "is_tfrecord", "read_records", "write_records"]
