"""A prepared data set for the effect of a support programme, small enough to compute by hand.

Two closed rounds: R1 (spring 2024) and R2 (spring 2025). Programme P (national, 2024-2025)
counts as support between the rounds when received after 30/4/2024 and by 30/4/2025.
Each stratum lists the level changes (R2 − R1) of its cooperatives:

| stratum (province, sector, level in R1) | supported       | not supported  |
|-----------------------------------------|-----------------|----------------|
| S1 Đồng Tháp, NN, 1                     | 1 2 0 1 1 (5)   | 0 1 0 0 0 1 (6) |
| S2 Đồng Tháp, NN, 2                     | 1 0 0 1 1 0 (6) | 0 0 1 0 −1 (5) |
| S3 Đồng Tháp, VT, 1 (too few supported) | 2 2 (2)         | 0 × 7          |
| S4 Đắk Lắk, NN, 0 (too few compared)    | 1 × 5           | 0 0 0 (3)      |

S1's last comparable cooperative received the support only after R2 closed.

Left out by the rules: one cooperative supported before R1 closed (in S1's cells), one supported
in the period without a counted response in R2, one not supported whose R2 response is a draft,
and one not supported by P that received another programme's support between the rounds (in S2's
cells, change +3: counted as comparable it would make S2's comparable group 6 with a mean of 0.50).
"""

from __future__ import annotations

import datetime
from dataclasses import dataclass, field

import pytest

from cooperatives.models import Cooperative, Sector, Ward
from support.models import SupportKind, SupportProgramme, SupportReceived
from surveys.models import Response, SurveyRound
from tests.factories import province

IN_PERIOD = datetime.date(2024, 9, 15)


@dataclass
class Prepared:
    round_a: SurveyRound
    round_b: SurveyRound
    programme: SupportProgramme
    other: SupportProgramme
    cooperatives: list[Cooperative] = field(default_factory=list)


class Builder:
    def __init__(self, prepared: Prepared) -> None:
        self.prepared = prepared
        self.serial = 0

    def cooperative(self, province_code: str, sector_code: str) -> Cooperative:
        self.serial += 1
        where = province(province_code)
        cooperative = Cooperative.objects.create(
            code=f"{province_code}9{self.serial:07d}",
            name=f"Hợp tác xã Hỗ trợ {self.serial}",
            province=where,
            ward=Ward.objects.filter(province=where).order_by("code").first(),
            sector=Sector.objects.get(code=sector_code),
        )
        self.prepared.cooperatives.append(cooperative)
        return cooperative

    def measured(self, province_code, sector_code, level_a, change, *, status_b="accepted") -> Cooperative:
        cooperative = self.cooperative(province_code, sector_code)
        Response.objects.create(round=self.prepared.round_a, cooperative=cooperative, status="accepted", level=level_a)
        Response.objects.create(
            round=self.prepared.round_b, cooperative=cooperative, status=status_b, level=level_a + change
        )
        return cooperative

    def supported(self, cooperative, on=IN_PERIOD, programme=None) -> None:
        SupportReceived.objects.create(
            cooperative=cooperative, programme=programme or self.prepared.programme, received_on=on
        )


@pytest.fixture
def closed_rounds(questionnaire):
    round_a = SurveyRound.objects.create(
        code="KS2024",
        name_vi="Khảo sát 2024",
        name_en="Survey 2024",
        questionnaire=questionnaire,
        opens_on=datetime.date(2024, 3, 1),
        closes_on=datetime.date(2024, 4, 30),
    )
    round_b = SurveyRound.objects.create(
        code="KS2025",
        name_vi="Khảo sát 2025",
        name_en="Survey 2025",
        questionnaire=questionnaire,
        opens_on=datetime.date(2025, 3, 1),
        closes_on=datetime.date(2025, 4, 30),
    )
    return round_a, round_b


@pytest.fixture
def programme(db):
    return SupportProgramme.objects.create(
        code="CDS-98",
        name_vi="Đào tạo chuyển đổi số theo Nghị định 98/2018/NĐ-CP",
        name_en="Digital transformation training under Decree 98/2018",
        kind=SupportKind.SUBSIDY_DECREE_98,
        provider="Liên minh Hợp tác xã Việt Nam",
        start_year=2024,
        end_year=2025,
    )


@pytest.fixture
def provincial_programme(province_a):
    return SupportProgramme.objects.create(
        code="DT-SAN",
        name_vi="Đưa hợp tác xã lên sàn thương mại điện tử Đồng Tháp",
        kind=SupportKind.ECOMMERCE,
        provider="Sở Công Thương Đồng Tháp",
        province=province_a,
        start_year=2024,
    )


@pytest.fixture
def prepared(closed_rounds, programme, provincial_programme) -> Prepared:
    round_a, round_b = closed_rounds
    data = Prepared(round_a=round_a, round_b=round_b, programme=programme, other=provincial_programme)
    build = Builder(data)
    # S1 Đồng Tháp, NN, level 1.
    for change in (1, 2, 0, 1, 1):
        build.supported(build.measured("82", "NN", 1, change))
    for change in (0, 1, 0, 0, 0):
        build.measured("82", "NN", 1, change)
    build.supported(build.measured("82", "NN", 1, 1), on=datetime.date(2025, 6, 1))  # after R2: not yet supported
    build.supported(build.measured("82", "NN", 1, 3), on=datetime.date(2024, 4, 1))  # before R1 closed: left out
    # S2 Đồng Tháp, NN, level 2.
    for change in (1, 0, 0, 1, 1, 0):
        build.supported(build.measured("82", "NN", 2, change))
    build.supported(build.measured("82", "NN", 2, 3), programme=provincial_programme)  # another programme: left out
    for change in (0, 0, 1, 0, -1):
        build.measured("82", "NN", 2, change)
    build.measured("82", "NN", 2, 3, status_b="draft")  # its R2 response does not count
    # S3 Đồng Tháp, VT, level 1: two supported.
    for change in (2, 2):
        build.supported(build.measured("82", "VT", 1, change))
    for _ in range(7):
        build.measured("82", "VT", 1, 0)
    # S4 Đắk Lắk, NN, level 0: three comparable.
    for _ in range(5):
        build.supported(build.measured("66", "NN", 0, 1))
    for _ in range(3):
        build.measured("66", "NN", 0, 0)
    # Supported in the period, but with no self-assessment in R2.
    unmeasured = build.cooperative("82", "NN")
    Response.objects.create(round=round_a, cooperative=unmeasured, status="accepted", level=1)
    build.supported(unmeasured)
    return data
