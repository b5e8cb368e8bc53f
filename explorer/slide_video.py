"""The EM animation as a film for slides (an animated GIF or an H.264 MP4), made from the player's payload.

Its size is bounded: at most MAX_FRAMES frames (iterations evenly spaced when the fit has more,
the first and the last always in; in step mode an iteration keeps its E-step and M-step frames)
at 960 x 540 or 1920 x 1080 pixels. Each frame is the static twin of the player's frame
(figures.slide_frame) rendered by kaleido (explorer.figure_images) and encoded by
explorer.video_encoding.

    film = make_film(payload, "gif", scale=1, title="Old Faithful · k = 2", on_frame=print)
    film.data, film.file_name, film.n_frames
"""

from __future__ import annotations

import io
import math
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np
from PIL import Image

from figures.slide_frame import SLIDE_HEIGHT, SLIDE_WIDTH, slide_figure

from .figure_images import FigureImages
from .video_encoding import encode_gif, encode_mp4

MAX_FRAMES = 40
# As the player at 1x: the whole film lasts about this long, within these per-frame bounds.
TARGET_TOTAL_MS, MIN_FRAME_MS, MAX_FRAME_MS = 15_000, 150, 600
LAST_FRAME_MS = 2_500  # the fitted mixture stays on screen before the film ends or loops
SCALES = {1: "960 × 540", 2: "1920 × 1080"}  # kaleido's scale of the 960 x 540 slide layout -> pixels


@dataclass(frozen=True)
class FilmFormat:
    label: str
    extension: str
    mime: str


FORMATS = {
    "gif": FilmFormat("GIF (loops by itself)", "gif", "image/gif"),
    "mp4": FilmFormat("MP4 (H.264 video)", "mp4", "video/mp4"),
}
_ENCODERS = {"gif": encode_gif, "mp4": encode_mp4}


@dataclass(frozen=True)
class Film:
    data: bytes
    file_name: str
    mime: str
    n_frames: int
    width: int
    height: int


def film_frames(payload: dict, max_frames: int = MAX_FRAMES) -> list[int]:
    """The payload's frames that the film shows: all of them if they are at most `max_frames`, otherwise
    those of evenly spaced iterations (always the first and the last), every frame of an iteration kept."""
    if max_frames < 3:  # the first frame and the last iteration's E-step and M-step
        raise ValueError("A film needs at least 3 frames.")
    iteration = np.ceil(np.asarray(payload["frames"]["curve_time"], dtype=float)).astype(int)
    if len(iteration) <= max_frames:
        return list(range(len(iteration)))
    per_iteration = int(np.max(np.bincount(iteration)[1:]))  # 2 in step mode (E and M), else 1
    n_iterations = 1 + (max_frames - np.count_nonzero(iteration == 0)) // per_iteration
    kept = set(np.round(np.linspace(0, iteration[-1], n_iterations)).astype(int).tolist())
    return [f for f, it in enumerate(iteration) if it in kept]


def frame_durations_ms(n_frames: int) -> list[int]:
    """How long each frame shows (ms): the player's pace at 1x, the last frame held."""
    each = 10 * round(min(MAX_FRAME_MS, max(MIN_FRAME_MS, TARGET_TOTAL_MS / n_frames)) / 10)  # GIF counts in 10 ms
    return [each] * (n_frames - 1) + [LAST_FRAME_MS]


def make_film(payload: dict, film_format: str, scale: int = 1, title: str = "",
              on_frame: Callable[[int, int], None] | None = None, max_frames: int = MAX_FRAMES) -> Film:
    """Render the chosen frames and encode them; on_frame(done, total) after each frame (progress).

    Raises figure_images.NoBrowserError (with a sentence for the user) when no browser can be started."""
    if film_format not in FORMATS or scale not in SCALES:
        raise ValueError(f"Unknown film format {film_format!r} or scale {scale!r}.")
    frames = film_frames(payload, max_frames)
    images = []
    with FigureImages() as renderer:
        for done, index in enumerate(frames, start=1):
            png = renderer.png(slide_figure(payload, index, title), SLIDE_WIDTH, SLIDE_HEIGHT, scale)
            images.append(Image.open(io.BytesIO(png)).convert("RGB"))
            if on_frame is not None:
                on_frame(done, len(frames))
    spec = FORMATS[film_format]
    data = _ENCODERS[film_format](images, frame_durations_ms(len(images)))
    width, height = images[0].size
    return Film(data, f"em_animation_{width}x{height}.{spec.extension}", spec.mime, len(images), width, height)


def film_seconds(n_frames: int) -> float:
    """The length of a film of n_frames frames, in seconds."""
    return math.fsum(frame_durations_ms(n_frames)) / 1000
