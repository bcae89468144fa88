"""Runs every check over ROOT/asterisk-conf."""

from __future__ import annotations

from pathlib import Path

from config_file import parse_config
from dialplan import read_dialplan
from dialplan_checks import check_dialplan
from manager_checks import check_manager
from pjsip_checks import check_pjsip
from report import Report
from sound_checks import check_sounds

DIALPLAN = "extensions_calljournal.conf"
MANAGER = "manager_calljournal.conf"
PJSIP = "pjsip_calljournal.conf.example"
NAMES = Path(__file__).resolve().parent.parent / "asterisk22-names.txt"


def asterisk_names(path: Path = NAMES) -> tuple[set[str], set[str]]:
    """Application names (lower case) and function names (upper case) of Asterisk 22."""
    sections: dict[str, set[str]] = {}
    current: set[str] | None = None
    for line in path.read_text(encoding="utf-8").splitlines():
        if line.startswith("#") or not line.strip():
            continue
        if line.startswith("["):
            current = sections.setdefault(line.strip("[]"), set())
        elif current is not None:
            current.update(line.split())
    return ({name.lower() for name in sections["applications"]},
            {name.upper() for name in sections["functions"]})


def check_tree(root: Path) -> Report:
    conf = root / "asterisk-conf"
    report = Report(root)
    applications, functions = asterisk_names()
    languages = check_sounds(conf, report)
    dialplan = None
    if (conf / DIALPLAN).is_file():
        dialplan = read_dialplan(parse_config(conf / DIALPLAN, report), report, applications, functions)
        check_dialplan(dialplan, languages, report)
    else:
        report.error(conf / DIALPLAN, 1, "missing")
    if (conf / MANAGER).is_file():
        # manager.conf, which includes this file, has [general]; "(+)" extends it.
        check_manager(parse_config(conf / MANAGER, report, frozenset({"general"})), report)
    else:
        report.error(conf / MANAGER, 1, "missing")
    if (conf / PJSIP).is_file():
        check_pjsip(parse_config(conf / PJSIP, report), dialplan, report)
    else:
        report.error(conf / PJSIP, 1, "missing")
    return report
