"""Fill the English catalogue from its message ids and report what Vietnamese still lacks.

Source strings are English, so the English catalogue's translations are the ids
themselves; this keeps both catalogues complete. Run by ``make messages``.
"""

from __future__ import annotations

import sys
from pathlib import Path

import polib

LOCALE = Path(__file__).resolve().parent.parent / "locale"


def main() -> int:
    english = polib.pofile(str(LOCALE / "en" / "LC_MESSAGES" / "django.po"))
    for entry in english:
        if entry.msgid_plural:
            entry.msgstr_plural = {0: entry.msgid, 1: entry.msgid_plural}
        else:
            entry.msgstr = entry.msgid
        if "fuzzy" in entry.flags:
            entry.flags.remove("fuzzy")
    english.metadata_is_fuzzy = False
    english.metadata["Language"] = "en"
    english.save()
    vietnamese = polib.pofile(str(LOCALE / "vi" / "LC_MESSAGES" / "django.po"))
    if vietnamese.metadata_is_fuzzy or vietnamese.metadata.get("Language") != "vi":
        vietnamese.metadata_is_fuzzy = False
        vietnamese.metadata["Language"] = "vi"
        vietnamese.save()
    missing = vietnamese.untranslated_entries() + vietnamese.fuzzy_entries()
    for entry in missing:
        print(f"vi: untranslated: {entry.msgid!r}", file=sys.stderr)
    return 1 if missing else 0


if __name__ == "__main__":
    sys.exit(main())
