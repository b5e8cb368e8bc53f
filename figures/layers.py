"""A layer: a group of traces of one panel, the subset that frames update, and how to update them."""

from __future__ import annotations

import base64
from dataclasses import dataclass, field
from typing import Callable

import numpy as np

from .schedule import FrameSpec


@dataclass
class Layer:
    """traces : full trace dicts, in drawing order, showing frame 0's state
    animated : positions in `traces` that frames update (every frame updates all of them)
    roles : role name -> position (int) or positions (list, possibly nested) in `traces`
    frame_data : FrameSpec -> one partial trace dict per animated trace, in `animated` order
    """

    traces: list[dict]
    animated: list[int]
    roles: dict
    frame_data: Callable[[FrameSpec], list[dict]]
    ranges: dict = field(default_factory=dict)


def compact_floats(values: np.ndarray) -> np.ndarray:
    """float32 when that keeps every value within 1e-6 of the values' span (half the bytes), else float64.

    Far-from-zero coordinates with a small spread (e.g. 1e6 +- 1) need float64.
    """
    values = np.asarray(values, dtype=np.float64)
    finite = values[np.isfinite(values)]
    if finite.size == 0:
        return values.astype(np.float32)
    span = float(finite.max() - finite.min()) or 1.0
    single = values.astype(np.float32)
    if float(np.max(np.abs(single.astype(np.float64) - values), initial=0.0)) <= 1e-6 * span:
        return single
    return values


def padded_range(low: float, high: float, fraction: float = 0.05) -> list[float]:
    """[low, high] widened by `fraction` of its span on each side (by 1 if the span is zero)."""
    low, high = float(low), float(high)
    span = high - low
    pad = fraction * span if span > 0 else 1.0
    return [low - pad, high + pad]


_TYPED_ARRAY_CODES = {"i1": np.int8, "u1": np.uint8, "i2": np.int16, "u2": np.uint16, "i4": np.int32,
                      "u4": np.uint32, "f4": np.float32, "f8": np.float64}
_INT_CANDIDATES = (np.uint8, np.int8, np.uint16, np.int16, np.uint32, np.int32)


def typed_array(values: np.ndarray) -> dict:
    """A 1-D numpy array as a plotly.js typed-array spec {'dtype': 'f4', 'bdata': <base64>}.

    It is what plotly.py's JSON encoder writes for a numpy array; frames are built with it directly
    because plotly.py coerces each numpy array through narwhals (~0.1 ms each) and frames hold
    thousands. Integers get the smallest type that holds them.
    """
    values = np.asarray(values)
    if values.dtype.kind in "iu":
        low, high = (int(values.min()), int(values.max())) if values.size else (0, 0)
        kind = next(t for t in _INT_CANDIDATES if np.iinfo(t).min <= low and high <= np.iinfo(t).max)
        values = values.astype(kind)
    elif values.dtype not in (np.float32, np.float64):
        values = values.astype(np.float64)
    code = next(c for c, t in _TYPED_ARRAY_CODES.items() if np.dtype(t) == values.dtype)
    little_endian = np.ascontiguousarray(values, dtype=values.dtype.newbyteorder("<"))
    return {"dtype": code, "bdata": base64.b64encode(little_endian.tobytes()).decode("ascii")}


def read_array(value) -> np.ndarray:
    """A typed-array spec (as in frames), a numpy array or a list -> numpy array."""
    if isinstance(value, dict) and "bdata" in value:
        dtype = np.dtype(_TYPED_ARRAY_CODES[value["dtype"]]).newbyteorder("<")
        return np.frombuffer(base64.b64decode(value["bdata"]), dtype=dtype)
    return np.asarray(value)
