"""Take the objects that live as long as the server out of Python's full garbage collections.

Streamlit runs a full collection after every script run (`runner.postScriptGC`), holding the GIL while it
walks every tracked object: the ~140,000 that importing NumPy, SciPy, pandas, Plotly and Streamlit leaves,
though none of them ever becomes garbage. That walk was a quarter of the server's CPU per page view when a
hall opened the same link (bench/RESULTS_load.md). `gc.freeze()` moves the objects alive now into a
permanent generation that collections skip; the collection after each run then sees only that run's
objects, and still frees them.
"""

from __future__ import annotations

import gc
import sys
import threading

_lock = threading.Lock()
_modules_at_freeze = 0


def freeze_after_imports() -> None:
    """After a run that imported modules: collect once, then freeze what is left (cheap when nothing is new)."""
    global _modules_at_freeze
    if len(sys.modules) <= _modules_at_freeze:
        return
    with _lock:
        if len(sys.modules) <= _modules_at_freeze:  # another session's run froze them meanwhile
            return
        gc.collect()  # this run's garbage is freed, not frozen
        gc.freeze()
        _modules_at_freeze = len(sys.modules)
