"""The dashboard reads the snapshot: figures, rank, map, downloads, and constant query counts."""

import csv
import html
import io
import re
from html.parser import HTMLParser

import pytest

from indicators import services as indicator_services
from indicators.models import AggregationRun, IndicatorSnapshot
from tests.factories import CooperativeFactory
from tests.indicators.test_aggregation import answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(questionnaire, open_round, previous_round, national_admin, province_a, province_b):
    from surveys.models import Response

    # Five answers in each province: a share over fewer is shown as "n < 5", without a rank.
    for index in range(5):
        cooperative = CooperativeFactory(province=province_a, code=f"820000010{index}")
        answer(questionnaire, open_round, cooperative, national_admin, ONLINE_CHANNELS=["marketplace"])
        cooperative = CooperativeFactory(province=province_b, code=f"660000010{index}")
        answer(questionnaire, open_round, cooperative, national_admin, ONLINE_CHANNELS=["none"])
    # The previous round, closed now: its responses are written as a paper import would.
    old = CooperativeFactory(province=province_a, code="8200000200")
    Response.objects.create(round=previous_round, cooperative=old, status="accepted", score=10, level=1)
    indicator_services.aggregate_indicators()
    return open_round


def test_officer_home_is_the_province_dashboard_with_rank_and_national_value(login, officer_a, figures):
    page = login(officer_a).get("/").content.decode()
    assert "Đồng Tháp" in page
    assert 'data-testid="cards"' in page
    # e-commerce: Đồng Tháp's 100 % ranks first of the 34 provinces, two of which have figures
    assert "hạng 1/34 (2 tỉnh có số liệu)" in card(page, "ecommerce_pct")
    assert 'data-testid="as-of"' in page
    assert "Khảo sát 2026" in page


def test_officer_cannot_switch_to_another_province(login, officer_a, figures):
    page = login(officer_a).get("/dashboard/", {"province": "66"}).content.decode()
    assert "Đồng Tháp" in page and "Tỉnh Đắk Lắk" not in page


def test_national_view_has_the_map_and_the_province_table(login, ministry_analyst, figures):
    page = login(ministry_analyst).get("/dashboard/", {"metric": "ecommerce_pct"}).content.decode()
    assert page.count('data-testid="map-province"') == 34
    assert page.count('data-testid="map-archipelago"') == 2
    assert 'data-testid="province-table"' in page
    assert "<title>Đồng Tháp: 100,0%</title>" in page
    # Đắk Lắk's 0 % is a figure, the lowest class; Khánh Hòa has none, and neither has its Trường Sa.
    assert "<title>Đắk Lắk: 0,0%</title>" in page
    assert "<title>Khánh Hòa: chưa có số liệu</title>" in page
    assert "<title>Quần đảo Trường Sa (Khánh Hòa): chưa có số liệu</title>" in page
    assert '<a href="?province=82&amp;round=KS2026" data-testid="map-province" data-code="82"' in page


def test_members_and_anonymous_have_no_dashboard(client, login, member_a):
    assert client.get("/dashboard/").status_code == 302
    assert login(member_a).get("/dashboard/").status_code == 403


def test_every_table_downloads_with_round_and_as_of(login, ministry_analyst, figures):
    client = login(ministry_analyst)
    for table in ("cards", "trend", "levels", "sectors", "provinces"):
        response = client.get(f"/dashboard/export/{table}.csv")
        assert response.status_code == 200, table
        rows = list(csv.reader(io.StringIO(response.content.decode("utf-8-sig"))))
        assert rows[0][-2:] == ["Đợt khảo sát", "Số liệu tính đến"]
        assert len(rows) > 1
        assert all(row[-2] == "Khảo sát 2026" for row in rows[1:])
    xlsx = client.get("/dashboard/export/provinces.xlsx")
    assert xlsx["Content-Type"].startswith("application/vnd.openxmlformats")


