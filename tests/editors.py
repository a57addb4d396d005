"""Signed-in accounts for tests, made the way the app makes them: single sign-on editors on the
allow-list, and local accounts from an accounts file (argon2) for names with a display name."""

from __future__ import annotations

import tempfile
from pathlib import Path

from indicators.certification import accounts

_FILES = Path(tempfile.mkdtemp(prefix="jc-test-accounts-"))


def editor(email: str = "ed@example.org") -> accounts.Account:
    """A single sign-on editor whose e-mail is on the allow-list."""
    found = accounts.from_identity_provider(email, {email})
    assert found is not None
    return found


def local(display_name: str, username: str = "local-editor", role: str = "editor") -> accounts.Account:
    """A local account with any display name (signed in with its password)."""
    path = _FILES / f"{username}-{abs(hash((display_name, role)))}.toml"
    accounts.add_account(username, "a long test password", display_name, role, path)
    found = accounts.verify(username, "a long test password", path)
    assert found is not None
    return found


ED = editor()
