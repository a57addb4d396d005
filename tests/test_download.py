"""``indicators.ingest.download.fetch`` against a local HTTP server scripted per test: resuming,
conditional requests, retries and back-off, and the plain-language errors when it gives up. Nothing
touches the internet and nothing really waits (the back-off's ``sleep`` is recorded instead)."""

from __future__ import annotations

import hashlib
import random
import socket
import threading
import time
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest

from indicators.ingest.download import DownloadError, Fetched, fetch
from indicators.problems import InputError
from tests.conftest import SHARED

REAL = SHARED / "census_tracts_ga_cb2018" / "cb_2018_13_tract_500k.dbf"
SIZE = 300_000
ETAG = '"tracts-v1"'
LAST_MODIFIED = "Tue, 01 Dec 2026 12:00:00 GMT"


def _body() -> bytes:
    """A few hundred KB of a real Census file where the shared data is here, else random bytes."""
    if REAL.exists():
        return REAL.read_bytes()[:SIZE]
    return random.Random(15).randbytes(SIZE)


BODY = _body()
SHA = hashlib.sha256(BODY).hexdigest()


class Handler(BaseHTTPRequestHandler):
    """Answers each request with the next step of the server's script, then serves the file."""

    server: Server

    def do_GET(self) -> None:
        self.server.requests.append(dict(self.headers))
        step = self.server.script.pop(0) if self.server.script else "file"
        if isinstance(step, int):
            self.send_response(step)
            for name, value in self.server.extra.get(step, {}).items():
                self.send_header(name, value)
            self.send_header("Content-Length", "0")
            self.end_headers()
        elif step == "slow":
            time.sleep(0.4)
            self.serve(ranges=True)
        else:
            self.serve(ranges=step != "no-range", cut=step == "truncate")

    def serve(self, ranges: bool, cut: bool = False) -> None:
        body = self.server.body
        if self.headers.get("If-None-Match") == ETAG:
            self.send_response(304)
            self.send_header("ETag", ETAG)
            self.end_headers()
            return
        start = 0
        asked = self.headers.get("Range", "")
        if ranges and asked.startswith("bytes=") and self.headers.get("If-Range", ETAG) == ETAG:
            start = int(asked[6:].rstrip("-"))
            if start >= len(body):
                self.send_response(416)
                self.send_header("Content-Range", f"bytes */{len(body)}")
                self.send_header("Content-Length", "0")
                self.end_headers()
                return
            self.send_response(206)
            self.send_header("Content-Range", f"bytes {start}-{len(body) - 1}/{len(body)}")
        else:
            self.send_response(200)
        rest = body[start:]
        self.send_header("Content-Length", str(len(rest)))
        self.send_header("ETag", ETAG)
        self.send_header("Last-Modified", LAST_MODIFIED)
        self.end_headers()
        self.wfile.write(rest[: len(rest) // 2] if cut else rest)
        self.close_connection = True

    def log_message(self, format: str, *args: object) -> None:
        pass


class Server(ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        pass  # a client that gave up (the timeout test) leaves a broken pipe behind: expected

    def __init__(self) -> None:
        super().__init__(("127.0.0.1", 0), Handler)
        self.body = BODY
        self.script: list[int | str] = []
        self.extra: dict[int, dict[str, str]] = {}
        self.requests: list[dict[str, str]] = []

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.server_address[1]}/data/tracts.dbf"


@pytest.fixture
def server() -> Iterator[Server]:
    httpd = Server()
    thread = threading.Thread(target=httpd.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield httpd
    httpd.shutdown()
    httpd.server_close()
    thread.join(5)


@pytest.fixture(autouse=True)
def _no_proxy(monkeypatch: pytest.MonkeyPatch) -> None:
    """The test server is local: a proxy named in the environment must not be asked for it."""
    for name in ("http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("no_proxy", "127.0.0.1,localhost")


class Sleeps(list):
    """Stands in for ``time.sleep``: records each wait instead of waiting."""

    def __call__(self, seconds: float) -> None:
        self.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def _leftovers(dest: Path) -> list[str]:
    return sorted(p.name for p in dest.parent.iterdir())


def test_a_file_is_downloaded_with_its_validators(server: Server, tmp_path: Path, sleeps: Sleeps) -> None:
    seen: list[tuple[int, int | None]] = []
    dest = tmp_path / "data" / "tracts.dbf"
    got = fetch(server.url, dest, expected_sha256=SHA.upper(), progress=lambda d, t: seen.append((d, t)),
                sleep=sleeps)
    assert isinstance(got, Fetched)
    assert dest.read_bytes() == BODY and _leftovers(dest) == ["tracts.dbf"]
    assert (got.bytes, got.sha256, got.etag, got.last_modified) == (SIZE, SHA, ETAG, LAST_MODIFIED)
    assert (got.changed, got.resumed, got.attempts, got.path, got.url) == (True, False, 1, dest, server.url)
    assert got.fetched_at.endswith("Z") and got.fetched_at[10] == "T"
    assert len(seen) > 2 and seen[-1] == (SIZE, SIZE)
    assert [d for d, _ in seen] == sorted(d for d, _ in seen)
    assert "Range" not in server.requests[0] and "If-None-Match" not in server.requests[0]
    assert sleeps == []


def test_an_unchanged_file_is_not_downloaded_again(server: Server, tmp_path: Path) -> None:
    dest = tmp_path / "tracts.dbf"
    dest.write_bytes(BODY)
    before = dest.stat().st_mtime_ns
    got = fetch(server.url, dest, etag=ETAG, last_modified=LAST_MODIFIED)
    assert server.requests[0]["If-None-Match"] == ETAG
    assert server.requests[0]["If-Modified-Since"] == LAST_MODIFIED
    assert (got.changed, got.bytes, got.sha256, got.etag) == (False, SIZE, SHA, ETAG)
    assert dest.stat().st_mtime_ns == before and _leftovers(dest) == ["tracts.dbf"]


def test_a_changed_file_replaces_the_old_one(server: Server, tmp_path: Path) -> None:
    dest = tmp_path / "tracts.dbf"
    dest.write_bytes(b"last year's file")
    got = fetch(server.url, dest, etag='"tracts-v0"')
    assert got.changed and dest.read_bytes() == BODY and got.etag == ETAG


def test_a_partial_file_is_resumed_with_a_range_request(server: Server, tmp_path: Path) -> None:
    dest = tmp_path / "tracts.dbf"
    dest.with_name("tracts.dbf.part").write_bytes(BODY[:1000])
    seen: list[tuple[int, int | None]] = []
    got = fetch(server.url, dest, progress=lambda d, t: seen.append((d, t)))
    assert server.requests[0]["Range"] == "bytes=1000-"
    assert got.resumed and got.sha256 == SHA and dest.read_bytes() == BODY
    assert seen[0][0] > 1000 and seen[-1] == (SIZE, SIZE)
    assert _leftovers(dest) == ["tracts.dbf"]


def test_a_server_that_ignores_range_starts_the_file_again(server: Server, tmp_path: Path) -> None:
    dest = tmp_path / "tracts.dbf"
    dest.with_name("tracts.dbf.part").write_bytes(b"not the start of the file at all")
    server.script = ["no-range"]
    got = fetch(server.url, dest)
    assert "Range" in server.requests[0]
    assert not got.resumed and got.sha256 == SHA and dest.read_bytes() == BODY


def test_a_part_as_long_as_the_file_is_started_again(server: Server, tmp_path: Path, sleeps: Sleeps) -> None:
    dest = tmp_path / "tracts.dbf"
    dest.with_name("tracts.dbf.part").write_bytes(BODY)
    got = fetch(server.url, dest, sleep=sleeps)
    assert [r.get("Range") for r in server.requests] == [f"bytes={SIZE}-", None]
    assert got.attempts == 2 and got.sha256 == SHA and not got.resumed


def test_a_truncated_transfer_is_resumed(server: Server, tmp_path: Path, sleeps: Sleeps) -> None:
    dest = tmp_path / "tracts.dbf"
    server.script = ["truncate"]
    got = fetch(server.url, dest, sleep=sleeps, backoff=0.5)
    assert "Range" not in server.requests[0]
    assert server.requests[1]["Range"] == f"bytes={SIZE // 2}-"
    assert server.requests[1]["If-Range"] == ETAG
    assert (got.resumed, got.attempts, got.sha256) == (True, 2, SHA)
    assert sleeps == [0.5] and dest.read_bytes() == BODY and _leftovers(dest) == ["tracts.dbf"]


def test_a_server_error_is_retried(server: Server, tmp_path: Path, sleeps: Sleeps) -> None:
    server.script = [500]
    got = fetch(server.url, tmp_path / "tracts.dbf", sleep=sleeps)
    assert got.attempts == 2 and got.sha256 == SHA and sleeps == [1.0]


def test_the_back_off_doubles(server: Server, tmp_path: Path, sleeps: Sleeps) -> None:
    server.script = [503, 502, 504]
    got = fetch(server.url, tmp_path / "tracts.dbf", sleep=sleeps, backoff=0.25)
    assert got.attempts == 4 and sleeps == [0.25, 0.5, 1.0]


def test_too_many_requests_waits_as_the_server_asks(server: Server, tmp_path: Path, sleeps: Sleeps) -> None:
    server.script = [429]
    server.extra = {429: {"Retry-After": "1"}}
    got = fetch(server.url, tmp_path / "tracts.dbf", sleep=sleeps, backoff=0.1)
    assert got.attempts == 2 and sleeps == [1.0] and got.sha256 == SHA


def test_a_slow_server_is_retried_after_the_timeout(server: Server, tmp_path: Path, sleeps: Sleeps) -> None:
    server.script = ["slow"]
    got = fetch(server.url, tmp_path / "tracts.dbf", timeout=0.1, sleep=sleeps)
    assert got.attempts == 2 and got.sha256 == SHA


def _fails(url: str, dest: Path, **kwargs: object) -> DownloadError:
    with pytest.raises(DownloadError) as caught:
        fetch(url, dest, **kwargs)
    assert not dest.exists(), "nothing may be left under the final name"
    assert caught.value.url == url and isinstance(caught.value, InputError)
    message = str(caught.value)
    assert message.startswith(f"Could not download {dest.stem} ({url}): ")
    assert f'save it as {dest} and name it in the manifest: path = "{dest.name}".' in message
    assert caught.value.problems[0].file == dest.name
    return caught.value


@pytest.mark.parametrize("status", [404, 410])
def test_a_file_that_has_gone(server: Server, tmp_path: Path, sleeps: Sleeps, status: int) -> None:
    server.script = [status]
    dest = tmp_path / "tracts.dbf"
    dest.with_name("tracts.dbf.part").write_bytes(BODY[:10])
    error = _fails(server.url, dest, sleep=sleeps)
    assert (error.kind, error.status, len(server.requests), sleeps) == ("gone", status, 1, [])
    said = {404: "404 Not Found", 410: "410 Gone"}[status]
    assert f"the server answered {said}, so the file is not at that address any more. Download it by hand, " \
           "save it as" in str(error)
    assert _leftovers(dest) == []


def test_a_refused_request(server: Server, tmp_path: Path, sleeps: Sleeps) -> None:
    server.script = [403]
    error = _fails(server.url, tmp_path / "tracts.dbf", sleep=sleeps)
    assert (error.kind, error.status, len(server.requests)) == ("refused", 403, 1)
    assert "refused the request (403 Forbidden)" in str(error) and "browser" in str(error)


def test_a_server_that_keeps_failing(server: Server, tmp_path: Path, sleeps: Sleeps) -> None:
    server.script = [503] * 3
    error = _fails(server.url, tmp_path / "tracts.dbf", sleep=sleeps, retries=2)
    assert (error.kind, error.status, len(server.requests), sleeps) == ("server", 503, 3, [1.0, 2.0])
    assert "still answered 503 Service Unavailable after 3 tries" in str(error)
    assert "Try again later" in str(error)


def test_a_server_that_keeps_asking_us_to_slow_down(server: Server, tmp_path: Path, sleeps: Sleeps) -> None:
    server.script = [429] * 2
    server.extra = {429: {"Retry-After": "7"}}
    error = _fails(server.url, tmp_path / "tracts.dbf", sleep=sleeps, retries=1)
    assert (error.kind, error.status, sleeps) == ("busy", 429, [7.0])
    assert "429 Too Many Requests" in str(error) and "Wait a few minutes" in str(error)


def test_a_transfer_that_keeps_breaking_off(server: Server, tmp_path: Path, sleeps: Sleeps) -> None:
    server.script = ["truncate"] * 2
    dest = tmp_path / "tracts.dbf"
    error = _fails(server.url, dest, sleep=sleeps, retries=1)
    kept = SIZE // 2 + (SIZE - SIZE // 2) // 2
    assert error.kind == "broken" and f"after {kept:,} of {SIZE:,} bytes" in str(error)
    assert f"carries on from the {kept:,} bytes kept in tracts.dbf.part" in str(error)
    assert dest.with_name("tracts.dbf.part").read_bytes() == BODY[:kept]
    assert fetch(server.url, dest).resumed and dest.read_bytes() == BODY


def test_a_server_nobody_runs(tmp_path: Path, sleeps: Sleeps) -> None:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    url = f"http://127.0.0.1:{port}/tracts.zip"
    error = _fails(url, tmp_path / "tracts.zip", sleep=sleeps, retries=2)
    assert (error.kind, error.status, sleeps) == ("offline", None, [1.0, 2.0])
    assert "could not reach 127.0.0.1 after 3 tries (the connection was refused)" in str(error)
    assert "offline" in str(error) and "Check the internet connection" in str(error)


def test_a_checksum_mismatch(server: Server, tmp_path: Path, sleeps: Sleeps) -> None:
    dest = tmp_path / "tracts.dbf"
    error = _fails(server.url, dest, expected_sha256="0" * 64, sleep=sleeps)
    assert error.kind == "checksum" and SHA in str(error) and "update sha256 in the manifest" in str(error)
    assert _leftovers(dest) == [] and sleeps == []


def test_a_damaged_copy_is_downloaded_again_despite_its_etag(server: Server, tmp_path: Path) -> None:
    dest = tmp_path / "tracts.dbf"
    dest.write_bytes(b"damaged")
    got = fetch(server.url, dest, etag=ETAG, expected_sha256=SHA, sleep=lambda s: None)
    assert [r.get("If-None-Match") for r in server.requests] == [ETAG, None]
    assert got.changed and dest.read_bytes() == BODY


def test_only_web_addresses(tmp_path: Path) -> None:
    error = _fails("file:///etc/passwd", tmp_path / "passwd")
    assert error.kind == "address" and "only http:// and https://" in str(error)
