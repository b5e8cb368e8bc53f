"""Raw upload bytes -> text: size limit, empty and binary checks, UTF-8 / Latin-1 decoding."""

from __future__ import annotations

from .errors import DataError

MAX_UPLOAD_MB = 50
"""Largest accepted upload in MiB; .streamlit/config.toml sets server.maxUploadSize to the same."""

_UTF8_BOM = b"\xef\xbb\xbf"
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_ZIP_MAGIC = b"PK\x03\x04"
# Bytes below 0x20 that never occur in a text CSV (tab, LF, CR are allowed), plus DEL.
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])
_SNIFF_BYTES = 64 * 1024
# Real text has essentially no control bytes; random binary data has about 12 %.
_MAX_CONTROL_SHARE = 0.05


def decode_upload(raw: bytes) -> tuple[str, str]:
    """Check the raw bytes and decode them.

    Returns (text, encoding) with encoding 'utf-8' or 'latin-1'; a UTF-8 byte-order
    mark is removed. Raises DataError for a too-large, empty or binary file.
    """
    limit = MAX_UPLOAD_MB * 1024 * 1024
    if len(raw) > limit:
        raise DataError(
            f"This file is {len(raw) / 1024 / 1024:.1f} MB, more than the {MAX_UPLOAD_MB} MB "
            "upload limit; upload a smaller file, for example a random sample of its rows."
        )
    if raw.startswith(_UTF8_BOM):
        raw = raw[len(_UTF8_BOM):]
    if not raw.strip():
        raise DataError(
            "This file is empty; upload a CSV with a header row and at least two rows of numbers."
        )
    _reject_binary(raw)
    try:
        return raw.decode("utf-8"), "utf-8"
    except UnicodeDecodeError:
        # Latin-1 maps every byte to a character, so this cannot fail (older Excel / Windows exports).
        return raw.decode("latin-1"), "latin-1"


def _reject_binary(raw: bytes) -> None:
    """Raise DataError if the bytes look like a binary file rather than text."""
    if raw.startswith(_UTF16_BOMS):
        raise DataError(
            "This file does not look like a text CSV in UTF-8 or Latin-1 (it is saved as UTF-16); "
            "save it again as 'CSV UTF-8' and upload that."
        )
    if raw.startswith(_ZIP_MAGIC):
        raise DataError(
            "This file does not look like a text CSV (it looks like an Excel workbook or a zip archive); "
            "in your spreadsheet program use Save As > CSV and upload that file instead."
        )
    sample = raw[:_SNIFF_BYTES]
    n_control = len(sample) - len(sample.translate(None, _CONTROL_BYTES))
    if b"\x00" in raw or n_control > _MAX_CONTROL_SHARE * len(sample):
        raise DataError(
            "This file does not look like a text CSV (it contains binary data); "
            "export your data as a comma-, semicolon- or tab-separated text file and upload that."
        )
