"""The parameter table as the Explorer shows it (explorer/tables.shown_parameter_table, ui/html_table.py): means
resolved to a hundredth of the smallest standard deviation wherever the data sits, and names as text."""

from __future__ import annotations

from html.parser import HTMLParser

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

import gmm_core
from explorer.tables import parameter_table, shown_parameter_table
from hostile_files import HOSTILE_NAMES
from ui.html_table import table_html


def mixture(offsets, scales, seed: int = 0) -> gmm_core.GaussianMixtureParams:
    """Two 2-D components around `offsets` with standard deviations of the order of `scales`."""
    rng = np.random.default_rng(seed)
    means = np.array(offsets, dtype=float)[None, :] + rng.normal(size=(2, 2)) * np.array(scales) * 10
    sds = np.array(scales, dtype=float)[None, :] * rng.uniform(0.5, 2.0, size=(2, 2))
    covariances = np.stack([np.diag(sd ** 2) for sd in sds])
    return gmm_core.GaussianMixtureParams(weights=np.array([0.3, 0.7]), means=means, covariances=covariances,
                                          covariance_type="full")


@settings(max_examples=200, deadline=None)
@given(offset=st.floats(-1e12, 1e12), scale_exponent=st.integers(-9, 6), seed=st.integers(0, 10))
def test_a_shown_mean_is_within_a_two_hundredth_of_the_smallest_sd_wherever_the_data_sits(offset, scale_exponent,
                                                                                          seed):
    scale = 10.0 ** scale_exponent
    params = mixture([offset, -offset / 3], [scale, scale * 7], seed)
    exact, shown = parameter_table(params, ("x", "y")), shown_parameter_table(params, ("x", "y"))
    for k in range(2):
        smallest = min(exact.loc[k, "sd x"], exact.loc[k, "sd y"])
        for name in ("x", "y"):
            text = shown.loc[k, f"mean {name}"]
            assert "e" not in text.lower()  # positional, never 1.76e+09
            # resolution of the text, plus what float64 itself can hold at that magnitude
            allowed = smallest / 200 + 4 * np.spacing(abs(exact.loc[k, f"mean {name}"]))
            assert abs(float(text) - exact.loc[k, f"mean {name}"]) <= allowed, (text, exact.loc[k, f"mean {name}"])
        assert float(shown.loc[k, "sd x"]) == float(f"{exact.loc[k, 'sd x']:.3g}")
    assert list(shown.columns) == ["component", "weight", "mean x", "mean y", "sd x", "sd y", "correlation"]


def test_timestamps_show_whole_seconds_and_gps_coordinates_their_decimals():
    seconds = shown_parameter_table(mixture([1.76e9, 1.76e9], [3600.0, 900.0]), ("t", "u"))
    assert all(text.isdigit() and len(text) == 10 for text in seconds["mean t"])  # 1760...: whole seconds
    degrees = shown_parameter_table(mixture([52.52, 13.40], [2e-6, 3e-6]), ("lat", "lon"))
    assert all(len(text.split(".")[1]) == 8 for text in degrees["mean lat"])  # a hundredth of 2e-6 degrees


class _Cells(HTMLParser):
    def __init__(self):
        super().__init__()
        self.cells, self.scripts = [], 0

    def handle_starttag(self, tag, attrs):
        self.scripts += tag in ("script", "img", "iframe")
        if tag in ("th", "td"):
            self.cells.append("")

    def handle_data(self, data):
        if self.cells:
            self.cells[-1] += data


def test_hostile_feature_names_are_text_in_the_html_table():
    names = tuple([name for name in HOSTILE_NAMES if "<" in name][:2])  # aimed at HTML
    frame = shown_parameter_table(mixture([0.0, 0.0], [1.0, 1.0]), names)
    parser = _Cells()
    parser.feed(table_html(frame))
    assert parser.scripts == 0
    cells = [cell.strip() for cell in parser.cells]
    assert cells[:len(frame.columns)] == list(frame.columns)  # every header is the name, as text
    assert f"mean {names[0]}" in cells and f"sd {names[1]}" in cells
    assert len(cells) == len(frame.columns) * (len(frame) + 1)
