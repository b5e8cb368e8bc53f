"""The film-for-slides panel under AppTest: nothing renders until the button is clicked, a click renders
once (with progress) and offers the file, a rerun reuses it, and a missing browser is a sentence."""

from __future__ import annotations

import io
from pathlib import Path

import pytest
from PIL import Image
from streamlit.testing.v1 import AppTest

from explorer import slide_video
from ui import fit_details
from ui import slide_video as slide_panel

from test_slide_video import chromium  # noqa: F401  (fixture: skip without Chromium, fail under CI)

APP = Path(__file__).resolve().parents[1] / "app.py"
# Few iterations, so the film has few frames and renders quickly.
QUERY = {"iters": "4", "tol": "0", "init": "random_points", "seed": "3"}


def new_app() -> AppTest:
    """The Explorer with its Downloads tab open, where the film panel is."""
    at = AppTest.from_file(str(APP), default_timeout=240)
    for key, value in QUERY.items():
        at.query_params[key] = value
    at.session_state[fit_details.KEY] = fit_details.DOWNLOADS
    return at


def download(at):
    return [d for d in at.get("download_button") if d.proto.label.startswith("Download the")]


class Calls(list):
    films: list


@pytest.fixture
def counted_films(monkeypatch):
    """The (format, scale) of each make_film call and the films made (the real one runs); an empty store."""
    slide_panel.film_store.clear()
    calls, films = Calls(), []
    real = slide_video.make_film
    monkeypatch.setattr(slide_video, "make_film",
                        lambda *a, **kw: calls.append(a[1:3]) or films.append(real(*a, **kw)) or films[-1])
    calls.films = films
    return calls


def test_the_page_renders_no_film_until_asked(counted_films):
    at = new_app().run()
    assert not at.exception
    assert at.button(key="make_film").label == "Make the GIF"
    at.toggle(key="step_mode").set_value(True).run()
    assert not at.exception and counted_films == [] and download(at) == []


def test_a_click_makes_the_film_once_and_offers_it(chromium, counted_films):  # noqa: F811
    at = new_app().run()
    at.button(key="make_film").click().run()
    assert not at.exception and not at.error, [e.value for e in at.error]
    assert counted_films == [("gif", 1)]
    (button,) = download(at)
    assert "GIF" in button.proto.label and "960 × 540" in button.proto.label
    gif = Image.open(io.BytesIO(counted_films.films[0].data))
    assert gif.format == "GIF" and gif.size == (960, 540) and gif.n_frames == 5  # iteration 0 to 4
    caption = " ".join(c.value for c in at.caption)
    assert "5 frames" in caption
    at.run()  # a rerun (any widget) shows the same file without rendering again
    assert counted_films == [("gif", 1)] and len(download(at)) == 1
    at.segmented_control(key="film_format").set_value("mp4").run()
    assert at.button(key="make_film").label == "Make the MP4" and download(at) == []  # not made yet
    at.segmented_control(key="film_format").set_value("gif").run()
    assert len(download(at)) == 1 and counted_films == [("gif", 1)]


def test_without_a_browser_the_user_reads_what_to_install(monkeypatch, counted_films, tmp_path):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chrome-here"))
    at = new_app().run()
    at.button(key="make_film").click().run()
    assert not at.exception
    (error,) = [e.value for e in at.error]
    assert "needs Chrome or Chromium on the server" in error and "BROWSER_PATH" in error
    assert download(at) == []


def test_the_film_store_keeps_the_most_recently_used_within_its_bounds():
    film = lambda size: slide_video.Film(b"x" * size, "f.gif", "image/gif", 3, 960, 540)  # noqa: E731
    store = slide_panel.FilmStore(max_films=3, max_bytes=1000)
    for key in "abc":
        store.put(key, film(100))
    assert store.get("a") is not None  # a is now the most recently used
    store.put("d", film(100))
    assert store.get("b") is None and all(store.get(k) is not None for k in "acd")
    store.put("e", film(950))  # over the byte bound: the least recently used go until it fits
    assert store.get("e") is not None and sum(store.get(k) is not None for k in "acd") == 0
    store.put("huge", film(5000))  # one film larger than the bound is still kept, alone
    assert store.get("huge") is not None and store.get("e") is None