@pytest.mark.parametrize("extra", [0, 25])
def test_dashboard_queries_do_not_grow_with_cooperatives(
    login,
    officer_a,
    ministry_analyst,
    questionnaire,
    open_round,
    national_admin,
    province_a,
    extra,
    django_assert_max_num_queries,
):
    for index in range(extra):
        cooperative = CooperativeFactory(province=province_a, code=f"82000003{index:02d}")
        answer(questionnaire, open_round, cooperative, national_admin, DX_NEED="yes")
    indicator_services.aggregate_indicators()
    # The officer's page reads its wards too (one query) and the work list (seven, see
    # tests/directives/test_work_list.py); both read the targets (one; the national map one more).
    # Completeness and timeliness: three grouped queries, and the province's rounds (one).
    for user, limit in ((officer_a, 21 + 7 + 4), (ministry_analyst, 18 + 3)):
        client = login(user)
        client.get("/")
        with django_assert_max_num_queries(limit):
            assert client.get("/dashboard/").status_code == 200


def test_only_a_national_admin_can_trigger_a_refresh(
    login, national_admin, officer_a, figures, django_capture_on_commit_callbacks
):
    assert login(officer_a).post("/dashboard/refresh/").status_code == 403
    before = AggregationRun.objects.count()
    client = login(national_admin)
    with django_capture_on_commit_callbacks(execute=True):
        client.post("/dashboard/refresh/")
    assert AggregationRun.objects.count() == before + 1
    latest = AggregationRun.objects.order_by("-started_at").first()
    assert (latest.trigger, latest.triggered_by, latest.status) == ("manual", national_admin, "succeeded")
    status = client.get("/dashboard/runs/latest/").content.decode()
    assert 'data-status="succeeded"' in status


@pytest.mark.parametrize(
    ("role", "province_choice", "refresh_button"),
    [
        ("officer_a", False, False),
        ("ministry_analyst", True, False),
        ("national_admin", True, True),
    ],
)
def test_the_dashboard_offers_the_province_choice_and_the_refresh_by_the_rules(
    request, login, figures, role, province_choice, refresh_button
):
    page = login(request.getfixturevalue(role)).get("/dashboard/").content.decode()
    assert ('id="province-select"' in page) is province_choice
    assert ('data-testid="refresh"' in page) is refresh_button


def test_fanning_out_per_province_gives_the_same_figures(figures, settings, monkeypatch):
    from indicators import tasks

    def figures_now():
        rows = IndicatorSnapshot.objects.values_list("scope_key", "metric", "value")
        return sorted(rows, key=lambda r: (r[0], r[1], r[2] is None, r[2] or 0))

    single = figures_now()
    monkeypatch.setattr(indicator_services, "should_fan_out", lambda: True)
    tasks.aggregate_indicators.delay(trigger="test")
    run = AggregationRun.objects.order_by("-started_at").first()
    assert (run.status, run.partitions_total, run.partitions_done) == ("succeeded", 34, 34)
    assert figures_now() == single


def test_empty_dashboard_explains_when_figures_come(login, officer_a):
    page = login(officer_a).get("/").content.decode()
    assert "01:00" in page


def test_a_task_page_shows_its_linked_indicator_round_by_round(login, national_admin, figures):
    from directives.models import DirectiveTask

    task = next(t for t in DirectiveTask.objects.all() if "ecommerce_pct" in t.indicator_codes)
    page = login(national_admin).get(f"/directives/tasks/{task.pk}/").content.decode()
    assert 'data-testid="indicator-trend"' in page
    assert "Khảo sát 2026" in page


# Numbers that a browser or a script reads (SVG geometry, data-* values) must not follow the
# page's language: "116,1" is not a coordinate and "1.234" is not a thousand.
SVG_NUMBER_ATTRIBUTES = {
    "cx",
    "cy",
    "r",
    "x",
    "y",
    "width",
    "height",
    "stroke-width",
    "rx",
    "ry",
    "x1",
    "y1",
    "x2",
    "y2",
}
PATH_COMMANDS = re.compile(r"[MLZ]")
STRICT_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")


class _Attributes(HTMLParser):
    def __init__(self):
        super().__init__()
        self.found = []

    def handle_starttag(self, tag, attrs):
        for name, value in attrs:
            self.found.append((tag, name, value or ""))


