"""Plain-language problems found in a region's input files.

Readers never raise a bare exception at a user. They record a :class:`Problem` (what is wrong,
in which file, where, and how to fix it) in a :class:`Problems` collector. Errors stop a build
before anything is written; warnings are reported and the build goes on.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input.

    Parameters
    ----------
    file : str
        The file (or manifest) the problem is in, as the user named it.
    message : str
        What is wrong, in plain words.
    fix : str
        What the user can do about it.
    where : str
        Column, row or key the problem concerns ("" when it is the whole file).
    severity : {"error", "warning"}
        Errors stop the build; warnings are reported and the build continues.
    """

    file: str
    message: str
    fix: str = ""
    where: str = ""
    severity: Severity = "error"

    def __str__(self) -> str:
        head = "ERROR" if self.severity == "error" else "WARNING"
        where = f" [{self.where}]" if self.where else ""
        fix = f" Fix: {self.fix}" if self.fix else ""
        return f"{head} {self.file}{where}: {self.message}{fix}"


@dataclass
class Problems:
    """Collects problems while a region is read, so every one is reported at once."""

    items: list[Problem] = field(default_factory=list)

    def error(self, file: str | Path, message: str, fix: str = "", where: str = "") -> None:
        """Record a problem that stops the build."""
        self.items.append(Problem(_name(file), message, fix, where, "error"))

    def warning(self, file: str | Path, message: str, fix: str = "", where: str = "") -> None:
        """Record a problem that is reported while the build goes on."""
        self.items.append(Problem(_name(file), message, fix, where, "warning"))

    @property
    def errors(self) -> list[Problem]:
        """The problems that stop a build."""
        return [p for p in self.items if p.severity == "error"]

    @property
    def warnings(self) -> list[Problem]:
        """The problems that are only reported."""
        return [p for p in self.items if p.severity == "warning"]

    def __iter__(self) -> Iterator[Problem]:
        return iter(self.items)

    def __len__(self) -> int:
        return len(self.items)


class InputError(Exception):
    """Raised when a region's inputs have errors; carries every problem found.

    Parameters
    ----------
    problems : list of Problem
        All problems found, errors and warnings alike.
    """

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        errors = [p for p in problems if p.severity == "error"]
        super().__init__("\n".join(str(p) for p in errors) or "invalid input")


class LayerError(Exception):
    """Raised inside a reader when a layer cannot be read at all.

    The builder turns it into an error :class:`Problem` for that layer's file and carries on
    checking the other layers, so one run reports every broken file.
    """

    def __init__(self, message: str, fix: str = "", where: str = ""):
        super().__init__(message)
        self.message = message
        self.fix = fix
        self.where = where


def _name(file: str | Path) -> str:
    return file.name if isinstance(file, Path) else str(file)


def sample_list(values: list[str] | tuple[str, ...], limit: int = 5) -> str:
    """Format the first few of a list for a message: ``a, b, c (and 12 more)``."""
    values = list(values)
    head = ", ".join(str(v) for v in values[:limit])
    more = len(values) - limit
    return f"{head} (and {more} more)" if more > 0 else head
