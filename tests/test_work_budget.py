"""The work budget: what it counts agrees with what gmm_core.fit does, what it refuses is certain to be too much,
and every change it suggests is enough on its own (and the largest value that is)."""

from __future__ import annotations

import re

import numpy as np
import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

import gmm_core
from explorer import work_budget
from explorer.settings import BLOB_SIZES, DEFAULTS, MAX_K, from_query
from explorer.work_budget import (
    WORK_LIMIT,
    TooMuchWork,
    WorkLimitReached,
    WorkMeter,
    certain_iterations,
    check_request,
    fit_fixes,
    fit_work,
)

ISSUE_LINK = {"data": "blobs", "n": "100000", "true_k": "10", "k": "10", "iters": "1000", "tol": "0",
              "restarts": "20", "steps": "1", "init": "kmeans"}


def counted_iterations(X, **arguments) -> list[tuple[int, int]]:
    """(restart, iteration) of every on_iteration call of a real fit."""
    calls = []
    gmm_core.fit(X, **arguments, on_iteration=lambda restart, iteration, _: calls.append((restart, iteration)))
    return calls


@hypothesis_settings(max_examples=30, deadline=None)
@given(k=st.integers(1, 4), max_iter=st.integers(1, 30), n_init=st.integers(1, 3), tol=st.sampled_from([0.0, 1e-3]),
       algorithm=st.sampled_from(["soft", "hard"]), seed=st.integers(0, 100))
def test_certain_iterations_are_a_lower_bound_and_exact_for_soft_em_without_tolerance(k, max_iter, n_init, tol,
                                                                                     algorithm, seed):
    X = gmm_core.random_blobs(3, 120, 2, seed=seed).X
    settings = DEFAULTS.with_changes(k=k, max_iter=max_iter, n_init=n_init, tol=tol, algorithm=algorithm)
    calls = counted_iterations(X, n_components=k, max_iter=max_iter, n_init=n_init, tol=tol, algorithm=algorithm,
                               seed=seed)
    per_restart = [sum(1 for r, _ in calls if r == restart) for restart in range(n_init)]
    certain = certain_iterations(settings)
    assert all(certain <= done <= max_iter for done in per_restart)
    if algorithm == "soft" and tol == 0:
        assert per_restart == [max_iter] * n_init


def test_fit_work_counts_points_times_components_per_iteration_and_start():
    assert fit_work(1000, 3, 50, 2, "random_points") == 2 * (1000 * 3 * 1 + 50 * 1000 * 3)
    assert fit_work(1000, 3, 50, 2, "kmeans") == 2 * (1000 * 3 * gmm_core.init.LLOYD_MAX_ITER + 50 * 1000 * 3)
    assert fit_work(10, 1, 1, 1, "kmeans++") == 10 * 10 + 10


def test_the_issues_link_is_refused_before_anything_runs_and_each_suggestion_alone_would_run():
    settings, notices = from_query(ISSUE_LINK)
    assert notices == []
    with pytest.raises(TooMuchWork) as refusal:
        check_request(settings, 100_000)
    text = str(refusal.value)
    assert text.startswith("**This fit is too big to run here.** With a tolerance of 0, every restart runs all")
    assert "Lower Restarts to 1 or Points to 5,000." in text
    fixes = fit_fixes(settings, 100_000, settings.max_iter)
    assert [(fix.field, fix.value) for fix in fixes] == [("n_init", 1), ("blob_n", 5_000)]
    check_request(settings.with_changes(n_init=1), 100_000)
    check_request(settings.with_changes(blob_n=5_000), 5_000)
    with pytest.raises(TooMuchWork):
        check_request(settings.with_changes(n_init=2), 100_000)


def test_a_tolerance_is_not_refused_up_front_but_metered():
    settings, _ = from_query({**ISSUE_LINK, "tol": "0.001", "restarts": "2", "steps": "0"})
    check_request(settings, 100_000)  # might converge early: let it run, under a meter
    text = work_budget.fit_message(settings, 100_000, stopped=True)
    assert text.startswith("**This fit was stopped**") and "raise the tolerance" in text


def test_the_meter_lets_the_limit_through_and_stops_past_it():
    meter = WorkMeter(limit=100)
    meter.charge(60)
    meter.charge(40)
    with pytest.raises(WorkLimitReached):
        meter.charge(1)
    assert issubclass(WorkLimitReached, TooMuchWork)


requests = st.builds(
    lambda source, k, max_iter, n_init, init, tol, algorithm, step_mode: DEFAULTS.with_changes(
        source=source, k=k, max_iter=max_iter, n_init=n_init, init=init, tol=tol, algorithm=algorithm,
        step_mode=step_mode),
    source=st.sampled_from(["blobs", "upload", "faithful"]), k=st.integers(1, MAX_K), max_iter=st.integers(1, 1000),
    n_init=st.integers(1, 20), init=st.sampled_from(["kmeans", "kmeans++", "random_points", "random_resp"]),
    tol=st.sampled_from([0.0, 1e-3]), algorithm=st.sampled_from(["soft", "hard"]), step_mode=st.booleans(),
)  # step mode changes nothing: drawing has no limit


def sample_size(settings, data) -> int:
    if settings.source == "blobs":
        return data.draw(st.sampled_from(BLOB_SIZES))
    return 272 if settings.source == "faithful" else data.draw(st.integers(1, 3_000_000))


def applied(settings, n_samples, fix):
    """The request after one suggested change: (settings, n_samples)."""
    if fix.field == "rows":
        return settings, fix.value
    if fix.field == "blob_n":
        return settings, fix.value
    return settings.with_changes(**{fix.field: fix.value}), n_samples