def _numbers_read_by_machines(html):
    parser = _Attributes()
    parser.feed(html)
    for tag, name, value in parser.found:
        if name in SVG_NUMBER_ATTRIBUTES or name == "viewbox":
            yield tag, name, value, [part for part in re.split(r"[\s]+", value.strip()) if part]
        elif tag == "path" and name == "d":
            yield tag, name, value[:40], [part for part in PATH_COMMANDS.sub(" ", value).split() if part]
        elif name.startswith("data-") and name != "data-testid" and re.match(r"-?\d", value):
            yield tag, name, value, [value]


@pytest.mark.parametrize("language", ["vi", "en"])
def test_map_coordinates_and_data_values_are_locale_independent(client, login, ministry_analyst, figures, language):
    client.cookies["django_language"] = language
    page = login(ministry_analyst).get("/dashboard/", {"metric": "ecommerce_pct"}).content.decode()
    checked = {"d": 0, "viewbox": 0, "data-value": 0, "data-anchor-x": 0, "x": 0, "y": 0}
    for tag, name, value, parts in _numbers_read_by_machines(page):
        for part in parts:
            assert STRICT_NUMBER.fullmatch(part), f'<{tag} {name}="{value}"> is not a plain number ({language})'
        checked[name] = checked.get(name, 0) + 1
    # Every province and archipelago is drawn from plain numbers, with its caption's anchor, the two
    # archipelagos' names are placed (two lines each), and the table sorts on plain numbers.
    assert checked["d"] == 34 + 2
    assert checked["data-anchor-x"] == checked["data-anchor-y"] == 34 + 2
    assert checked["x"] == 2 * 2
    assert checked["viewbox"] == 1 + 3  # the map, and the legend's swatches of two classes and "no data"
    # Four columns of the two provinces with figures in the province table (the completeness
    # table's sortable values are plain numbers too, checked above).
    table = page[page.index('data-testid="province-table"') :]
    assert len(re.findall(r'data-value="-?\d', table[: table.index("</table>")])) == 4 * 2
    # The people reading the page still get their own decimals.
    assert ("<title>Đồng Tháp: 100,0%</title>" if language == "vi" else "<title>Đồng Tháp: 100.0%</title>") in page


def card(page, metric):
    """The text of one dashboard card, tags removed."""
    match = re.search(rf'data-testid="card-{metric}">(.*?)</div></div></div>', page, re.S)
    assert match, metric
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", match.group(1))).split())


def test_an_open_round_is_not_shown_as_a_change_from_a_finished_one(login, officer_a, figures):
    # KS2026 is on its 11th day; KS2025 is over. In Đồng Tháp 5 of 6 cooperatives answered
    # KS2026 (83.3 %), 1 of 6 answered KS2025 (16.7 %): not a rise, only a partial count.
    page = login(officer_a).get("/").content.decode()
    coverage = card(page, "survey_coverage_pct")
    assert "▲" not in coverage and "▼" not in coverage
    assert "83,3 %" in coverage
    assert "Khảo sát 2025 (cuối đợt): 16,7" in coverage
    note = re.search(r'data-testid="comparison-note">(.*?)</p>', page, re.S).group(1)
    assert "Đợt Khảo sát 2026 đang mở (ngày 11 trên 41 ngày)" in note
    assert "Chưa so sánh với đợt Khảo sát 2025" in note


def test_an_open_round_is_compared_with_the_previous_round_on_the_same_day(login, officer_a, figures, previous_round):
    import datetime

    # The nightly figures of KS2025 on its own 11th day, when 1 of 4 … no: 0 of 4 had answered.
    day_11 = previous_round.opens_on + datetime.timedelta(days=10)
    for row in IndicatorSnapshot.objects.filter(round=previous_round, scope_key="p:82"):
        row.pk, row.snapshot_date = None, day_11
        if row.metric == "survey_coverage_pct":
            row.value, row.numerator = 0, 0
        row.save()
    page = login(officer_a).get("/").content.decode()
    assert "▲ +83,3 so với Khảo sát 2025 vào ngày 11" in card(page, "survey_coverage_pct")
    note = re.search(r'data-testid="comparison-note">(.*?)</p>', page, re.S).group(1)
    assert "so sánh với đợt Khảo sát 2025 vào ngày thứ 11 của đợt đó" in note, note


