"""EM on chunked data (see chunked.py): validation, initial parameters and the E/M steps, one pass each.

`fit` drives this exactly as it drives in-memory data (same restarts, trace, stopping rule and
repairs); only where the sums come from differs.  Passes per run: one per EM iteration (the E-step
and the next M-step's sums together), one for the initial M-step; plus, once per fit, one to
validate and centre the data and, only if a re-seed or a start needs it, one for its covariance.
"""

from __future__ import annotations

import operator
from functools import partial

import numpy as np

from . import _accuracy
from . import _chunk_passes as passes
from ._validation import check_enough_distinct_points, check_table, check_values
from .chunked import SAMPLE_ROWS
from .init import direct_params, kmeans_plus_plus, lloyd
from .steps import repair, spread_from


class ChunkedSource:
    """Chunked data ready for EM: its size, centre and a uniform sample of rows for initialisation."""

    def __init__(self, chunks, kind: str, n_samples: int, centre: np.ndarray, sample: np.ndarray):
        self.chunks, self.kind = chunks, kind
        self.n_samples, self.n_features = n_samples, len(centre)
        self.centre, self.sample = centre, sample
        self._data_covariance = None

    @classmethod
    def prepare(cls, chunks, kind: str, n_components: int, sample_seed) -> "ChunkedSource":
        """Validate the data in one pass (the same sentences as for an array) and draw the sample."""
        check_table(tuple(chunks.shape), chunks.dtype)
        summary = chunks.map_reduce(passes.summarise, passes.add_summaries)
        check_values(summary.bad_rows, summary.largest)
        n_samples = summary.n_rows
        if n_samples <= SAMPLE_ROWS:
            rows = np.arange(n_samples)
        else:
            rows = np.sort(np.random.default_rng(sample_seed).choice(n_samples, SAMPLE_ROWS, replace=False))
        sample = passes.as_rows(chunks.take(rows))
        if n_samples <= SAMPLE_ROWS:
            check_enough_distinct_points(sample, n_components)
        elif len(np.unique(sample, axis=0)) < n_components:
            raise ValueError(
                f"A uniform sample of {SAMPLE_ROWS:,} of the {n_samples:,} rows holds fewer than "
                f"n_components={n_components} distinct points; choose fewer components."
            )
        return cls(chunks, kind, n_samples, summary.sums / n_samples, sample)

    @property
    def data_covariance(self) -> np.ndarray:
        """The data's covariance (d, d), from a pass made the first time it is needed."""
        if self._data_covariance is None:
            total = self.chunks.map_reduce(partial(passes.scatter, centre=self.centre), operator.add)
            self._data_covariance = total / self.n_samples
        return self._data_covariance

    def spread(self, n_components: int, reg_covar: float) -> np.ndarray:
        return spread_from(self.data_covariance, self.kind, n_components, reg_covar)

    def initial_params(self, n_components, init, rng, reg_covar, manual):
        """Parameters for iteration 0, as init.initial_params chooses them, starts drawn on the sample."""
        sample_centred = self.sample - self.centre
        if init in ("random_points", "manual"):
            spread = partial(self.spread, n_components, reg_covar)
            return direct_params(init, n_components, self.kind, sample_centred, self.centre, rng, spread, manual), []
        if init == "random_resp":
            anchors = np.repeat(self.centre[None], n_components, axis=0)
            function = partial(passes.random_chunk, entropy=int(rng.integers(2**63)))
        else:
            centers = kmeans_plus_plus(sample_centred, n_components, rng)
            if init == "kmeans":
                centers = lloyd(sample_centred, centers)
            anchors = centers + self.centre
            function = partial(passes.nearest_chunk, centre=self.centre, centers=centers)
        return self.m_step(partial(function, kind=self.kind, n_worst=n_components), anchors, reg_covar, iteration=0)

    def sums(self, function, anchors: np.ndarray) -> passes.Moments:
        """One pass: function(chunk, start, anchors=...) on every chunk, the Moments added up."""
        return self.chunks.map_reduce(partial(function, anchors=anchors), passes.add_moments)

    def m_step(self, function, anchors: np.ndarray, reg_covar: float, iteration: int, sums=None):
        """The M-step from a pass of `function` about `anchors` (given as `sums` if already made), with
        steps.repair's re-seeds.  A component whose mean moved far from its anchor, compared with its
        new spread, would lose its covariance to cancellation: one more pass about the new means."""
        sums = self.sums(function, anchors) if sums is None else sums
        estimate = passes.maximise_moments(sums, anchors, self.kind, reg_covar)
        _, means, covariances, _, factor, failed = estimate
        far = _accuracy.far_in_m_step(means - anchors, covariances, factor, failed, self.kind, self.n_samples)
        if far.any():
            anchors = np.where(far[:, None], means, anchors)
            sums = self.sums(function, anchors)
            estimate = passes.maximise_moments(sums, anchors, self.kind, reg_covar)
        n_components = len(anchors)
        return repair(
            self.kind, estimate, reg_covar, iteration,
            spread=lambda: self.spread(n_components, reg_covar),
            worst_points=lambda count: sums.worst_rows[:count].copy(),
        )

    def steps(self, algorithm: str) -> "ChunkedSteps":
        return ChunkedSteps(self, algorithm)


class ChunkedSteps:
    """EM's steps on chunked data, one pass per E-step (the interface fit._run_em drives)."""

    def __init__(self, source: ChunkedSource, algorithm: str):
        self.source, self.hard = source, algorithm == "hard"
        self.n_samples = source.n_samples
        self.params = self.function = self.last = None

    def evaluate(self, params) -> tuple[float, float]:
        self.function = partial(
            passes.em_chunk, kind=self.source.kind, centre=self.source.centre, params=params,
            previous=self.params if self.hard else None, hard=self.hard, n_worst=params.n_components,
        )
        self.compared = self.hard and self.params is not None
        self.last = self.source.sums(self.function, params.means)  # the next M-step's sums, about the means
        self.params = params
        return self.last.log_likelihood, self.last.classification

    def m_step(self, reg_covar: float, iteration: int):
        return self.source.m_step(self.function, self.params.means, reg_covar, iteration, sums=self.last)

    def partition_unchanged(self) -> bool:
        return self.compared and self.last.changed == 0
