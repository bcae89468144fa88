#!/usr/bin/env python3
"""Static check of calljournal's Asterisk configuration (asterisk-conf/).

Reads the files the way Asterisk 22 does (main/config.c, pbx/pbx_config.c,
main/app.c) and reports, as FILE:LINE: message, what would load wrongly or
break a call at run time:

- every file: section headers, "key = value" lines, templates that exist;
- extensions_calljournal.conf: extension patterns, priorities and labels,
  applications and functions that exist, balanced brackets, Goto/GotoIf/Gosub
  and Dial/Queue F() targets that exist, AGI URLs that name route, postcall or
  status with their parameters, CALLJOURNAL_* variables that are defined and
  documented, ROUTE_*/POSTCALL_*/DIALSTATUS names and values of the contract;
- manager_calljournal.conf: timestampevents, a loopback ACL, known read/write
  classes (Asterisk silently ignores a misspelt one), writetimeout >= 100, no
  secret in the file;
- pjsip_calljournal.conf.example: endpoint contexts that exist in the
  dialplan, aor/auth references, the trunk endpoint;
- prompts/<lang>.txt and sounds/<lang>/<name>.wav: every prompt the menu and
  the status key play exists for every language, as 8 kHz mono 16-bit PCM.

Usage:
  check-asterisk-conf.py [ROOT]     check ROOT/asterisk-conf (default: this repository)
  check-asterisk-conf.py --self-test
      prove that every check can fail: scripts/testdata/*.conf carry
      "; expect: MESSAGE" comments on the line before each defect, and each
      must be reported on that line and nothing else; broken sound files are
      made on the fly. The real configuration must pass.
"""

from __future__ import annotations

import sys
from pathlib import Path

# No __pycache__ folders in the repository.
sys.dont_write_bytecode = True
sys.path.insert(0, str(Path(__file__).resolve().parent / "asterisk_conf_check"))

from checks import check_tree  # noqa: E402
from self_test import run_self_test  # noqa: E402


def main(argv: list[str]) -> int:
    scripts = Path(__file__).resolve().parent
    if argv[1:2] == ["--self-test"]:
        return run_self_test(scripts.parent, scripts / "testdata")
    if len(argv) > 2 or argv[1:2] in (["-h"], ["--help"]):
        print(__doc__)
        return 2
    root = Path(argv[1]) if len(argv) == 2 else scripts.parent
    report = check_tree(root)
    report.print(sys.stderr)
    if report.errors:
        print(f"asterisk-conf: {len(report.errors)} problem(s)", file=sys.stderr)
        return 1
    print(f"asterisk-conf: {report.summary()}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv))
