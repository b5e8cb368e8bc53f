"""Points drawn by hand, and their compact form in a share link (URL key 'pts').

A drawing lives on a grid of GRID x GRID cells (GRID cells in 1-D) of size `step`, starting at
`origin`; each point is its cell numbers, and each cell number is two URL-safe characters (12 bits).
A 2-D point costs 4 characters, so a link carries ~1,800 points within LINK_CHARS; the text is

    <dim>_<step>_<origin x>[_<origin y>]_<cells>          e.g. 2_0.005_-5.24_-5.24_gAgAgkgk...

Points sit on the grid from the moment they are drawn (or loaded, see `from_points`), so what a
session fits is exactly what its link reproduces. The grid is chosen so that loaded data fills its
middle third: the figure shows the whole grid, so there is room to draw around the data (a lone
point one data-width away is what makes a component collapse onto it). Pure Python and NumPy.
"""

from __future__ import annotations

import math
import re
from dataclasses import dataclass

import numpy as np

GRID = 4096  # cells per axis: 12 bits, two characters
ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_"  # URL-safe, never percent-encoded
MAX_POINTS = 5000  # a drawing holds at most this many points (a link carries fewer, see LINK_CHARS)
LINK_CHARS = 7500  # the longest drawing a link carries: with the other settings, under the 8 KB many servers accept
ERASE_RADIUS = 0.04  # an erasing click removes the nearest point within this fraction of the view
_DECODE = {c: i for i, c in enumerate(ALPHABET)}
_NUMBER = re.compile(r"^-?\d+(\.\d+)?(e[-+]?\d+)?$")


