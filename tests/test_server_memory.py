"""The server's memory stays bounded over many different fits (bench/bench_server_memory.py runs 50 in Chromium).

Each fit is a new session opened by bench/light_session.py as a tab would (the page, the websocket, one run to its
end): the memory is the server's, so no browser is needed, and this test runs beside the browser tests.
"""

from __future__ import annotations

from pathlib import Path
from urllib.parse import urlencode

from bench.bench_server_memory import RSS_BUDGET_MB, fit_queries, rss_mib
from bench.light_session import open_session
from bench.server_process import start_server
from own_loop import run_in_own_loop

REPO = Path(__file__).resolve().parents[1]
ARTIFACTS = REPO / "test-artifacts"
MEMORY_FITS = 12
MEMORY_GROWTH_BUDGET_MB = 128.0  # growth over MEMORY_FITS fits after the first two (measured: ~30 MiB)
MEMORY_RSS_BUDGET_MB = RSS_BUDGET_MB  # the server's RSS at the end (measured: ~235 MiB): the bench's budget


def open_fit(server, query: dict) -> None:
    result = run_in_own_loop(open_session(server.url, urlencode(query), timeout_s=180))
    assert result.served, (query, result.problems, f"server log: {server.log}")


def test_server_memory_stays_bounded_over_many_fits():
    server = start_server(REPO, ARTIFACTS)
    try:
        queries = fit_queries(MEMORY_FITS + 2, offset=5000)
        for query in queries[:2]:  # warm up: imports, first caches, first figure
            open_fit(server, query)
        warm = rss_mib(server.pid)
        for query in queries[2:]:
            open_fit(server, query)
        final = rss_mib(server.pid)
    finally:
        server.stop()
    print(f"\n[memory] server RSS {warm:.0f} MiB after 2 fits, {final:.0f} MiB after {MEMORY_FITS} more "
          f"(growth budget {MEMORY_GROWTH_BUDGET_MB:.0f} MiB, RSS budget {MEMORY_RSS_BUDGET_MB:.0f} MiB)")
    assert final - warm < MEMORY_GROWTH_BUDGET_MB
    assert final < MEMORY_RSS_BUDGET_MB
