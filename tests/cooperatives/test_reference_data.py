import pytest

from cooperatives.models import LegacyProvince, Province, Sector, Ward
from cooperatives.reference import reference_data_load

pytestmark = pytest.mark.django_db


def test_migration_loads_34_provinces_their_wards_63_legacy_provinces_and_8_sectors():
    assert Province.objects.count() == 34
    assert Ward.objects.count() == 3321
    assert LegacyProvince.objects.count() == 63
    assert list(Sector.objects.values_list("name", flat=True)) == [
        "Nông nghiệp",
        "Công nghiệp - Tiểu thủ công nghiệp",
        "Thương mại - Dịch vụ",
        "Vận tải",
        "Xây dựng",
        "Môi trường",
        "Quỹ tín dụng nhân dân",
        "Khác",
    ]
    assert not Province.objects.filter(wards__isnull=True).exists()
    assert not Province.objects.filter(predecessors__isnull=True).exists()


@pytest.mark.parametrize(
    ("old", "successor"),
    [
        ("Kiên Giang", "An Giang"),
        ("Phú Yên", "Đắk Lắk"),
        ("Tiền Giang", "Đồng Tháp"),
        ("Hà Giang", "Tuyên Quang"),
        ("Bình Dương", "Hồ Chí Minh"),
        ("Hà Nội", "Hà Nội"),
    ],
)
def test_each_pre_2025_province_resolves_to_its_successor(old, successor):
    assert LegacyProvince.objects.get(short_name=old).successor.short_name == successor


def test_colliding_code_91_is_an_giang_now_and_kien_giang_before():
    assert Province.objects.get(code="91").short_name == "An Giang"
    assert LegacyProvince.objects.get(code="91").short_name == "Kiên Giang"


def test_loading_again_changes_nothing_and_duplicates_nothing():
    before = (Province.objects.count(), Ward.objects.count(), LegacyProvince.objects.count(), Sector.objects.count())
    ids = set(Province.objects.values_list("id", flat=True))
    counts = reference_data_load()
    assert counts == {"provinces": 34, "wards": 3321, "legacy_provinces": 63, "sectors": 8}
    after = (Province.objects.count(), Ward.objects.count(), LegacyProvince.objects.count(), Sector.objects.count())
    assert after == before
    assert set(Province.objects.values_list("id", flat=True)) == ids


@pytest.mark.parametrize(
    ("file", "part", "field", "bad"),
    [
        ("admin_units.json", "provinces", "short_name", ""),
        ("admin_units.json", "wards", "name", "x" * 101),
        ("sectors.json", "sectors", "name", ""),
    ],
    ids=["province-short-name", "ward-name", "sector-name"],
)
def test_a_data_file_that_breaks_a_models_rules_stops_the_load_and_names_the_row(monkeypatch, file, part, field, bad):
    """The reference load runs the models' field rules (a name not empty and within its length)
    before its bulk upsert; nothing is written."""
    from django.core.exceptions import ValidationError

    from cooperatives import reference

    read = reference._read

    model = {"provinces": Province, "wards": Ward, "sectors": Sector}[part]
    renamed = {}

    def spoiled(name):
        data = read(name)
        if name == file:
            data[part][0][field] = bad
            # A good change in the same file, which must not be written either.
            last = data[part][-1]
            last["name"] = renamed[last["code"]] = f"{last['name']} (đổi)"
        return data

    monkeypatch.setattr(reference, "_read", spoiled)
    before = (Province.objects.count(), Ward.objects.count(), Sector.objects.count())
    with pytest.raises(ValidationError) as refused:
        reference_data_load()
    assert field in str(refused.value)
    assert (Province.objects.count(), Ward.objects.count(), Sector.objects.count()) == before
    ((code, new_name),) = renamed.items()
    assert model.objects.get(code=code).name != new_name
