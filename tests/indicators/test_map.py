"""The national map's classes, colours and legend, and the committed shapes it draws."""

import json
import re
from decimal import Decimal
from types import SimpleNamespace

import pytest
from django.utils import translation

from cooperatives.models import Province
from indicators.map import MAP_FILE, NO_DATA_FILL, PALETTE, TOO_FEW_FILL, class_colours, classes, province_map, shapes

ADMIN_UNITS = MAP_FILE.parents[2] / "cooperatives" / "data" / "admin_units.json"


def rows(values):
    """Province-table rows for the provinces of the map file, in its order, with these values."""
    provinces = shapes()["provinces"]
    assert len(values) <= len(provinces)
    padded = list(values) + [None] * (len(provinces) - len(values))
    return [
        {"province": SimpleNamespace(code=p["code"], short_name=p["name"]), "value": None if v is None else Decimal(v)}
        for p, v in zip(provinces, padded, strict=True)
    ]


def drawn(values, metric="ecommerce_pct", label="Bán trên sàn"):
    with translation.override("vi"):
        return province_map(rows(values), metric=metric, label=label, href=lambda code: f"?province={code}")


def test_classes_are_quantiles_of_the_values_present():
    values = [Decimal(v) for v in range(1, 35)]  # 34 provinces, 1 to 34
    assert classes(values) == [Decimal(7), Decimal(14), Decimal(21), Decimal(28), Decimal(34)]
    assert classes([]) == []
    # Equal values make one class, not five equal ones.
    assert classes([Decimal(0)] * 10) == [Decimal(0)]


def test_the_highest_class_is_always_the_darkest():
    assert class_colours(5) == [0, 1, 2, 3, 4]
    assert class_colours(2) == [0, 4]
    assert class_colours(1) == [4]
    assert class_colours(0) == []


def test_a_province_at_zero_has_the_lowest_class_and_one_without_a_figure_the_no_data_fill():
    result = drawn(["0", "10", "20", "30", "40", "50", "60"])
    fills = [province["fill"] for province in result["provinces"]]
    assert fills[0] == PALETTE[0]  # 0 %: a figure, the lowest class
    assert fills[6] == PALETTE[-1]
    assert fills[7:] == [NO_DATA_FILL] * 27
    assert result["provinces"][0]["value"] == Decimal("0.0")
    assert result["provinces"][7]["value"] is None
    assert result["no_data"] == 27


def test_a_province_over_too_few_answers_has_its_own_fill_not_that_of_no_data():
    table = rows(["10", "20", "30"])
    for row, answers in zip(table, (5, 4, 5), strict=False):
        row["surveyed_total"] = answers
    with translation.override("vi"):
        result = province_map(table, metric="ecommerce_pct", label="Bán trên sàn", href=str)
    fills = [province["fill"] for province in result["provinces"]]
    assert fills[1] == TOO_FEW_FILL != NO_DATA_FILL
    assert fills[0] != fills[2] and {fills[0], fills[2]} <= set(PALETTE)
    assert fills[3:] == [NO_DATA_FILL] * 31
    assert (result["too_few"], result["no_data"]) == (1, 31)


def test_the_legend_names_each_class_by_its_figures_without_overlap():
    result = drawn(["0", "0", "12.5", "25", "25", "50", "75", "100", "100", "100"])
    legend = [(item["fill"], item["low"], item["high"], item["count"]) for item in result["legend"]]
    # The quintiles' upper bounds of these ten figures are 0, 25, 50, 100, 100: four classes (equal
    # bounds are one class), spread over the palette, each named by its lowest and highest figure.
    assert legend == [
        (PALETTE[0], Decimal("0.0"), Decimal("0.0"), 2),
        (PALETTE[1], Decimal("12.5"), Decimal("25.0"), 3),
        (PALETTE[3], Decimal("50.0"), Decimal("50.0"), 1),
        (PALETTE[4], Decimal("75.0"), Decimal("100.0"), 4),
    ]
    # Every province with a figure is counted in exactly one class, and coloured as it.
    assert sum(item["count"] for item in result["legend"]) == 10
    used = {province["fill"] for province in result["provinces"]}
    assert used == {item["fill"] for item in result["legend"]} | {NO_DATA_FILL}


def test_figures_are_classed_as_they_are_shown():
    # 33.34 and 33.26 both read "33,3": they are in the same class, the legend says "33,3" once
    # (classed on the raw figures, they would be two classes both named "33,3").
    result = drawn(["10", "33.34", "33.26", "90"])
    assert [(p["value"], p["fill"]) for p in result["provinces"][:4]] == [
        (Decimal("10.0"), PALETTE[0]),
        (Decimal("33.3"), PALETTE[2]),
        (Decimal("33.3"), PALETTE[2]),
        (Decimal("90.0"), PALETTE[4]),
    ]
    assert [(item["low"], item["high"]) for item in result["legend"]] == [
        (Decimal("10.0"), Decimal("10.0")),
        (Decimal("33.3"), Decimal("33.3")),
        (Decimal("90.0"), Decimal("90.0")),
    ]


