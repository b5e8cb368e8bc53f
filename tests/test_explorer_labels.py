"""Labelled data as the truth (explorer.truth, explorer.dataset): the classes as a mixture, the confusion table,
and Fisher's iris fitted with k = 3 against scikit-learn's GaussianMixture from the same start."""

import numpy as np
import pytest
from hypothesis import given, settings, strategies as st
from sklearn.metrics import adjusted_rand_score, confusion_matrix
from sklearn.mixture import GaussianMixture

import gmm_core
from explorer.dataset import iris_dataset
from explorer.truth import CLASS_COVARIANCE_FLOOR, class_mixture, compare_with_truth, confusion_counts


def test_the_classes_as_a_mixture_are_their_shares_means_and_covariances():
    rng = np.random.default_rng(0)
    X = rng.normal(size=(90, 3)) * [1.0, 2.0, 0.5]
    codes = np.repeat([0, 1, 2], [20, 30, 40])
    mixture = class_mixture(X, codes)
    np.testing.assert_allclose(mixture.weights, [20 / 90, 30 / 90, 40 / 90])
    floor = CLASS_COVARIANCE_FLOOR * np.var(X, axis=0).mean()
    for c, rows in enumerate([slice(0, 20), slice(20, 50), slice(50, 90)]):
        np.testing.assert_allclose(mixture.means[c], X[rows].mean(axis=0))
        centred = X[rows] - X[rows].mean(axis=0)
        np.testing.assert_allclose(mixture.covariances[c], centred.T @ centred / len(centred) + floor * np.eye(3))


def test_a_class_of_one_point_is_still_a_gaussian():
    X = np.array([[0.0, 0.0], [1.0, 2.0], [2.0, 1.0], [9.0, 9.0]])
    mixture = class_mixture(X, np.array([0, 0, 0, 1]))
    assert np.all(np.isfinite(mixture.score_samples(X)))


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 3), st.integers(0, 4)), min_size=1, max_size=50))
def test_confusion_counts_match_scikit_learn(pairs):
    true, fitted = (np.array(v) for v in zip(*pairs))
    expected = confusion_matrix(true, fitted, labels=range(5))[:4]
    np.testing.assert_array_equal(confusion_counts(true, fitted, 4, 5), expected)


def test_iris_with_three_full_components_agrees_with_scikit_learn_from_the_same_start():
    iris = iris_dataset()
    result = gmm_core.fit(iris.X, 3, "full", init="kmeans++", seed=0, max_iter=1000, tol=1e-10)
    start = result.trace[0].params
    reference = GaussianMixture(3, covariance_type="full", weights_init=start.weights, means_init=start.means,
                                precisions_init=np.linalg.inv(start.full_covariances), reg_covar=1e-6, tol=1e-10,
                                max_iter=1000).fit(iris.X)
    ours = compare_with_truth(result.params, iris.X, iris.truth, iris.labels)
    theirs = adjusted_rand_score(iris.labels, reference.predict(iris.X))
    assert ours.adjusted_rand == pytest.approx(theirs, abs=1e-12)
    assert 0.88 < ours.adjusted_rand < 0.92  # mclust's well-known ~0.90 on iris
    assert result.log_likelihood == pytest.approx(reference.score(iris.X) * len(iris.X), abs=1e-4)
    # the fitted means sit near the species' means: every matched pair is closer than any two species
    species_gap = min(np.linalg.norm(iris.truth.means[a] - iris.truth.means[b]) for a in range(3) for b in range(a))
    assert ours.mean_errors.max() < species_gap / 4
    table = confusion_counts(iris.labels, result.params.predict(iris.X), 3, 3)
    assert table.sum() == 150 and table.max(axis=1).sum() >= 145  # mclust's iris fit misplaces 5 flowers
    assert table[0].max() == 50  # setosa is one component