def test_a_closed_round_is_compared_with_the_final_figures_of_the_previous_one(login, officer_a, figures):
    import datetime

    from django.utils import timezone

    today = timezone.localdate()
    figures.opens_on, figures.closes_on = today - datetime.timedelta(days=60), today - datetime.timedelta(days=1)
    figures.save()
    page = login(officer_a).get("/").content.decode()
    assert "▲ +66,7 so với Khảo sát 2025 (cuối đợt)" in card(page, "survey_coverage_pct")
    assert "so sánh số liệu cuối đợt Khảo sát 2026 với số liệu cuối đợt Khảo sát 2025" in page
    assert "đang mở" not in page


def test_every_card_says_how_many_answers_it_rests_on(login, officer_a, figures):
    page = login(officer_a).get("/").content.decode()
    assert "5 trên 6 HTX đang hoạt động" in card(page, "survey_coverage_pct")
    for metric in ("maturity_score_avg", "dx_necessary_pct", "online_sales_pct", "ecommerce_pct"):
        assert "n = 5 phiếu tự đánh giá" in card(page, metric), metric


def test_provinces_with_equal_figures_share_a_rank_out_of_34(login, officer_b, figures):
    # Đắk Lắk's cooperatives have no e-commerce (0 %), behind Đồng Tháp (100 %); both have
    # digital accounting 0 %: equal, so both first.
    page = login(officer_b).get("/").content.decode()
    assert "hạng 2/34 (2 tỉnh có số liệu)" in card(page, "ecommerce_pct")
    assert "hạng 1/34 (2 tỉnh có số liệu)" in card(page, "traceability_pct")


@pytest.mark.parametrize(
    "language, names",
    [
        ("vi", ["Chưa chuyển đổi số", "Khởi động", "Bắt đầu", "Hình thành", "Nâng cao", "Dẫn dắt"]),
        ("en", ["Not yet digital", "Starting", "Beginning", "Forming", "Advanced", "Leading"]),
    ],
)
def test_the_level_chart_names_the_levels(client, login, officer_a, figures, language, names):
    import json

    client.cookies["django_language"] = language
    page = login(officer_a).get("/").content.decode()
    chart = json.loads(re.search(r'id="dashboard-data" type="application/json">(.*?)</script>', page).group(1))
    assert chart["levels"]["labels"] == [f"{level} · {name}" for level, name in enumerate(names)]
    assert chart["levels"]["values"][0] == 5  # the five worst-answer responses are at level 0
    assert f"<td>3 · {names[3]}</td>" in page


def test_the_sector_table_names_sectors_in_the_page_language(client, login, officer_a, figures):
    client.cookies["django_language"] = "en"
    page = login(officer_a).get("/").content.decode()
    table = re.search(r'data-testid="sector-table">(.*?)</table>', page, re.S).group(1)
    assert "<td>Agriculture</td>" in table and "Nông nghiệp" not in table


def map_legend(page):
    title = re.search(r'id="map-legend-title">(.*?)</div>', page, re.S).group(1)
    legend = re.search(r'aria-label="(?:Chú giải|Legend)">(.*?)</ul>', page, re.S).group(1)
    items = [" ".join(re.sub(r"<[^>]+>", " ", item).split()) for item in re.findall(r"<li.*?</li>", legend, re.S)]
    return title, items, re.findall(r'<rect width="14" height="14" fill="([^"]+)"', legend)


def test_the_map_legend_has_no_repeated_overlapping_or_empty_classes(login, ministry_analyst, figures):
    # Two provinces with e-commerce figures, 0 % and 100 %: two classes, the higher one darker, each
    # named by the figures in it (not "0,0–0,0" then "0,0–100,0", which overlap), then the 32 others.
    page = login(ministry_analyst).get("/dashboard/", {"metric": "ecommerce_pct"}).content.decode()
    title, items, fills = map_legend(page)
    assert title.endswith(" (%)")
    assert items == ["0,0% (1 tỉnh)", "100,0% (1 tỉnh)", "Chưa có số liệu (32 tỉnh)"]
    assert fills == ["#ffffcc", "#253494", "url(#map-no-data)"]
    assert re.search(r'data-code="82".*?<path d="[^"]+" fill="#253494"', page, re.S)  # Đồng Tháp, 100 %
    assert re.search(r'data-code="66".*?<path d="[^"]+" fill="#ffffcc"', page, re.S)  # Đắk Lắk, 0 %


