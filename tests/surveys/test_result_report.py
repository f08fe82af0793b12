"""A result to take home: the one-page A4 PDF (level, pillars, gap to the next level, peers,
next steps, contacts, fonts embedded) and the cooperative's progress across rounds."""

import io
from decimal import Decimal

import pytest
from pypdf import PdfReader

from accounts.models import Role
from cooperatives.models import Province, Sector
from surveys.models import PillarScore, Response, ResponseStatus
from surveys.schemes import schemes_data
from surveys.scoring import SchemeSpec, next_level_gap
from surveys.services import response_save_answers, response_start, response_submit
from tests.factories import CooperativeFactory, UserFactory

pytestmark = pytest.mark.django_db

FIRST = SchemeSpec.parse(schemes_data()["schemes"][0])


def test_the_gap_to_the_next_level_follows_the_level_rule():
    scores = {
        "A": Decimal("56.67"),
        "B": Decimal("45"),
        "C": Decimal("39.99"),
        "D": Decimal("61"),
        "E": Decimal("10"),
        "F": Decimal("20"),
    }
    gap = next_level_gap(Decimal("38.78"), 2, scores, FIRST)
    assert gap is not None
    assert (gap.level, gap.score_needed, gap.score_short) == (3, Decimal(40), Decimal("1.22"))
    # Level 3 needs 4 of the 6 pillars at 3 or above: A, B and D are; one more, C the closest.
    assert (gap.pillars_needed, gap.pillars_short, gap.pillars_below) == (4, 1, ("C", "F", "E"))

    top = next_level_gap(Decimal("79"), 4, dict.fromkeys("ABCDEF", Decimal("79")), FIRST)
    assert top is not None
    assert (top.level, top.score_short, top.pillars_needed, top.pillars_short) == (5, Decimal(1), 6, 6)
    assert next_level_gap(Decimal("95"), 5, dict.fromkeys("ABCDEF", Decimal("95")), FIRST) is None


