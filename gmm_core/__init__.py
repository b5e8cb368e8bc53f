"""gmm_core: a pure-NumPy Gaussian mixture model fitted by EM, with a full iteration trace.

    import gmm_core
    result = gmm_core.fit(X, n_components=3, covariance_type="full", init="kmeans++", seed=0)
    result.params.means, result.trace[0].params, result.log_likelihood

X may also be data held in chunks (gmm_core.chunked: a Dask array through gmm_dask, or your own
object with map_reduce and take), for more rows than fit in memory.

Nothing here imports anything but NumPy and the standard library.
"""

from ._validation import ALGORITHMS, COVARIANCE_TYPES, INIT_METHODS
from .batched import ManyStartsResult, fit_many_starts
from .chunked import InMemoryChunks, is_chunked
from .bound import BoundTerms, HalfStepBounds, bound_trace, lower_bound
from .coincidence import COINCIDING_DISTANCE, bhattacharyya_distances, coinciding_components
from .convergence import DEFAULT_TOL
from .fit import FitResult, TraceEntry, fit
from .params import GaussianMixtureParams
from .selection import ModelSelection, SweepRow, select_model
from .spurious import SPURIOUS_RULE, ComponentCheck, component_checks, degenerate_components
from .steps import MIN_COMPONENT_MASS, ReseedEvent, e_step, m_step
from .synthetic import PRESETS, SyntheticData, random_blobs, two_overlapping_gaussians, two_tight_clusters

__all__ = [
    "ALGORITHMS",
    "COINCIDING_DISTANCE",
    "COVARIANCE_TYPES",
    "DEFAULT_TOL",
    "INIT_METHODS",
    "MIN_COMPONENT_MASS",
    "PRESETS",
    "SPURIOUS_RULE",
    "BoundTerms",
    "ComponentCheck",
    "FitResult",
    "GaussianMixtureParams",
    "HalfStepBounds",
    "InMemoryChunks",
    "ManyStartsResult",
    "ModelSelection",
    "ReseedEvent",
    "SweepRow",
    "SyntheticData",
    "TraceEntry",
    "bhattacharyya_distances",
    "bound_trace",
    "coinciding_components",
    "component_checks",
    "degenerate_components",
    "e_step",
    "fit",
    "fit_many_starts",
    "is_chunked",
    "lower_bound",
    "m_step",
    "random_blobs",
    "select_model",
    "two_overlapping_gaussians",
    "two_tight_clusters",
]
