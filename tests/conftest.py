"""Test-session settings shared by every test."""

import functools

import pytest

from streamlit.components.v2 import manifest_scanner

# Every AppTest run rescans all installed packages' metadata for Streamlit component manifests (~0.4 s with this
# project's test dependencies, several times that under load): the installed packages do not change during a test
# session, so scan once. The scanned list is what the app would see; only the repetition is removed.
manifest_scanner.scan_component_manifests = functools.cache(manifest_scanner.scan_component_manifests)


@pytest.hookimpl(tryfirst=True)  # before xdist's own hook reads the groups
def pytest_collection_modifyitems(config, items):
    """With pytest-xdist (pytest.ini runs two workers), the browser tests share one worker, one app server and one
    Chromium, in file order, while the other worker runs the rest: their session fixtures start once."""
    for item in items:
        if "browser" in item.keywords:
            item.add_marker(pytest.mark.xdist_group("browser"))
