"""Share links and uploads under AppTest: a link names an uploaded file's columns, or carries starting
means read from its values, only while the upload is the source, and the share box says so plainly and
offers the same view without them. (tests/browser/test_share_privacy.py does the same in Chromium.)"""

from pathlib import Path
from urllib.parse import parse_qs, urlsplit

import pytest
from streamlit.testing.v1 import AppTest

from markdown_checks import shown

ROOT = Path(__file__).resolve().parents[1]
CSV = (ROOT / "tests" / "data" / "semicolon.csv").read_bytes()  # columns student; height_cm; weight_kg


def query_of(url: str) -> dict:
    return {key: values[-1] for key, values in parse_qs(urlsplit(url).query).items()}


def address(at: AppTest) -> dict:
    return {key: at.query_params[key][-1] if isinstance(at.query_params[key], list) else at.query_params[key]
            for key in at.query_params}


@pytest.fixture
def uploaded() -> AppTest:
    at = AppTest.from_file(str(ROOT / "app.py"), default_timeout=120)
    at.query_params["data"] = "upload"
    at.query_params["init"] = "manual"
    at.run()
    at.file_uploader(key="upload_file").set_value(("heights.csv", CSV, "text/csv")).run()
    assert not at.exception
    return at


def test_the_share_box_of_an_upload_says_what_the_link_reveals_and_offers_a_link_without_it(uploaded):
    warnings = [shown(w.value) for w in uploaded.warning if "reveals" in shown(w.value)]
    assert warnings == ["This link reveals the names of your file's columns 'height_cm' and 'weight_kg' and 2 "
                        "starting means read from your file's values: anyone who opens it can read them."]
    full, bare = [query_of(code.value) for code in uploaded.code if "data=upload" in code.value][:2]
    assert full["cols"] == "height_cm,weight_kg" and len(full["means"].split(";")) == 2
    assert bare == {"data": "upload", "init": "manual"}
    assert address(uploaded)["cols"] == "height_cm,weight_kg"  # the upload is the source: its address names them


def test_after_switching_to_bundled_data_neither_address_nor_link_carries_the_upload(uploaded):
    upload_means = uploaded.session_state["manual_means"]
    uploaded.selectbox(key="source").set_value("faithful").run()
    assert not uploaded.exception
    query = address(uploaded)
    assert "cols" not in query and "std" not in query
    assert query["data"] == "faithful" and query["init"] == "manual"
    # The starting means are now Old Faithful's own, not values read from the upload.
    assert uploaded.session_state["manual_means"] != upload_means
    assert not any("height" in code.value or "weight_kg" in code.value for code in uploaded.code)
    assert not any("reveals" in shown(w.value) for w in uploaded.warning)
    for value in (v for row in upload_means for v in row):
        assert repr(value) not in str(query)