def test_the_map_legend_names_a_score_in_points_in_the_page_language(client, login, ministry_analyst, figures):
    client.cookies["django_language"] = "en"
    page = login(ministry_analyst).get("/dashboard/", {"metric": "maturity_score_avg"}).content.decode()
    title, items, _fills = map_legend(page)
    assert title == "Average maturity score (points)"
    assert items == ["0.0 points (1 province)", "1.9 points (1 province)", "No data (32 provinces)"]
    assert "<title>Đồng Tháp: 1.9\xa0points</title>" in page


def ward_rows(page):
    """(ward code, name, cells by metric) of the province page's ward table."""
    body = re.search(r'data-testid="ward-table".*?<tbody>(.*?)</tbody>', page, re.S).group(1)
    rows = []
    for code, row in re.findall(r'<tr data-ward="(\d+)">(.*?)</tr>', body, re.S):
        name = re.sub(r"<[^>]+>", "", re.search(r"<td>(.*?)</td>", row, re.S).group(1)).strip()
        cells = {
            metric: " ".join(html.unescape(re.sub(r"<[^>]+>", " ", text)).split())
            for metric, text in re.findall(r'data-metric="(\w+)"[^>]*>(.*?)</td>', row, re.S)
        }
        rows.append((code, name, cells))
    return rows


def test_a_province_page_lists_its_wards_and_each_opens_its_cooperatives(
    login, officer_a, questionnaire, open_round, national_admin, province_a
):
    """Five answers in one ward, two in another: the first ward's shares are shown, the second's
    are "n < 5" (its coverage, over the registry, is shown); a name opens the registry at that
    ward's cooperatives only; the download follows the same rule."""
    from cooperatives.models import Ward

    first, second = Ward.objects.filter(province=province_a).order_by("code")[:2]
    for index in range(5):
        cooperative = CooperativeFactory(province=province_a, ward=first, code=f"820000040{index}")
        answer(questionnaire, open_round, cooperative, national_admin, ONLINE_CHANNELS=["marketplace"])
    for index in range(2):
        cooperative = CooperativeFactory(
            province=province_a, ward=second, code=f"820000050{index}", name=f"Hợp tác xã Phường Hai {index}"
        )
        answer(questionnaire, open_round, cooperative, national_admin, ONLINE_CHANNELS=["marketplace"])
    CooperativeFactory(province=province_a, ward=second, code="8200000510", name="Hợp tác xã Phường Hai chưa trả lời")
    indicator_services.aggregate_indicators()
    client = login(officer_a)
    page = client.get("/").content.decode()
    rows = {code: (name, cells) for code, name, cells in ward_rows(page)}
    assert set(rows) == {first.code, second.code}
    assert rows[first.code][0] == first.name
    assert rows[first.code][1]["ecommerce_pct"] == "100,0"
    assert rows[first.code][1]["survey_coverage_pct"] == "100,0"
    assert rows[second.code][1]["ecommerce_pct"] == "n < 5"
    assert rows[second.code][1]["maturity_score_avg"] == "n < 5"
    assert rows[second.code][1]["survey_coverage_pct"] == "66,7"  # 2 of 3 in the registry
    link = re.search(rf'<tr data-ward="{second.code}"><td><a href="([^"]+)"', page).group(1).replace("&amp;", "&")
    listed = client.get(link).content.decode()
    assert "Hợp tác xã Phường Hai chưa trả lời" in listed and "Hợp tác xã Phường Hai 0" in listed
    assert "8200000400" not in listed  # the first ward's cooperatives are not listed
    table = list(csv.reader(io.StringIO(client.get("/dashboard/export/wards.csv").content.decode("utf-8-sig"))))
    by_code = {row[1]: row for row in table[1:]}
    assert by_code[second.code][table[0].index("Bán trên sàn thương mại điện tử")] == "n < 5"
    assert by_code[first.code][table[0].index("Bán trên sàn thương mại điện tử")] == "100"


