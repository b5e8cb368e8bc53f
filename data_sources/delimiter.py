"""Guess the field delimiter of a CSV text: comma, semicolon or tab."""

from __future__ import annotations

import csv
from collections import Counter

DELIMITERS = (",", ";", "\t")
DELIMITER_NAMES = {",": "comma", ";": "semicolon", "\t": "tab"}
_SAMPLE_LINES = 50


def detect_delimiter(text: str) -> str:
    """Return ',', ';' or '\\t' for `text` (the decoded file).

    csv.Sniffer (restricted to the three candidates) decides first; if it gives up, or
    picks a delimiter that does not split the header line, the candidate that splits the
    first lines most consistently into >= 2 fields wins. A file none of them splits is
    a single column, read with ','.
    """
    lines = [line for line in text.splitlines() if line.strip()][:_SAMPLE_LINES]
    if not lines:
        return ","
    sample = "\n".join(lines)
    try:
        sniffed = csv.Sniffer().sniff(sample, delimiters="".join(DELIMITERS)).delimiter
    except csv.Error:
        sniffed = None
    if sniffed in DELIMITERS and _n_fields(lines[0], sniffed) >= 2:
        return sniffed
    return _most_consistent(lines)


def _most_consistent(lines: list[str]) -> str:
    """Pick the delimiter whose most common field count (>= 2) covers the largest share of lines."""
    best, best_key = ",", (0.0, 0)
    for delim in DELIMITERS:
        counts = Counter(_n_fields(line, delim) for line in lines)
        n_fields, n_lines = counts.most_common(1)[0]
        if n_fields < 2:
            continue
        # Consistency first (ragged files still have a clear majority), then more fields.
        key = (n_lines / len(lines), n_fields)
        if key > best_key:
            best, best_key = delim, key
    return best


def _n_fields(line: str, delim: str) -> int:
    """Number of fields in one line when split by `delim`, respecting double quotes."""
    row = next(csv.reader([line], delimiter=delim), [])
    return len(row)
