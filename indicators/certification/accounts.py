"""Local editor accounts for small deployments without a single sign-on provider.

Editors who update certification records sign in either through the organisation's identity
provider (OIDC via Streamlit's ``st.login``, with an allow-list of e-mail addresses in
``secrets.toml``) or, where there is none, with a name and password from a local accounts file
(see ``.streamlit/secrets.toml.example``). This module is the second way. The file is TOML::

    [users.alice]
    display_name = "Alice Moreno"
    role = "editor"
    password_hash = "$argon2id$v=19$m=65536,t=3,p=4$..."

Only Argon2id hashes are stored (``argon2-cffi``); passwords never are, nor logged or shown.

Signing in (:func:`sign_in`) is rate-limited: after :data:`MAX_FAILURES` wrong passwords for a
name within :data:`LOCKOUT_S` seconds, that name is locked for :data:`LOCKOUT_S` seconds, and
the message says so (unknown names are locked the same way, so a lock tells nothing about
which names exist). Every function that changes the records or the data calls
:func:`authorise` with the signed-in :class:`Account`: an account is only made here (by a right
password or by the identity provider's allow-list) and carries a seal only this process can
make, so a page that forgot to check, a forged account or a bare name cannot write. The file's path is
``.streamlit/accounts.toml`` in the project, or the environment variable ``JC_ACCOUNTS``.
Add an account with::

    python -m indicators.certification.accounts add alice --display-name "Alice Moreno"

which asks for the password twice without echoing it.
"""

from __future__ import annotations

import argparse
import contextlib
import getpass
import hashlib
import hmac
import json
import math
import os
import re
import sys
import threading
import time
import tomllib
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from indicators import config
from indicators.certification.checks import RecordError

ACCOUNTS_ENV = "JC_ACCOUNTS"
#: Roles an account may have: editors change records and load data; viewers may sign in only.
ROLES = ("editor", "viewer")
#: Roles that may change the certification records and load data.
WRITE_ROLES = ("editor",)
#: Wrong passwords for one name, within LOCKOUT_S, after which the name is locked.
MAX_FAILURES = 5
#: How long (seconds) failures are remembered, and how long a lock lasts.
LOCKOUT_S = 15 * 60
MIN_PASSWORD_LENGTH = 10
_NAME = re.compile(r"^[A-Za-z0-9][A-Za-z0-9_-]{0,63}$")  # a TOML bare key
_HEADER = ("# Editor accounts of the Just Communities Dashboard (argon2id hashes; no passwords).\n"
           "# Written by `python -m indicators.certification.accounts add NAME`.\n"
           "# Keep this file private and out of version control.\n")


@dataclass(frozen=True)
class Account:
    """A signed-in person: made by :func:`sign_in`, :func:`verify` or
    :func:`from_identity_provider` only (the seal proves it)."""

    username: str
    display_name: str
    role: str
    seal: str = field(default="", repr=False, compare=False)

    @property
    def audit_name(self) -> str:
        """How the audit log names this person: ``Display Name (username)``, or the e-mail
        address of a single sign-on editor."""
        if self.display_name == self.username:
            return self.username
        return f"{self.display_name} ({self.username})"


class NotAuthorisedError(RecordError):
    """A change attempted without a signed-in account of a role that may make it."""


class SignInError(ValueError):
    """A refused sign-in; ``str()`` is the sentence to show."""


def authorise(account: object, action: str) -> Account:
    """``account`` if it is a genuine account (sealed here) whose role may change records.

    Called by every function that writes, whatever the page checked.

    Raises
    ------
    NotAuthorisedError
        For anything else: None, a bare name, a forged or altered account, or a role that may
        not write.
    """
    if not isinstance(account, Account) or not hmac.compare_digest(
            account.seal, _seal(account.username, account.display_name, account.role)):
        raise NotAuthorisedError(f"Only a signed-in editor may {action}; sign in as an editor "
                                 "first.")
    if account.role not in WRITE_ROLES:
        raise NotAuthorisedError(f"{account.audit_name} is signed in as a {account.role}, who "
                                 f"may not {action}; ask an administrator for an editor account.")
    return account


