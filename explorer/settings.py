"""Every setting of the app in one small dataclass, and its round trip through the URL query string.

Pure Python (no streamlit): the pages read widgets into `Settings`, and `to_query` / `from_query`
mirror it in the URL so that a shared link reproduces the same data, fit and frames.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass, fields, replace
from typing import Any, Callable, Mapping

from gmm_core.convergence import DEFAULT_TOL

from .drawing import Drawing

SOURCES = {
    "tight": "Two tight clusters (2-D)",
    "overlap": "Two overlapping Gaussians (1-D)",
    "blobs": "Random blobs",
    "faithful": "Old Faithful geyser (bundled)",
    "iris": "Fisher's iris (bundled: 4 measurements, species as labels)",
    "draw": "Draw your own points",
    "upload": "Upload a CSV",
}
COVARIANCE_LABELS = {
    "full": "full: any ellipse per component",
    "tied": "tied: one shared ellipse",
    "diag": "diag: axis-aligned ellipses",
    "spherical": "spherical: circles",
}
INIT_LABELS = {
    "kmeans++": "k-means++ seeding",
    "kmeans": "k-means (Lloyd) then EM",
    "random_points": "random data points",
    "random_resp": "random responsibilities",
    "manual": "manual: click or type the starting means",
}
VIEW_LABELS = {
    "best": "the pair that separates best",
    "pair": "a pair I pick",
    "pca": "principal components 1 and 2",
}
MAX_VIEW_FEATURE = 99  # a viewed feature's index in a link; the page checks it against the data's columns
ALGORITHM_LABELS = {"soft": "soft EM (responsibilities)", "hard": "hard EM (each point to one cluster)"}
MAX_K = 10
MAX_FEATURES = 10  # the most columns a fit uses; the data panel says which it kept beyond this
MAX_NAME = 80  # the longest column name a link carries
SYNTHETIC_FIELDS = ("source", "blob_k", "blob_n", "blob_dim", "blob_separation", "blob_anisotropy", "data_seed")
MAX_ITERATIONS = 1000
BLOB_SIZES = (50, 100, 200, 500, 1000, 2000, 5000, 10_000, 50_000, 100_000)


@dataclass(frozen=True)
class Settings:
    """What the user chose. Field names double as session-state keys; URL keys are in FIELDS."""

    source: str = "tight"
    blob_k: int = 3
    blob_n: int = 500
    blob_dim: int = 2
    blob_separation: float = 4.0
    blob_anisotropy: float = 1.0
    data_seed: int = 0
    columns: tuple[str, ...] = ()
    label: str = ""  # an upload's label column (the truth, not a feature); '' for none
    standardise: bool = False
    k: int = 2
    covariance_type: str = "full"
    init: str = "random_points"
    algorithm: str = "soft"
    max_iter: int = 100
    tol: float = DEFAULT_TOL  # the engine's stopping rule and default (gmm_core/convergence.py)
    reg_covar: float = 1e-6
    seed: int = 0
    n_init: int = 1
    manual_means: tuple[tuple[float, ...], ...] = ()
    points: str = ""  # a drawing (source 'draw'), in its link form: see explorer.drawing
    step_mode: bool = False
    show_truth: bool = True
    equal_axes: bool = False  # one scale on x and y for data in two units (data in one unit always has it)
    presentation: bool = False
    view_mode: str = "best"  # d > 2: how the player looks at the fit (VIEW_LABELS)
    view_x: int = 0  # d > 2, view_mode 'pair': the features on the x and y axes (indexes among the fitted features)
    view_y: int = 1

    def __post_init__(self):
        # -0 (from a link or a typed '-0') is 0: shown and linked as 0, never as '-0'.
        for f in fields(self):
            value = getattr(self, f.name)
            if isinstance(value, float) and value == 0.0:
                object.__setattr__(self, f.name, 0.0)

    def with_changes(self, **changes) -> "Settings":
        return replace(self, **changes)


@dataclass(frozen=True)
class Field:
    """How one setting is written to and read back from the URL."""

    name: str
    url_key: str
    parse: Callable[[str], Any]  # raises ValueError on a garbled or out-of-range value
    expected: str  # for the notice shown when a value is rejected
    dump: Callable[[Any], str] = str


def _int_in(low: int, high: int) -> Callable[[str], int]:
    def parse(text: str) -> int:
        value = int(text)
        if not low <= value <= high:
            raise ValueError
        return value

    return parse


def _float_in(low: float, high: float) -> Callable[[str], float]:
    def parse(text: str) -> float:
        value = float(text) + 0.0  # -0 is 0
        if not (math.isfinite(value) and low <= value <= high):
            raise ValueError
        return value

    return parse


def _choice(options) -> Callable[[str], str]:
    def parse(text: str) -> str:
        if text not in options:
            raise ValueError
        return text

    return parse


def _flag(text: str) -> bool:
    if text not in ("0", "1"):
        raise ValueError
    return text == "1"


def _columns(text: str) -> tuple[str, ...]:
    names = tuple(name for name in text.split(",") if name)
    if not 1 <= len(names) <= MAX_FEATURES or len(set(names)) != len(names) or any(len(n) > MAX_NAME for n in names):
        raise ValueError
    return names


def _name(text: str) -> str:
    if not 0 < len(text) <= MAX_NAME:
        raise ValueError
    return text


def _means(text: str) -> tuple[tuple[float, ...], ...]:
    rows = tuple(tuple(float(v) for v in row.split(",")) for row in text.split(";") if row)
    widths = {len(row) for row in rows}
    if not rows or len(rows) > MAX_K or not widths <= set(range(1, MAX_FEATURES + 1)) or len(widths) != 1:
        raise ValueError
    if not all(math.isfinite(v) and abs(v) < 1e12 for row in rows for v in row):
        raise ValueError
    return rows


def _dump_means(rows) -> str:
    # The shortest text that reads back as the same float: a mean comes back exactly, wherever it sits.
    return ";".join(",".join(_shortest(v) for v in row) for row in rows)


def _shortest(value: float) -> str:
    text = repr(float(value))
    return text[:-2] if text.endswith(".0") else text


def _points(text: str) -> str:
    return Drawing.decode(text).encode()  # ValueError for anything that is not a drawing


def _dump_float(value: float) -> str:
    return f"{value:.6g}"


FIELDS = (
    Field("source", "data", _choice(SOURCES), "one of " + ", ".join(SOURCES)),
    Field("blob_k", "true_k", _int_in(1, MAX_K), f"a whole number from 1 to {MAX_K}"),
    Field("blob_n", "n", lambda text: _choice(BLOB_SIZES)(int(text)), "one of " + ", ".join(map(str, BLOB_SIZES))),
    Field("blob_dim", "dim", _int_in(1, MAX_FEATURES), f"a whole number from 1 to {MAX_FEATURES}"),
    Field("blob_separation", "sep", _float_in(0.0, 20.0), "a number from 0 to 20", _dump_float),
    Field("blob_anisotropy", "aniso", _float_in(1.0, 10.0), "a number from 1 to 10", _dump_float),
    Field("data_seed", "dseed", _int_in(0, 2**31 - 1), "a whole number of at least 0"),
    Field("columns", "cols", _columns, f"1 to {MAX_FEATURES} different column names", ",".join),
    Field("label", "label", _name, "a column name"),
    Field("standardise", "std", _flag, "0 or 1", lambda v: "1" if v else "0"),
    Field("k", "k", _int_in(1, MAX_K), f"a whole number from 1 to {MAX_K}"),
    Field("covariance_type", "cov", _choice(COVARIANCE_LABELS), "one of " + ", ".join(COVARIANCE_LABELS)),
    Field("init", "init", _choice(INIT_LABELS), "one of " + ", ".join(INIT_LABELS)),
    Field("algorithm", "algo", _choice(ALGORITHM_LABELS), "soft or hard"),
    Field("max_iter", "iters", _int_in(1, MAX_ITERATIONS), f"a whole number from 1 to {MAX_ITERATIONS}"),
    Field("tol", "tol", _float_in(0.0, 1.0), "a number from 0 to 1", _dump_float),
    Field("reg_covar", "reg", _float_in(0.0, 1.0), "a number from 0 to 1", _dump_float),
    Field("seed", "seed", _int_in(0, 2**31 - 1), "a whole number of at least 0"),
    Field("n_init", "restarts", _int_in(1, 20), "a whole number from 1 to 20"),
    Field("manual_means", "means", _means, "means like 1,2;3,4", _dump_means),
    Field("points", "pts", _points, "points drawn in the Explorer"),
    Field("step_mode", "steps", _flag, "0 or 1", lambda v: "1" if v else "0"),
    Field("show_truth", "truth", _flag, "0 or 1", lambda v: "1" if v else "0"),
    Field("equal_axes", "equal", _flag, "0 or 1", lambda v: "1" if v else "0"),
    Field("presentation", "present", _flag, "0 or 1", lambda v: "1" if v else "0"),
    Field("view_mode", "view", _choice(VIEW_LABELS), "one of " + ", ".join(VIEW_LABELS)),
    Field("view_x", "vx", _int_in(0, MAX_VIEW_FEATURE), f"a feature number from 0 to {MAX_VIEW_FEATURE}"),
    Field("view_y", "vy", _int_in(0, MAX_VIEW_FEATURE), f"a feature number from 0 to {MAX_VIEW_FEATURE}"),
)
DEFAULTS = Settings()
assert {f.name for f in FIELDS} == {f.name for f in fields(Settings)}, "every setting needs a URL field"


def to_query(settings: Settings) -> dict[str, str]:
    """The settings that differ from the defaults, as URL query parameters (short keys)."""
    return {
        f.url_key: f.dump(getattr(settings, f.name))
        for f in FIELDS
        if getattr(settings, f.name) != getattr(DEFAULTS, f.name)
    }


def from_query(query: Mapping[str, Any]) -> tuple[Settings, list[str]]:
    """Settings from URL query parameters, and a notice per value that had to fall back to its default.

    Unknown keys are ignored; rejected values are never echoed raw (see `safe_echo`).
    """
    values, notices = {}, []
    for f in FIELDS:
        if f.url_key not in query:
            continue
        raw = query[f.url_key]
        raw = raw[-1] if isinstance(raw, (list, tuple)) and raw else raw
        try:
            values[f.name] = f.parse(str(raw))
        except (ValueError, TypeError, OverflowError):
            notices.append(
                f"The link's value {safe_echo(raw)} for '{f.url_key}' was not understood "
                f"(expected {f.expected}); using the default, {f.dump(getattr(DEFAULTS, f.name)) or 'none'}."
            )
    return replace(DEFAULTS, **values), notices


def safe_echo(value: Any, limit: int = 24) -> str:
    """A rejected value shown back to the user: letters, digits and . - + only, so no HTML or markdown."""
    text = re.sub(r"[^A-Za-z0-9.\-+]", "?", str(value))
    return f"'{text[:limit]}{'…' if len(text) > limit else ''}'"
