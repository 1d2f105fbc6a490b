"""Merge translations written as JSON into locale/{nb,nn}/LC_MESSAGES/django.po.

Usage: .venv/bin/python scripts/merge_translations.py locale-pending/*.json

Each file maps an English msgid to [bokmål, nynorsk]; a plural msgid is written "singular|plural"
and maps to [[nb singular, nb plural], [nn singular, nn plural]]. Run `manage.py makemessages` first so
the msgids exist; entries already translated are overwritten, fuzzy flags cleared. Prints what it did
and every msgid it could not find.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

from babel.messages.pofile import read_po, write_po

ROOT = Path(__file__).resolve().parent.parent


def main(paths: list[str]) -> int:
    wanted: dict[str, list] = {}
    for path in paths:
        wanted.update(json.loads(Path(path).read_text(encoding="utf-8")))
    missing = set(wanted)
    for index, language in enumerate(("nb", "nn")):
        po_path = ROOT / "locale" / language / "LC_MESSAGES" / "django.po"
        with po_path.open("rb") as f:
            catalog = read_po(f, locale=language)
        merged = 0
        for message in catalog:
            if not message.id:
                continue
            key = "|".join(message.id) if isinstance(message.id, tuple) else message.id
            if key not in wanted:
                continue
            value = wanted[key][index]
            message.string = tuple(value) if isinstance(message.id, tuple) else value
            message.flags.discard("fuzzy")
            missing.discard(key)
            merged += 1
        with po_path.open("wb") as f:
            write_po(f, catalog, width=100, include_previous=False)
        print(f"{language}: {merged} entries merged")
    for key in sorted(missing):
        print(f"not in the catalogue (run makemessages first?): {key[:90]}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