def from_identity_provider(email: str, allowed: set[str] | frozenset[str]) -> Account | None:
    """The editor account of a single sign-on user whose e-mail is on the editors' allow-list
    (compared without case), else None."""
    email = str(email or "").strip().lower()
    if not email or email not in {a.strip().lower() for a in allowed}:
        return None
    return _issue(email, email, "editor")


def accounts_path() -> Path:
    """The accounts file: ``$JC_ACCOUNTS``, else ``<project>/.streamlit/accounts.toml``."""
    value = os.environ.get(ACCOUNTS_ENV)
    if value:
        return Path(value).expanduser().resolve()
    return config.PROJECT_ROOT / ".streamlit" / "accounts.toml"


def hash_password(password: str) -> str:
    """An Argon2id hash of ``password`` (salted; two calls give different hashes).

    Raises
    ------
    ValueError
        If the password is not text or shorter than :data:`MIN_PASSWORD_LENGTH` characters.
    """
    if not isinstance(password, str) or len(password) < MIN_PASSWORD_LENGTH:
        raise ValueError(f"a password needs at least {MIN_PASSWORD_LENGTH} characters")
    return _hasher().hash(password)


def load_accounts(path: Path | None = None) -> dict[str, dict[str, str]]:
    """The ``[users]`` table of the accounts file ({} when the file does not exist).

    Raises
    ------
    ValueError
        If the file is not valid TOML or ``users`` is not a table of tables.
    """
    path = Path(path) if path is not None else accounts_path()
    if not path.exists():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as exc:
        raise ValueError(f"{path} is not valid TOML: {exc}") from exc
    users = data.get("users", {})
    if not isinstance(users, dict) or not all(isinstance(u, dict) for u in users.values()):
        raise ValueError(f"{path}: `users` must hold one [users.NAME] table per account")
    return users


