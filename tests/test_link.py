"""What a share link carries (explorer.link): what the viewer needs, and nothing of an uploaded file
unless the upload is the source, with what it reveals said in words and a link without it."""

from dataclasses import fields, replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from explorer.link import SOURCE_SETTINGS, link_settings, upload_traces, without_upload_traces
from explorer.settings import DEFAULTS, INIT_LABELS, SOURCES, Settings, from_query, to_query

UPLOAD = Settings(source="upload", columns=("height_cm", "secret weight"), label="group", standardise=True, init="manual",
                  manual_means=((150.5, 60.25), (180.0, 80.0)), k=2, blob_k=5, data_seed=9)


def test_a_link_of_an_upload_carries_its_columns_and_means_and_says_so():
    query = to_query(link_settings(UPLOAD))
    assert query["cols"] == "height_cm,secret weight" and query["std"] == "1" and "means" in query
    assert query["label"] == "group"
    assert "true_k" not in query and "dseed" not in query  # the blobs' settings are not the upload's
    assert upload_traces(UPLOAD) == ["the names of your file's columns 'height_cm' and 'secret weight'",
                                     "the name of your label column 'group'",
                                     "2 starting means read from your file's values"]


def test_the_link_without_upload_traces_keeps_the_view_but_not_the_names_or_values():
    query = to_query(without_upload_traces(UPLOAD))
    assert query == {"data": "upload", "std": "1", "init": "manual"}
    assert upload_traces(without_upload_traces(UPLOAD)) == []


@pytest.mark.parametrize("source", [s for s in SOURCES if s != "upload"])
def test_after_switching_away_from_an_upload_no_link_names_its_columns(source):
    moved = replace(UPLOAD, source=source, init="kmeans++")
    query = to_query(link_settings(moved))
    assert "cols" not in query and "std" not in query and "means" not in query and "label" not in query
    assert "secret" not in str(query) and "group" not in str(query) and "150.5" not in str(query)
    assert upload_traces(moved) == []


def test_starting_means_travel_only_with_manual_initialisation():
    assert "means" in to_query(link_settings(replace(UPLOAD, source="faithful")))  # manual: the viewer needs them
    assert "means" not in to_query(link_settings(replace(UPLOAD, init="kmeans++")))
    assert upload_traces(replace(UPLOAD, init="kmeans++")) == [
        "the names of your file's columns 'height_cm' and 'secret weight'", "the name of your label column 'group'"]


settings_strategy = st.builds(
    Settings,
    source=st.sampled_from(list(SOURCES)), blob_k=st.integers(1, 10), blob_dim=st.sampled_from([1, 2]),
    data_seed=st.integers(0, 99), columns=st.sampled_from([(), ("a",), ("a", "b c"), tuple("abcdefghij")]), standardise=st.booleans(),
    label=st.sampled_from(["", "species"]),
    init=st.sampled_from(list(INIT_LABELS)), manual_means=st.sampled_from([(), ((1.0, 2.0),), ((0.5,), (1.5,))]),
    points=st.sampled_from(["", "1_0.005_-5.24_gAgkgo"]), k=st.integers(1, 10),
)


@given(settings_strategy)
def test_a_link_keeps_every_setting_its_source_reads_and_round_trips(settings):
    shared = link_settings(settings)
    assert from_query(to_query(shared)) == (shared, [])
    assert link_settings(shared) == shared
    needed = set(SOURCE_SETTINGS[settings.source]) | {f.name for f in fields(Settings)} - {
        name for names in SOURCE_SETTINGS.values() for name in names} - {"manual_means"}
    for name in needed:
        assert getattr(shared, name) == getattr(settings, name), name
    if settings.init == "manual":
        assert shared.manual_means == settings.manual_means
    else:
        assert shared.manual_means == DEFAULTS.manual_means
    if settings.source != "upload":
        assert shared.columns == DEFAULTS.columns and shared.label == "" and upload_traces(settings) == []
