"""Still frames to an animated GIF (Pillow) or an H.264 MP4 (PyAV), each frame shown for its own time.

    gif = encode_gif(images, [400, 400, 2000])      # images: PIL images of one size, durations in ms
    mp4 = encode_mp4(images, [400, 400, 2000])
"""

from __future__ import annotations

import io
from collections.abc import Sequence
from fractions import Fraction

from PIL import Image

# H.264 in yuv420p, the variant PowerPoint, Keynote and every browser play.
MP4_CODEC, MP4_PIXELS = "libx264", "yuv420p"
MS = Fraction(1, 1000)


def encode_gif(images: Sequence[Image.Image], durations_ms: Sequence[int]) -> bytes:
    """An animated GIF that loops forever; each frame gets its own 256-colour palette."""
    _check(images, durations_ms)
    frames = [image.convert("RGB") for image in images]
    buffer = io.BytesIO()
    frames[0].save(buffer, format="GIF", save_all=True, append_images=frames[1:], duration=list(durations_ms),
                   loop=0)
    return buffer.getvalue()


def encode_mp4(images: Sequence[Image.Image], durations_ms: Sequence[int]) -> bytes:
    """An H.264 MP4 with one video frame per image, timed in milliseconds (the last frame's time counts
    too: it sets the length of the film). Width and height must be even (yuv420p)."""
    import av  # only here: loading FFmpeg's libraries is needed by this export alone

    _check(images, durations_ms)
    width, height = images[0].size
    if width % 2 or height % 2:
        raise ValueError(f"An MP4 frame needs an even width and height, not {width} x {height}.")
    starts = [sum(durations_ms[:i]) for i in range(len(durations_ms))]
    duration_at = dict(zip(starts, durations_ms))
    buffer = io.BytesIO()
    with av.open(buffer, mode="w", format="mp4") as container:  # (+faststart would reopen a file by name)
        stream = container.add_stream(MP4_CODEC, rate=1000)
        stream.width, stream.height, stream.pix_fmt, stream.time_base = width, height, MP4_PIXELS, MS
        stream.options = {"crf": "20", "preset": "medium", "tune": "stillimage", "bf": "0"}

        def mux(packets) -> None:
            for packet in packets:  # the encoder drops durations; the muxer needs the last one
                packet.duration = int(duration_at[round(packet.pts * packet.time_base * 1000)] * MS / packet.time_base)
                container.mux(packet)

        for image, start in zip(images, starts):
            frame = av.VideoFrame.from_image(image.convert("RGB"))
            frame.pts, frame.time_base = start, MS
            mux(stream.encode(frame))
        mux(stream.encode())
    return buffer.getvalue()


def _check(images: Sequence[Image.Image], durations_ms: Sequence[int]) -> None:
    if not images or len(images) != len(durations_ms):
        raise ValueError(f"{len(images)} images need as many durations, not {len(durations_ms)}.")
    if len({image.size for image in images}) > 1:
        raise ValueError("All frames of a film must have the same size.")
