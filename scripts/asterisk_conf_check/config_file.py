"""Asterisk's configuration file format, read as main/config.c reads it.

    ; comment            ;-- block comment, may span lines --;
    [name]               a section (Asterisk: category)
    [name](!)            a template: not used itself, only inherited
    [name](tpl1,tpl2)    inherits the variables of earlier sections tpl1, tpl2
    [name](+)            adds to an earlier section of the same name
    key = value          also "key => value"; "\\;" is a literal semicolon
    #include file        also #tryinclude; #exec needs execincludes=yes
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from report import Report

SECTION_NAME = re.compile(r"^[^\[\]()]+$")
KEY = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9_.(),!-]*$")


@dataclass
class Entry:
    line: int
    key: str
    value: str


@dataclass
class Section:
    name: str
    line: int
    options: list[str]
    entries: list[Entry] = field(default_factory=list)
    includes: list[Entry] = field(default_factory=list)

    @property
    def is_template(self) -> bool:
        return "!" in self.options

    @property
    def templates(self) -> list[str]:
        return [option for option in self.options if option not in ("!", "+")]

    def values(self, key: str) -> list[Entry]:
        return [entry for entry in self.entries if entry.key.lower() == key.lower()]

    def value(self, key: str) -> str | None:
        found = self.values(key)
        return found[-1].value if found else None


@dataclass
class ConfigFile:
    path: Path
    sections: list[Section] = field(default_factory=list)
    comments: list[tuple[int, str]] = field(default_factory=list)

    def named(self, name: str) -> list[Section]:
        return [section for section in self.sections if section.name == name]

    def comment_text(self) -> str:
        return "\n".join(text for _, text in self.comments)


def split_comment(text: str, depth: int) -> tuple[str, str, int]:
    """Splits one line into (content, comment, block-comment depth after it)."""
    content, comment = [], []
    index = 0
    while index < len(text):
        if depth > 0:
            if text.startswith("--;", index):
                depth -= 1
                index += 3
                continue
            if text.startswith(";--", index):
                depth += 1
                index += 3
                continue
            comment.append(text[index])
            index += 1
            continue
        char = text[index]
        if char == "\\" and text.startswith(";", index + 1):
            content.append(";")
            index += 2
            continue
        if char == ";":
            if text.startswith(";--", index):
                depth += 1
                index += 3
                continue
            comment.append(text[index + 1:])
            break
        content.append(char)
        index += 1
    return "".join(content), "".join(comment), depth


def parse_config(path: Path, report: Report, sections_elsewhere: frozenset[str] = frozenset()) -> ConfigFile:
    """Reads one file. sections_elsewhere: sections that the including file
    defines (such as manager.conf's [general]), which "(+)" may extend."""
    config = ConfigFile(path)
    current: Section | None = None
    depth = 0
    for number, raw in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        content, comment, depth = split_comment(raw, depth)
        if comment.strip():
            config.comments.append((number, comment.strip()))
        line = content.strip()
        if not line:
            continue
        if line.startswith("["):
            current = parse_section(line, number, config, report, sections_elsewhere) or current
        elif line.startswith("#"):
            directive, _, argument = line[1:].partition(" ")
            if directive not in ("include", "tryinclude", "exec"):
                report.error(path, number, f"unknown directive '#{directive}'")
            elif not argument.strip():
                report.error(path, number, f"'#{directive}' needs a file name")
            elif directive == "exec":
                report.error(path, number, "'#exec' needs execincludes=yes in asterisk.conf; use #include")
            elif current is not None:
                current.includes.append(Entry(number, directive, argument.strip().strip('"<>')))
        else:
            parse_entry(line, number, current, config, report)
    if depth > 0:
        report.error(path, len(path.read_text(encoding="utf-8").splitlines()), "block comment ';--' is never closed with '--;'")
    report.count("files")
    return config


def parse_section(line: str, number: int, config: ConfigFile, report: Report,
                  sections_elsewhere: frozenset[str]) -> Section | None:
    match = re.match(r"^\[([^\]]*)\](?:\(([^)]*)\))?(.*)$", line)
    if not match:
        report.error(config.path, number, "section header without closing ']' or ')'")
        return None
    name, options, rest = match.group(1).strip(), match.group(2), match.group(3).strip()
    if rest:
        report.error(config.path, number, f"unexpected text after section header: '{rest}'")
    if not name or not SECTION_NAME.match(name):
        report.error(config.path, number, f"bad section name '{name}'")
        return None
    option_list = [option.strip() for option in options.split(",")] if options is not None else []
    for option in option_list:
        if option == "!":
            continue
        if option == "+":
            if not config.named(name) and name not in sections_elsewhere:
                report.error(config.path, number, f"'(+)' adds to section [{name}], which does not exist before it")
        elif not config.named(option):
            report.error(config.path, number, f"template [{option}] is not defined before [{name}]")
    section = Section(name, number, option_list)
    config.sections.append(section)
    return section


def parse_entry(line: str, number: int, current: Section | None, config: ConfigFile, report: Report) -> None:
    if "=" not in line:
        report.error(config.path, number, f"expected 'key = value', got '{line}'")
        return
    key, _, value = line.partition("=")
    key = key.strip()
    value = value[1:] if value.startswith(">") else value
    if not key or not KEY.match(key):
        report.error(config.path, number, f"bad key '{key}'")
        return
    if current is None:
        report.error(config.path, number, f"'{key}' outside any section")
        return
    current.entries.append(Entry(number, key, value.strip()))
