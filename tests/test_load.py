"""The load benchmark's short mode: 10 light sessions open the same link at once, and all are served.

It starts `streamlit run app.py` and drives it with bench/light_session.py (the page, then the websocket
and one rerun request, as a browser tab does). Only that every session got the player and no error is
asserted: timings depend on the machine and belong in bench/RESULTS_load.md, not in a test.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from bench import bench_load
from bench.light_session import SessionResult, open_session, rerun_message
from bench.server_process import start_server
from streamlit.proto.BackMsg_pb2 import BackMsg
from own_loop import run_in_own_loop

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"


@pytest.fixture(scope="module")
def server():
    running = start_server(REPO, ARTIFACTS)
    try:
        yield running
    finally:
        running.stop()


def test_ten_sessions_on_the_same_link_are_all_served(server):
    results, wall_s, cpu_s = run_in_own_loop(bench_load.light_wave(server, bench_load.wave_links("same", 10)))
    assert len(results) == 10
    assert [r.problems for r in results] == [[]] * 10, f"server log: {server.log}"
    assert all(r.served for r in results)
    # every session received the same player payload, and the whole page after it
    assert len({r.figure_bytes for r in results}) == 1 and results[0].figure_bytes > 10_000
    assert all(r.first_figure_s <= r.finished_s for r in results)
    assert wall_s > 0 and cpu_s > 0


def test_a_refused_link_is_reported_as_not_served(server):
    # the work budget refuses this link with a message: the client must see the error, not count it served
    heavy = "data=blobs&n=100000&true_k=10&k=10&iters=1000&tol=0&restarts=20&steps=1&init=kmeans"
    result = run_in_own_loop(open_session(server.url, heavy, timeout_s=120))
    assert result.finished_s is not None
    assert not result.served and any(p.startswith("error:") for p in result.problems)


def test_a_dead_server_is_a_problem_not_a_hang():
    result = run_in_own_loop(open_session("http://127.0.0.1:9", "", timeout_s=5))
    assert isinstance(result, SessionResult) and not result.served
    assert result.problems and result.problems[0].startswith("connection:")


def test_the_rerun_request_carries_the_link():
    message = BackMsg()
    message.ParseFromString(rerun_message("data=blobs&k=4"))
    assert message.WhichOneof("type") == "rerun_script"
    assert message.rerun_script.query_string == "data=blobs&k=4"


def test_percentiles_use_the_nearest_rank():
    wave = bench_load.Wave("now", "light", "same", first_figure_s=[float(i) for i in range(1, 21)])
    assert (wave.percentile(50), wave.percentile(95), wave.percentile(100)) == (10.0, 19.0, 20.0)
    rng = np.random.default_rng(3)
    for n in (1, 2, 7, 10, 25, 100):
        wave.first_figure_s = list(rng.exponential(size=n))
        for q in (50, 95):  # numpy's 'inverted_cdf' is the nearest-rank percentile
            assert wave.percentile(q) == np.percentile(wave.first_figure_s, q, method="inverted_cdf")
