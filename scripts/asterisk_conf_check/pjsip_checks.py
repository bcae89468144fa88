"""Checks of the PJSIP example against the dialplan it feeds."""

from __future__ import annotations

from config_file import ConfigFile, Entry, Section
from dialplan import Dialplan
from report import Report

REFERENCES = {"aors": "aor", "auth": "auth", "outbound_auth": "auth", "endpoint": "endpoint",
              "transport": "transport"}


def effective(section: Section, config: ConfigFile, seen: frozenset[str] = frozenset()) -> list[Entry]:
    """The section's entries after inheriting its templates, earliest first."""
    entries: list[Entry] = []
    for name in section.templates:
        if name in seen:
            continue
        for template in config.named(name):
            if template.line < section.line:
                entries += effective(template, config, seen | {name})
    return entries + section.entries


def value(entries: list[Entry], key: str) -> str | None:
    found = [entry.value for entry in entries if entry.key == key]
    return found[-1] if found else None


def check_pjsip(config: ConfigFile, dialplan: Dialplan | None, report: Report) -> None:
    path = config.path
    objects: dict[tuple[str, str], Section] = {}
    resolved: list[tuple[Section, list[Entry], str]] = []
    for section in config.sections:
        if section.is_template:
            continue
        entries = effective(section, config)
        kind = value(entries, "type")
        if kind is None:
            report.error(path, section.line, f"[{section.name}] has no type= (itself or from a template)")
            continue
        objects[(section.name, kind)] = section
        resolved.append((section, entries, kind))
    for section, entries, kind in resolved:
        for key, wanted in REFERENCES.items():
            for name in (value(entries, key) or "").split(","):
                if name.strip() and (name.strip(), wanted) not in objects:
                    report.error(path, section.line, f"[{section.name}] {key}={name.strip()}: no type={wanted} section of that name")
        if kind == "endpoint":
            report.count("endpoints")
            context = value(entries, "context")
            if dialplan is not None and context not in dialplan.contexts:
                report.error(path, section.line, f"endpoint [{section.name}] context={context} is not in {dialplan.path.name}")
    if dialplan is None:
        return
    trunk = dialplan.globals.get("CALLJOURNAL_TRUNK")
    trunk_name = trunk.value if trunk else "trunk"
    if (trunk_name, "endpoint") not in objects:
        report.error(path, 1, f"no endpoint [{trunk_name}] (CALLJOURNAL_TRUNK in {dialplan.path.name})")
    contexts = {value(entries, "context") for _, entries, kind in resolved if kind == "endpoint"}
    for wanted in ("calljournal-inbound", "calljournal-internal"):
        if wanted not in contexts:
            report.error(path, 1, f"no endpoint uses context={wanted}")
