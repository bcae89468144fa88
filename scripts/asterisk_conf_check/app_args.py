"""How Asterisk splits an application's data, and the pieces checks look into.

Variables are substituted first, then the application splits the result
(main/app.c __ast_app_separate_args): at every comma outside (), [] and "",
with a backslash making the next character literal and the quotes removed.
So AGI(agi://host/postcall?ask=category,value) gets two arguments, the URL
ending at "ask=category"; written "category\\,value" it stays one.
"""

from __future__ import annotations

import re

CLOSERS = {"(": ")", "${": "}", "$[": "]", "[": "]"}


def separate_args(data: str, delimiter: str = ",") -> list[str]:
    """Splits like __ast_app_separate_args(data, delimiter, remove_chars=1)."""
    args: list[str] = []
    current: list[str] = []
    paren = bracket = 0
    quote = False
    index = 0
    while index < len(data):
        char = data[index]
        if char == "(":
            paren += 1
        elif char == ")" and paren:
            paren -= 1
        elif char == "[":
            bracket += 1
        elif char == "]" and bracket:
            bracket -= 1
        elif char == '"' and delimiter != '"':
            quote = not quote
            index += 1
            continue
        elif char == "\\":
            if index + 1 < len(data):
                current.append(data[index + 1])
            index += 2
            continue
        elif char == delimiter and not paren and not quote and not bracket:
            args.append("".join(current))
            current = []
            index += 1
            continue
        current.append(char)
        index += 1
    if current or data.endswith(delimiter) or not args:
        args.append("".join(current))
    return args


def split_top_level(text: str, delimiters: str) -> list[str]:
    """Splits at delimiters outside ${...}, $[...], (...), [...] and quotes,
    keeping every character (for reading GotoIf's "cond?a:b" and option lists)."""
    parts, current, stack = [], [], []
    quote = False
    index = 0
    while index < len(text):
        pair = text[index:index + 2]
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            current.append(text[index:index + 2])
            index += 2
            continue
        if char == '"':
            quote = not quote
        elif pair in ("${", "$["):
            stack.append(CLOSERS[pair])
            current.append(pair)
            index += 2
            continue
        elif char in "([":
            stack.append(CLOSERS[char])
        elif stack and char == stack[-1]:
            stack.pop()
        elif char in delimiters and not stack and not quote:
            parts.append("".join(current))
            current = []
            index += 1
            continue
        current.append(char)
        index += 1
    parts.append("".join(current))
    return parts


def unbalanced(text: str) -> str | None:
    """Returns a description of the first unbalanced bracket, or None."""
    stack: list[tuple[str, int]] = []
    index = 0
    while index < len(text):
        pair = text[index:index + 2]
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if pair in ("${", "$["):
            stack.append((CLOSERS[pair], index))
            index += 2
            continue
        if char in "([":
            stack.append((CLOSERS[char], index))
        elif char in ")]}":
            if not stack:
                return f"'{char}' at column {index + 1} closes nothing"
            expected, _ = stack.pop()
            if char != expected:
                return f"'{char}' at column {index + 1} where '{expected}' was expected"
        index += 1
    if stack:
        expected, opened = stack[-1]
        return f"bracket opened at column {opened + 1} is never closed with '{expected}'"
    if text.count('"') % 2:
        return "odd number of double quotes"
    return None


def function_names(text: str) -> list[str]:
    """Names of the dialplan functions called in ${NAME(...)} expressions."""
    return re.findall(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\(", text)


def dial_options(options: str) -> dict[str, str | None]:
    """Reads an option string such as "tF(ctx^s^1)g" into {letter: argument}."""
    found: dict[str, str | None] = {}
    index = 0
    while index < len(options):
        letter = options[index]
        index += 1
        argument = None
        if index < len(options) and options[index] == "(":
            depth, start = 1, index + 1
            index += 1
            while index < len(options) and depth:
                depth += {"(": 1, ")": -1}.get(options[index], 0)
                index += 1
            argument = options[start:index - 1]
        found[letter] = argument
    return found