def test_a_figure_over_fewer_than_five_answers_is_shown_as_such_and_not_ranked(
    login, officer_a, officer_b, questionnaire, open_round, national_admin, province_a, province_b
):
    for index in range(5):
        cooperative = CooperativeFactory(province=province_a, code=f"820000060{index}")
        answer(questionnaire, open_round, cooperative, national_admin, ONLINE_CHANNELS=["marketplace"])
    for index in range(4):
        cooperative = CooperativeFactory(province=province_b, code=f"660000060{index}")
        answer(questionnaire, open_round, cooperative, national_admin, ONLINE_CHANNELS=["marketplace"])
    indicator_services.aggregate_indicators()
    few = login(officer_b).get("/").content.decode()
    ecommerce = card(few, "ecommerce_pct")
    assert "n < 5" in ecommerce and "100,0" not in ecommerce.split("Cả nước")[0]
    assert "hạng" not in ecommerce
    assert "n = 4 phiếu tự đánh giá" in ecommerce
    assert "100,0 %" in card(few, "survey_coverage_pct")  # coverage rests on the registry
    enough = login(officer_a).get("/").content.decode()
    assert "hạng 1/34 (1 tỉnh có số liệu)" in card(enough, "ecommerce_pct")
    cards = list(
        csv.reader(io.StringIO(login(officer_b).get("/dashboard/export/cards.csv").content.decode("utf-8-sig")))
    )
    values = {row[0]: row[1] for row in cards[1:]}
    assert values["Bán trên sàn thương mại điện tử"] == "n < 5"


def test_the_national_map_and_table_show_a_province_over_too_few_answers_as_such(
    login, ministry_analyst, national_admin, questionnaire, open_round, province_a, province_b
):
    """Đồng Tháp has 5 answers (coloured, in the table), Đắk Lắk 4 ("n < 5": hatched, its own
    legend entry, not in a class); the national target's line counts the provinces reaching it."""
    from decimal import Decimal

    from indicators.models import IndicatorTarget

    for index in range(5):
        cooperative = CooperativeFactory(province=province_a, code=f"820000080{index}")
        answer(questionnaire, open_round, cooperative, national_admin, ONLINE_CHANNELS=["marketplace"])
    for index in range(4):
        cooperative = CooperativeFactory(province=province_b, code=f"660000080{index}")
        answer(questionnaire, open_round, cooperative, national_admin, ONLINE_CHANNELS=["marketplace"])
    indicator_services.aggregate_indicators()
    indicator_services.target_save(
        target=IndicatorTarget(metric="ecommerce_pct", year=open_round.opens_on.year + 4, value=Decimal(50)),
        by=national_admin,
    )
    page = login(ministry_analyst).get("/dashboard/", {"metric": "ecommerce_pct"}).content.decode()
    assert "<title>Đắk Lắk: n &lt; 5</title>" in page
    assert "<title>Đồng Tháp: 100,0%</title>" in page
    legend = [
        " ".join(html.unescape(re.sub(r"<[^>]+>", " ", item)).split())
        for item in re.findall(r'data-testid="map-legend-range">(.*?)</span>', page, re.S)
    ]
    assert legend == ["100,0%", "Chưa có số liệu", "n < 5: quá ít phiếu tự đánh giá để hiển thị"]
    row = re.search(r'<a href="\?province=66[^"]*">Đắk Lắk</a></td>(.*?)</tr>', page, re.S).group(1)
    assert "n&nbsp;&lt;&nbsp;5" in row
    target = " ".join(
        re.sub(r"<[^>]+>", " ", re.search(r'data-testid="map-target">(.*?)</p>', page, re.S).group(1)).split()
    )
    assert "Đạt mục tiêu" in target and "1 trong 1 tỉnh có số liệu đã đạt" in target
