"""Guess a file's decimal mark: '.' or ',' (5,3 as Excel writes numbers in much of Europe)."""

from __future__ import annotations

import re

_COMMA_DECIMAL = re.compile(r"[+-]?([0-9]*,[0-9]+|[0-9]+,)([eE][+-]?[0-9]+)?")
_POINT_DECIMAL = re.compile(r"[+-]?([0-9]*\.[0-9]+|[0-9]+\.)([eE][+-]?[0-9]+)?")


def decimal_mark(rows: list[list[str]]) -> str:
    """',' when the sampled cells (rows of str, header first) hold more decimal-comma numbers than
    decimal-point ones, else '.'. Whole numbers such as 5 count for neither."""
    cells = [cell.strip() for row in rows[1:] for cell in row]
    n_comma = sum(1 for cell in cells if _COMMA_DECIMAL.fullmatch(cell))
    n_point = sum(1 for cell in cells if _POINT_DECIMAL.fullmatch(cell))
    return "," if n_comma > n_point else "."
