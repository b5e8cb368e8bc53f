"""The server configuration a deployment gets (.streamlit/config.toml), checked against the options
Streamlit 1.67 really has, so that a misspelt option cannot be silently ignored."""

import subprocess
import sys
import tomllib
from pathlib import Path

import streamlit
from streamlit import config as streamlit_config

import data_sources

ROOT = Path(__file__).resolve().parents[1]
CONFIG = tomllib.loads((ROOT / ".streamlit" / "config.toml").read_text())


def test_every_option_set_is_one_streamlit_knows():
    known = streamlit_config._config_options_template
    for section, options in CONFIG.items():
        for name in options:
            assert f"{section}.{name}" in known, f"{section}.{name} is not an option of Streamlit {streamlit.__version__}"


def test_protections_stay_on_and_sizes_are_bounded():
    server = CONFIG["server"]
    assert server["enableXsrfProtection"] is True and server["enableCORS"] is True
    assert server["maxUploadSize"] == data_sources.MAX_UPLOAD_MB
    assert 1 <= server["maxMessageSize"] <= 50
    assert "allowedHosts" not in server  # recommended per deployment (README), not fixed here


def test_no_full_collection_after_every_run():
    # measured in bench/RESULTS_load.md; Python's generational collector still runs
    assert CONFIG["runner"]["postScriptGC"] is False


def test_no_file_watcher_polls_the_source_in_a_plain_run():
    # `streamlit run app.py` as the README says: the polling watcher added ~18% to the server's CPU per page view
    assert CONFIG["server"]["fileWatcherType"] == "none"


def test_a_deployed_app_shows_no_traceback_or_server_path():
    assert CONFIG["client"]["showErrorDetails"] in ("type", "none")


def test_streamlit_reads_this_file_as_the_effective_configuration():
    shown = subprocess.run([sys.executable, "-m", "streamlit", "config", "show"], cwd=ROOT, capture_output=True,
                           text=True, timeout=120).stdout
    for line in ('showErrorDetails = "type"', "enableXsrfProtection = true", "enableCORS = true",
                 "maxUploadSize = 50", "maxMessageSize = 50", 'fileWatcherType = "none"'):
        assert f"\n{line}\n" in shown, line
