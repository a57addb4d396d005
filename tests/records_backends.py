"""The records tests' back ends: each test that takes ``backend`` runs on a DuckDB file and on a
PostgreSQL database, each time on fresh records.

PostgreSQL comes from ``JC_TEST_POSTGRES_URL`` (a server where that role may create databases)
or from a throwaway server this module starts for the session with Debian's binaries
(``/usr/lib/postgresql/*/bin``: ``initdb`` into a temporary folder, trust authentication,
listening on 127.0.0.1 only on a free port, its socket in the folder; stopped and removed at the
end). ``initdb`` refuses to run as root, so as root the server runs as the ``postgres`` user the
Debian package creates. Where neither is available the PostgreSQL variants are skipped, saying
why (CI installs the binaries: ``sh setup.sh --test``).

Imported by ``tests/conftest.py`` so that its fixtures are everyone's.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid
from collections.abc import Iterator
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

import duckdb
import pytest

from indicators.certification.backends import Connection, Location, connect_postgres, is_postgres

BACKENDS = ("duckdb", "postgresql")
BINARIES = Path("/usr/lib/postgresql")


def postgres_binaries() -> Path | None:
    """The newest ``/usr/lib/postgresql/<version>/bin`` holding ``initdb`` and ``pg_ctl``."""
    found = [p for p in BINARIES.glob("*/bin") if (p / "initdb").exists() and (p / "pg_ctl").exists()]
    return max(found, key=lambda p: int(p.parent.name) if p.parent.name.isdigit() else 0) if found else None


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


@contextlib.contextmanager
def throwaway_server() -> Iterator[str]:
    """Start a PostgreSQL server for the session; yields its admin URL (skips when impossible)."""
    binaries = postgres_binaries()
    if binaries is None:
        pytest.skip(f"no PostgreSQL server binaries under {BINARIES} (install Debian's postgresql, as "
                    "sh setup.sh --test does, or set JC_TEST_POSTGRES_URL)")
    prefix: list[str] = []
    owner = None
    if os.geteuid() == 0:  # initdb refuses root: run the server as the package's postgres user
        try:
            owner = pwd.getpwnam("postgres")
        except KeyError:
            pytest.skip("running as root and there is no postgres user to run PostgreSQL as (initdb "
                        "refuses root); install Debian's postgresql or set JC_TEST_POSTGRES_URL")
        prefix = ["setpriv", f"--reuid={owner.pw_uid}", f"--regid={owner.pw_gid}", "--clear-groups", "--"]
    folder = Path(tempfile.mkdtemp(prefix="jc-test-postgres-"))
    if owner is not None:
        os.chown(folder, owner.pw_uid, owner.pw_gid)
    data, port = folder / "data", _free_port()
    run = lambda *args: subprocess.run([*prefix, *args], capture_output=True, text=True, timeout=120)  # noqa: E731
    made = run(str(binaries / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres", "-E", "UTF8",
               "--locale=C", "--no-sync")
    if made.returncode != 0:
        shutil.rmtree(folder, ignore_errors=True)
        pytest.fail(f"initdb failed: {made.stderr or made.stdout}")
    options = (f"-c listen_addresses=127.0.0.1 -p {port} -k {folder} -c fsync=off -c "
               "synchronous_commit=off -c full_page_writes=off -c max_connections=200")
    started = run(str(binaries / "pg_ctl"), "-D", str(data), "-l", str(folder / "server.log"), "-o",
                  options, "-w", "-t", "60", "start")
    if started.returncode != 0:
        log = (folder / "server.log").read_text() if (folder / "server.log").exists() else ""
        shutil.rmtree(folder, ignore_errors=True)
        pytest.fail(f"PostgreSQL did not start: {started.stderr or started.stdout} {log[-2000:]}")
    try:
        yield f"postgresql://postgres@127.0.0.1:{port}/postgres"
    finally:
        run(str(binaries / "pg_ctl"), "-D", str(data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def postgres_server() -> Iterator[str]:
    """The admin URL of a PostgreSQL server for the tests (``JC_TEST_POSTGRES_URL`` or a
    throwaway one)."""
    given = os.environ.get("JC_TEST_POSTGRES_URL", "").strip()
    if given:
        yield given
        return
    with throwaway_server() as url:
        yield url


class Backend:
    """Fresh records locations on one back end, and what tests do to them behind the code's
    back (raw SQL, a copy, a fingerprint of everything stored)."""

    def __init__(self, kind: str, folder: Path, admin: str | None = None):
        self.kind, self.folder, self.admin = kind, folder, admin
        self.created: list[str] = []

    def __repr__(self) -> str:
        return f"Backend({self.kind})"

    def new(self, name: str = "certification") -> Location:
        """A location with no records yet: a file path that does not exist, or a new, empty
        PostgreSQL database."""
        if self.kind == "duckdb":
            path = self.folder / uuid.uuid4().hex[:8] / f"{name}.duckdb"
            path.parent.mkdir(parents=True)
            return path
        return self._database()

    def copy(self, where: Location) -> Location:
        """An exact copy of the records at ``where`` (a file copy; a database made from it as
        its template)."""
        if not is_postgres(where):
            target = self.new(Path(where).stem)
            shutil.copyfile(where, target)
            return target
        return self._database(template=urlsplit(str(where)).path.lstrip("/"))

    @contextlib.contextmanager
    def connect(self, where: Location) -> Iterator[Connection]:
        """A raw connection (DuckDB's own, or the PostgreSQL adapter: ``?`` placeholders)."""
        con = connect_postgres(str(where)) if is_postgres(where) else duckdb.connect(str(where))
        try:
            yield con
        finally:
            con.close()

    def execute(self, where: Location, *statements: str) -> None:
        """Run statements as someone with write access to the database could."""
        with self.connect(where) as con:
            for statement in statements:
                con.execute(statement)

    def fingerprint(self, where: Location) -> str:
        """The SHA-256 of everything stored: the file's bytes (DuckDB), or every table's
        columns and rows in order (PostgreSQL), so a test can tell that nothing changed."""
        if not is_postgres(where):
            return hashlib.sha256(Path(where).read_bytes()).hexdigest()
        digest = hashlib.sha256()
        with self.connect(where) as con:
            tables = [r[0] for r in con.execute(
                "SELECT table_name FROM information_schema.tables WHERE table_schema = current_schema() "
                "ORDER BY table_name").fetchall()]
            for table in tables:
                columns = con.execute(
                    "SELECT column_name, data_type, is_nullable, column_default FROM "
                    "information_schema.columns WHERE table_name = ? AND table_schema = current_schema() "
                    "ORDER BY ordinal_position",
                    [table]).fetchall()
                found = sorted(con.execute(f'SELECT * FROM "{table}"').fetchall(), key=repr)
                digest.update(json.dumps([table, columns, found], default=str).encode())
        return digest.hexdigest()

    def drop_all(self) -> None:
        """Drop the databases this back end made (on a server given by JC_TEST_POSTGRES_URL)."""
        if not self.created:
            return
        with connect_postgres(str(self.admin)) as con:
            for name in self.created:
                con.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def _database(self, template: str | None = None) -> str:
        name = f"jc_test_{uuid.uuid4().hex[:12]}"
        with connect_postgres(str(self.admin)) as con:
            con.execute(f'CREATE DATABASE "{name}"' + (f' TEMPLATE "{template}"' if template else ""))
        self.created.append(name)
        parts = urlsplit(str(self.admin))
        return urlunsplit((parts.scheme, parts.netloc, f"/{name}", parts.query, parts.fragment))


@pytest.fixture(scope="module", params=BACKENDS)
def backend(request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    """Each records test on both back ends (module-scoped, so a module's template records are
    made once per back end)."""
    admin = request.getfixturevalue("postgres_server") if request.param == "postgresql" else None
    made = Backend(request.param, tmp_path_factory.mktemp(f"records-{request.param}"), admin)
    yield made
    made.drop_all()
