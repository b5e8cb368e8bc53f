"""NumPy arrays as plotly.js-style typed-array specs: {'dtype': 'f8', 'shape': [...], 'bdata': <base64>}.

The player payload carries its arrays this way: exact (float64 stays float64), about a third of the
size of JSON numbers, and decoded in the browser with one `new Float64Array(buffer)`.
"""

from __future__ import annotations

import base64

import numpy as np

_TYPED_ARRAY_CODES = {"i1": np.int8, "u1": np.uint8, "i2": np.int16, "u2": np.uint16, "i4": np.int32,
                      "u4": np.uint32, "f4": np.float32, "f8": np.float64}
_INT_CANDIDATES = (np.uint8, np.int8, np.uint16, np.int16, np.uint32, np.int32)


def typed_array(values) -> dict:
    """An array as {'dtype', 'shape', 'bdata'}: little-endian bytes in C order, base64-encoded.

    Floats are sent as float64 (no precision is lost), unless they already are float32 (the sender chose
    to halve them); integers get the smallest type that holds them.
    """
    values = np.asarray(values)
    if values.dtype.kind in "iub":
        values = values.astype(np.int64)
        low, high = (int(values.min()), int(values.max())) if values.size else (0, 0)
        kind = next(t for t in _INT_CANDIDATES if np.iinfo(t).min <= low and high <= np.iinfo(t).max)
        values = values.astype(kind)
    elif values.dtype != np.float32:
        values = values.astype(np.float64)
    code = next(c for c, t in _TYPED_ARRAY_CODES.items() if np.dtype(t) == values.dtype)
    little_endian = np.ascontiguousarray(values, dtype=values.dtype.newbyteorder("<"))
    return {"dtype": code, "shape": list(values.shape),
            "bdata": base64.b64encode(little_endian.tobytes()).decode("ascii")}


def read_array(value) -> np.ndarray:
    """A typed-array spec, a numpy array or a (nested) list -> numpy array of its shape."""
    if isinstance(value, dict) and "bdata" in value:
        dtype = np.dtype(_TYPED_ARRAY_CODES[value["dtype"]]).newbyteorder("<")
        flat = np.frombuffer(base64.b64decode(value["bdata"]), dtype=dtype)
        return flat.reshape(value.get("shape", flat.shape)).astype(dtype.newbyteorder("="))
    return np.asarray(value)
