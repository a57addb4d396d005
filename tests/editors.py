"""Signed-in accounts for tests, made the way the app makes them: single sign-on editors on the
allow-list, and local accounts from an accounts file (argon2) for names with a display name."""

from __future__ import annotations

import tempfile
from collections.abc import Callable
from pathlib import Path

import pytest
from streamlit.testing.v1 import AppTest

from indicators.certification import accounts

PROJECT = Path(__file__).resolve().parents[1]

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


def data_page(db: Path, records: Path, monkeypatch: pytest.MonkeyPatch, email: str, name: str,
              timeout: float = 90) -> Callable[[bool], AppTest]:
    """Opens the Data page on ``db``, as a visitor or as the editor ``email`` (single sign-on),
    and checks it ran without an exception."""
    monkeypatch.setenv("JC_DB", str(db))
    monkeypatch.setenv("JC_DATA_DIR", str(db.parent))
    monkeypatch.setenv("JC_CERT_DB", str(records))
    monkeypatch.setenv("JC_ACCOUNTS", str(_FILES / "no-accounts.toml"))

    def open_page(signed_in: bool) -> AppTest:
        at = AppTest.from_file(str(PROJECT / "app.py"), default_timeout=timeout)
        if signed_in:
            at.secrets["editors"] = {"emails": [email]}
            at.user = {"is_logged_in": True, "email": email, "name": name}
        at.run()
        at.switch_page("pages/data.py")
        at.run()
        assert not at.exception, [e.value for e in at.exception]
        return at

    return open_page


def page_texts(at: AppTest) -> str:
    """The page's markdown, subheaders, captions, errors and successes, one a line."""
    return "\n".join([*(m.value for m in at.markdown), *(s.value for s in at.subheader),
                      *(c.value for c in at.caption), *(e.value for e in at.error),
                      *(s.value for s in at.success)])
