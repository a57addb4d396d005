"""Download one publisher's file into a region folder: atomically, resumably, and politely.

The ``fetch`` command (step 12) downloads census and environmental files from their publishers.
Over a slow or shared connection every failure turns up sooner or later: a connection dropped
halfway through a shapefile, "503 Service Unavailable" at busy hours, "429 Too Many Requests" when
many counties are asked for at once, a file that has moved. So :func:`fetch` writes to
``<name>.part`` and renames it onto the file (:func:`os.replace`) only when complete and checked;
resumes an interrupted transfer with a ``Range`` request; skips an unchanged file ("304 Not
Modified"); retries passing failures with exponential back-off, honouring ``Retry-After``; and
ends what waiting cannot fix in a :class:`DownloadError` that says, in plain words, which file,
from where, what went wrong and what to do. Only the standard library is used.
"""

from __future__ import annotations

import hashlib
import http
import http.client
import os
import socket
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from indicators.problems import InputError, Problem

#: Bytes read from the network and written to the ``.part`` file at a time.
CHUNK = 64 * 1024
#: Answers that mean "try again later": overload, a gateway's hiccup, rate limiting.
RETRY_STATUSES = frozenset({429, 500, 502, 503, 504})
#: The longest ``Retry-After`` obeyed, in seconds; a longer one is cut to this.
MAX_RETRY_AFTER = 300.0
USER_AGENT = "just-communities-dashboard/0.1 (indicators fetch; Python urllib)"
#: Failures of the network rather than of the request: worth another try.
NETWORK_ERRORS = (urllib.error.URLError, http.client.HTTPException, ConnectionError, TimeoutError)

Progress = Callable[[int, int | None], None]


@dataclass(frozen=True)
class Fetched:
    """What :func:`fetch` did, for the region's record of where each file came from.

    ``path`` is the complete file, ``bytes`` its size and ``sha256`` its lowercase hex digest;
    ``etag`` and ``last_modified`` are the server's validators, to pass to the next :func:`fetch` so
    an unchanged file is not downloaded again; ``fetched_at`` is ISO 8601 UTC; ``changed`` is False
    when the server answered "304 Not Modified" and the file was left as it was; ``resumed`` is True
    when the file was completed from an earlier partial transfer; ``attempts`` counts requests.
    """

    url: str
    path: Path
    bytes: int
    sha256: str
    etag: str | None
    last_modified: str | None
    fetched_at: str
    changed: bool
    resumed: bool
    attempts: int


class DownloadError(InputError):
    """A download that failed for good; ``str()`` says what happened and what to do.

    It is an :class:`~indicators.problems.InputError` carrying one error, so the command line
    reports it like any other broken input.

    Attributes
    ----------
    url : str
        The address asked for.
    status : int or None
        The server's last HTTP status (None when it was never reached).
    kind : str
        ``offline``, ``gone``, ``refused``, ``server``, ``busy``, ``broken``, ``checksum`` or
        ``address``, for callers that act on the cause.
    """

    def __init__(self, message: str, *, url: str = "", status: int | None = None, kind: str = "",
                 file: str = ""):
        super().__init__([Problem(file or url or "download", message)])
        self.args = (message,)
        self.message = message
        self.url = url
        self.status = status
        self.kind = kind

    def __str__(self) -> str:
        return self.message


class _Broken(Exception):
    """A transfer whose bytes did not add up (cut short, or a resumed answer that does not fit)."""


