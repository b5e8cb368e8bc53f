"""Which state each animation frame shows: the frame list of normal and step-by-step mode."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .colors import point_codes, unassigned_codes


@dataclass(frozen=True)
class FrameSpec:
    """One animation frame.

    name : the frame's name, e.g. 'iteration 0 · initial', 'iteration 3', 'iteration 3 · E-step'
    params_index : trace entry whose parameters (ellipses, densities) the frame draws
    colour_index : trace entry whose predict_proba colours the points; None before the first E-step
    curve_end : last trace entry on the learning curve
    """

    name: str
    params_index: int
    colour_index: int | None
    curve_end: int

    @property
    def label(self) -> str:
        """The slider's label: the name without 'iteration ' (the slider prefixes it)."""
        return self.name.removeprefix("iteration ")


def frame_schedule(n_entries: int, step_mode: bool) -> list[FrameSpec]:
    """Frames for a trace of n_entries entries (n_iter + 1).

    Normal mode: frame i shows trace[i] coloured by its own responsibilities -> n_iter + 1 frames.
    Step mode: frame 0 the initial parameters (points not yet coloured), then per iteration i
    'E-step' (trace[i-1]'s parameters, points coloured by trace[i-1].predict_proba) and 'M-step'
    (trace[i]'s parameters, the same colours) -> 2 n_iter + 1 frames.
    """
    if n_entries < 1:
        raise ValueError("The fit result has an empty trace; there is nothing to animate.")
    if not step_mode:
        return [FrameSpec("iteration 0 · initial", 0, 0, 0)] + [
            FrameSpec(f"iteration {i}", i, i, i) for i in range(1, n_entries)
        ]
    frames = [FrameSpec("iteration 0 · initial", 0, None, 0)]
    for i in range(1, n_entries):
        frames.append(FrameSpec(f"iteration {i} · E-step", i - 1, i - 1, i - 1))
        frames.append(FrameSpec(f"iteration {i} · M-step", i, i - 1, i))
    return frames


class PointColours:
    """Colour codes of the shown points under each trace entry's parameters, computed once per entry.

    X_shown : ndarray of shape (n_points, n_features)
    """

    def __init__(self, trace, X_shown: np.ndarray, algorithm: str):
        self._trace = trace
        self._X = X_shown
        self._algorithm = algorithm
        self._cache: dict[int | None, np.ndarray] = {}

    def codes(self, index: int | None) -> np.ndarray:
        """Codes of shape (n_points,); index None = no E-step yet (grey)."""
        if index not in self._cache:
            if index is None:
                n_components = self._trace[0].params.n_components
                self._cache[index] = unassigned_codes(len(self._X), n_components)
            else:
                resp = self._trace[index].params.predict_proba(self._X)
                self._cache[index] = point_codes(resp, self._algorithm)
        return self._cache[index]
