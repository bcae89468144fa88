"""Checks that need the whole dialplan: jump targets, the FastAGI contract,
CALLJOURNAL_* settings and the values the dialplan compares variables with."""

from __future__ import annotations

import re
from urllib.parse import parse_qs, urlsplit

from app_args import dial_options, separate_args, split_top_level
from dialplan import Context, Dialplan, Extension, Priority
from report import Report

AGI_SCRIPTS = {"route", "postcall", "status"}
POSTCALL_QUESTIONS = {"category", "value"}
STATUS_SETTINGS = {"online", "offline", "toggle"}
# Values each variable can take: set by the daemon (ROUTE_*, POSTCALL_*) or by Dial.
CONTRACT_VALUES = {
    "ROUTE_STATUS": {"OK", "OFFLINE", "UNKNOWN", ""},
    "POSTCALL_STATUS": {"SAVED", "SKIPPED", "INVALID", ""},
    "DIALSTATUS": {"ANSWER", "NOANSWER", "BUSY", "CANCEL", "CONGESTION", "CHANUNAVAIL",
                   "DONTCALL", "TORTURE", "INVALIDARGS", ""},
}
CONTRACT_VARIABLES = {"ROUTE_STATUS", "ROUTE_DIAL", "ROUTE_EMPLOYEE_ID", "ROUTE_EMPLOYEE_NAME",
                      "POSTCALL_STATUS", "POSTCALL_CATEGORY", "POSTCALL_VALUE"}
VARIABLE = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)[}:]")
COMPARISON = re.compile(r'"\$\{([A-Z_]+)\}"\s*!?=\s*"([^"]*)"')


def check_dialplan(dialplan: Dialplan, languages: set[str], report: Report) -> None:
    for context, extension, priority in dialplan.all_priorities():
        for target in jump_targets(priority):
            check_target(dialplan, context, extension, priority, target, report)
        if priority.app.lower() == "agi":
            check_agi(dialplan, priority, languages, report)
            report.count("AGI calls")
    check_variables(dialplan, languages, report)


def jump_targets(priority: Priority) -> list[str]:
    """Destinations written in Goto, GotoIf, Gosub, GosubIf and Dial/Queue F()."""
    app, data = priority.app.lower(), priority.data
    if app in ("goto", "gosub"):
        return [data]
    if app in ("gotoif", "gosubif"):
        parts = split_top_level(data, "?")
        if len(parts) < 2:
            return []
        return [branch for branch in split_top_level(parts[1], ":") if branch.strip()]
    options = {"dial": 2, "queue": 1}.get(app)
    if options is not None:
        args = split_top_level(data, ",")
        if len(args) > options:
            argument = dial_options(args[options].strip()).get("F")
            if argument:
                return [argument.replace("^", ",")]
    return []


def check_target(dialplan: Dialplan, context: Context, extension: Extension, priority: Priority,
                 target: str, report: Report) -> None:
    fields = [field.strip() for field in split_top_level(re.sub(r"\(.*\)$", "", target.strip()), ",")]
    if len(fields) > 3 or not all(fields):
        report.error(dialplan.path, priority.line, f"{priority.app}: cannot read destination '{target}'")
        return
    # One field is a label or priority here, two are exten,priority in this context.
    context_name, exten_name, label = [context.name, extension.name][: 3 - len(fields)] + fields
    if "${" in context_name:
        return
    destination = dialplan.contexts.get(context_name)
    if destination is None:
        report.error(dialplan.path, priority.line, f"{priority.app}: context [{context_name}] does not exist")
        return
    if "${" in exten_name:
        return
    target_extension = destination.find(exten_name)
    if target_extension is None:
        report.error(dialplan.path, priority.line,
                     f"{priority.app}: extension '{exten_name}' does not exist in [{context_name}]")
        return
    if "${" in label:
        return
    if label.isdigit():
        if int(label) not in target_extension.numbers():
            report.error(dialplan.path, priority.line,
                         f"{priority.app}: priority {label} does not exist in '{exten_name}' of [{context_name}]")
    elif label not in target_extension.labels():
        report.error(dialplan.path, priority.line,
                     f"{priority.app}: label '{label}' does not exist in '{exten_name}' of [{context_name}]")
    report.count("jumps")


