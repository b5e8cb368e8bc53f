"""ui.gc_freeze: the objects alive after a run that imported modules leave the collector's sight, once."""

import gc
import sys
import types
import weakref

import pytest

from ui import gc_freeze


@pytest.fixture
def fresh(monkeypatch):
    monkeypatch.setattr(gc_freeze, "_modules_at_freeze", 0)
    yield gc_freeze
    gc.unfreeze()  # the test process goes back to ordinary collections


def test_the_first_run_collects_then_freezes_what_is_alive(fresh):
    class Cycle:
        pass

    garbage = Cycle()
    garbage.me = garbage  # only a collection frees it
    garbage_ref = weakref.ref(garbage)
    alive = Cycle()
    del garbage
    fresh.freeze_after_imports()
    assert garbage_ref() is None  # collected, not frozen for ever
    assert gc.get_freeze_count() > 0
    walked = gc.get_objects()  # what a collection still walks: the frozen objects are not among them
    assert not any(obj is alive for obj in walked)


def test_a_run_that_imported_nothing_costs_no_collection(fresh, monkeypatch):
    fresh.freeze_after_imports()
    calls = []
    monkeypatch.setattr(gc, "collect", lambda *a: calls.append(a) or 0)
    fresh.freeze_after_imports()
    assert calls == []
    monkeypatch.setitem(sys.modules, "em_explorer_new_module", types.ModuleType("em_explorer_new_module"))
    fresh.freeze_after_imports()  # a page's first run imported something: freeze again
    assert len(calls) == 1
