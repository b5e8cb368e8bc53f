"""Films for slides: which frames, how long each shows, and GIF / MP4 files that decode (Pillow, PyAV)
with the right number of frames, size and timing; end to end through kaleido and Chromium."""

from __future__ import annotations

import io
import os
import shutil

import av
import numpy as np
import pytest
from hypothesis import given
from hypothesis import strategies as st
from PIL import Image

import gmm_core
from explorer import slide_video
from explorer.figure_images import NoBrowserError
from explorer.video_encoding import encode_gif, encode_mp4
from figures import player_payload
from figures.frame_state import PlayerData, frame_state

CHROMIUM = os.environ.get("EM_CHROMIUM") or "/usr/bin/chromium"


@pytest.fixture(scope="module")
def chromium():
    """Kaleido finds Chromium on PATH or at BROWSER_PATH; these tests need one (CI must have it)."""
    if os.environ.get("BROWSER_PATH") or shutil.which("chromium") or os.path.isfile(CHROMIUM):
        return
    if os.environ.get("CI") == "true":
        pytest.fail(f"no Chromium at {CHROMIUM!r}; CI=true, so the film tests must run (.ci/run installs it).")
    pytest.skip(f"no Chromium at {CHROMIUM!r}: `apt-get install chromium` (or set BROWSER_PATH) to run the film tests")


def schedule(n_iterations: int, step_mode: bool) -> dict:
    """A payload stand-in with just the frame schedule film_frames reads (the player's curve times)."""
    times = [0.0] + ([t / 2 for t in range(1, 2 * n_iterations + 1)] if step_mode else
                     [float(t) for t in range(1, n_iterations + 1)])
    return {"frames": {"curve_time": times}}


@given(n_iterations=st.integers(0, 600), step_mode=st.booleans(), max_frames=st.integers(3, 80))
def test_film_frames_are_bounded_keep_the_ends_and_whole_iterations(n_iterations, step_mode, max_frames):
    payload = schedule(n_iterations, step_mode)
    n_total = len(payload["frames"]["curve_time"])
    frames = slide_video.film_frames(payload, max_frames)
    assert frames == sorted(set(frames))
    if n_total <= max_frames:
        assert frames == list(range(n_total))
        return
    assert len(frames) <= max_frames
    assert len(frames) >= max_frames - (2 if step_mode else 0)  # the budget is used, up to one iteration's frames
    assert frames[0] == 0 and frames[-1] == n_total - 1
    iterations = np.ceil(np.asarray(payload["frames"]["curve_time"])[frames]).astype(int)
    kept, counts = np.unique(iterations, return_counts=True)
    assert (counts[1:] == (2 if step_mode else 1)).all()  # an E-step is never shown without its M-step
    gaps = np.diff(kept)
    assert gaps.max() - gaps.min() <= 1  # evenly spaced