def resolve_globals(dialplan: Dialplan, text: str) -> str:
    def value(match: re.Match[str]) -> str:
        entry = dialplan.globals.get(match.group(1))
        return entry.value if entry else match.group(0)
    return re.sub(r"\$\{([A-Z0-9_]+)\}", value, text)


def check_agi(dialplan: Dialplan, priority: Priority, languages: set[str], report: Report) -> None:
    path, line = dialplan.path, priority.line
    args = separate_args(priority.data)
    if len(args) > 1:
        report.error(path, line, f"AGI() gets {len(args)} arguments: an unescaped comma cuts the URL "
                                 f"after '{args[0]}' (write '\\,' inside the query)")
    url = resolve_globals(dialplan, args[0])
    parts = urlsplit(url)
    if parts.scheme not in ("agi", "hagi") or not parts.hostname:
        report.error(path, line, f"AGI URL '{url}' is not agi://host[:port]/script")
        return
    script = parts.path.lstrip("/")
    if script not in AGI_SCRIPTS:
        report.error(path, line, f"AGI script '{script}' is not one of {', '.join(sorted(AGI_SCRIPTS))}")
        return
    query = parse_qs(parts.query, keep_blank_values=True)
    if script == "route" and len({"did", "ext"} & query.keys()) != 1:
        report.error(path, line, "route needs exactly one of did= or ext=")
    if script == "postcall":
        asked = set(",".join(query.get("ask", [""])).split(","))
        if not query.get("ask") or not asked <= POSTCALL_QUESTIONS:
            report.error(path, line, f"postcall ask= must list {', '.join(sorted(POSTCALL_QUESTIONS))}, got '{','.join(query.get('ask', []))}'")
        if "linkedid" not in query:
            report.error(path, line, "postcall needs linkedid=${CHANNEL(linkedid)} to find the call")
    if script == "status" and query.get("set", [""])[0] not in STATUS_SETTINGS:
        report.error(path, line, f"status set= must be one of {', '.join(sorted(STATUS_SETTINGS))}")
    for lang in query.get("lang", []):
        if "${" not in lang and lang not in languages:
            report.error(path, line, f"lang={lang} has no prompts (sounds for: {', '.join(sorted(languages))})")


def check_variables(dialplan: Dialplan, languages: set[str], report: Report) -> None:
    path = dialplan.path
    assigned = {re.sub(r"^_+", "", p.data.split("=", 1)[0]) for _, _, p in dialplan.all_priorities()
                if p.app.lower() == "set" and "=" in p.data}
    documented = dialplan.config.comment_text()
    for name, entry in dialplan.globals.items():
        if name.startswith("CALLJOURNAL_") and name not in documented:
            report.error(path, entry.line, f"{name} is not explained in the comments")
    for _, _, priority in dialplan.all_priorities():
        for name in VARIABLE.findall(priority.data):
            if name.startswith("CALLJOURNAL_") and name not in dialplan.globals and name not in assigned:
                report.error(path, priority.line, f"${{{name}}} is used but never set ([globals] or Set())")
            if name.startswith(("ROUTE_", "POSTCALL_")) and name not in CONTRACT_VARIABLES:
                report.error(path, priority.line, f"{name} is not a variable the daemon sets")
        for name, value in COMPARISON.findall(priority.data):
            allowed = CONTRACT_VALUES.get(name)
            if allowed is not None and value not in allowed:
                report.error(path, priority.line, f"{name} is never '{value}' (it is one of {', '.join(sorted(v for v in allowed if v))})")
    lang = dialplan.globals.get("CALLJOURNAL_LANG")
    if lang is not None and lang.value not in languages:
        report.error(path, lang.line, f"CALLJOURNAL_LANG={lang.value} has no prompts (sounds for: {', '.join(sorted(languages))})")
