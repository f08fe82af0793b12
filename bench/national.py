"""Load the national data set into the benchmark database once (registry + three rounds).

python -m bench.national     (loads the ×1 data into DATABASE_URL, default coopdx_bench)
"""

from __future__ import annotations

import datetime
import functools
import io
import os
from contextlib import redirect_stdout

from bench.common import DATA_DIR, setup_django, timed
from bench.generate import ROUND_CODES, SECTOR_COUNTS, generate, generate_responses


def prepare(scale: int = 1) -> dict[str, float]:
    """Set Django up on a benchmark database holding the national data ×``scale``.

    ×1 is loaded through the import commands (what benchmark 1 measures); ×N is replicated
    in SQL from ×1 into a database of its own (see bench/replicate.py), before Django connects.
    """
    timings: dict[str, float] = {}
    if scale > 1:
        from bench.replicate import ensure_scaled_database, scaled_database_url

        os.environ.setdefault("DATABASE_URL", scaled_database_url(scale))
        timings = ensure_scaled_database(scale)
    setup_django()
    if scale == 1:
        timings = ensure_national_data()
    return timings


def ensure_national_data(scale: int = 1) -> dict[str, float]:
    """Import the registry and the rounds' responses through the real import commands, if missing."""
    from django.core.management import call_command

    from cooperatives.models import Cooperative
    from surveys.models import Questionnaire, Response, SurveyRound

    timings: dict[str, float] = {}
    registry = DATA_DIR / f"registry_x{scale}.xlsx"
    if not registry.exists():
        generate(scale=scale, out=DATA_DIR)
    if not all((DATA_DIR / f"responses_{code}_x{scale}.xlsx").exists() for code in ROUND_CODES):
        generate_responses(scale=scale, out=DATA_DIR)
    expected = sum(SECTOR_COUNTS.values()) * scale
    if Cooperative.objects.count() != expected:
        with redirect_stdout(io.StringIO()):
            timings["import_registry_s"], _ = timed(lambda: call_command("import_cooperatives", str(registry)))
    questionnaire = Questionnaire.objects.get(code="NATIONAL", version=1)
    for year, code in enumerate(ROUND_CODES):
        survey_round, _ = SurveyRound.objects.get_or_create(
            code=code,
            defaults={
                "name_vi": f"Khảo sát thử {2024 + year}",
                "questionnaire": questionnaire,
                "opens_on": datetime.date(2024 + year, 10, 1),
                "closes_on": datetime.date(2024 + year, 12, 31),
            },
        )
        if Response.objects.filter(round=survey_round).count() != expected:
            path = DATA_DIR / f"responses_{code}_x{scale}.xlsx"
            with redirect_stdout(io.StringIO()):
                timings[f"import_{code}_s"], _ = timed(
                    functools.partial(call_command, "import_responses", str(path), "--round", code)
                )
    return timings


if __name__ == "__main__":
    print(prepare(1))