def verify(username: str, password: str, path: Path | None = None) -> Account | None:
    """The account if ``password`` is right for ``username``, else None.

    A wrong password, an unknown user, a malformed hash or a role other than
    :data:`ROLES` all give None, never an exception; an unknown user still costs one Argon2
    verification, so the answer takes the same time whether or not the name exists.
    """
    if not isinstance(username, str) or not isinstance(password, str):
        return None
    entry = load_accounts(path).get(username)
    stored = entry.get("password_hash") if isinstance(entry, dict) else None
    if not isinstance(stored, str):
        with contextlib.suppress(VerificationError, InvalidHashError):
            _hasher().verify(_dummy_hash(), password)
        return None
    try:
        _hasher().verify(stored, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    role = str(entry.get("role", "editor"))
    if role not in ROLES:
        return None
    return _issue(username, str(entry.get("display_name") or username), role)


def sign_in(username: str, password: str, path: Path | None = None) -> Account:
    """:func:`verify` with a lock after repeated failures (see :data:`MAX_FAILURES`).

    Raises
    ------
    SignInError
        For a wrong name or password, or a name locked after too many failures; the message
        never repeats the password.
    """
    key = str(username or "").strip().lower()
    waiting = _THROTTLE.locked_for(key)
    if waiting > 0:
        raise SignInError(f"Too many failed sign-ins for this name: it is locked for "
                          f"{math.ceil(waiting / 60)} more minute(s). Try again then, or ask an "
                          "administrator to set a new password.")
    account = verify(username, password, path)
    if account is None:
        left = _THROTTLE.failed(key)
        more = (f" {left} more failed attempt(s) lock this name for {LOCKOUT_S // 60} minutes."
                if left else f" This name is now locked for {LOCKOUT_S // 60} minutes.")
        raise SignInError("That name and password do not match an account." + more)
    _THROTTLE.succeeded(key)
    return account


class _Throttle:
    """Failed sign-ins per name, in this server process (thread-safe)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._failures: dict[str, list[float]] = {}
        self._locked_until: dict[str, float] = {}

    def locked_for(self, key: str) -> float:
        with self._lock:
            return max(0.0, self._locked_until.get(key, 0.0) - time.monotonic())

    def failed(self, key: str) -> int:
        """Count a failure; the attempts left before the lock (0: locked now)."""
        now = time.monotonic()
        with self._lock:
            recent = [t for t in self._failures.get(key, []) if now - t < LOCKOUT_S] + [now]
            if len(recent) >= MAX_FAILURES:
                self._locked_until[key] = now + LOCKOUT_S
                self._failures.pop(key, None)
                return 0
            self._failures[key] = recent
            return MAX_FAILURES - len(recent)

    def succeeded(self, key: str) -> None:
        with self._lock:
            self._failures.pop(key, None)

    def clear(self) -> None:
        """Forget every failure and lock (an administrator's reset; tests)."""
        with self._lock:
            self._failures.clear()
            self._locked_until.clear()


_THROTTLE = _Throttle()
#: This process's sealing key: accounts are only valid in the process that made them.
_SECRET = os.urandom(32)


def _seal(username: str, display_name: str, role: str) -> str:
    message = "\x1f".join((username, display_name, role)).encode()
    return hmac.new(_SECRET, message, hashlib.sha256).hexdigest()


def _issue(username: str, display_name: str, role: str) -> Account:
    return Account(username, display_name, role, _seal(username, display_name, role))


def add_account(username: str, password: str, display_name: str | None = None, role: str = "editor",
                path: Path | None = None) -> Path:
    """Add or replace an account in the accounts file (written atomically, readable by its owner
    only). Returns the file's path.

    Raises
    ------
    ValueError
        For a bad name, role or password.
    """
    if not isinstance(username, str) or not _NAME.match(username):
        raise ValueError("a user name is letters, digits, '_' or '-' (at most 64), starting with a "
                         "letter or digit")
    if role not in ROLES:
        raise ValueError(f"role must be one of {', '.join(ROLES)}")
    path = Path(path) if path is not None else accounts_path()
    users = load_accounts(path)
    users[username] = {"display_name": display_name or username, "role": role,
                       "password_hash": hash_password(password)}
    lines = [_HEADER]
    for name in sorted(users):
        lines.append(f"\n[users.{name}]\n")
        for key in sorted(users[name]):
            lines.append(f"{key} = {json.dumps(str(users[name][key]))}\n")
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp-{os.getpid()}")
    tmp.write_text("".join(lines), encoding="utf-8")
    os.chmod(tmp, 0o600)
    os.replace(tmp, path)
    return path


def main(argv: list[str] | None = None) -> int:
    """``python -m indicators.certification.accounts add NAME``: add an editor; returns the exit status."""
    parser = argparse.ArgumentParser(prog="python -m indicators.certification.accounts",
                                     description="Manage local editor accounts.")
    sub = parser.add_subparsers(dest="command", required=True)
    add = sub.add_parser("add", help="add an editor (or set a new password); asks for the password")
    add.add_argument("name")
    add.add_argument("--display-name", default=None)
    add.add_argument("--role", default="editor", choices=ROLES)
    add.add_argument("--file", type=Path, default=None, help=f"default {accounts_path()}")
    args = parser.parse_args(argv)
    password = getpass.getpass(f"Password for {args.name}: ")
    if getpass.getpass("Same password again: ") != password:
        print("The two passwords differ; nothing was changed.", file=sys.stderr)
        return 2
    try:
        path = add_account(args.name, password, args.display_name, args.role, args.file)
    except ValueError as exc:
        print(f"Not added: {exc}.", file=sys.stderr)
        return 2
    print(f"Added {args.name} to {path}.")
    return 0


@lru_cache(maxsize=1)
def _hasher() -> PasswordHasher:
    return PasswordHasher()


@lru_cache(maxsize=1)
def _dummy_hash() -> str:
    return _hasher().hash(os.urandom(16).hex())


if __name__ == "__main__":
    sys.exit(main())