class _Download:
    """One file's download: the state kept between attempts, and the messages for giving up."""

    def __init__(self, url: str, dest: Path, expected: str | None, timeout: float,
                 progress: Progress | None):
        self.url, self.dest, self.expected = url, dest, expected
        self.timeout, self.progress = timeout, progress
        self.part = dest.with_name(dest.name + ".part")
        self.validator: str | None = None  # the ETag or date the .part was started under
        self.conditional = dest.exists()

    def attempt(self, number: int, etag: str | None, last_modified: str | None) -> Fetched:
        """One request; raises what went wrong, for :func:`fetch` to retry or report."""
        offset = self.part.stat().st_size if self.part.exists() else 0
        headers = {"User-Agent": USER_AGENT, "Accept-Encoding": "identity"}
        if offset:
            headers["Range"] = f"bytes={offset}-"
            if self.validator:
                headers["If-Range"] = self.validator
        if self.conditional and etag:
            headers["If-None-Match"] = etag
        if self.conditional and last_modified:
            headers["If-Modified-Since"] = last_modified
        try:
            response = urllib.request.urlopen(urllib.request.Request(self.url, headers=headers),
                                              timeout=self.timeout)
        except urllib.error.HTTPError as exc:
            exc.close()
            if exc.code == 304:
                return self.unchanged(exc.headers, etag, last_modified, number)
            if exc.code == 416 and offset:  # the .part is already as long as the file, or longer
                self.part.unlink(missing_ok=True)
                raise _Broken("the server would not continue the partial download") from None
            raise
        with response:
            return self.receive(response, offset, number)

    def receive(self, response: http.client.HTTPResponse, offset: int, number: int) -> Fetched:
        """Write the body to the ``.part``, check it and put it in place."""
        headers = response.headers
        length = headers.get("Content-Length", "")
        if response.status == 206:
            start, total = _content_range(headers.get("Content-Range", ""))
            if start != offset:
                self.part.unlink(missing_ok=True)
                raise _Broken(f"the server resumed at byte {start}, not {offset}")
            if total is None and length.isdigit():
                total = offset + int(length)
            mode, done, digest = "ab", offset, _hash_file(self.part)
        else:  # the whole file, from the start (a server may ignore Range)
            total = int(length) if length.isdigit() else None
            mode, done, digest = "wb", 0, hashlib.sha256()
        self.validator = _validator(headers) or self.validator
        with open(self.part, mode) as out:
            while chunk := response.read(CHUNK):
                out.write(chunk)
                digest.update(chunk)
                done += len(chunk)
                if self.progress:
                    self.progress(done, total)
            out.flush()
            os.fsync(out.fileno())
        if total is not None and done < total:
            raise _Broken(f"the connection broke off after {done:,} of {total:,} bytes")
        sha = digest.hexdigest()
        if self.expected and sha != self.expected:
            self.part.unlink(missing_ok=True)
            raise self.error(
                f"the downloaded file's SHA-256 is {sha}, not the expected {self.expected}, so it is "
                "not the file the manifest names (the publisher may have changed it, or it was "
                "damaged on the way)",
                kind="checksum", status=response.status,
                fix="Check the publisher's page for a new version and update sha256 in the manifest, or")
        os.replace(self.part, self.dest)
        return Fetched(self.url, self.dest, done, sha, headers.get("ETag"), headers.get("Last-Modified"),
                       _now(), changed=True, resumed=response.status == 206 and offset > 0,
                       attempts=number)

    def unchanged(self, headers: http.client.HTTPMessage, etag: str | None, last_modified: str | None,
                  number: int) -> Fetched:
        """The server says our copy is current: describe it, leaving it as it is."""
        if not self.dest.exists():
            raise _Broken("the server answered 304 Not Modified with no copy on disk to keep")
        sha = _hash_file(self.dest).hexdigest()
        if self.expected and sha != self.expected:  # our copy is damaged: download it afresh
            self.conditional = False
            raise _Broken("the copy on disk does not match its SHA-256")
        self.part.unlink(missing_ok=True)  # stale: the file it was part of is the one we have
        return Fetched(self.url, self.dest, self.dest.stat().st_size, sha, headers.get("ETag") or etag,
                       headers.get("Last-Modified") or last_modified, _now(), changed=False,
                       resumed=False, attempts=number)

    def error(self, what: str, *, kind: str, status: int | None = None, fix: str = "") -> DownloadError:
        """The error to raise: the file, the address, what went wrong and what to do."""
        by_hand = (f"download it by hand, save it as {self.dest} and name it in the manifest: "
                   f'path = "{self.dest.name}".')
        todo = f"{fix} {by_hand}" if fix else by_hand[0].upper() + by_hand[1:]
        return DownloadError(f"Could not download {self.dest.stem} ({self.url}): {what}. {todo}",
                             url=self.url, status=status, kind=kind, file=self.dest.name)

    def refused(self, exc: urllib.error.HTTPError) -> DownloadError:
        """The error for an answer that no retry will change (404, 403, ...)."""
        said = _status(exc.code, exc.reason)
        if exc.code in (404, 410):
            self.part.unlink(missing_ok=True)
            return self.error(f"the server answered {said}, so the file is not at that address any more",
                              kind="gone", status=exc.code)
        if 400 <= exc.code < 500:
            return self.error(
                f"the server refused the request ({said}); the address may be wrong, or need a login "
                "or an API key", kind="refused", status=exc.code,
                fix="Open the address in a browser to see what the publisher says, or")
        return self.error(f"the server answered {said}", kind="server", status=exc.code,
                          fix="Try again later, or")

    def gave_up(self, last: BaseException, tries: int) -> DownloadError:
        """The error once every retry has failed with a passing kind of failure."""
        if isinstance(last, urllib.error.HTTPError):
            said = _status(last.code, last.reason)
            if last.code == 429:
                return self.error(
                    f"the server still answered {said} after {_tries(tries)}: it limits how often it "
                    "may be asked", kind="busy", status=429,
                    fix="Wait a few minutes and run the command again, or")
            return self.error(
                f"the server still answered {said} after {_tries(tries)}, so the publisher's server "
                "is having trouble", kind="server", status=last.code,
                fix="Try again later (the publisher's site may say when it is back), or")
        if isinstance(last, _Broken):
            kept = self.part.stat().st_size if self.part.exists() else 0
            again = (f"Run the command again: it carries on from the {kept:,} bytes kept in "
                     f"{self.part.name}, or" if kept else "Run the command again, or")
            return self.error(f"the transfer failed {tries} times ({last})", kind="broken", fix=again)
        host = urllib.parse.urlsplit(self.url).hostname or self.url
        return self.error(
            f"could not reach {host} after {_tries(tries)} ({_reason(last, self.timeout)}), so this "
            "computer may be offline or the server may be down", kind="offline",
            fix="Check the internet connection and run the command again, or")


