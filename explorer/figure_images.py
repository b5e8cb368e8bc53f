"""Plotly figures to PNG images through kaleido, which drives a headless Chrome or Chromium.

One browser is opened for a whole batch (starting it takes seconds, a frame a fraction of one) and
closed after it. Kaleido is asynchronous; its event loop runs in a thread of its own, so a caller
on any thread (a Streamlit script, a test) gets one image at a time and can report progress.

    with FigureImages() as images:
        png = images.png(figure, width=960, height=540, scale=2)    # bytes of a 1920 x 1080 PNG
"""

from __future__ import annotations

import asyncio
import threading

from figures import player_assets

# Seconds for one image; a frame takes well under one, a browser start a few.
RENDER_TIMEOUT_S = 60


class NoBrowserError(RuntimeError):
    """No Chrome or Chromium could be started; the message says what to install or set."""


NO_BROWSER_MESSAGE = (
    "Making a GIF or MP4 needs Chrome or Chromium on the server, and none could be started. Install one "
    "(on Debian or Ubuntu: apt-get install chromium) or set the BROWSER_PATH environment variable to it, "
    "then try again. The HTML download above plays the same animation without it."
)


class FigureImages:
    """A headless browser kept open to turn many figures into PNG bytes, one call per figure."""

    def __init__(self) -> None:
        self._loop = asyncio.new_event_loop()
        self._thread = threading.Thread(target=self._loop.run_forever, name="kaleido-loop", daemon=True)
        self._kaleido = None

    def __enter__(self) -> FigureImages:
        self._thread.start()
        try:
            self._kaleido = self._run(self._open(), timeout=RENDER_TIMEOUT_S)
        except Exception as error:  # kaleido and choreographer raise several types for a missing or broken browser
            self._stop()
            raise NoBrowserError(NO_BROWSER_MESSAGE) from error
        return self

    def __exit__(self, *exc_info) -> None:
        try:
            if self._kaleido is not None:
                self._run(self._kaleido.close(), timeout=RENDER_TIMEOUT_S)
        finally:
            self._stop()

    def png(self, figure, width: int, height: int, scale: float = 1) -> bytes:
        """The figure as a PNG of (width * scale) x (height * scale) pixels; text scales with it."""
        options = {"format": "png", "width": width, "height": height, "scale": scale}
        return self._run(self._kaleido.calc_fig(figure, opts=options), timeout=RENDER_TIMEOUT_S)

    @staticmethod
    async def _open():
        import kaleido  # only here: importing it is slow, and only an image export needs it

        # plotly.js from the plotly package and no MathJax, so nothing is fetched from a CDN.
        images = kaleido.Kaleido(n=1, timeout=RENDER_TIMEOUT_S, mathjax=False,
                                 plotlyjs=str(player_assets.plotly_js_dir() / "plotly.min.js"))
        try:
            await images.open()
        except BaseException:
            await images.close()  # a browser that started but failed to load the page must not linger
            raise
        return images

    def _run(self, coroutine, timeout: float):
        return asyncio.run_coroutine_threadsafe(coroutine, self._loop).result(timeout)

    def _stop(self) -> None:
        self._loop.call_soon_threadsafe(self._loop.stop)
        self._thread.join(timeout=10)
        if not self._thread.is_alive():
            self._loop.close()
