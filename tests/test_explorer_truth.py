"""Truth comparison against independent oracles (scikit-learn's ARI, SciPy's assignment by brute force)."""

import itertools

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from sklearn.metrics import adjusted_rand_score

import gmm_core
from explorer.truth import adjusted_rand_index, compare_with_truth, match_components


@settings(max_examples=100, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 4)), min_size=2, max_size=60))
def test_adjusted_rand_index_matches_scikit_learn(pairs):
    a, b = (np.array(v) for v in zip(*pairs))
    assert adjusted_rand_index(a, b) == pytest.approx(adjusted_rand_score(a, b), abs=1e-12)


def test_matching_is_the_minimum_cost_permutation():
    rng = np.random.default_rng(3)
    fitted, true = rng.normal(size=(4, 2)), rng.normal(size=(4, 2))
    pairs = match_components(fitted, true)
    cost = lambda perm: sum(np.linalg.norm(fitted[i] - true[j]) for i, j in enumerate(perm))  # noqa: E731
    best = min(itertools.permutations(range(4)), key=cost)
    assert sum(np.linalg.norm(fitted[f] - true[t]) for f, t in pairs) == pytest.approx(cost(best))


def test_a_good_fit_of_the_first_article_matches_its_truth():
    data = gmm_core.two_tight_clusters(seed=1)
    result = gmm_core.fit(data.X, 2, seed=0, n_init=3)
    comparison = compare_with_truth(result.params, data.X, data.truth, data.labels)
    assert comparison.adjusted_rand == pytest.approx(1.0)
    assert comparison.mean_errors.max() < 0.05
