"""Checks of the daemon's AMI user (manager_calljournal.conf)."""

from __future__ import annotations

import ipaddress

from config_file import ConfigFile, Section
from report import Report

# main/manager.c perms[]; get_perm() silently ignores any other word.
CLASSES = {"system", "call", "log", "verbose", "command", "agent", "user", "config", "dtmf",
           "reporting", "cdr", "dialplan", "originate", "agi", "cc", "aoc", "test", "security",
           "message", "all", "none"}
# The event classes the journal is built from (ami.*.events in calljournal.yaml).
NEEDED_READ = {"call", "cdr", "dialplan", "agent"}
# CoreShowChannels is registered with system|reporting; either one lets it run.
CORESHOWCHANNELS = {"system", "reporting"}
TOO_MUCH_WRITE = {"all", "system", "command", "config", "originate", "call", "agent", "user", "message"}
TRUE = {"yes", "true", "y", "t", "1", "on"}


def check_manager(config: ConfigFile, report: Report) -> None:
    path = config.path
    general = config.named("general")
    stamps = [entry for section in general for entry in section.values("timestampevents")]
    if not stamps or stamps[-1].value.lower() not in TRUE:
        report.error(path, general[0].line if general else 1,
                     "timestampevents = yes is missing from [general] (the journal times calls by it)")
    users = [section for section in config.sections if section.name != "general" and not section.is_template]
    if len(users) != 1:
        report.error(path, 1, f"expected one AMI user section, found {len(users)}")
    for user in users:
        check_user(user, config, report)


def classes(user: Section, key: str, config: ConfigFile, report: Report) -> set[str]:
    entry = (user.values(key) or [None])[-1]
    if entry is None:
        report.error(config.path, user.line, f"[{user.name}] has no {key}= line")
        return set()
    if any(char.isspace() for char in entry.value):
        report.error(config.path, entry.line, f"{key}= must not contain spaces: Asterisk would not match the classes")
    found = {word.strip() for word in entry.value.split(",") if word.strip()}
    for word in sorted(found - CLASSES):
        report.error(config.path, entry.line, f"{key}= class '{word}' does not exist (Asterisk ignores it silently)")
    return found


def check_user(user: Section, config: ConfigFile, report: Report) -> None:
    path = config.path
    read = classes(user, "read", config, report)
    write = classes(user, "write", config, report)
    read_line = (user.values("read") or [user])[-1].line
    write_line = (user.values("write") or [user])[-1].line
    if read and not NEEDED_READ <= read and "all" not in read:
        report.error(path, read_line, f"read= lacks {', '.join(sorted(NEEDED_READ - read))}: the journal needs those events")
    if "all" in read:
        report.error(path, read_line, "read=all sends every event class; list only what the daemon reads")
    if write and not write & CORESHOWCHANNELS:
        report.error(path, write_line, "write= allows no CoreShowChannels (needs system or reporting)")
    for word in sorted(write & TOO_MUCH_WRITE):
        report.error(path, write_line, f"write={word} grants more than the daemon needs (reporting is enough)")
    if user.value("secret") is not None:
        report.error(path, user.values("secret")[-1].line,
                     "the secret must not be in this file: #include it from a file readable by asterisk only")
    if not user.includes:
        report.error(path, user.line, f"[{user.name}] does not #include its secret file")
    check_writetimeout(user, config, report)
    check_acl(user, config, report)


def check_writetimeout(user: Section, config: ConfigFile, report: Report) -> None:
    entry = (user.values("writetimeout") or [None])[-1]
    if entry is None:
        report.error(config.path, user.line, "writetimeout is not set: the 100 ms default cuts off a briefly slow reader")
        return
    if not entry.value.isdigit() or int(entry.value) <= 100:
        report.error(config.path, entry.line, f"writetimeout={entry.value} must be a number of ms above the 100 ms default")


def check_acl(user: Section, config: ConfigFile, report: Report) -> None:
    denies = user.values("deny")
    permits = user.values("permit")
    for entry in denies + permits:
        try:
            ipaddress.ip_network(entry.value.replace(" ", ""), strict=False)
        except ValueError:
            report.error(config.path, entry.line, f"{entry.key}={entry.value} is not an address/mask")
    if not any(entry.value.replace(" ", "") in ("0.0.0.0/0.0.0.0", "0.0.0.0/0") for entry in denies):
        report.error(config.path, user.line, f"[{user.name}] does not deny=0.0.0.0/0.0.0.0 before its permits")
    loopback = False
    for entry in permits:
        try:
            loopback |= ipaddress.ip_network(entry.value.replace(" ", ""), strict=False).network_address.is_loopback
        except ValueError:
            pass
    if not loopback:
        report.error(config.path, user.line, f"[{user.name}] does not permit loopback, where the daemon connects from")
