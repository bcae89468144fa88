"""Proves that the checks reject what they are meant to reject.

Each scripts/testdata/*.conf names the file it stands in for
("; replaces: extensions_calljournal.conf") and marks every defect with
"; expect: MESSAGE" on the line before it ("; expect-file: MESSAGE" for a
problem of the file as a whole, reported on line 1). The fixture is put in place of
that file in a copy of asterisk-conf/; the check must report exactly the
expected problems on exactly those lines, and nothing else. Broken sounds
and prompt texts are made on the fly the same way.
"""

from __future__ import annotations

import re
import shutil
import tempfile
import wave
from collections.abc import Callable
from pathlib import Path

from checks import check_tree

Expectation = tuple[str, int, str]  # file name, line, message fragment


def fixture_expectations(fixture: Path) -> tuple[str, list[Expectation]]:
    lines = fixture.read_text(encoding="utf-8").splitlines()
    replaces = next((m.group(1) for line in lines if (m := re.match(r";\s*replaces:\s*(\S+)", line))), None)
    if replaces is None:
        raise SystemExit(f"{fixture}: no '; replaces: FILE' line")
    expected: list[Expectation] = []
    for index, line in enumerate(lines):
        whole_file = re.match(r"\s*;\s*expect-file:\s*(.+)$", line)
        if whole_file:
            expected.append((replaces, 1, whole_file.group(1).strip()))
            continue
        match = re.match(r"\s*;\s*expect:\s*(.+)$", line)
        if not match:
            continue
        target = next(n for n in range(index + 1, len(lines))
                      if lines[n].strip() and not lines[n].lstrip().startswith(";"))
        expected.append((replaces, target + 1, match.group(1).strip()))
    return replaces, expected


def compare(name: str, root: Path, expected: list[Expectation]) -> list[str]:
    """Differences between what was expected and what the check reported."""
    report = check_tree(root)
    found = [(p.path.name, p.line, p.message) for p in report.errors]
    failures = []
    for file, line, fragment in expected:
        if not any(f == file and l == line and fragment in m for f, l, m in found):
            failures.append(f"{name}: expected '{fragment}' at {file}:{line}, not reported")
    for file, line, message in found:
        if not any(f == file and l == line and fragment in message for f, l, fragment in expected):
            failures.append(f"{name}: unexpected {file}:{line}: {message}")
    if not report.errors:
        failures.append(f"{name}: the check passed a broken configuration")
    return failures


def with_copy(repo: Path, change: Callable[[Path], None]) -> Path:
    root = Path(tempfile.mkdtemp(prefix="asterisk-conf-self-test."))
    shutil.copytree(repo / "asterisk-conf", root / "asterisk-conf")
    change(root / "asterisk-conf")
    return root


def write_wav(path: Path, rate: int) -> None:
    with wave.open(str(path), "wb") as audio:
        audio.setnchannels(1)
        audio.setsampwidth(2)
        audio.setframerate(rate)
        audio.writeframes(b"\x00\x01" * rate)


def drop_line(path: Path, prefix: str) -> None:
    kept = [line for line in path.read_text(encoding="utf-8").splitlines() if not line.startswith(prefix)]
    path.write_text("\n".join(kept) + "\n", encoding="utf-8")


def sound_cases() -> list[tuple[str, Callable[[Path], None], list[Expectation]]]:
    return [
        ("missing WAV", lambda conf: (conf / "sounds/uk/saved.wav").unlink(),
         [("saved.wav", 1, "missing sound for prompt 'saved' in 'uk'")]),
        ("22050 Hz WAV", lambda conf: write_wav(conf / "sounds/ru/enter-value.wav", 22050),
         [("enter-value.wav", 1, "Asterisk needs 8000 Hz, 1 channel, 16 bit PCM")]),
        ("prompt without text", lambda conf: drop_line(conf / "prompts/en.txt", "invalid-code:"),
         [("en.txt", 1, "prompt 'invalid-code' has no text")]),
    ]


def run_self_test(repo: Path, testdata: Path) -> int:
    results: dict[str, list[str]] = {}
    real = check_tree(repo)
    results["real asterisk-conf/ passes"] = [f"the real configuration fails: {p.format(repo)}" for p in real.errors]

    fixtures = sorted(testdata.glob("*.conf"))
    if not fixtures:
        results["fixtures present"] = [f"no fixtures in {testdata}"]
    for fixture in fixtures:
        replaces, expected = fixture_expectations(fixture)
        root = with_copy(repo, lambda conf: shutil.copyfile(fixture, conf / replaces))
        results[f"{fixture.name} ({len(expected)} defects) rejected"] = compare(fixture.name, root, expected)
        shutil.rmtree(root)

    for name, change, expected in sound_cases():
        root = with_copy(repo, change)
        results[f"{name} rejected"] = compare(name, root, expected)
        shutil.rmtree(root)

    for case, failures in results.items():
        print(f"self-test: {case}: {'ok' if not failures else 'FAILED'}")
        for failure in failures:
            print(f"    {failure}")
    failed = sum(1 for failures in results.values() if failures)
    print(f"{len(results) - failed} passed, {failed} failed")
    return 1 if failed else 0
