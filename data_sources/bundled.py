"""Datasets shipped with the app."""

from __future__ import annotations

from pathlib import Path

from .columns import PreparedData, prepare_columns
from .csv_reader import parse_csv

BUNDLED_DIR = Path(__file__).resolve().parent / "bundled"
OLD_FAITHFUL_PATH = BUNDLED_DIR / "old_faithful.csv"


def load_old_faithful() -> PreparedData:
    """Old Faithful geyser data: X float64 (272, 2) = [eruption minutes, waiting minutes], unscaled."""
    # Go through the same reader as uploads so the bundled file gets the same checks.
    table = parse_csv(OLD_FAITHFUL_PATH.read_bytes(), filename=OLD_FAITHFUL_PATH.name)
    return prepare_columns(table, ["eruptions", "waiting"])