def fetch(url: str, dest: Path, *, expected_sha256: str | None = None, etag: str | None = None,
          last_modified: str | None = None, retries: int = 4, backoff: float = 1.0,
          timeout: float = 30, progress: Progress | None = None,
          sleep: Callable[[float], object] = time.sleep) -> Fetched:
    """Download ``url`` to ``dest``, resuming, retrying and skipping an unchanged file.

    Parameters
    ----------
    url : str
        An ``http://`` or ``https://`` address (redirects are followed).
    dest : Path
        Where the file goes; its folder is made if missing. Bytes arrive in ``<dest>.part``
        (kept after a passing failure, so the next call resumes from it) and are renamed onto
        ``dest`` only when complete and checked.
    expected_sha256 : str, optional
        The file's SHA-256 (hex); a different file raises :class:`DownloadError` and its ``.part``
        is removed.
    etag, last_modified : str, optional
        Validators from an earlier :class:`Fetched`. When ``dest`` exists they are sent as
        ``If-None-Match``/``If-Modified-Since``; a "304 Not Modified" leaves ``dest`` untouched and
        returns ``changed=False``.
    retries : int
        Further tries after a failure worth retrying: the network, a timeout, a transfer cut short,
        or a 429, 500, 502, 503 or 504 answer.
    backoff : float
        Seconds before the first retry, doubled for each one after (``backoff * 2**attempt``);
        a ``Retry-After`` of seconds is obeyed instead (at most :data:`MAX_RETRY_AFTER`).
    timeout : float
        Seconds to wait for the server to connect or to send more bytes.
    progress : callable, optional
        Called as ``progress(done_bytes, total_bytes_or_None)`` as bytes arrive; ``done`` counts
        the bytes of the file so far, those of a resumed ``.part`` included.
    sleep : callable
        How to wait between tries (tests pass one that records instead of waiting).

    Raises
    ------
    DownloadError
        When the file cannot be had: the message names the file and the address, says why (the
        computer is offline or the server down; the file has gone; the request was refused; the
        server kept failing or kept asking us to slow down; the transfer kept breaking off; the
        checksum did not match) and what to do. ``dest`` is never left half-written.
    """
    dest = Path(dest)
    job = _Download(url, dest, expected_sha256.lower() if expected_sha256 else None, timeout, progress)
    scheme = urllib.parse.urlsplit(url).scheme.lower()
    if scheme not in ("http", "https"):
        raise job.error(f"only http:// and https:// addresses can be downloaded, not {scheme or 'this'}",
                        kind="address", fix="Correct the address, or")
    dest.parent.mkdir(parents=True, exist_ok=True)
    last: BaseException | None = None
    for attempt in range(retries + 1):
        wait = backoff * 2**attempt
        try:
            return job.attempt(attempt + 1, etag, last_modified)
        except urllib.error.HTTPError as exc:
            if exc.code not in RETRY_STATUSES:
                raise job.refused(exc) from None
            wait = _retry_after(exc.headers.get("Retry-After")) or wait
            last = exc
        except (_Broken, *NETWORK_ERRORS) as exc:
            last = exc
        if attempt < retries:
            sleep(wait)
    assert last is not None  # the loop ran at least once and did not return
    raise job.gave_up(last, retries + 1) from None


