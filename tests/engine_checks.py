"""Assertions shared by the engine tests."""

import numpy as np
import pytest

import gmm_core


def assert_everything_finite(result: gmm_core.FitResult, X) -> None:
    for entry in result.trace:
        p = entry.params
        for name in ("weights", "means", "covariances", "precisions_cholesky"):
            assert np.all(np.isfinite(getattr(p, name))), (entry.iteration, name)
        assert np.isfinite(entry.log_likelihood), entry.iteration
        assert np.all(p.weights > 0) and p.weights.sum() == pytest.approx(1.0)
    for curve in result.restarts:
        assert np.all(np.isfinite(curve))
    resp = result.params.predict_proba(X)
    assert np.all(np.isfinite(resp))
    np.testing.assert_allclose(resp.sum(axis=1), 1.0, rtol=1e-12)
    assert np.all(np.isfinite(result.params.score_samples(X)))
    for value in (result.bic, result.aic, result.params.bic(X), result.params.aic(X), result.log_likelihood):
        assert np.isfinite(value)