def test_film_frames_of_a_real_step_mode_fit_are_e_m_pairs():
    data = gmm_core.two_tight_clusters()
    result = gmm_core.fit(data.X, 2, init="random_points", seed=0, tol=0, max_iter=60)
    payload = player_payload(result, data.X, step_mode=True)
    frames = slide_video.film_frames(payload, 20)
    steps = [payload["frames"]["step"][f] for f in frames]
    assert steps[0] == "initial" and steps[1:] == ["E", "M"] * ((len(frames) - 1) // 2)
    assert payload["frames"]["name"][frames[-1]] == "iteration 60 · M-step"


@pytest.mark.parametrize("n_frames", [2, 10, 40, 100])
def test_durations_follow_the_players_pace_and_hold_the_last_frame(n_frames):
    durations = slide_video.frame_durations_ms(n_frames)
    assert len(durations) == n_frames and durations[-1] == slide_video.LAST_FRAME_MS
    assert all(d % 10 == 0 and slide_video.MIN_FRAME_MS <= d <= slide_video.MAX_FRAME_MS for d in durations[:-1])
    expected = min(600, max(150, 15_000 / n_frames))
    assert abs(durations[0] - expected) <= 5
    assert slide_video.film_seconds(n_frames) == pytest.approx(sum(durations) / 1000)


def test_film_frames_refuses_a_budget_below_three():
    with pytest.raises(ValueError, match="at least 3"):
        slide_video.film_frames(schedule(10, False), 2)


def distinct_images(n: int, size=(96, 64)) -> list[Image.Image]:
    """n frames a decoder must keep apart: a bar that moves across, on a background whose shade changes."""
    images = []
    for i in range(n):
        pixels = np.full((size[1], size[0], 3), (240 - 12 * i, 230, 220), dtype=np.uint8)
        x = int(i * (size[0] - 16) / max(1, n - 1))
        pixels[:, x:x + 16] = (31, 119, 180)
        images.append(Image.fromarray(pixels))
    return images


def nearest_source(decoded: np.ndarray, sources: list[Image.Image]) -> int:
    errors = [np.abs(decoded.astype(float) - np.asarray(s, dtype=float)).mean() for s in sources]
    return int(np.argmin(errors))


def test_gif_decodes_to_the_frames_in_order_with_their_durations():
    images, durations = distinct_images(7), [200] * 6 + [2500]
    gif = Image.open(io.BytesIO(encode_gif(images, durations)))
    assert gif.format == "GIF" and gif.size == (96, 64) and gif.n_frames == 7 and gif.info["loop"] == 0
    for i in range(7):
        gif.seek(i)
        assert gif.info["duration"] == durations[i]
        assert nearest_source(np.asarray(gif.convert("RGB")), images) == i


def test_mp4_is_h264_and_decodes_to_the_frames_in_order_at_their_times():
    images, durations = distinct_images(6), [300] * 5 + [2500]
    with av.open(io.BytesIO(encode_mp4(images, durations))) as container:
        stream = container.streams.video[0]
        assert stream.codec_context.name == "h264" and stream.codec_context.pix_fmt == "yuv420p"
        assert (stream.width, stream.height) == (96, 64)
        decoded = [(frame.time, frame.to_ndarray(format="rgb24")) for frame in container.decode(video=0)]
        assert container.duration / 1e6 == pytest.approx(sum(durations) / 1000, abs=0.01)  # the last frame is held
    assert len(decoded) == 6
    assert [t for t, _ in decoded] == pytest.approx(np.cumsum([0] + durations[:-1]) / 1000)
    assert [nearest_source(pixels, images) for _, pixels in decoded] == list(range(6))


def test_encoders_refuse_what_they_cannot_encode():
    with pytest.raises(ValueError, match="even width"):
        encode_mp4(distinct_images(2, size=(95, 64)), [100, 100])
    with pytest.raises(ValueError, match="same size"):
        encode_gif([*distinct_images(1), *distinct_images(1, size=(10, 10))], [100, 100])
    with pytest.raises(ValueError, match="durations"):
        encode_gif(distinct_images(2), [100])


@pytest.fixture(scope="module")
def fit_payload():
    data = gmm_core.two_tight_clusters()
    result = gmm_core.fit(data.X, 2, init="random_points", seed=0, tol=0, max_iter=12)
    return player_payload(result, data.X, truth=data.truth, step_mode=True)


@pytest.mark.parametrize("film_format, scale", [("gif", 1), ("mp4", 2)])
def test_a_film_of_a_fit_decodes_with_its_frames_at_its_size(chromium, fit_payload, film_format, scale):
    progress = []
    film = slide_video.make_film(fit_payload, film_format, scale, "Two tight clusters · k = 2",
                                 on_frame=lambda done, total: progress.append((done, total)), max_frames=5)
    expected = slide_video.film_frames(fit_payload, 5)
    assert len(expected) == 5 and film.n_frames == 5
    assert progress == [(i, 5) for i in range(1, 6)]
    size = (960 * scale, 540 * scale)
    assert (film.width, film.height) == size and film.file_name.endswith(f"{size[0]}x{size[1]}.{film_format}")
    if film_format == "gif":
        image = Image.open(io.BytesIO(film.data))
        assert image.n_frames == 5 and image.size == size
        frames = []
        for i in range(5):
            image.seek(i)
            frames.append(np.asarray(image.convert("RGB")))
    else:
        with av.open(io.BytesIO(film.data)) as container:
            frames = [frame.to_ndarray(format="rgb24") for frame in container.decode(video=0)]
        assert len(frames) == 5 and frames[0].shape == (size[1], size[0], 3)
    # The film moves: every frame differs from the one before (colours appear, ellipses move).
    assert all(np.abs(a.astype(int) - b.astype(int)).mean() > 0.2 for a, b in zip(frames, frames[1:]))
    # The points take the components' colours once responsibilities exist, and none before the first E-step.
    data = PlayerData.from_payload(fit_payload)
    assert frame_state(data, expected[0]).resp is None and frame_state(data, expected[-1]).resp is not None
    colour = np.array([int(fit_payload["display"]["colors"][0][i:i + 2], 16) for i in (1, 3, 5)])
    near = lambda pixels: (np.abs(pixels.astype(int) - colour).sum(axis=2) < 40).mean()  # noqa: E731
    assert near(frames[-1]) > 4 * near(frames[0]) + 1e-4


def test_without_a_browser_the_film_is_refused_with_a_sentence(monkeypatch, fit_payload, tmp_path):
    monkeypatch.setenv("BROWSER_PATH", str(tmp_path / "no-chrome-here"))
    with pytest.raises(NoBrowserError, match="needs Chrome or Chromium on the server"):
        slide_video.make_film(fit_payload, "gif", 1, max_frames=3)


def test_a_slide_shows_its_title_as_typed_in_the_slide_type_size(fit_payload):
    from figures.slide_frame import SLIDE_HEIGHT, SLIDE_WIDTH, slide_figure
    from figures.style import SLIDE

    name = '<a href="http://x">f.csv</a> %{x} & co'
    fig = slide_figure(fit_payload, 3, f"{name}: 40 rows")
    (title,) = [a for a in fig.layout.annotations if a.x == 0.0 and a.xanchor == "left"]
    assert title.text == "&lt;a href=\"http://x\"&gt;f.csv&lt;/a&gt; &#37;{x} &amp; co: 40 rows"
    assert (fig.layout.width, fig.layout.height) == (SLIDE_WIDTH, SLIDE_HEIGHT)
    assert fig.layout.xaxis.tickfont.size == SLIDE.tick_size and fig.layout.xaxis.title.font.size == SLIDE.title_size
    assert fit_payload["display"]["style"]["tick_size"] != SLIDE.tick_size  # the caller's payload is untouched
