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


def fit_or_reg_covar_error(X, *args, **kwargs):
    """gmm_core.fit, except that with reg_covar = 0 a singular covariance is an accepted outcome:
    it must then be a ValueError asking for a positive reg_covar (returns None)."""
    try:
        return gmm_core.fit(X, *args, **kwargs)
    except ValueError as error:
        if kwargs.get("reg_covar", 1e-6) != 0:
            raise
        message = str(error)
        assert "reg_covar = 0" in message and "reg_covar to a small positive value such as 1e-6" in message, message
        return None
