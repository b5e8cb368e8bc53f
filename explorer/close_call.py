"""Why the recommended model beats a simpler one by only a little: one sentence for the Choose k page.

On Old Faithful, BIC picks k = 3 with one shared (tied) ellipse over the textbook k = 2 with two full ones, by
under 10 points; a newcomer deserves to know why, and that the margin is small.
"""

from __future__ import annotations

import math

SMALL_MARGIN = 10.0  # a criterion difference below this is a small margin (Kass & Raftery's scale for BIC)
NAMES = {"bic": "BIC", "aic": "AIC"}


def close_call(rows, criterion: str, chosen, n_samples: int) -> str | None:
    """The sentence, or None when no non-spurious model with fewer components comes within SMALL_MARGIN.

    rows : the sweep's gmm_core.SweepRow objects; chosen : the recommended row; n_samples : points fitted.
    """
    if chosen is None:
        return None
    simpler = [r for r in rows if r.n_components < chosen.n_components and not r.spurious
               and math.isfinite(getattr(r, criterion))]
    if not simpler:
        return None
    rival = min(simpler, key=lambda r: getattr(r, criterion))
    margin = getattr(rival, criterion) - getattr(chosen, criterion)
    if not 0 <= margin < SMALL_MARGIN:
        return None
    label = NAMES[criterion]
    gain = chosen.log_likelihood - rival.log_likelihood
    extra = chosen.n_parameters - rival.n_parameters
    name = f"k = {chosen.n_components} ({chosen.covariance_type})"
    rival_name = f"k = {rival.n_components} ({rival.covariance_type})"
    if extra == 0:
        why = (f"both have {chosen.n_parameters} parameters, so {label} charges them the same, and {name}'s "
               f"log-likelihood is {gain:.1f} higher")
    elif extra < 0:
        why = f"{name}'s log-likelihood is {gain:.1f} higher, and it even has {-extra} fewer parameters"
    else:
        per_parameter = math.log(n_samples) if criterion == "bic" else 2.0
        why = (f"{name}'s log-likelihood is {gain:.1f} higher, worth {2 * gain:.1f} of {label}, while its "
               f"{extra} extra parameter{'s' if extra != 1 else ''} cost{'' if extra != 1 else 's'} "
               f"{extra * per_parameter:.1f}")
    return (f"**Why {name} and not the simpler {rival_name}?** It wins by only {margin:.1f} {label} points: {why}. "
            f"A margin under {SMALL_MARGIN:g} is small, so {rival_name} describes this data almost as well.")
