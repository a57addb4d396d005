"""Local editor accounts: Argon2id hashes in a TOML file, verify() never raises on bad input."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

import pytest

from indicators.certification import accounts


@pytest.fixture
def file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "accounts.toml"
    monkeypatch.setenv("JC_ACCOUNTS", str(path))
    accounts.add_account("alice", "correct horse battery", 'Alice "Al" Moreno')
    return path


def test_the_file_holds_a_hash_not_the_password(file: Path):
    text = file.read_text()
    assert accounts.accounts_path() == file
    assert "$argon2id$" in text and "correct horse battery" not in text
    assert (file.stat().st_mode & 0o077) == 0  # readable by its owner only


def test_verify(file: Path):
    account = accounts.verify("alice", "correct horse battery")
    assert account == accounts.Account("alice", 'Alice "Al" Moreno', "editor")
    assert accounts.verify("alice", "wrong password") is None
    assert accounts.verify("nobody", "correct horse battery") is None
    assert accounts.verify(None, None) is None  # type: ignore[arg-type]
    assert accounts.verify("alice", "") is None


def test_a_corrupt_hash_or_unknown_role_is_refused_quietly(file: Path):
    file.write_text(file.read_text().replace('role = "editor"', 'role = "admin"'))
    assert accounts.verify("alice", "correct horse battery") is None
    file.write_text('[users.bob]\npassword_hash = "not-a-hash"\n')
    assert accounts.verify("bob", "anything at all") is None


def test_adding_keeps_other_accounts_and_refuses_weak_input(file: Path):
    accounts.add_account("bob", "another long password")
    assert accounts.verify("alice", "correct horse battery")
    assert accounts.verify("bob", "another long password")
    with pytest.raises(ValueError, match="at least"):
        accounts.add_account("carol", "short")
    with pytest.raises(ValueError, match="user name"):
        accounts.add_account("carol.smith", "long enough password")
    assert sorted(accounts.load_accounts()) == ["alice", "bob"]


def test_command_line_reads_the_password_twice(file: Path, monkeypatch: pytest.MonkeyPatch):
    answers = iter(["a long new password", "a long new password"])
    monkeypatch.setattr(accounts.getpass, "getpass", lambda prompt="": next(answers))
    assert accounts.main(["add", "dana", "--display-name", "Dana"]) == 0
    assert accounts.verify("dana", "a long new password").display_name == "Dana"
    answers = iter(["one password here", "another password"])
    assert accounts.main(["add", "erin"]) == 2
    assert accounts.verify("erin", "one password here") is None


# --------------------------------------------------------------------------------------------
# Signing in: rate-limited, passwords never shown or logged
# --------------------------------------------------------------------------------------------


@pytest.fixture
def clock(monkeypatch: pytest.MonkeyPatch) -> list[float]:
    """A fake monotonic clock (seconds), and no failures remembered from other tests."""
    now = [1000.0]
    monkeypatch.setattr(accounts.time, "monotonic", lambda: now[0])
    accounts._THROTTLE.clear()
    yield now
    accounts._THROTTLE.clear()


def test_repeated_failures_lock_the_name_and_say_so(file: Path, clock: list[float]):
    for attempt in range(1, accounts.MAX_FAILURES):
        with pytest.raises(accounts.SignInError, match=f"{accounts.MAX_FAILURES - attempt} more failed"):
            accounts.sign_in("alice", f"wrong password {attempt}")
    with pytest.raises(accounts.SignInError, match="now locked for 15 minutes"):
        accounts.sign_in("alice", "wrong again")
    with pytest.raises(accounts.SignInError, match="locked for 15 more minute"):
        accounts.sign_in("alice", "correct horse battery")  # even the right password waits
    clock[0] += 14 * 60
    with pytest.raises(accounts.SignInError, match="locked for 1 more minute"):
        accounts.sign_in("ALICE ", "correct horse battery")  # the same name, however typed
    clock[0] += 61
    assert accounts.sign_in("alice", "correct horse battery").username == "alice"


def test_a_success_forgets_earlier_failures_and_old_failures_expire(file: Path, clock: list[float]):
    for _ in range(accounts.MAX_FAILURES - 1):
        with pytest.raises(accounts.SignInError):
            accounts.sign_in("alice", "wrong password")
    accounts.sign_in("alice", "correct horse battery")
    for _ in range(accounts.MAX_FAILURES - 1):
        with pytest.raises(accounts.SignInError):
            accounts.sign_in("alice", "wrong password")
    clock[0] += accounts.LOCKOUT_S + 1  # those failures are now too old to count
    with pytest.raises(accounts.SignInError, match=f"{accounts.MAX_FAILURES - 1} more failed"):
        accounts.sign_in("alice", "wrong password")


def test_unknown_names_are_locked_alike_and_other_names_are_not(file: Path, clock: list[float]):
    for _ in range(accounts.MAX_FAILURES):
        with pytest.raises(accounts.SignInError):
            accounts.sign_in("mallory", "guess")
    with pytest.raises(accounts.SignInError, match="locked"):
        accounts.sign_in("mallory", "guess")
    assert accounts.sign_in("alice", "correct horse battery")  # another name is not affected


def test_a_password_is_never_in_a_message_a_log_or_an_account(file: Path, clock: list[float],
                                                               caplog: pytest.LogCaptureFixture):
    caplog.set_level(logging.DEBUG)
    secret = "my secret pass phrase"
    for _ in range(accounts.MAX_FAILURES + 1):
        with pytest.raises(accounts.SignInError) as caught:
            accounts.sign_in("alice", secret)
        assert secret not in str(caught.value)
    account = accounts.verify("alice", "correct horse battery")
    assert "correct horse battery" not in repr(account) and account.seal not in repr(account)
    assert secret not in caplog.text and "correct horse battery" not in caplog.text


# --------------------------------------------------------------------------------------------
# Who may write: checked in the function that writes
# --------------------------------------------------------------------------------------------


def test_only_sealed_accounts_of_a_writing_role_are_authorised(tmp_path: Path):
    path = tmp_path / "accounts.toml"
    accounts.add_account("val", "a long viewer password", "Val Viewer", "viewer", path)
    viewer = accounts.verify("val", "a long viewer password", path)
    assert viewer is not None and viewer.role == "viewer"
    editor = accounts.from_identity_provider("Ed@Example.org", {"ed@example.org"})
    assert editor is not None and accounts.authorise(editor, "edit") is editor
    assert accounts.from_identity_provider("eve@example.org", {"ed@example.org"}) is None
    forged = accounts.Account("ed@example.org", "ed@example.org", "editor")
    promoted = dataclasses.replace(viewer, role="editor")
    for who in (None, "ed@example.org", forged, promoted, viewer):
        with pytest.raises(accounts.NotAuthorisedError, match=r"(?i)sign in as an editor|may not edit"):
            accounts.authorise(who, "edit")
