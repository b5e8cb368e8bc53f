"""When soft EM has converged: a stopping rule that a slow plateau cannot fool.

Stopping when the log-likelihood changes by less than `tol` mistakes a slow stretch for the top:
on Old Faithful from swapped starting means EM gains only 0.035 per iteration around iteration 10,
then climbs another 150.  Near a maximum EM converges linearly, so successive gains shrink by a
roughly constant factor a = gain_t / gain_{t-1} < 1, and Aitken's extrapolation predicts the gain
still to come from the previous value: gain_t / (1 - a) (Böhning et al. 1994; McNicholas et al.
2010).  The rule stops only when both the last gain and that prediction, per data point, are below
`tol`.  On a plateau the gains do not shrink (a near 1, or growing: a >= 1), so the prediction is
large or infinite and EM goes on.  A gain of 0 or below (a fixed point, up to rounding or
reg_covar's regularised step) predicts nothing more.

The default tolerance and this rule are justified with measurements in the README ("Stopping
rule"); `bench/bench_numerics.py` prints them.  Vectorised: every argument may be an array.
"""

from __future__ import annotations

import numpy as np

# Gain per data point still to come below which soft EM stops (the Explorer's default too).
DEFAULT_TOL = 1e-6


def predicted_gain(before_previous, previous, current, n_samples: int):
    """Aitken's prediction of the log-likelihood per data point still to gain, from the previous value.

    before_previous, previous, current : log-likelihoods (totals) of three successive iterations
    Returns 0 where the last step gained nothing, inf where the gains are not shrinking (a plateau,
    an escape from a saddle) or where there is no earlier gain to compare with (NaN before_previous).
    """
    gain = (np.asarray(current, dtype=np.float64) - previous) / n_samples
    earlier = (np.asarray(previous, dtype=np.float64) - before_previous) / n_samples
    with np.errstate(divide="ignore", invalid="ignore"):
        ratio = gain / earlier
        shrinking = (earlier > 0) & (ratio < 1)
        predicted = np.where(shrinking, gain / (1.0 - ratio), np.inf)
    return np.where(gain <= 0, 0.0, predicted)


def has_converged(before_previous, previous, current, n_samples: int, tol: float):
    """The stopping rule: the last gain and the predicted gain still to come, per point, are below tol."""
    gain = np.abs(np.asarray(current, dtype=np.float64) - previous) / n_samples
    return (gain < tol) & (predicted_gain(before_previous, previous, current, n_samples) < tol)
