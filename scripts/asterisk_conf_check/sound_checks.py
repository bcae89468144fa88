"""Checks that every prompt the daemon plays exists in every language.

The daemon plays calljournal/<lang>/<name> (Asterisk finds <name>.wav under
its sounds directory); a missing file is silence on the line, not an error
anyone sees, so it is caught here.
"""

from __future__ import annotations

import re
import wave
from pathlib import Path

from report import Report

# The post-call menu (enter-category, enter-value, invalid-code, saved) and the
# operator status key (you-are-online, you-are-offline).
REQUIRED_PROMPTS = ("enter-category", "enter-value", "invalid-code", "saved", "you-are-online", "you-are-offline")
PROMPT_LINE = re.compile(r"^([a-z0-9-]+):\s*(\S.*)$")


def read_prompt_texts(path: Path, report: Report) -> dict[str, str]:
    """Reads 'name: text' lines, as scripts/make-prompts does."""
    texts: dict[str, str] = {}
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if not line.strip() or line.startswith("#"):
            continue
        match = PROMPT_LINE.match(line.strip())
        if not match:
            report.error(path, number, f"expected 'name: text', got '{line}'")
            continue
        name, text = match.groups()
        if name in texts:
            report.error(path, number, f"prompt '{name}' is defined twice")
        elif name not in REQUIRED_PROMPTS:
            report.error(path, number, f"prompt '{name}' is not played by the menu or the status key")
        texts[name] = text
    return texts


def check_wav(path: Path, report: Report) -> None:
    try:
        with wave.open(str(path), "rb") as audio:
            rate, channels, width = audio.getframerate(), audio.getnchannels(), audio.getsampwidth()
            frames, compression = audio.getnframes(), audio.getcomptype()
    except (wave.Error, EOFError) as error:
        report.error(path, 1, f"not a PCM WAV file: {error}")
        return
    if (rate, channels, width, compression) != (8000, 1, 2, "NONE"):
        report.error(path, 1, f"{rate} Hz, {channels} channel(s), {8 * width} bit {compression}; "
                              "Asterisk needs 8000 Hz, 1 channel, 16 bit PCM for a .wav prompt")
    elif frames < 8000 // 4:
        report.error(path, 1, f"only {frames} samples: shorter than a quarter second")
    report.count("sounds")


def check_sounds(conf: Path, report: Report) -> set[str]:
    """Returns the languages that have prompt texts."""
    prompts, sounds = conf / "prompts", conf / "sounds"
    languages = {path.stem for path in prompts.glob("*.txt")}
    if not languages:
        report.error(prompts, 1, "no prompt texts (prompts/<lang>.txt)")
    for lang in sorted(languages):
        texts = read_prompt_texts(prompts / f"{lang}.txt", report)
        for name in REQUIRED_PROMPTS:
            if name not in texts:
                report.error(prompts / f"{lang}.txt", 1, f"prompt '{name}' has no text")
            wav = sounds / lang / f"{name}.wav"
            if not wav.is_file():
                report.error(wav, 1, f"missing sound for prompt '{name}' in '{lang}' (run scripts/make-prompts)")
            else:
                check_wav(wav, report)
    if sounds.is_dir():
        for folder in sorted(path for path in sounds.iterdir() if path.is_dir()):
            if folder.name not in languages:
                report.error(folder, 1, f"sounds for '{folder.name}' but no prompts/{folder.name}.txt to re-voice them")
    return languages
