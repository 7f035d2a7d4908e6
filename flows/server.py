"""The run's temporary Prefect server, started first thing and waited for last.

With no PREFECT_API_URL, Prefect starts a temporary API server (uvicorn, a child process) at the first
flow call, and only then: the client first imports the whole server application to find its
launcher (~1.9 s here) and then waits for it to answer (~2.5 s), while nothing else happens. The
command line starts the same server process itself, before it imports Prefect, and points the client
at it (PREFECT_API_URL): the server starts while this process imports Prefect and checks the run,
and the client never imports the server. Same command, same settings (the environment `flows`
sets), same end: stopped when the command exits, and by `flows.reaper` when it is killed.
"""

from __future__ import annotations

import atexit
import contextlib
import importlib.util
import os
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

from .reaper import SERVER_MARK

# what Prefect's own launcher (SubprocessASGIServer) adds to the server's environment: no UI, the
# settings of a temporary server
SERVER_ENV = {"PREFECT_UI_ENABLED": "0", "PREFECT__SERVER_EPHEMERAL": "1", "PREFECT__SERVER_FINAL": "1"}
PORT_IN_USE = 3  # uvicorn's exit code when its port was taken between our check and its bind


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _launch(port: int) -> subprocess.Popen[bytes]:
    spec = importlib.util.find_spec("prefect")  # where prefect is, without importing it
    assert spec is not None and spec.origin is not None
    app_dir = Path(spec.origin).parent.parent
    app = SERVER_MARK.decode()
    return subprocess.Popen(
        [sys.executable, "-m", "uvicorn", "--app-dir", str(app_dir), "--factory", app, "--host", "127.0.0.1",
         "--port", str(port), "--log-level", "error", "--lifespan", "on"],
        env={**os.environ, **SERVER_ENV}, stdin=subprocess.DEVNULL)


class TemporaryServer:
    """A Prefect API server for one run: launched when made (that returns at once), `wait()` until it
    answers."""

    def __init__(self) -> None:
        self.port = _free_port()
        self.process = _launch(self.port)

    @property
    def api_url(self) -> str:
        return f"http://127.0.0.1:{self.port}/api"

    def wait(self, timeout: float) -> None:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() == PORT_IN_USE:
                self.port = _free_port()
                self.process = _launch(self.port)
                os.environ["PREFECT_API_URL"] = self.api_url
            elif self.process.poll() is not None:
                raise RuntimeError(f"the temporary Prefect server exited with code {self.process.returncode}")
            with (contextlib.suppress(urllib.error.URLError, ConnectionError, TimeoutError),
                  urllib.request.urlopen(f"{self.api_url}/health", timeout=2) as answer):
                if answer.status == 200:
                    return
            time.sleep(0.05)
        raise RuntimeError(f"the temporary Prefect server did not answer within {timeout:g} s")

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=5)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


def start_temporary_server() -> TemporaryServer | None:
    """A server for this run unless one is configured (PREFECT_API_URL): started now, the client
    pointed at it at once (call `wait()` before the first flow call), stopped when this process exits.
    Registered with atexit before Prefect is imported, it stops after Prefect's own exit handlers have
    sent their last logs and events to it (atexit runs the last registered first)."""
    if os.environ.get("PREFECT_API_URL"):
        return None
    server = TemporaryServer()
    os.environ["PREFECT_API_URL"] = server.api_url
    atexit.register(server.stop)
    return server
