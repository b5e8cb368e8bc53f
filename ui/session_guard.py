"""Stop a fit whose browser session has gone, and count a sweep's work as it runs.

Streamlit asks a script to stop when its browser disconnects (a closed tab, a lost connection), but the
script only notices at its next Streamlit call, and a fit inside `st.cache_data` makes none until it
returns: a closed tab's fit used to run to the end. `gmm_core.fit` calls `on_iteration` after every EM
iteration; the callbacks here raise Streamlit's own StopException there once the session is no longer
connected, which ends the script run as Streamlit's Stop does. The exception leaves the cached function,
so st.cache_data stores nothing for the aborted call: the next request for it fits it whole.
"""

from __future__ import annotations

from typing import Callable

from streamlit import runtime
from streamlit.runtime.scriptrunner import StopException, get_script_run_ctx

from explorer.work_budget import WorkMeter, iteration_work, start_work


def session_is_gone() -> bool:
    """True when this thread runs a script for a browser session that has disconnected.

    False outside a server session (AppTest, bare Python) and in threads that run no script.
    `Runtime.is_active_session` is documented as safe to call from any thread.
    """
    context = get_script_run_ctx(suppress_warning=True)
    if context is None or not runtime.exists():
        return False
    return not runtime.get_instance().is_active_session(context.session_id)


def stop_if_session_gone(*_progress) -> None:
    """An `on_iteration(restart, iteration, max_iter)` callback for gmm_core.fit."""
    if session_is_gone():
        raise StopException()


def metered(meter: WorkMeter, n_samples: int, k: int, init: str, n_features: int = 2) -> Callable[[int, int, int], None]:
    """An `on_iteration` callback that also charges each iteration (and each run's start) to `meter`.

    Raises explorer.work_budget.WorkLimitReached once the meter passes its limit.
    """

    def on_iteration(_restart: int, iteration: int, _max_iter: int) -> None:
        stop_if_session_gone()
        started = start_work(n_samples, k, init, n_features) if iteration == 1 else 0
        meter.charge(started + iteration_work(n_samples, k, n_features))

    return on_iteration
