"""A realistic demo data set for `make run`: five provinces, a few hundred cooperatives.

Deterministic (fixed seed) and idempotent: cooperatives are keyed by code and accounts by
user name, so running it again adds nothing. Never used in production.
"""

from __future__ import annotations

import datetime
import random
from dataclasses import dataclass

from django.db import transaction

from accounts.models import Role, User
from accounts.services import user_create

from .models import (
    Cooperative,
    CooperativeStatus,
    Platform,
    Province,
    Sector,
    Traceability,
)
from .products import listing_create, ocop_product_create
from .services import cooperative_create

DEMO_PASSWORD = "HopTacXa#2026"
# Province code → number of demo cooperatives.
DEMO_PROVINCES = {"82": 90, "66": 70, "91": 60, "20": 40, "01": 40}
# Share of each sector, close to the national mix (two thirds agricultural).
SECTOR_WEIGHTS = {"NN": 66, "CN": 8, "TMDV": 8, "VT": 6, "XD": 3, "MT": 2, "QTD": 4, "KHAC": 3}
NAME_STEMS = {
    "NN": [
        "Nông nghiệp",
        "Dịch vụ nông nghiệp",
        "Trồng trọt và chăn nuôi",
        "Rau an toàn",
        "Lúa gạo",
        "Cà phê",
        "Cây ăn trái",
        "Thủy sản",
        "Chăn nuôi bò sữa",
        "Dược liệu",
    ],
    "CN": ["Mây tre đan", "Dệt thổ cẩm", "Gốm sứ", "Cơ khí", "Chế biến nông sản"],
    "TMDV": ["Thương mại dịch vụ", "Dịch vụ tổng hợp", "Du lịch cộng đồng"],
    "VT": ["Vận tải", "Vận tải hành khách", "Vận tải hàng hóa"],
    "XD": ["Xây dựng", "Xây dựng và vật liệu"],
    "MT": ["Vệ sinh môi trường", "Dịch vụ môi trường"],
    "QTD": ["Quỹ tín dụng nhân dân"],
    "KHAC": ["Dịch vụ", "Nước sạch"],
}
OCOP_PRODUCTS = [
    "Gạo thơm",
    "Cà phê rang xay",
    "Mật ong",
    "Xoài cát",
    "Bưởi da xanh",
    "Nước mắm",
    "Trà shan tuyết",
    "Hạt điều",
    "Khô cá lóc",
    "Chuối sấy",
]


@dataclass
class DemoAccount:
    username: str
    role: str
    label: str


def _accounts_spec() -> list[tuple[str, str, dict[str, object], str]]:
    return [
        ("quantri", Role.NATIONAL_ADMIN, {}, "Quản trị quốc gia"),
        ("bo.taichinh", Role.MINISTRY_ANALYST, {"organisation": "Bộ Tài chính"}, "Chuyên viên Bộ Tài chính"),
        ("canbo.dongthap", Role.PROVINCIAL_OFFICER, {"province_code": "82"}, "Cán bộ tỉnh Đồng Tháp"),
        ("canbo.daklak", Role.PROVINCIAL_OFFICER, {"province_code": "66"}, "Cán bộ tỉnh Đắk Lắk"),
        ("htx.demo", Role.COOPERATIVE_MEMBER, {"cooperative": "first-of-82"}, "Thành viên HTX (Đồng Tháp)"),
    ]


@transaction.atomic
def demo_data_seed(*, seed: int = 2025) -> list[DemoAccount]:
    """Create the demo cooperatives and accounts that do not exist yet."""
    rng = random.Random(seed)
    admin = User.objects.filter(username="quantri").first() or user_create(
        username="quantri",
        password=DEMO_PASSWORD,
        role=Role.NATIONAL_ADMIN,
        first_name="Quản trị",
        last_name="",
        email="quantri@coopdx.local",
        is_superuser=True,
    )
    sectors = {s.code: s for s in Sector.objects.all()}
    sector_codes = list(SECTOR_WEIGHTS)
    existing = set(Cooperative.objects.values_list("code", flat=True))
    for province_code, count in DEMO_PROVINCES.items():
        province = Province.objects.get(code=province_code)
        wards = list(province.wards.all())
        for index in range(1, count + 1):
            code = f"{int(province_code):02d}{index:08d}"
            sector_code = rng.choices(sector_codes, weights=list(SECTOR_WEIGHTS.values()))[0]
            ward = rng.choice(wards)
            stem = rng.choice(NAME_STEMS[sector_code])
            place = ward.name.split(" ", 1)[1]
            name = f"Hợp tác xã {stem} {place}" if sector_code != "QTD" else f"{stem} {place}"
            founded = datetime.date(1996, 1, 1) + datetime.timedelta(days=rng.randrange(0, 10_200))
            status = rng.choices(list(CooperativeStatus), weights=[90, 7, 3])[0]
            traceability = rng.choices(list(Traceability), weights=[45, 25, 20, 10])[0]
            wants_ocop = rng.random() < 0.25
            wants_listing = rng.random() < 0.4
            if code in existing:
                continue
            cooperative = cooperative_create(
                by=admin,
                code=code,
                name=name,
                province=province,
                ward=ward,
                sector=sectors[sector_code],
                status=status,
                members_count=rng.randint(7, 450),
                founded_on=founded,
                address=f"{ward.name}, {province.name}",
                phone=f"0{rng.randint(200, 299)}{rng.randint(1000000, 9999999)}",
                representative=rng.choice(
                    [
                        "Nguyễn Văn An",
                        "Trần Thị Bình",
                        "Lê Văn Cường",
                        "Phạm Thị Dung",
                        "Huỳnh Văn Em",
                        "Võ Thị Giang",
                        "Đặng Văn Hùng",
                    ]
                ),
                traceability=traceability,
            )
            if wants_ocop and sector_code in ("NN", "CN"):
                ocop_product_create(
                    cooperative=cooperative,
                    by=admin,
                    name=f"{rng.choice(OCOP_PRODUCTS)} {place}",
                    stars=rng.choice([3, 3, 3, 4, 4, 5]),
                    year_certified=rng.randint(2019, 2025),
                )
            if wants_listing:
                platform = rng.choice([Platform.SHOPEE, Platform.LAZADA, Platform.POSTMART, Platform.PROVINCIAL])
                listing_create(
                    cooperative=cooperative, by=admin, platform=platform, url=f"https://example.vn/{platform}/{code}"
                )
    accounts = [DemoAccount("quantri", Role.NATIONAL_ADMIN, "Quản trị quốc gia")]
    for username, role, extra, label in _accounts_spec()[1:]:
        accounts.append(DemoAccount(username, role, label))
        if User.objects.filter(username=username).exists():
            continue
        province = Province.objects.get(code=extra["province_code"]) if "province_code" in extra else None
        cooperative = (
            Cooperative.objects.filter(province__code="82").order_by("code").first() if "cooperative" in extra else None
        )
        user_create(
            username=username,
            password=DEMO_PASSWORD,
            role=role,
            province=province,
            cooperative=cooperative,
            first_name=label,
            email=f"{username}@coopdx.local",
            organisation=str(extra.get("organisation", "")),
        )
    return accounts
