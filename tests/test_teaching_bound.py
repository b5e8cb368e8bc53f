"""The bound that touches on the worked example (explorer.teaching_bound) and its figures (figures.teaching_bound)."""

from __future__ import annotations

import numpy as np
import pytest

import gmm_core
from explorer import teaching, teaching_bound
from figures.teaching_bound import bound_slice_figure, half_step_figure


def value_at(bound, curve, x):
    return curve[int(np.abs(bound.values - x).argmin())]


@pytest.mark.parametrize("seed", [0, 4])
@pytest.mark.parametrize("component", [0, 1])
def test_after_an_e_step_the_bound_touches_log_p_and_peaks_where_the_m_step_goes(seed, component):
    example = teaching.new_example("1d", seed).iterate(2).e_step()
    bound = teaching_bound.bound_slice(example, component)
    assert bound.previous is None and bound.terms.gap <= 1e-9
    touching = value_at(bound, bound.log_likelihood, bound.current) - value_at(bound, bound.lower_bound, bound.current)
    assert abs(touching) <= 1e-9
    assert np.all(bound.lower_bound <= bound.log_likelihood + 1e-9)  # a lower bound along the whole slice
    assert np.ptp(bound.log_likelihood - bound.lower_bound) > 1.0  # ... and a strict one away from the current value
    peak = bound.values[np.argmax(bound.lower_bound)]
    after_m = example.m_step()
    assert peak == pytest.approx(bound.peak, abs=1e-12)
    assert bound.peak == pytest.approx(after_m.params.means[component, 0], rel=1e-10)


def test_after_an_m_step_the_bound_peaks_at_the_current_mean_and_a_gap_has_opened():
    example = teaching.new_example("1d", 1).e_step().m_step()
    bound = teaching_bound.bound_slice(example, 0)
    assert bound.previous == pytest.approx(example.before.means[0, 0])
    assert bound.peak == pytest.approx(bound.current, rel=1e-10)
    assert bound.values[np.argmax(bound.lower_bound)] == pytest.approx(bound.current, abs=1e-12)
    assert bound.terms.gap > 1e-3
    direct = gmm_core.lower_bound(example.X, example.params, example.used_resp)
    assert bound.terms.lower_bound == pytest.approx(direct.lower_bound, rel=1e-12)
    # The bound rose over the M-step from where it touched log p before it.
    assert bound.terms.lower_bound > example.history[-2]
    assert bound.terms.log_likelihood == pytest.approx(example.log_likelihood, rel=1e-12)


def test_with_one_hot_q_the_bound_is_the_classification_log_likelihood_and_peaks_at_the_plain_mean():
    example = teaching.new_example("1d", 0).e_step()
    bound = teaching_bound.bound_slice(example, 1)
    labels = example.resp.argmax(axis=1)
    assert bound.hard_peak == pytest.approx(example.X[labels == 1, 0].mean(), rel=1e-12)
    assert bound.values[np.argmax(bound.hard_lower_bound)] == pytest.approx(bound.hard_peak, abs=1e-12)
    joint = example.params.weighted_log_prob(example.X)
    assert bound.hard_terms.lower_bound == pytest.approx(joint.max(axis=1).sum(), rel=1e-12)
    assert bound.hard_terms.gap > 1.0  # never touches on overlapping data, even right after the E-step


def test_before_the_first_e_step_there_is_no_bound_and_2d_data_is_refused():
    bound = teaching_bound.bound_slice(teaching.new_example("1d", 0))
    assert bound.lower_bound is None and bound.terms is None and len(bound.log_likelihood) == len(bound.values)
    with pytest.raises(ValueError, match="1-D"):
        teaching_bound.bound_slice(teaching.new_example("2d", 0))
    with pytest.raises(ValueError, match="component"):
        teaching_bound.bound_slice(teaching.new_example("1d", 0), component=2)


def test_half_steps_are_bound_trace_plus_the_start_and_a_pending_e_step():
    example = teaching.new_example("1d", 2).iterate(3)
    steps = teaching_bound.half_steps(example)
    assert steps.labels == ("start", "1 · E", "1 · M", "2 · E", "2 · M", "3 · E", "3 · M")
    trace = gmm_core.bound_trace(example.X, example.params_history)
    np.testing.assert_array_equal(steps.lower_bound[1:], trace.lower_bound)
    assert np.isnan(steps.lower_bound[0]) and steps.log_likelihood[0] == example.history[0]
    np.testing.assert_allclose(steps.log_likelihood[2::2], example.history[1:], rtol=1e-12)
    pending = teaching_bound.half_steps(example.e_step())
    assert pending.labels[-1] == "4 · E" and pending.gap[-1] <= 1e-9
    assert pending.log_likelihood[-1] == pytest.approx(example.log_likelihood, rel=1e-12)


def test_bound_slice_figure_shades_the_gap_and_marks_the_peak():
    example = teaching.new_example("1d", 0).e_step()
    bound = teaching_bound.bound_slice(example)
    fig = bound_slice_figure(bound, show_hard=True)
    names = [trace.name for trace in fig.data]
    assert names[:2] == ["bound L(q, θ)", "log p(X | θ)"] and fig.data[1].fill == "tonexty"
    star = next(trace for trace in fig.data if trace.name.startswith("the bound's peak"))
    assert star.x[0] == pytest.approx(bound.peak)
    assert "bound with one-hot q (hard EM)" in names
    low, high = fig.layout.yaxis.range
    assert low < value_at(bound, bound.lower_bound, bound.current) < high and high > bound.log_likelihood.max()
    close_up = bound_slice_figure(bound, close_up=True)
    low, high = close_up.layout.xaxis.range  # the close-up holds the current value and the M-step's destination
    assert low < bound.current < high and low < bound.peak < high
    assert all(low <= x <= high for trace in close_up.data for x in trace.x)
    after_bound = teaching_bound.bound_slice(example.m_step())
    after_m = bound_slice_figure(after_bound)
    assert not any(trace.name.startswith("the bound's peak") for trace in after_m.data)
    low, high = bound_slice_figure(after_bound, close_up=True).layout.yaxis.range  # the gap is big enough to see
    assert after_bound.terms.gap > 0.1 * (high - low)
    assert any("before the M-step" in annotation.text for annotation in after_m.layout.annotations)


def test_half_step_figure_has_both_lines_and_never_says_nan():
    example = teaching.new_example("1d", 0).iterate(2)
    steps = teaching_bound.half_steps(example)
    fig = half_step_figure(steps)
    bound_line, gap, log_p, gap_bars = fig.data
    assert len(bound_line.x) == len(steps.labels) - 1 and len(log_p.x) == len(steps.labels)
    assert gap.fill == "tonexty"
    texts = " ".join(list(bound_line.text) + list(log_p.text))
    assert "nan" not in texts.lower() and "no bound before the first E-step" in log_p.text[0]
    assert "KL gap" in bound_line.text[0]
    low, high = fig.layout.yaxis.range
    assert high - low >= 1.0  # a start-only curve still gets a readable axis
    # The gap on its own scale: zero after each E-step, positive after each M-step.
    np.testing.assert_allclose(gap_bars.y[::2], 0.0, atol=1e-9)
    assert np.all(np.asarray(gap_bars.y[1::2]) > 1e-6)
