"""Datasets shipped with the app (sources: bundled/README.md)."""

from __future__ import annotations

from pathlib import Path

from .columns import PreparedData, prepare_columns
from .csv_reader import parse_csv

BUNDLED_DIR = Path(__file__).resolve().parent / "bundled"
OLD_FAITHFUL_PATH = BUNDLED_DIR / "old_faithful.csv"
IRIS_PATH = BUNDLED_DIR / "iris.csv"
IRIS_FEATURES = ["Sepal.Length", "Sepal.Width", "Petal.Length", "Petal.Width"]


def load_old_faithful() -> PreparedData:
    """Old Faithful geyser data: X float64 (272, 2) = [eruption minutes, waiting minutes], unscaled."""
    return _load(OLD_FAITHFUL_PATH, ["eruptions", "waiting"])


def load_iris() -> PreparedData:
    """Fisher's iris: X float64 (150, 4) in cm, labels = the species (setosa, versicolor, virginica)."""
    return _load(IRIS_PATH, IRIS_FEATURES, label="Species")


def _load(path: Path, columns: list[str], label: str | None = None) -> PreparedData:
    # Go through the same reader as uploads so the bundled files get the same checks.
    return prepare_columns(parse_csv(path.read_bytes(), filename=path.name), columns, label=label)
