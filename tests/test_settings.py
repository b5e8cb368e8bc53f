"""The URL round trip of the settings: exact for valid values, safe defaults with notices otherwise."""

import math
from dataclasses import fields

import pytest
from hypothesis import given, settings as hypothesis_settings, strategies as st

from explorer.settings import DEFAULTS, FIELDS, Settings, from_query, safe_echo, to_query


def test_defaults_make_an_empty_query():
    assert to_query(DEFAULTS) == {}
    assert from_query({}) == (DEFAULTS, [])


def test_every_setting_round_trips_through_the_url():
    chosen = Settings(
        source="blobs", blob_k=4, blob_n=2000, blob_dim=1, blob_separation=2.5, blob_anisotropy=3.0,
        data_seed=7, columns=("a b", "c", "d", "e"), label="species", standardise=True, k=5, covariance_type="diag", init="manual",
        algorithm="hard", max_iter=250, tol=1e-5, reg_covar=1e-4, seed=11, n_init=4,
        manual_means=((1.5, -2.0), (3.0, 4.25)), step_mode=True, show_truth=False, presentation=True,
        points="1_0.005_-5.24_gAgkgo", equal_axes=True, view_mode="pair", view_x=3, view_y=0,
    )
    query = to_query(chosen)
    assert len(query) == len(fields(Settings))  # nothing equal to a default here
    restored, notices = from_query(query)
    assert notices == []
    assert restored == chosen


@pytest.mark.parametrize(
    "key, value",
    [("k", "abc"), ("k", "0"), ("k", "11"), ("cov", "banana"), ("tol", "nan"), ("tol", "-1"), ("reg", "inf"),
     ("iters", "1e9"), ("data", "<script>alert(1)</script>"), ("n", "123"), ("means", "1,2;3"), ("steps", "yes"),
     ("restarts", ""), ("pts", "2_1_0_0_A"), ("pts", "<b>x</b>"), ("view", "pcb"), ("vx", "-1"), ("vy", "100"),
     ("cols", ",".join(f"c{j}" for j in range(11))), ("cols", "a,b,a"), ("label", "x" * 81)],
)
def test_garbled_values_fall_back_to_defaults_with_a_notice(key, value):
    restored, notices = from_query({key: value})
    assert restored == DEFAULTS
    assert len(notices) == 1
    assert f"'{key}'" in notices[0] and "default" in notices[0]
    assert "<" not in notices[0] and ">" not in notices[0]


def test_unknown_keys_are_ignored_and_good_values_kept_beside_bad_ones():
    restored, notices = from_query({"k": "4", "cov": "nope", "utm_source": "mail"})
    assert restored.k == 4 and restored.covariance_type == DEFAULTS.covariance_type
    assert len(notices) == 1


def test_safe_echo_strips_markup():
    assert safe_echo("<b>x</b>") == "'?b?x??b?'"
    assert safe_echo("a" * 100).endswith("…'")


@hypothesis_settings(max_examples=200, deadline=None)
@given(st.dictionaries(st.sampled_from([f.url_key for f in FIELDS] + ["zz"]), st.text(max_size=40), max_size=6))
def test_any_query_gives_valid_settings_and_never_raises(query):
    restored, notices = from_query(query)
    assert isinstance(restored, Settings)
    assert 1 <= restored.k <= 10 and restored.tol >= 0 and restored.reg_covar >= 0
    assert len(notices) <= len(query)


@given(st.lists(st.tuples(st.floats(-1e11, 1e11), st.floats(-1e11, 1e11)), min_size=1, max_size=10))
def test_starting_means_come_back_from_the_url_bit_for_bit(rows):
    """A mean placed by a click near 1e6 + 0.001, or at the exact edge of the data, survives a share link."""
    settings = DEFAULTS.with_changes(init="manual", manual_means=tuple(rows))
    back, notices = from_query(to_query(settings))
    assert notices == [] and back.manual_means == tuple(rows)


@pytest.mark.parametrize("key, name", [("sep", "blob_separation"), ("tol", "tol"), ("reg", "reg_covar")])
@pytest.mark.parametrize("text", ["-0", "-0.0", "-0e5", "-0.000"])
def test_minus_zero_in_a_link_is_zero(key, name, text):
    restored, notices = from_query({key: text})
    value = getattr(restored, name)
    assert notices == [] and value == 0.0 and math.copysign(1.0, value) == 1.0
    assert to_query(restored)[key] == "0"


@pytest.mark.parametrize("name", ["blob_separation", "tol", "reg_covar"])
def test_a_typed_minus_zero_is_zero_in_the_settings_and_the_link(name):
    settings = Settings(**{name: -0.0})
    assert math.copysign(1.0, getattr(settings, name)) == 1.0
    assert "-" not in "".join(to_query(settings).values())
