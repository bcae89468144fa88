"""The dialplan of an extensions file, read as pbx/pbx_config.c reads it.

    exten => PATTERN,PRIORITY[(label)],Application(data)
     same => PRIORITY[(label)],Application(data)

PATTERN is literal (101, s, *55) or starts with '_': X = 0-9, Z = 1-9,
N = 2-9, [1-8] a set, '.' one or more and '!' zero or more of anything.
PRIORITY is a number, or 'n' for the previous one plus one.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import Path

from app_args import function_names, unbalanced
from config_file import ConfigFile, Entry
from report import Report

LITERAL_EXTEN = re.compile(r"^[0-9A-Za-z*#+_-]+$")
PRIORITY = re.compile(r"^(\d+|n|hint)(?:\(([A-Za-z0-9_-]+)\))?$")
APPLICATION = re.compile(r"^([A-Za-z][A-Za-z0-9_]*)(?:\((.*)\))?$", re.S)


@dataclass
class Priority:
    number: int
    label: str | None
    app: str
    data: str
    line: int


@dataclass
class Extension:
    name: str
    priorities: list[Priority] = field(default_factory=list)

    def labels(self) -> set[str]:
        return {p.label for p in self.priorities if p.label}

    def numbers(self) -> set[int]:
        return {p.number for p in self.priorities}


@dataclass
class Context:
    name: str
    line: int
    extensions: dict[str, Extension] = field(default_factory=dict)

    def find(self, exten: str) -> Extension | None:
        """The extension Asterisk would run for a literal exten: an exact name
        first, then the first pattern that matches."""
        if exten in self.extensions:
            return self.extensions[exten]
        for name, extension in self.extensions.items():
            if name.startswith("_") and pattern_regex(name).fullmatch(exten):
                return extension
        return None


@dataclass
class Dialplan:
    config: ConfigFile
    contexts: dict[str, Context] = field(default_factory=dict)
    globals: dict[str, Entry] = field(default_factory=dict)

    @property
    def path(self) -> Path:
        return self.config.path

    def all_priorities(self):
        for context in self.contexts.values():
            for extension in context.extensions.values():
                for priority in extension.priorities:
                    yield context, extension, priority


def pattern_regex(pattern: str) -> re.Pattern[str]:
    body = pattern.split("/", 1)[0][1:]
    out, index = [], 0
    while index < len(body):
        char = body[index]
        if char == "[":
            end = body.index("]", index)
            out.append("[" + body[index + 1:end].replace("\\", "\\\\") + "]")
            index = end + 1
            continue
        out.append({"X": "[0-9]", "x": "[0-9]", "Z": "[1-9]", "z": "[1-9]", "N": "[2-9]", "n": "[2-9]",
                    ".": ".+", "!": ".*"}.get(char, re.escape(char)))
        index += 1
    return re.compile("".join(out))


def pattern_problem(pattern: str) -> str | None:
    exten = pattern.split("/", 1)[0]
    if not exten:
        return "empty extension"
    if not exten.startswith("_"):
        return None if LITERAL_EXTEN.match(exten) else f"bad extension '{exten}'"
    body, index = exten[1:], 0
    if not body:
        return "pattern '_' matches nothing"
    while index < len(body):
        char = body[index]
        if char == "[":
            end = body.find("]", index)
            if end < 0:
                return f"pattern '{exten}': '[' without ']'"
            if end == index + 1:
                return f"pattern '{exten}': empty set '[]'"
            index = end + 1
            continue
        if char in ".!" and index != len(body) - 1:
            return f"pattern '{exten}': '{char}' must be the last character"
        if not (char.isalnum() or char in "*#+-.!"):
            return f"pattern '{exten}': bad character '{char}'"
        index += 1
    return None


def read_dialplan(config: ConfigFile, report: Report, applications: set[str], functions: set[str]) -> Dialplan:
    dialplan = Dialplan(config)
    for section in config.sections:
        if section.name == "general":
            continue
        if section.name == "globals":
            for entry in section.entries:
                dialplan.globals[entry.key] = entry
            continue
        context = dialplan.contexts.setdefault(section.name, Context(section.name, section.line))
        read_context(context, section.entries, dialplan.path, report, applications, functions)
        report.count("contexts")
    return dialplan


def read_context(context: Context, entries: list[Entry], path: Path, report: Report,
                 applications: set[str], functions: set[str]) -> None:
    current: Extension | None = None
    for entry in entries:
        key = entry.key.lower()
        if key in ("include", "switch", "ignorepat"):
            continue
        if key not in ("exten", "same"):
            report.error(path, entry.line, f"unknown keyword '{entry.key}' in context [{context.name}]")
            continue
        fields = entry.value.split(",", 2 if key == "exten" else 1)
        if key == "exten":
            pattern = fields[0].strip()
            problem = pattern_problem(pattern)
            if problem:
                report.error(path, entry.line, problem)
                continue
            current = context.extensions.setdefault(pattern, Extension(pattern))
            fields = fields[1:]
        elif current is None:
            report.error(path, entry.line, f"'same =>' before any 'exten =>' in context [{context.name}]")
            continue
        if len(fields) < 2:
            report.error(path, entry.line, "expected 'priority,Application(...)'")
            continue
        add_priority(current, fields[0].strip(), fields[1].strip(), entry.line, path, report, applications, functions)


def add_priority(extension: Extension, priority_text: str, app_text: str, line: int, path: Path,
                 report: Report, applications: set[str], functions: set[str]) -> None:
    match = PRIORITY.match(priority_text)
    if not match:
        report.error(path, line, f"bad priority '{priority_text}' (a number or 'n', with an optional '(label)')")
        return
    number_text, label = match.groups()
    if number_text == "hint":
        return
    if number_text == "n":
        if not extension.priorities:
            report.error(path, line, f"priority 'n' starts extension '{extension.name}'; the first must be 1")
            return
        number = extension.priorities[-1].number + 1
    else:
        number = int(number_text)
        if not extension.priorities and number != 1:
            report.error(path, line, f"extension '{extension.name}' starts at priority {number}, not 1")
    if number in extension.numbers():
        report.error(path, line, f"priority {number} of '{extension.name}' is defined twice")
    if label and label in extension.labels():
        report.error(path, line, f"label '{label}' is defined twice in '{extension.name}'")
    app_match = APPLICATION.match(app_text)
    if not app_match:
        if "(" in app_text and not app_text.endswith(")"):
            report.error(path, line, f"no closing parenthesis in '{app_text}'")
        else:
            report.error(path, line, f"cannot read application '{app_text}'")
        return
    app, data = app_match.group(1), app_match.group(2) or ""
    if app.lower() not in applications:
        report.error(path, line, f"unknown application '{app}'")
    problem = unbalanced(data)
    if problem:
        report.error(path, line, f"{app}(): {problem}")
    called = function_names(data)
    if app.lower() == "set":
        # Set(FUNCTION(args)=value) writes through a function: CDR(userfield), CALLERID(num).
        called += re.findall(r"^([A-Za-z_][A-Za-z0-9_]*)\(", data.split("=", 1)[0])
    for name in called:
        if name.upper() not in functions:
            report.error(path, line, f"unknown dialplan function '{name}'")
    extension.priorities.append(Priority(number, label, app, data, line))
    report.count("priorities")
