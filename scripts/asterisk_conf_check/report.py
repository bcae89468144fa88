"""Problems found in the configuration, printed as FILE:LINE: message."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO


@dataclass(frozen=True)
class Problem:
    path: Path
    line: int
    message: str

    def format(self, root: Path | None = None) -> str:
        shown = self.path
        if root is not None:
            try:
                shown = self.path.relative_to(root)
            except ValueError:
                pass
        return f"{shown}:{self.line}: {self.message}"


@dataclass
class Report:
    root: Path | None = None
    errors: list[Problem] = field(default_factory=list)
    checked: dict[str, int] = field(default_factory=dict)

    def error(self, path: Path, line: int, message: str) -> None:
        self.errors.append(Problem(path, line, message))

    def count(self, what: str, number: int = 1) -> None:
        self.checked[what] = self.checked.get(what, 0) + number

    def print(self, stream: TextIO) -> None:
        for problem in sorted(self.errors, key=lambda p: (str(p.path), p.line)):
            print(problem.format(self.root), file=stream)

    def summary(self) -> str:
        parts = ", ".join(f"{number} {what}" for what, number in self.checked.items())
        return f"ok ({parts})"
