"""Which EM state each frame of the player shows: the frame list of normal and step-by-step mode."""

from __future__ import annotations

from dataclasses import dataclass

STEP_KINDS = ("initial", "iteration", "E", "M")


@dataclass(frozen=True)
class FrameSpec:
    """One frame.

    name : e.g. 'iteration 0 · initial', 'iteration 3', 'iteration 3 · E-step'
    step : 'initial', 'iteration' (a whole iteration, normal mode), 'E' or 'M' (step mode)
    params_index : trace entry whose parameters (ellipses, densities, means) the frame draws
    colour_index : trace entry whose responsibilities colour the points; None before the first E-step
    curve_time : learning-curve points at iterations <= curve_time are shown (an E-step frame of
        iteration i shows up to i - 1; a series with half-step values would show its i - 1/2 point there)
    """

    name: str
    step: str
    params_index: int
    colour_index: int | None
    curve_time: float

    @property
    def curve_end(self) -> int:
        """The last trace entry on the log-likelihood curve."""
        return int(self.curve_time)


def frame_schedule(n_entries: int, step_mode: bool) -> list[FrameSpec]:
    """Frames for a trace of n_entries entries (n_iter + 1).

    Normal mode: frame i shows trace[i] coloured by its own responsibilities -> n_iter + 1 frames.
    Step mode: frame 0 the initial parameters (points not yet coloured), then per iteration i
    'E-step' (trace[i-1]'s parameters, points coloured by trace[i-1]'s responsibilities) and 'M-step'
    (trace[i]'s parameters, the same colours) -> 2 n_iter + 1 frames.
    """
    if n_entries < 1:
        raise ValueError("The fit result has an empty trace; there is nothing to animate.")
    if not step_mode:
        return [FrameSpec("iteration 0 · initial", "initial", 0, 0, 0.0)] + [
            FrameSpec(f"iteration {i}", "iteration", i, i, float(i)) for i in range(1, n_entries)
        ]
    frames = [FrameSpec("iteration 0 · initial", "initial", 0, None, 0.0)]
    for i in range(1, n_entries):
        frames.append(FrameSpec(f"iteration {i} · E-step", "E", i - 1, i - 1, i - 0.5))
        frames.append(FrameSpec(f"iteration {i} · M-step", "M", i, i - 1, float(i)))
    return frames
