"""Running the dashboard as a visitor meets it, for the browser tests and ``benchmarks/pages.py``:
``streamlit run app.py`` on a free port with its own data folder, and Debian's headless
Chromium with the flags this machine needs (no sandbox as root, no background networking on a
closed network).
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent
CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-background-networking", "--disable-gpu",
                 "--disable-dev-shm-usage"]
HEALTH_TIMEOUT_S = 60
#: Settings of the developer's own app that a test server must not inherit.
OWN_SETTINGS = ("JC_DB", "JC_DATA_DIR", "JC_CERT_DB", "JC_RECORDS_URL", "JC_ACCOUNTS")


class ServerError(RuntimeError):
    """The server did not start; the message ends with the end of its log."""


@dataclass(frozen=True)
class AppServer:
    """A running ``streamlit run app.py``."""

    process: subprocess.Popen
    url: str  #: base URL, no trailing slash
    log: Path


def free_port() -> int:
    """A TCP port nobody listens on now."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start(env: Mapping[str, str], log: Path) -> AppServer:
    """Start the app with ``env`` added to this process's environment (less its own database
    settings, so a test never serves the developer's database) and wait until it answers its
    health check (its log goes to ``log``)."""
    inherited = {k: v for k, v in os.environ.items() if k not in OWN_SETTINGS}
    port = free_port()
    url = f"http://127.0.0.1:{port}"
    with log.open("w") as out:
        process = subprocess.Popen(
            [str(Path(sys.executable).with_name("streamlit")), "run", "app.py",
             "--server.port", str(port), "--server.headless", "true",
             "--browser.gatherUsageStats", "false"],
            cwd=PROJECT, env={**inherited, **env}, stdout=out, stderr=subprocess.STDOUT,
            start_new_session=True)
    server = AppServer(process, url, log)
    deadline = time.monotonic() + HEALTH_TIMEOUT_S
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise ServerError(f"streamlit exited with {process.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(f"{url}/_stcore/health", timeout=2) as response:
                if response.status == 200:
                    return server
        except OSError:
            time.sleep(0.3)
    stop(server)
    raise ServerError(f"streamlit not healthy after {HEALTH_TIMEOUT_S} s:\n{log.read_text()[-3000:]}")


def stop(server: AppServer) -> None:
    """End the server's whole process group: politely, then for sure."""
    process = server.process
    if process.poll() is not None:
        return
    os.killpg(process.pid, signal.SIGTERM)
    try:
        process.wait(timeout=15)
    except subprocess.TimeoutExpired:
        os.killpg(process.pid, signal.SIGKILL)
        process.wait(timeout=15)


@contextmanager
def running(env: Mapping[str, str], log: Path) -> Iterator[AppServer]:
    """The app, started for the ``with`` block and stopped after it."""
    server = start(env, log)
    try:
        yield server
    finally:
        stop(server)


def app_env(data_dir: Path, db: Path | None = None, records_url: str | None = None) -> dict[str, str]:
    """The environment of an app with its own data folder (and certification records in it, or
    in the PostgreSQL database ``records_url``); with ``db``, serving that built database
    instead of building the sample on first use."""
    env = {"JC_DATA_DIR": str(data_dir), "JC_CERT_DB": str(data_dir / "certification.duckdb")}
    if db is not None:
        env["JC_DB"] = str(db)
    if records_url is not None:
        env["JC_RECORDS_URL"] = records_url
    return env
