"""Test-session settings shared by every test."""

import functools

from streamlit.components.v2 import manifest_scanner

# Every AppTest run rescans all installed packages' metadata for Streamlit component manifests (~0.4 s with this
# project's test dependencies, several times that under load): the installed packages do not change during a test
# session, so scan once. The scanned list is what the app would see; only the repetition is removed.
manifest_scanner.scan_component_manifests = functools.cache(manifest_scanner.scan_component_manifests)