@hypothesis_settings(max_examples=300, deadline=None)
@given(settings=requests, data=st.data())
def test_refused_exactly_when_certain_to_exceed_and_every_suggestion_is_enough_and_the_largest(settings, data):
    n = sample_size(settings, data)
    over = fit_work(n, settings.k, certain_iterations(settings), settings.n_init, settings.init) > WORK_LIMIT
    try:
        check_request(settings, n)
        refused = None
    except TooMuchWork as error:
        refused = str(error)
    assert (refused is not None) == over
    if refused is not None:
        assert "nan" not in refused.lower() and "Traceback" not in refused
        assert "Lower " in refused

    # Fit suggestions let every restart run all Max iterations within the limit; one more would not.
    for fix in fit_fixes(settings, n, settings.max_iter):
        fixed, fixed_n = applied(settings, n, fix)
        assert fit_work(fixed_n, fixed.k, fixed.max_iter, fixed.n_init, fixed.init) <= WORK_LIMIT, fix
        if fix.field in ("n_init", "max_iter", "k", "rows"):
            larger, larger_n = applied(settings, n, fix.__class__(fix.field, fix.value + 1, fix.text))
            assert fit_work(larger_n, larger.k, larger.max_iter, larger.n_init, larger.init) > WORK_LIMIT, fix
        if fix.field == "blob_n":
            next_size = BLOB_SIZES[BLOB_SIZES.index(fix.value) + 1]
            assert fit_work(next_size, settings.k, settings.max_iter, settings.n_init, settings.init) > WORK_LIMIT


def test_a_sweep_message_says_how_far_it_got_and_what_to_narrow():
    text = work_budget.sweep_stopped_message(7, 32, 100_000, 10)
    assert "after 7 of 32 models" in text and "100,000 points" in text and "10 restarts" in text
    assert "narrow the range of k" in text


def test_counted_work_of_a_real_fit_matches_the_meter():
    """The meter charges what fit_work predicts for the iterations gmm_core.fit actually ran."""
    from ui.session_guard import metered

    X = gmm_core.random_blobs(3, 200, 2, seed=3).X
    meter = WorkMeter(limit=10**12)
    result = gmm_core.fit(X, n_components=3, init="kmeans", max_iter=40, tol=1e-4, n_init=3, seed=1,
                          on_iteration=metered(meter, len(X), 3, "kmeans"))
    iterations = sum(len(curve) - 1 for curve in result.restarts)
    assert meter.used == 3 * work_budget.start_work(200, 3, "kmeans") + iterations * 200 * 3
    assert np.isfinite(result.log_likelihood)


# --------------------------------------------------------------------------- many features
def test_many_features_cost_more_and_one_feature_no_less_than_two():
    assert work_budget.feature_cost(1) == work_budget.feature_cost(2) == 1.0
    costs = [work_budget.feature_cost(d) for d in range(2, 11)]
    assert all(a < b for a, b in zip(costs, costs[1:]))
    assert fit_work(1000, 3, 50, 2, "random_points", n_features=10) == pytest.approx(
        work_budget.feature_cost(10) * fit_work(1000, 3, 50, 2, "random_points"), rel=1e-3)


def test_the_worst_request_allowed_in_two_features_is_refused_in_ten_and_each_fix_is_enough():
    worst = from_query({"data": "blobs", "n": "100000", "true_k": "10", "k": "10", "iters": "999", "tol": "0",
                        "restarts": "2"})[0]
    check_request(worst, 100_000, 2)  # ~12 s in 2-D: allowed
    with pytest.raises(TooMuchWork) as refusal:
        check_request(worst, 100_000, 10)
    assert "100,000 points in 10 features" in str(refusal.value)
    fixes = fit_fixes(worst, 100_000, worst.max_iter, 10)
    assert fixes
    for fix in fixes:
        changed = worst.with_changes(**{fix.field: fix.value})
        n = fix.value if fix.field == "blob_n" else 100_000
        assert fit_work(n, changed.k, changed.max_iter, changed.n_init, changed.init, 10) <= WORK_LIMIT


def test_counted_work_of_a_ten_feature_fit_matches_the_meter():
    from ui.session_guard import metered

    X = gmm_core.random_blobs(3, 200, 10, seed=3).X
    meter = WorkMeter(limit=10**12)
    result = gmm_core.fit(X, n_components=3, init="kmeans++", max_iter=30, tol=0, n_init=2, seed=1,
                          on_iteration=metered(meter, len(X), 3, "kmeans++", 10))
    assert meter.used == fit_work(200, 3, 30, 2, "kmeans++", 10)
    assert np.isfinite(result.log_likelihood)


def test_the_charge_for_ten_features_covers_what_they_cost_relative_to_two():
    """A ratio of CPU times, not a timing: a full-covariance fit in 10 features costs at most what it is charged,
    relative to the same fit in 2 (measured 3.6x; charged feature_cost(10)), with one BLAS thread as the app runs."""
    import time

    from threadpoolctl import threadpool_limits

    rng = np.random.default_rng(0)

    def cpu_seconds(d: int) -> float:
        X = rng.normal(size=(20_000, d))
        best = float("inf")
        for _ in range(3):
            start = time.process_time()
            gmm_core.fit(X, 5, "full", init="random_points", max_iter=8, tol=0)
            best = min(best, time.process_time() - start)
        return best

    with threadpool_limits(limits=1, user_api="blas"):
        ratio = cpu_seconds(10) / cpu_seconds(2)
    assert 1.2 < ratio <= work_budget.feature_cost(10) * 1.2, ratio
