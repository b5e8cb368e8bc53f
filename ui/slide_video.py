"""The animation as a GIF or MP4 for slides: a format, a size, a button; a progress bar while it renders.

Rendering takes seconds (a browser starts, then each frame), so it happens only when the button is
clicked, one film at a time on the server, and the film is kept (by payload, title, format and size)
for every later rerun and every visitor asking for the same one.
"""

from __future__ import annotations

import hashlib
import json
import threading
from collections import OrderedDict

import streamlit as st

from explorer import slide_video
from explorer.figure_images import NoBrowserError

from . import session_guard

MAX_KEPT_FILMS, MAX_KEPT_BYTES = 8, 96 * 2**20


class FilmStore:
    """The most recently made films, bounded by count and by total bytes (least recently used go first)."""

    def __init__(self, max_films: int = MAX_KEPT_FILMS, max_bytes: int = MAX_KEPT_BYTES) -> None:
        self._films: OrderedDict[str, slide_video.Film] = OrderedDict()
        self._lock = threading.Lock()
        self.max_films, self.max_bytes = max_films, max_bytes

    def get(self, key: str) -> slide_video.Film | None:
        with self._lock:
            if key in self._films:
                self._films.move_to_end(key)
            return self._films.get(key)

    def put(self, key: str, film: slide_video.Film) -> None:
        with self._lock:
            self._films[key] = film
            self._films.move_to_end(key)
            while len(self._films) > self.max_films or (
                    len(self._films) > 1 and sum(len(f.data) for f in self._films.values()) > self.max_bytes):
                self._films.popitem(last=False)


@st.cache_resource(show_spinner=False)
def film_store() -> FilmStore:
    return FilmStore()


@st.cache_resource(show_spinner=False)
def render_slot() -> threading.Lock:
    """One film renders at a time on the server: each one is a browser and a core for tens of seconds."""
    return threading.Lock()


def film_key(payload: dict, title: str, film_format: str, scale: int) -> str:
    """Everything a film depends on: the payload (the fit and how it is drawn), the title, the format, the size."""
    text = json.dumps([payload, title, film_format, scale], sort_keys=True, separators=(",", ":"))
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


@st.fragment
def slide_film_panel(payload: dict, title: str) -> None:
    """A fragment: choosing, making and downloading a film reruns only this panel, never the fit."""
    st.markdown("**For slides: the animation as a film.** An animated GIF or an MP4 video to paste into "
                "PowerPoint or Keynote.")
    n_frames = len(slide_video.film_frames(payload))
    choices = st.columns([3, 3, 2], vertical_alignment="bottom")
    film_format = choices[0].segmented_control(
        "Format", list(slide_video.FORMATS), default="gif", required=True, key="film_format",
        format_func=lambda f: slide_video.FORMATS[f].label,
        help="A GIF plays and loops on its own everywhere; an MP4 is smaller and sharper, and PowerPoint and "
             "Keynote play it as a video.")
    scale = choices[1].segmented_control(
        "Size (pixels)", list(slide_video.SCALES), default=1, required=True, key="film_scale",
        format_func=slide_video.SCALES.get,
        help="The same picture either way; 1920 × 1080 is sharper on a large screen, and takes longer to make.")
    extension = slide_video.FORMATS[film_format].extension.upper()
    key = film_key(payload, title, film_format, scale)
    store = film_store()
    if choices[2].button(f"Make the {extension}", key="make_film", width="stretch") and store.get(key) is None:
        _make(payload, title, film_format, scale, key, n_frames)
    film = store.get(key)
    st.caption(f"{n_frames} frames, {slide_video.film_seconds(n_frames):.0f} s"
               + (f" (of the fit's {len(payload['frames']['name'])}, evenly spaced iterations)"
                  if n_frames < len(payload["frames"]["name"]) else "")
               + "; the last frame is held before the film ends or loops.")
    if film is not None:
        st.download_button(f"Download the {extension} ({_megabytes(len(film.data))}, {film.width} × {film.height})",
                           film.data, file_name=film.file_name, mime=film.mime, on_click="ignore",
                           type="primary", icon=":material/download:", key="download_film")


def _make(payload: dict, title: str, film_format: str, scale: int, key: str, n_frames: int) -> None:
    extension = slide_video.FORMATS[film_format].extension.upper()
    bar = st.progress(0.0, text=f"Making the {extension}: starting a browser to draw the frames…")
    slot = render_slot()
    if not slot.acquire(blocking=False):
        bar.progress(0.0, text="Another film is being made on the server; yours starts when it is done…")
        slot.acquire()
    try:
        def on_frame(done: int, total: int) -> None:
            session_guard.stop_if_session_gone()  # a closed tab's film stops here (and its browser closes)
            bar.progress(done / total, text=f"Making the {extension}: frame {done} of {total}…")

        film = slide_video.make_film(payload, film_format, scale, title, on_frame=on_frame)
    except NoBrowserError as error:
        st.error(str(error), icon="⚠️")
    except Exception as error:  # a frame that timed out, an encoder that failed: a sentence, not a traceback
        st.error(f"The {extension} could not be made ({type(error).__name__}). Try again, or the other format or "
                 "the smaller size; the HTML download plays the same animation.", icon="⚠️")
    else:
        film_store().put(key, film)
    finally:
        slot.release()
        bar.empty()


def _megabytes(n_bytes: int) -> str:
    return f"{n_bytes / 2**20:.1f} MB" if n_bytes >= 2**20 / 10 else f"{n_bytes / 1024:.0f} KB"
