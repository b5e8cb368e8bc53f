"""Run a coroutine to completion from a test, whatever the test session has running in the main thread."""

import asyncio
from concurrent.futures import ThreadPoolExecutor


def run_in_own_loop(coroutine):
    """asyncio.run in a thread of its own: Playwright's session-wide sync browser keeps an event loop running in
    the main thread for the rest of the session (browser tests run first), and asyncio.run refuses to start there."""
    with ThreadPoolExecutor(max_workers=1) as pool:
        return pool.submit(asyncio.run, coroutine).result()