def test_no_no_data_entry_when_every_province_has_a_figure():
    result = drawn([str(v) for v in range(34)])
    assert result["no_data"] == 0
    assert NO_DATA_FILL not in {province["fill"] for province in result["provinces"]}


def test_a_round_without_figures_draws_every_province_as_no_data():
    result = drawn([])
    assert result["legend"] == []
    assert result["no_data"] == 34
    assert {province["fill"] for province in result["provinces"]} == {NO_DATA_FILL}
    assert {a["province"]["fill"] for a in result["archipelagos"]} == {NO_DATA_FILL}


def test_the_legend_title_names_the_indicator_and_its_unit():
    assert drawn(["1"], metric="ecommerce_pct", label="Bán trên sàn")["title"] == "Bán trên sàn (%)"
    score = drawn(["1"], metric="maturity_score_avg", label="Điểm trưởng thành trung bình")
    assert score["title"] == "Điểm trưởng thành trung bình (điểm)"
    assert score["suffix"] == "\N{NO-BREAK SPACE}điểm"
    with translation.override("en"):
        assert (
            province_map(rows(["1"]), metric="maturity_score_avg", label="Score", href=str)["title"] == "Score (points)"
        )


def test_the_archipelagos_take_their_provinces_colour_and_name():
    values = ["50" if p["code"] == "48" else None for p in shapes()["provinces"]]
    result = drawn(values)
    archipelagos = {a["key"]: a for a in result["archipelagos"]}
    assert archipelagos["hoang_sa"]["name"] == "Quần đảo Hoàng Sa"
    assert archipelagos["hoang_sa"]["province"]["code"] == "48"
    assert archipelagos["hoang_sa"]["province"]["fill"] == PALETTE[-1]
    assert archipelagos["truong_sa"]["name"] == "Quần đảo Trường Sa"
    assert archipelagos["truong_sa"]["province"]["fill"] == NO_DATA_FILL
    with translation.override("en"):
        names = [a["name"] for a in province_map(rows([]), metric="ecommerce_pct", label="x", href=str)["archipelagos"]]
    assert names == ["Hoang Sa (Paracel) Islands", "Truong Sa (Spratly) Islands"]


@pytest.mark.django_db
def test_the_map_file_has_the_34_provinces_and_the_two_archipelagos_of_their_successors():
    data = json.loads(MAP_FILE.read_text(encoding="utf-8"))
    codes = [p["code"] for p in data["provinces"]]
    assert codes == sorted(set(codes))
    assert set(codes) == set(Province.objects.values_list("code", flat=True))
    assert len(codes) == 34
    # The source names Hoàng Sa part of Đà Nẵng and Trường Sa part of Khánh Hòa; their successors today.
    legacy = {row["short_name"]: row["successor"] for row in json.loads(ADMIN_UNITS.read_text())["legacy_provinces"]}
    assert [(a["key"], a["province"]) for a in data["archipelagos"]] == [
        ("hoang_sa", legacy["Đà Nẵng"]),
        ("truong_sa", legacy["Khánh Hòa"]),
    ]
    assert "Free-GIS-Data" in data["source"] and "admin_units.json" in data["source"]


NUMBER = r"\d+(?:\.\d)?"
RING = re.compile(rf"M{NUMBER} {NUMBER} L{NUMBER} {NUMBER}(?: {NUMBER} {NUMBER})+ Z")


def test_every_path_is_plain_rings_inside_the_view_box():
    data = json.loads(MAP_FILE.read_text(encoding="utf-8"))
    x0, y0, width, height = data["view_box"]
    # The archipelagos' bounds: Trường Sa reaches about 117°E and 6.9°N, Hoàng Sa 17.1°N.
    assert data["projection"]["lng_max"] >= 117 and data["projection"]["lat_min"] <= 6.9
    shapes_ = [(p["code"], p["path"], p["anchor"]) for p in data["provinces"]]
    shapes_ += [(a["key"], a["path"], a["anchor"]) for a in data["archipelagos"]]
    for name, path, anchor in shapes_:
        rings = re.findall(r"M[^MZ]*Z", path)
        assert rings and " ".join(rings) == path, f"{name}: only M, L and Z commands, one ring each"
        for ring in rings:
            assert RING.fullmatch(ring), f"{name}: {ring[:60]}"
        numbers = [float(n) for n in re.findall(NUMBER, path)]
        xs, ys = numbers[0::2], numbers[1::2]
        assert x0 <= min(xs) and max(xs) <= x0 + width and y0 <= min(ys) and max(ys) <= y0 + height, name
        assert x0 <= anchor[0] <= x0 + width and y0 <= anchor[1] <= y0 + height, name
    assert MAP_FILE.stat().st_size < 200_000
