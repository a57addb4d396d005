"""Local editor accounts: Argon2id hashes in a TOML file, verify() never raises on bad input."""

from __future__ import annotations

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