def _tries(n: int) -> str:
    """``1 try``, ``2 tries``."""
    return f"{n} {'try' if n == 1 else 'tries'}"


def _content_range(value: str) -> tuple[int | None, int | None]:
    """The first byte and the full length from a ``Content-Range`` header.

    >>> _content_range("bytes 100-199/200")
    (100, 200)
    >>> _content_range("bytes 100-199/*")
    (100, None)
    >>> _content_range("nonsense")
    (None, None)
    """
    unit, _, rest = value.strip().partition(" ")
    span, _, total = rest.partition("/")
    start = span.partition("-")[0]
    if unit != "bytes" or not start.isdigit():
        return None, None
    return int(start), int(total) if total.isdigit() else None


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a ``Retry-After`` header (None when absent or an HTTP date).

    >>> _retry_after("1"), _retry_after("100000"), _retry_after("Wed, 21 Oct 2026 07:28:00 GMT")
    (1.0, 300.0, None)
    """
    try:
        seconds = float(value) if value else None
    except ValueError:
        return None
    return None if seconds is None or seconds < 0 else min(seconds, MAX_RETRY_AFTER)


def _validator(headers: http.client.HTTPMessage) -> str | None:
    """What ``If-Range`` may carry: a strong ETag, else the Last-Modified date."""
    etag = headers.get("ETag")
    if etag and not etag.startswith("W/"):
        return etag
    return headers.get("Last-Modified")


def _status(code: int, reason: str | None = None) -> str:
    """A status as people read it.

    >>> _status(404), _status(599, "Odd")
    ('404 Not Found', '599 Odd')
    """
    try:
        return f"{code} {http.HTTPStatus(code).phrase}"
    except ValueError:
        return f"{code} {reason or 'an unknown status'}"


def _reason(exc: BaseException, timeout: float) -> str:
    """Plain words for a network failure.

    >>> _reason(urllib.error.URLError(ConnectionRefusedError(111, "Connection refused")), 30)
    'the connection was refused'
    >>> _reason(TimeoutError("timed out"), 30)
    'no answer within 30 seconds'
    """
    cause = exc.reason if isinstance(exc, urllib.error.URLError) else exc
    if isinstance(cause, socket.gaierror):
        return "its name could not be looked up"
    if isinstance(cause, ConnectionRefusedError):
        return "the connection was refused"
    if isinstance(cause, TimeoutError):
        return f"no answer within {timeout:g} seconds"
    if isinstance(cause, ConnectionError | http.client.HTTPException):
        return "the connection broke off"
    return str(cause) or type(cause).__name__


def _hash_file(path: Path) -> hashlib._Hash:
    """A SHA-256 object fed with a file's bytes (to extend as more arrive)."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        while block := f.read(1 << 20):
            digest.update(block)
    return digest


def _now() -> str:
    """The time now, ISO 8601 UTC to the second."""
    return time.strftime("%Y-%m-%dT%H:%M:%SZ", time.gmtime())