def mixed_answers(best, worst):
    """Strong in the first three pillars' questions, weak in the rest (a middle level)."""
    codes = list(best)
    return {code: (best if index < len(codes) // 2 else worst)[code] for index, code in enumerate(codes)}


def submitted(cooperative, survey_round, answers, by):
    response = response_start(survey_round=survey_round, cooperative=cooperative, by=by)
    response_save_answers(response=response, answers=answers, by=by)
    return response_submit(response=response, by=by, confirm_warnings=True)


def peer(survey_round, *, province, sector, score, level, status=ResponseStatus.ACCEPTED):
    cooperative = CooperativeFactory(province=province, sector=sector)
    return Response.objects.create(
        round=survey_round, cooperative=cooperative, status=status, score=Decimal(score), level=level
    )


def pdf_of(client, response):
    answer = client.get(f"/surveys/responses/{response.pk}/result.pdf")
    assert answer.status_code == 200 and answer["Content-Type"] == "application/pdf"
    assert answer["Content-Disposition"].startswith('inline; filename="ket-qua-')
    return PdfReader(io.BytesIO(answer.content))


def test_the_one_page_pdf_says_level_pillars_gap_peers_steps_and_contacts_in_vietnamese(
    login, member_a, coop_a, province_a, open_round, best_answers, worst_answers
):
    UserFactory(
        username="canbo_lien",
        first_name="Nguyễn Thị",
        last_name="Liên",
        role=Role.PROVINCIAL_OFFICER,
        province=province_a,
        phone="0277 3851 234",
        email="lien@dongthap.gov.vn",
    )
    response = submitted(coop_a, open_round, mixed_answers(best_answers, worst_answers), member_a)
    assert response.level is not None and response.level < 5
    other_sector = Sector.objects.exclude(pk=coop_a.sector_id).first()
    elsewhere = Province.objects.exclude(pk=province_a.pk).first()
    # The same sector elsewhere: five others, so the sector average shows (this cooperative's too).
    for score, level in [(20, 2), (40, 3), (60, 4), (30, 2), (50, 3)]:
        peer(open_round, province=elsewhere, sector=coop_a.sector, score=score, level=level)
    # The same province, another sector: two others, three with this one: too few to compare.
    for score in (70, 80):
        peer(open_round, province=province_a, sector=other_sector, score=score, level=4)
    peer(open_round, province=province_a, sector=other_sector, score=90, level=5, status=ResponseStatus.DRAFT)

    reader = pdf_of(login(member_a), response)
    assert len(reader.pages) == 1
    box = reader.pages[0].mediabox
    assert (round(float(box.width)), round(float(box.height))) == (595, 842)  # A4 in points
    text = " ".join(reader.pages[0].extract_text().split())

    assert coop_a.name in text
    assert f"{response.level}/5 · {response.level_name}" in text
    pillars = dict(PillarScore.objects.filter(response=response).values_list("pillar_code", "level"))
    for pillar in open_round.questionnaire.pillars.all():
        assert pillar.name_vi in text
    target = response.level + 1
    assert f"Mức {target} ({response.name_of_level(target)}) cần:" in text
    below = [code for code, level in pillars.items() if level < target]
    assert below, "a middle result has pillars below the next level"

    sector_scores = [float(response.score), 20, 40, 60, 30, 50]
    expected = Decimal(sum(sector_scores) / 6).quantize(Decimal("0.1"))
    assert f"{coop_a.sector.name}" in text and f"{expected}".replace(".", ",") in text
    assert "quá ít để so sánh" in text  # the province: three self-assessments

    weakest = sorted(PillarScore.objects.filter(response=response), key=lambda row: (row.level, row.score))[:3]
    names = {p.code: p.name_vi for p in open_round.questionnaire.pillars.all()}
    steps = text.split("BA VIỆC NÊN LÀM TIẾP")[1].split("LIÊN HỆ")[0]
    for row in weakest:
        assert f"{names[row.pillar_code]}:" in steps
    assert "Nguyễn Thị Liên" in text and "0277 3851 234" in text and "lien@dongthap.gov.vn" in text

    # Every font is embedded (as a subset), so the diacritics print anywhere.
    fonts = reader.pages[0]["/Resources"]["/Font"]
    assert fonts
    for font in fonts.values():
        descendant = font.get_object()["/DescendantFonts"][0].get_object()
        assert "DejaVu" in descendant["/BaseFont"]
        assert "/FontFile2" in descendant["/FontDescriptor"].get_object()


def test_the_pdf_follows_the_readers_language(login, member_a, coop_a, open_round, best_answers):
    response = submitted(coop_a, open_round, best_answers, member_a)
    client = login(member_a)
    client.cookies["django_language"] = "en"
    text = " ".join(pdf_of(client, response).pages[0].extract_text().split())
    assert "5/5 · Leading" in text and "The cooperative is at the highest level" in text


def test_no_pdf_before_submission_nor_outside_the_scope(login, member_a, officer_b, coop_a, coop_b, open_round):
    draft = response_start(survey_round=open_round, cooperative=coop_a, by=member_a)
    assert login(member_a).get(f"/surveys/responses/{draft.pk}/result.pdf").status_code == 404
    other = Response.objects.create(
        round=open_round, cooperative=coop_b, status=ResponseStatus.ACCEPTED, score=Decimal(50), level=3
    )
    assert login(member_a).get(f"/surveys/responses/{other.pk}/result.pdf").status_code == 404
    assert login(officer_b).get(f"/surveys/responses/{other.pk}/result.pdf").status_code == 200
    # Returned, it keeps its last score, but that is no result to take to the members.
    Response.objects.filter(pk=other.pk).update(status=ResponseStatus.RETURNED)
    assert login(officer_b).get(f"/surveys/responses/{other.pk}/result.pdf").status_code == 404
    result_page = login(officer_b).get(f"/surveys/responses/{other.pk}/").content.decode()
    assert 'data-testid="result-pdf"' not in result_page


def test_the_progress_page_compares_the_rounds_pillar_by_pillar(
    login, member_a, officer_b, coop_a, open_round, previous_round, django_assert_max_num_queries
):
    pillars = list(open_round.questionnaire.pillars.all())
    before = Response.objects.create(
        round=previous_round, cooperative=coop_a, status=ResponseStatus.ACCEPTED, score=Decimal("30.00"), level=2
    )
    now = Response.objects.create(
        round=open_round, cooperative=coop_a, status=ResponseStatus.SUBMITTED, score=Decimal("42.50"), level=3
    )
    Response.objects.create(  # a returned response is not a result
        round=previous_round, cooperative=CooperativeFactory(), status=ResponseStatus.RETURNED, score=1, level=0
    )
    for index, pillar in enumerate(pillars):
        PillarScore.objects.create(response=before, pillar_code=pillar.code, score=Decimal(20 + index), level=2)
        PillarScore.objects.create(response=now, pillar_code=pillar.code, score=Decimal(25 + 2 * index), level=2)

    client = login(member_a)
    with django_assert_max_num_queries(14):
        page = client.get(f"/surveys/cooperatives/{coop_a.pk}/progress/")
    html = page.content.decode()
    assert page.status_code == 200
    assert html.index("Khảo sát 2025") < html.index("Khảo sát 2026")
    overall = html.split('data-testid="progress-overall"')[1].split("</tr>")[0]
    assert "30,00" in overall and "42,50" in overall and "+12,50" in overall
    last = html.split(f'data-pillar="{pillars[-1].code}"')[1].split("</tr>")[0]
    n = len(pillars) - 1
    assert f"{20 + n},00" in last and f"{25 + 2 * n},00" in last and f"+{5 + n},00" in last
    assert login(officer_b).get(f"/surveys/cooperatives/{coop_a.pk}/progress/").status_code == 404
