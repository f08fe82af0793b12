"""The public figures: served without login, national and provincial figures with their "as of",
the map and the trend; never a cooperative's row; small cells suppressed on the page and in the
download, whose columns its data dictionary describes."""

import csv
import datetime
import io
import json
import re

import pytest

from cooperatives.models import Cooperative
from indicators import services as indicator_services
from tests.factories import CooperativeFactory
from tests.indicators.test_aggregation import answer

pytestmark = pytest.mark.django_db


@pytest.fixture
def figures(questionnaire, open_round, national_admin, province_a, province_b):
    """Đồng Tháp: 5 answers, all selling on a marketplace; Đắk Lắk: 4 answers (too few to publish
    a share); each cooperative with a name and code that must never appear."""
    for index in range(5):
        cooperative = CooperativeFactory(
            province=province_a, code=f"820000090{index}", name=f"Hợp tác xã Bí Mật Đồng Tháp {index}"
        )
        answer(questionnaire, open_round, cooperative, national_admin, ONLINE_CHANNELS=["marketplace"])
    for index in range(4):
        cooperative = CooperativeFactory(
            province=province_b, code=f"660000090{index}", name=f"Hợp tác xã Bí Mật Đắk Lắk {index}"
        )
        answer(questionnaire, open_round, cooperative, national_admin, ONLINE_CHANNELS=["marketplace"])
    indicator_services.aggregate_indicators()
    return open_round


def text(html):
    return " ".join(re.sub(r"<[^>]+>", " ", html).replace("&nbsp;", " ").replace("&lt;", "<").split())


def test_the_public_page_serves_without_login_with_the_map_the_trend_and_as_of(client, figures):
    response = client.get("/figures/", {"metric": "ecommerce_pct"})
    assert response.status_code == 200
    page = response.content.decode()
    assert 'data-testid="as-of"' in page and "Khảo sát 2026" in page
    assert page.count('data-testid="map-province"') == 34
    assert page.count('data-testid="map-archipelago"') == 2
    assert "<title>Đồng Tháp: 100,0%</title>" in page
    assert "<title>Đắk Lắk: n &lt; 5</title>" in page
    # One round so far: its figures as a table, no chart of a single point.
    assert 'id="trend-chart"' not in page and 'data-testid="trend-table"' in page
    assert 'href="/figures/82/?round=KS2026"' in page  # each province opens its public page
    assert "/dashboard/" not in page  # no link into the signed-in dashboard's downloads


def test_a_provinces_public_page_and_unknown_provinces(client, figures):
    page = client.get("/figures/82/").content.decode()
    assert "Tỉnh Đồng Tháp" in page
    assert "100,0" in text(re.search(r'data-testid="card-ecommerce_pct">(.*?)</div></div></div>', page, re.S).group(1))
    few = client.get("/figures/66/").content.decode()
    card = text(re.search(r'data-testid="card-ecommerce_pct">(.*?)</div></div></div>', few, re.S).group(1))
    assert "n < 5" in card and "100,0" not in card.split("Cả nước")[0]
    assert client.get("/figures/99/").status_code == 404
    assert client.get("/figures/8a/").status_code == 404


def test_no_cooperatives_row_appears_on_the_public_pages_or_in_the_download(client, figures, province_a, province_b):
    pages = [client.get("/figures/").content.decode()]
    pages += [client.get(f"/figures/{code}/").content.decode() for code in ("82", "66", "01")]
    pages.append(b"".join(client.get("/figures/figures.csv").streaming_content).decode("utf-8-sig"))
    pages.append(client.get("/figures/figures.schema.json").content.decode())
    cooperatives = list(Cooperative.objects.values_list("name", "code"))
    assert len(cooperatives) == 9
    for name, code in cooperatives:
        for content in pages:
            assert name not in content and code not in content


def test_the_download_suppresses_small_cells_and_its_dictionary_describes_every_column(client, figures):
    response = client.get("/figures/figures.csv")
    assert response["Content-Type"].startswith("text/csv")
    assert "/figures/figures.schema.json>" in response["Link"] and 'rel="describedby"' in response["Link"]
    rows = list(csv.DictReader(io.StringIO(b"".join(response.streaming_content).decode("utf-8-sig"))))
    schema = json.loads(client.get("/figures/figures.schema.json").content)
    assert [field["name"] for field in schema["fields"]] == list(rows[0])
    assert all(field["description"] and field["title"] for field in schema["fields"])
    assert "Tỷ lệ" in json.dumps(schema, ensure_ascii=False)  # described in Vietnamese
    parse = {
        "string": str,
        "number": float,
        "integer": int,
        "boolean": lambda v: {"true": True, "false": False}[v],
        "datetime": datetime.datetime.fromisoformat,
    }
    for row in rows:
        for field in schema["fields"]:
            if row[field["name"]] not in schema["missingValues"]:
                parse[field["type"]](row[field["name"]])
    by_key = {(row["scope"], row["province"], row["metric"]): row for row in rows}
    few = by_key[("province", "66", "ecommerce_pct")]
    assert (few["suppressed"], few["value"], few["numerator"], few["answers"]) == ("true", "", "", "4")
    average = by_key[("province", "66", "maturity_score_avg")]
    assert (average["suppressed"], average["value"]) == ("true", "")
    coverage = by_key[("province", "66", "survey_coverage_pct")]  # over the registry: published
    assert (coverage["suppressed"], coverage["value"]) == ("false", "100")
    enough = by_key[("province", "82", "ecommerce_pct")]
    assert (enough["suppressed"], enough["value"], enough["numerator"], enough["denominator"]) == (
        "false",
        "100",
        "5",
        "5",
    )
    nation = by_key[("nation", "", "ecommerce_pct")]
    assert (nation["value"], nation["numerator"], nation["denominator"]) == ("100", "9", "9")
    assert enough["metric_name"] == "Bán trên sàn thương mại điện tử"
    assert {row["scope"] for row in rows} == {"nation", "province"}


def test_the_public_page_before_any_figures(client, db):
    page = client.get("/figures/").content.decode()
    assert "Chưa có số liệu nào được công bố" in page
    assert b"".join(client.get("/figures/figures.csv").streaming_content).decode("utf-8-sig").startswith("round,")


@pytest.mark.parametrize("extra", [0, 20])
def test_the_public_pages_queries_do_not_grow_with_cooperatives(
    client, figures, questionnaire, national_admin, province_a, extra, django_assert_max_num_queries
):
    for index in range(extra):
        cooperative = CooperativeFactory(province=province_a, code=f"82000009{index + 10:02d}")
        answer(questionnaire, figures, cooperative, national_admin, DX_NEED="yes")
    indicator_services.aggregate_indicators()
    with django_assert_max_num_queries(14):
        assert client.get("/figures/").status_code == 200
    with django_assert_max_num_queries(14):
        assert client.get("/figures/82/").status_code == 200
