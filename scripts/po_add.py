"""Add English translations to the catalogue safely, also while others edit it.

Usage::

    python -m scripts.po_add translations.json     # {"Dutch source": "English", ...}
    python -m scripts.po_add - < translations.json

Takes an exclusive lock on the catalogue, adds (or corrects) the given entries, keeps every
other entry as it is, and writes the file back in one step. Plural entries are given as
``{"one|||other": "English one|||English other"}``. Run ``make translations`` afterwards.
"""

from __future__ import annotations

import fcntl
import json
import os
import sys
import tempfile
from pathlib import Path

from babel.messages.pofile import read_po, write_po

PO_FILE = Path(__file__).resolve().parent.parent / "marketplace" / "translations" / "en" / (
    "LC_MESSAGES/messages.po"
)
SEPARATOR = "|||"


def add(entries: dict[str, str]) -> int:
    lock_path = PO_FILE.with_suffix(".lock")
    with lock_path.open("w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        with PO_FILE.open("rb") as handle:
            catalogue = read_po(handle)
        for source, english in entries.items():
            if SEPARATOR in source:
                msgid: str | tuple[str, ...] = tuple(source.split(SEPARATOR))
                msgstr: str | tuple[str, ...] = tuple(english.split(SEPARATOR))
                key = msgid[0]
            else:
                msgid, msgstr, key = source, english, source
            existing = catalogue.get(key)
            if existing is not None:
                existing.string = msgstr
                existing.flags.discard("fuzzy")
            else:
                catalogue.add(msgid, msgstr)
        fd, tmp = tempfile.mkstemp(dir=PO_FILE.parent, suffix=".po")
        with os.fdopen(fd, "wb") as out:
            write_po(out, catalogue, width=76)
        os.replace(tmp, PO_FILE)
    return len(entries)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    if argv[1] == "-":
        entries = json.load(sys.stdin)
    else:
        with open(argv[1], encoding="utf-8") as handle:
            entries = json.load(handle)
    print(f"{add(entries)} entries written to {PO_FILE}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv))
