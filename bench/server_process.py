"""A `streamlit run app.py` server on a free loopback port, for benchmarks: start, measure, stop.

    server = start_server(app_dir, log_dir)       # waits for /_stcore/health
    server.cpu_seconds(), server.peak_rss_mib()    # from /proc/<pid>: CPU time so far, peak resident memory
    server.stop()                                  # its own process group only

One Streamlit process is one Python interpreter, so its /proc entry covers every session it serves.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from dataclasses import dataclass
from pathlib import Path

_NO_PROXY = urllib.request.build_opener(urllib.request.ProxyHandler({}))
_TICKS = os.sysconf("SC_CLK_TCK")


@dataclass
class Server:
    process: subprocess.Popen
    url: str
    log: Path

    @property
    def pid(self) -> int:
        return self.process.pid

    def cpu_seconds(self) -> float:
        """User plus system CPU time the server has used since it started, all threads."""
        fields = Path(f"/proc/{self.process.pid}/stat").read_text().rsplit(")", 1)[1].split()
        return (int(fields[11]) + int(fields[12])) / _TICKS  # utime, stime (fields 14 and 15 of stat)

    def peak_rss_mib(self) -> float:
        """The most resident memory the server has held since it started (VmHWM)."""
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmHWM in /proc status")

    def stop(self) -> None:
        """Terminate the server's own process group (it runs in a session of its own)."""
        for sig, wait_s in ((signal.SIGTERM, 10), (signal.SIGKILL, 5)):
            if self.process.poll() is not None:
                return
            try:
                os.killpg(self.process.pid, sig)
                self.process.wait(timeout=wait_s)
            except (ProcessLookupError, subprocess.TimeoutExpired):
                continue


def healthy(url: str, timeout: float = 2.0) -> bool:
    try:
        with _NO_PROXY.open(f"{url}/_stcore/health", timeout=timeout) as response:
            return response.status == 200
    except OSError:
        return False


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_server(app_dir: Path, log_dir: Path, extra_args: tuple[str, ...] = (), timeout_s: float = 90.0) -> Server:
    """`streamlit run app.py` from app_dir, headless on loopback; raises if it is not healthy in time."""
    port = free_port()
    log_dir.mkdir(parents=True, exist_ok=True)
    log = log_dir / f"bench-server-{port}.log"
    cmd = [sys.executable, "-m", "streamlit", "run", "app.py", "--server.headless", "true",
           "--server.address", "127.0.0.1", "--server.port", str(port),
           "--browser.gatherUsageStats", "false", "--server.fileWatcherType", "none", *extra_args]
    with open(log, "wb") as out:
        process = subprocess.Popen(cmd, cwd=app_dir, stdin=subprocess.DEVNULL, stdout=out, stderr=subprocess.STDOUT,
                                   env=dict(os.environ, PYTHONUNBUFFERED="1"), start_new_session=True)
    server = Server(process, f"http://127.0.0.1:{port}", log)
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline and process.poll() is None:
        if healthy(server.url):
            return server
        time.sleep(0.25)
    server.stop()
    raise RuntimeError(f"streamlit did not start from {app_dir} (see {log}):\n{log.read_text(errors='replace')[-2000:]}")
