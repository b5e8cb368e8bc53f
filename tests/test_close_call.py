"""The Choose k page's sentence on why the recommended model beats a simpler one by a small margin."""

from __future__ import annotations

import math

import pytest

import data_sources
import gmm_core
from explorer.close_call import SMALL_MARGIN, close_call


def row(k, covariance_type, log_likelihood, n_parameters, n=272, spurious=()):
    bic = -2 * log_likelihood + n_parameters * math.log(n)  # computed here, not by the module under test
    return gmm_core.SweepRow(n_components=k, covariance_type=covariance_type, log_likelihood=log_likelihood,
                             n_parameters=n_parameters, bic=bic, aic=-2 * log_likelihood + 2 * n_parameters,
                             converged=True, spurious_components=tuple(spurious), result=None)


def test_old_faithful_says_why_k3_tied_beats_the_textbook_k2():
    X = data_sources.load_old_faithful().X
    selection = gmm_core.select_model(X, range(1, 4), n_init=10, seed=0, init="kmeans++", tol=1e-6, max_iter=1000)
    chosen = selection.best_non_spurious
    assert (chosen.n_components, chosen.covariance_type) == (3, "tied")
    rival = next(r for r in selection.rows if (r.n_components, r.covariance_type) == (2, "full"))
    sentence = close_call(selection.rows, "bic", chosen, len(X))
    assert sentence.startswith("**Why k = 3 (tied) and not the simpler k = 2 (full)?**")
    assert f"by only {rival.bic - chosen.bic:.1f} BIC points" in sentence
    assert "both have 11 parameters" in sentence  # 3 means, 3 shared covariance numbers, 2 weights = 2 full ellipses
    assert f"{chosen.log_likelihood - rival.log_likelihood:.1f} higher" in sentence


def test_extra_parameters_are_weighed_against_the_better_fit():
    simple, rich = row(2, "full", -1000.0, 11), row(3, "full", -982.0, 17)
    assert 0 < simple.bic - rich.bic < SMALL_MARGIN
    sentence = close_call([simple, rich], "bic", rich, 272)
    assert "18.0 higher, worth 36.0 of BIC" in sentence
    assert f"6 extra parameters cost {6 * math.log(272):.1f}" in sentence


@pytest.mark.parametrize("rows, chosen_index", [
    ([row(2, "full", -1000.0, 11), row(3, "tied", -950.0, 11)], 1),  # a large margin: nothing to explain
    ([row(3, "tied", -1000.0, 11)], 0),  # nothing simpler in the sweep
    ([row(2, "full", -999.0, 11, spurious=(1,)), row(3, "tied", -998.0, 11)], 1),  # the simpler one is spurious
])
def test_no_sentence_without_a_close_simpler_rival(rows, chosen_index):
    assert close_call(rows, "bic", rows[chosen_index], 272) is None


def test_no_sentence_without_a_recommendation():
    assert close_call([row(2, "full", -1000.0, 11)], "bic", None, 272) is None
