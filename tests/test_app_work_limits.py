"""The work limit on the pages (AppTest): a link certain to be too much is refused before anything runs, with
what to lower and every setting kept; a fit or a sweep that reaches the limit while running is stopped, says
so, and is not cached."""

from __future__ import annotations

import re

import pytest

import gmm_core
from explorer import dataset, work_budget
from app_checks import open_advanced
from tests.test_app_choose_k import choose_k
from tests.test_app_explore import assert_clean, charts, new_app
from tests.test_work_budget import ISSUE_LINK


def errors(at) -> str:
    return " ".join(error.value for error in at.error)


def shown_iterations(at) -> int:
    """The iteration count in the page's outcome box ("Converged after N iterations" or "... limit of N ...")."""
    text = " ".join(box.value for box in [*at.success, *at.warning])
    return int(re.search(r"(?:after|limit of) (\d+) iterations", text).group(1))


def test_the_issues_link_is_refused_with_what_to_lower_and_every_setting_kept():
    at = open_advanced(new_app(**ISSUE_LINK)).run()
    assert_clean(at)
    text = errors(at)
    assert "This fit is too big to run here." in text and "about 3 minutes of computing" in text
    assert "Lower Restarts to 1 or Points to 5,000." in text
    assert not charts(at) and not at.metric  # nothing was fitted or drawn
    # Never silently change a setting: the widgets and the link still hold what the link asked for.
    assert (at.slider(key="k").value, at.number_input(key="max_iter").value, at.number_input(key="n_init").value,
            at.toggle(key="step_mode").value, at.selectbox(key="init").value) == (10, 1000, 20, True, "kmeans")
    assert {key: at.query_params[key] for key in ISSUE_LINK} in (ISSUE_LINK, {k: [v] for k, v in ISSUE_LINK.items()})


def test_a_big_request_that_may_converge_early_runs():
    """k = 10, 1,000 iterations in step mode would be far too much if every iteration ran; with a tolerance, it
    converges early, so it is not refused up front."""
    at = new_app(k="10", iters="1000", steps="1", seed="7101").run()
    assert_clean(at)
    assert not at.error and len(charts(at)) == 1
    assert shown_iterations(at) < 500


def test_a_fit_stopped_at_the_limit_says_so_and_is_not_cached(monkeypatch):
    link = {"data": "blobs", "true_k": "3", "n": "2000", "sep": "2", "dseed": "7102", "k": "3", "tol": "1e-09",
            "init": "random_points"}
    X = dataset.synthetic_dataset("blobs", 7102, 3, 2000, 2, 2.0, 1.0).X
    full = gmm_core.fit(X, 3, init="random_points", tol=1e-9, seed=0)
    assert 20 < full.n_iter < 100  # converges, slowly
    # A limit of about ten iterations: the fit is certain to fit in it, but runs past it.
    monkeypatch.setattr(work_budget, "WORK_LIMIT", work_budget.fit_work(2000, 3, 10, 1, "random_points"))
    at = new_app(**link).run()
    assert_clean(at)
    assert errors(at).startswith("**This fit was stopped** when it had used what one view may compute here")
    assert "or raise the tolerance" in errors(at)
    assert not charts(at) and not at.metric
    # With room to finish, the same link fits from the start: the stopped fit was not cached.
    monkeypatch.undo()
    at.run()
    assert_clean(at)
    assert not at.error and len(charts(at)) == 1
    assert shown_iterations(at) == full.n_iter
    assert float(at.metric[0].value.replace(",", "")) == pytest.approx(full.log_likelihood, abs=1e-3)


def test_a_sweep_that_reaches_the_limit_stops_and_says_what_to_narrow(monkeypatch):
    X = gmm_core.random_blobs(3, 2000, 2, seed=7104).X
    monkeypatch.setattr(work_budget, "WORK_LIMIT", 40 * len(X) * 3)  # a few fits' worth
    at = choose_k(k_range=(1, 4), data="blobs", true_k="3", n="2000", dseed="7104")
    assert_clean(at)
    text = errors(at)
    assert re.search(r"The sweep stopped after \d+ of 16 models", text) and "2,000 points" in text
    assert "narrow the range of k" in text
    assert not at.get("plotly_chart") and not [frame for frame in at.dataframe if "BIC" in frame.value.columns]
    monkeypatch.undo()
    at.run()
    assert_clean(at)
    assert not at.error and len([frame for frame in at.dataframe if "BIC" in frame.value.columns]) == 1