@dataclass(frozen=True)
class Drawing:
    """dim : 1 or 2; step : cell size; origin : (dim,) lower-left corner; cells : (n, dim) ints in [0, GRID)."""

    dim: int
    step: float
    origin: tuple[float, ...]
    cells: tuple[tuple[int, ...], ...] = ()

    # --- building --------------------------------------------------------------------------------
    @classmethod
    def around(cls, box) -> "Drawing":
        """An empty drawing whose grid holds `box` ((lo, hi) per axis) in its middle third."""
        spans = [max(hi - lo, 1e-9) for lo, hi in box]
        step = _nice_step(max(spans) / (GRID / 3 - 16))
        origin = tuple(_round_to(0.5 * (lo + hi) - (GRID / 2) * step, step) for lo, hi in box)
        return cls(len(box), step, origin)

    @classmethod
    def empty(cls, dim: int) -> "Drawing":
        """A fresh canvas: about 0 to 10 on each axis."""
        return cls.around([(10 / 3, 20 / 3)] * dim)

    @classmethod
    def from_points(cls, X) -> "Drawing":
        """A drawing of these points (n, d), each moved to its grid cell (at most step/2 away).

        Raises ValueError for more than MAX_POINTS points, not 1-D or 2-D, or non-finite values."""
        X = np.asarray(X, dtype=np.float64)
        if X.ndim == 1:
            X = X[:, None]
        if X.ndim != 2 or X.shape[1] not in (1, 2):
            raise ValueError("Only 1-D or 2-D data can be drawn.")
        if len(X) > MAX_POINTS:
            raise ValueError(f"A drawing holds at most {MAX_POINTS:,} points and this data has {len(X):,}; "
                             "pick a smaller data set to edit.")
        if not np.all(np.isfinite(X)):
            raise ValueError("Only finite coordinates can be drawn.")
        if len(X) == 0:
            return cls.empty(X.shape[1])
        drawing = cls.around([(float(lo), float(hi)) for lo, hi in zip(X.min(axis=0), X.max(axis=0))])
        return drawing.with_cells(drawing.cell_of(X))

    def with_cells(self, cells: np.ndarray) -> "Drawing":
        return Drawing(self.dim, self.step, self.origin, tuple(tuple(int(v) for v in row) for row in cells))

    # --- reading ---------------------------------------------------------------------------------
    @property
    def n_points(self) -> int:
        return len(self.cells)

    @property
    def points(self) -> np.ndarray:
        """The points, shape (n, dim)."""
        cells = np.array(self.cells, dtype=np.float64).reshape(-1, self.dim)
        return np.asarray(self.origin) + cells * self.step

    def cell_of(self, X: np.ndarray) -> np.ndarray:
        """Grid cells of points (n, dim), clamped to the grid."""
        X = np.asarray(X, dtype=np.float64).reshape(-1, self.dim)
        return np.clip(np.rint((X - np.asarray(self.origin)) / self.step), 0, GRID - 1).astype(int)

    def grid_box(self) -> tuple[tuple[float, float], ...]:
        """Where points can go: (lo, hi) per axis."""
        return tuple((o, o + (GRID - 1) * self.step) for o in self.origin)

    def view_box(self) -> tuple[tuple[float, float], ...]:
        """What the figure shows: the whole grid, so that a click anywhere on it can add a point."""
        return self.grid_box()

    # --- editing ---------------------------------------------------------------------------------
    def add(self, point) -> "Drawing":
        """One more point, on its grid cell (a point off the grid lands on its edge). At MAX_POINTS, unchanged."""
        if self.n_points >= MAX_POINTS:
            return self
        cell = self.cell_of(np.asarray(point, dtype=np.float64)[: self.dim])[0]
        return Drawing(self.dim, self.step, self.origin, self.cells + (tuple(int(v) for v in cell),))

    def remove_nearest(self, point) -> "Drawing":
        """Without the point nearest to `point`, if one lies within ERASE_RADIUS of the view (else unchanged)."""
        if not self.n_points:
            return self
        spans = np.array([hi - lo for lo, hi in self.view_box()])
        offsets = (self.points - np.asarray(point, dtype=np.float64)[: self.dim]) / spans
        distances = np.sqrt((offsets**2).sum(axis=1))
        nearest = int(distances.argmin())
        if distances[nearest] > ERASE_RADIUS:
            return self
        return Drawing(self.dim, self.step, self.origin, self.cells[:nearest] + self.cells[nearest + 1:])

    # --- the link --------------------------------------------------------------------------------
    def encode(self) -> str:
        header = "_".join([str(self.dim), _number(self.step)] + [_number(o) for o in self.origin])
        body = "".join(ALPHABET[v >> 6] + ALPHABET[v & 63] for row in self.cells for v in row)
        return f"{header}_{body}"

    @classmethod
    def decode(cls, text: str) -> "Drawing":
        """The drawing a link carries; ValueError for anything else."""
        if not isinstance(text, str) or len(text) > 4 * MAX_POINTS + 100:
            raise ValueError("not a drawing")
        dim_text, _, rest = text.partition("_")
        if dim_text not in ("1", "2"):
            raise ValueError("not a drawing")
        dim = int(dim_text)
        parts = rest.split("_", dim + 1)
        if len(parts) != dim + 2 or not all(_NUMBER.match(p) for p in parts[: dim + 1]):
            raise ValueError("not a drawing")
        step, origin, body = float(parts[0]), tuple(float(p) for p in parts[1: dim + 1]), parts[dim + 1]
        if not (0 < step < 1e9) or not all(abs(o) < 1e12 for o in origin + (step * GRID,)):
            raise ValueError("not a drawing")
        if len(body) % (2 * dim) or any(c not in _DECODE for c in body) or len(body) // (2 * dim) > MAX_POINTS:
            raise ValueError("not a drawing")
        values = [(_DECODE[body[i]] << 6) | _DECODE[body[i + 1]] for i in range(0, len(body), 2)]
        cells = tuple(tuple(values[i: i + dim]) for i in range(0, len(values), dim))
        return cls(dim, step, origin, cells)


def link_problem(encoded: str) -> str | None:
    """A sentence when a drawing is too large for a share link, else None."""
    if len(encoded) <= LINK_CHARS:
        return None
    drawing = Drawing.decode(encoded)
    per_point = 2 * drawing.dim
    most = (LINK_CHARS - (len(encoded) - per_point * drawing.n_points)) // per_point
    return (f"This drawing has {drawing.n_points:,} points; a link can carry at most {most:,} of them "
            f"({'2-D' if drawing.dim == 2 else '1-D'}), so this view cannot be shared as a link. Erase some points, "
            "or download the points (the responsibilities CSV lists them) and share the file.")


def _nice_step(minimum: float) -> float:
    """The smallest of 1, 2, 2.5, 5 x 10^n that is at least `minimum`."""
    exponent = math.floor(math.log10(minimum))
    for mantissa in (1, 2, 2.5, 5, 10):
        step = float(f"{mantissa}e{exponent}")
        if step >= minimum:
            return step
    return float(f"1e{exponent + 1}")


def _round_to(value: float, step: float) -> float:
    return float(_number(math.floor(value / step) * step, ndigits=12))


def _number(value: float, ndigits: int = 17) -> str:
    """The shortest text that reads back as this float (no '+' and no upper case)."""
    text = repr(float(value)) if ndigits == 17 else f"{value:.{ndigits}g}"
    text = text.replace("e+", "e")
    return text[:-2] if text.endswith(".0") else text
