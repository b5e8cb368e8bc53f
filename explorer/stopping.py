"""How a fit stopped, in the Explorer's words, and what "keep iterating" changes.

Pure Python: the page shows `stop_summary(...)` (green only when EM really converged) and offers
`keep_iterating(...)` as settings changes, so the refit keeps every other setting and its link.
"""

from __future__ import annotations

from dataclasses import dataclass

import gmm_core

from .settings import MAX_ITERATIONS, Settings


@dataclass(frozen=True)
class StopSummary:
    """kind : 'converged' (say it in green), 'stopped' (the tolerance stopped a rising curve),
    'limit' (max_iter) or 'collapse' (a component died twice); text : one paragraph of Markdown."""

    kind: str
    text: str
    can_keep_iterating: bool


def stop_summary(result: gmm_core.FitResult, tol: float) -> StopSummary:
    """What to say about how the fit ended."""
    n = f"{result.n_iter} iteration{'s' if result.n_iter != 1 else ''}"
    if result.stop_reason == "given":
        return StopSummary("given", "These are the imported parameters, shown on this data as they are: EM did not "
                                    "run. The scores below are theirs on this data.", False)
    if result.stop_reason == "partition":
        return StopSummary("converged", f"Converged after {n}: no point changes component any more, a fixed point "
                                        "of hard EM.", False)
    if result.stop_reason == "collapse":
        return StopSummary("collapse", result.stop_detail, False)
    curve = result.objective_curve
    last_gain = float(curve[-1] - curve[-2]) if len(curve) > 1 else 0.0
    if result.stop_reason == "tolerance":
        if result.predicted_gain < gmm_core.DEFAULT_TOL or last_gain <= 0:
            return StopSummary("converged", f"Converged after {n}: the {result.curve_label} per point gained less "
                                            f"than {tol:g}, and is predicted to gain less than that in all.", False)
        return StopSummary(
            "stopped",
            f"Stopped after {n}: the change fell below the tolerance ({tol:g} per point), but the "
            f"{result.curve_label} was still rising, by {last_gain:,.3g} in the last iteration. A slow stretch can "
            "hide a long climb: keep iterating to see where EM really ends.",
            True,
        )
    rising = f", still rising by {last_gain:,.3g} in the last iteration" if last_gain > 0 else ""
    return StopSummary(
        "limit",
        f"Stopped at the limit of {n} before converging{rising}."
        + (" Keep iterating to let EM finish." if result.n_iter < MAX_ITERATIONS else
           f" That is the most the Explorer runs ({MAX_ITERATIONS:,}); a larger tolerance stops sooner."),
        result.n_iter < MAX_ITERATIONS,
    )


def keep_iterating(settings: Settings, result: gmm_core.FitResult) -> dict:
    """Settings changes that let EM go on from where it stopped: a tighter tolerance if the tolerance
    stopped it, more iterations if the limit did (or nearly did). Every other setting stays."""
    changes = {}
    if result.stop_reason == "tolerance":
        changes["tol"] = min(settings.tol / 100.0, gmm_core.DEFAULT_TOL)
    if result.stop_reason == "max_iter" or result.n_iter > settings.max_iter // 2:
        changes["max_iter"] = min(MAX_ITERATIONS, max(2 * settings.max_iter, settings.max_iter + 100))
    return changes


def coinciding_note(params: gmm_core.GaussianMixtureParams) -> str | None:
    """A warning when two components nearly coincide (EM may be resting on a saddle), else None."""
    pairs = gmm_core.coinciding_components(params)
    if not pairs:
        return None
    named = "; ".join(f"{i + 1} and {j + 1}" for i, j in pairs)
    return (f"Components {named} nearly coincide (almost the same mean and spread). EM can rest on such a saddle "
            "point for many iterations, gaining almost nothing, before the two split apart: keep iterating, or try "
            "another seed.")
