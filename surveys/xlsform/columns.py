"""The XLSForm columns CoopDX reads and writes, declared once for the import and the export.

Standard XLSForm columns (``survey``, ``choices``, ``settings`` sheets) carry what other tools
understand; CoopDX's own facts (pillar and question weights, option scores, score bands, number
bounds, units, the scoring scheme, the advice per level and the consistency rules) go in columns
and sheets named ``coopdx_…``, which ODK, KoboToolbox and pyxform pass over.
"""

from __future__ import annotations

import re

LANGUAGES = {"vi": "Vietnamese (vi)", "en": "English (en)"}

# survey sheet
TYPE, NAME, REQUIRED, RELEVANT, CONSTRAINT = "type", "name", "required", "relevant", "constraint"
LABEL, HINT, CONSTRAINT_MESSAGE = "label", "hint", "constraint_message"
WEIGHT, SCORED, MAX_SCORE, BANDS = "coopdx_weight", "coopdx_scored", "coopdx_max_score", "coopdx_bands"
MINIMUM, MAXIMUM, KIND = "coopdx_min", "coopdx_max", "coopdx_kind"
UNIT = "coopdx_unit"  # coopdx_unit_vi, coopdx_unit_en
# choices sheet
LIST_NAME, SCORE, EXCLUSIVE = "list_name", "coopdx_score", "coopdx_exclusive"
# settings sheet
FORM_TITLE, FORM_ID, VERSION, DEFAULT_LANGUAGE = "form_title", "form_id", "version", "default_language"
TITLE_EN, SCHEME, SOURCE = "coopdx_title_en", "coopdx_scheme", "coopdx_source"
# CoopDX's own sheets
ADVICE_SHEET, RULES_SHEET = "coopdx_advice", "coopdx_rules"
ADVICE_COLUMNS = ("pillar", "level", "text_vi", "text_en")
RULES_COLUMNS = ("code", "severity", "when", "must", "message_vi", "message_en")

# Rows that record how a form was filled in (ODK's metadata), not questions: passed over.
METADATA_TYPES = frozenset(
    {"start", "end", "today", "deviceid", "phonenumber", "simserial", "subscriberid", "username", "email", "audit"}
)
YES = frozenset({"yes", "true", "true()", "1", "có"})


def translated(column: str, language: str) -> str:
    """``label`` + ``vi`` → ``label::Vietnamese (vi)``."""
    return f"{column}::{LANGUAGES[language]}"


def header_language(header: str, column: str) -> str | None:
    """The language code a header gives ``column`` in (``label``, ``label::Vietnamese (vi)``,
    ``label::English``), ``vi`` for the plain column, None for another column or language."""
    name = header.strip()
    if name.lower() == column:
        return "vi"
    match = re.fullmatch(rf"{column}\s*::?\s*(.+)", name, flags=re.IGNORECASE)
    if not match:
        return None
    language = match.group(1).strip().lower()
    code = re.search(r"\((\w+)\)\s*$", language)
    if code:
        return code.group(1) if code.group(1) in LANGUAGES else None
    for key, long_name in LANGUAGES.items():
        if language in (key, long_name.split(" ")[0].lower()):
            return key
    return "vi" if language in ("tiếng việt", "vietnamese") else None


def is_yes(value: object) -> bool:
    return str(value or "").strip().lower() in YES
