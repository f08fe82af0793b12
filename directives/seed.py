"""The seeded directives: Resolution 20-NQ/TW, Directive 19/CT-TTg and Phú Yên's 3734/UBND-KT.

Sources: the news articles in ``shared/seeds`` (001: the 2022 forum; 003: Directive 19;
004: Phú Yên) and the 2025 reorganisations. Texts are summaries in our own words.

Where the sources give no deadline, a task is recorded as recurring ("thường xuyên") with a
yearly report, which is how the Government Office treats tasks without a deadline. The
forum's conclusions were addressed to "ministries, sectors and localities" in general; the
lead agency recorded for each is the one whose remit covers it, and the task's note says so.

Loading is an upsert by stable codes, so running it again changes nothing (a data
migration runs it once; ``apps`` lets the migration pass its historical registry).
"""

from __future__ import annotations

import datetime
from typing import Any

from django.apps import apps as global_apps
from django.db import transaction

D = datetime.date
MINISTRY_MERGER = D(2025, 3, 1)
PROVINCE_MERGER = D(2025, 7, 1)

# code, name, short name, kind, successor code, dissolved on
NATIONAL_AGENCIES: list[tuple[str, str, str, str, str, datetime.date | None]] = [
    ("BCHTW", "Ban Chấp hành Trung ương Đảng Cộng sản Việt Nam", "Ban Chấp hành Trung ương", "central", "", None),
    ("TTGCP", "Thủ tướng Chính phủ", "Thủ tướng Chính phủ", "central", "", None),
    ("BTC", "Bộ Tài chính", "Bộ Tài chính", "ministry", "", None),
    ("BKHCN", "Bộ Khoa học và Công nghệ", "Bộ KH&CN", "ministry", "", None),
    ("BNNMT", "Bộ Nông nghiệp và Môi trường", "Bộ NN&MT", "ministry", "", None),
    ("BKHDT", "Bộ Kế hoạch và Đầu tư", "Bộ KH&ĐT", "ministry", "BTC", MINISTRY_MERGER),
    ("BTTTT", "Bộ Thông tin và Truyền thông", "Bộ TT&TT", "ministry", "BKHCN", MINISTRY_MERGER),
    ("BNNPTNT", "Bộ Nông nghiệp và Phát triển nông thôn", "Bộ NN&PTNT", "ministry", "BNNMT", MINISTRY_MERGER),
    ("BTNMT", "Bộ Tài nguyên và Môi trường", "Bộ TN&MT", "ministry", "BNNMT", MINISTRY_MERGER),
    ("LMHTXVN", "Liên minh Hợp tác xã Việt Nam", "Liên minh HTX Việt Nam", "cooperative_alliance", "", None),
]
# Ministries of June 2023, to which Directive 19's common task went (among those tracked here).
MINISTRIES_2023 = ["BKHDT", "BTC", "BKHCN", "BTTTT", "BNNPTNT", "BTNMT"]

# Phú Yên's bodies (pre-2025 province code 54), now carried by Đắk Lắk (66).
PHU_YEN_LEGACY_CODE = "54"
DAK_LAK_CODE = "66"
# code, name, short name, kind, successor code, dissolved on
PHU_YEN_AGENCIES: list[tuple[str, str, str, str, str, datetime.date | None]] = [
    ("SNNMT-66", "Sở Nông nghiệp và Môi trường tỉnh Đắk Lắk", "Sở NN&MT Đắk Lắk", "provincial_department", "", None),
    (
        "UBND-L54",
        "Ủy ban nhân dân tỉnh Phú Yên",
        "UBND tỉnh Phú Yên",
        "provincial_committee",
        "UBND-66",
        PROVINCE_MERGER,
    ),
    (
        "SNNPTNT-L54",
        "Sở Nông nghiệp và Phát triển nông thôn tỉnh Phú Yên",
        "Sở NN&PTNT Phú Yên",
        "provincial_department",
        "SNNMT-66",
        None,
    ),
]

DOCUMENTS: list[dict[str, Any]] = [
    {
        "code": "nq-20-2022",
        "number": "20-NQ/TW",
        "kind": "resolution",
        "title": "Về tiếp tục đổi mới, phát triển và nâng cao hiệu quả kinh tế tập thể trong giai đoạn mới",
        "issuing_agency": "BCHTW",
        "issued_on": D(2022, 6, 16),
        "parent": "",
        "summary": (
            "Nghị quyết của Ban Chấp hành Trung ương khóa XIII về kinh tế tập thể, nền tảng cho các nhiệm vụ "
            "chuyển đổi số của khu vực kinh tế hợp tác, hợp tác xã. Đi kèm là các nhiệm vụ rút ra từ kết luận "
            "của Thủ tướng tại Diễn đàn trực tuyến về kinh tế hợp tác, hợp tác xã ngày 23/9/2022, với chủ đề "
            "chuyển đổi số là động lực phát triển gắn với thực hiện Nghị quyết: Thủ tướng đề nghị coi chuyển đổi "
            "số trong kinh tế hợp tác là việc làm thường xuyên, nhanh, hiệu quả và thực chất."
        ),
    },
    {
        "code": "ct-19-2023",
        "number": "19/CT-TTg",
        "kind": "directive",
        "title": "Về việc đẩy mạnh chuyển đổi số trong khu vực kinh tế hợp tác, hợp tác xã",
        "issuing_agency": "TTGCP",
        "issued_on": D(2023, 6, 3),
        "parent": "nq-20-2022",
        "summary": (
            "Chính phủ nhận định kinh tế tập thể có chuyển biến nhưng chưa đạt mục tiêu, một phần vì chuyển đổi "
            "số còn chậm, thiếu chiến lược và hành động cụ thể. Thủ tướng yêu cầu huy động mọi nguồn lực để khu "
            "vực kinh tế hợp tác, hợp tác xã chuyển đổi số, bắt kịp các khu vực kinh tế khác, và giao nhiệm vụ "
            "cụ thể cho các bộ, UBND các tỉnh, thành phố và Liên minh Hợp tác xã Việt Nam."
        ),
    },
    {
        "code": "cv-3734-2023-phu-yen",
        "number": "3734/UBND-KT",
        "kind": "official_letter",
        "title": (
            "Triển khai đẩy mạnh chuyển đổi số trong khu vực kinh tế hợp tác, hợp tác xã trên địa bàn tỉnh Phú Yên"
        ),
        "issuing_agency": "UBND-L54",
        "issued_on": D(2023, 7, 26),
        "parent": "ct-19-2023",
        "summary": (
            "UBND tỉnh Phú Yên giao các cơ quan, đơn vị và địa phương phối hợp thực hiện Chỉ thị 19/CT-TTg, nhằm "
            "đẩy mạnh thực hiện Nghị quyết 20-NQ/TW: lấy chuyển đổi số trong quản lý nhà nước về kinh tế hợp tác "
            "làm nhiệm vụ trọng tâm, gắn hợp tác xã với chuỗi giá trị nông nghiệp, đưa sản phẩm lên sàn thương "
            "mại điện tử của tỉnh và tập huấn cho hợp tác xã. Từ 01/7/2025 tỉnh Phú Yên nhập vào tỉnh Đắk Lắk; "
            "UBND tỉnh Đắk Lắk tiếp tục chịu trách nhiệm các nhiệm vụ này."
        ),
    },
]

CT19_START = D(2023, 6, 3)
FORUM_DATE = D(2022, 9, 23)
FORUM_CLAUSE = "Kết luận của Thủ tướng tại Diễn đàn kinh tế hợp tác, hợp tác xã năm 2022 (23/9/2022)"
FORUM_NOTE = (
    "Kết luận giao chung cho các bộ, ngành, địa phương; cơ quan chủ trì ghi ở đây là cơ quan có chức năng "
    "quản lý lĩnh vực này."
)
CT19_COMMON = (
    "Tăng cường huy động nguồn lực, kết nối đối tác trong hệ sinh thái đổi mới sáng tạo để hỗ trợ khu vực kinh tế "
    "hợp tác, hợp tác xã chuyển đổi số; giúp hợp tác xã tham gia chuỗi cung ứng toàn cầu qua chuyển đổi số, như "
    "đưa sản phẩm lên sàn thương mại điện tử và làm website giới thiệu sản phẩm bằng nhiều ngôn ngữ."
)
CT19_PROVINCE = (
    "Chủ động chuyển đổi số theo chức năng, nhiệm vụ và thẩm quyền; xây dựng và nhân rộng mô hình hợp tác xã "
    "hoạt động hiệu quả và mô hình hợp tác xã chuyển đổi số thành công."
)

# code, document code, clause, lead agency code, content, starts on, co-operating codes, indicators, note
TASKS: list[tuple[str, str, str, str, str, datetime.date, list[str], list[str], str]] = [
    (
        "ct19-bkhdt-luat-htx",
        "ct-19-2023",
        "Nhiệm vụ giao Bộ Kế hoạch và Đầu tư",
        "BKHDT",
        "Bổ sung vào dự án Luật Hợp tác xã (sửa đổi) cơ chế được dùng ngân sách nhà nước hỗ trợ hợp tác xã chuyển "
        "đổi số.",
        CT19_START,
        [],
        [],
        "",
    ),
    (
        "ct19-bkhdt-oda",
        "ct-19-2023",
        "Nhiệm vụ giao Bộ Kế hoạch và Đầu tư",
        "BKHDT",
        "Chủ trì cùng các bộ, ngành vận động đối tác phát triển dành vốn ODA và huy động các nguồn hợp pháp khác, "
        "theo cơ chế đặc thù, để hỗ trợ tổ chức kinh tế hợp tác, hợp tác xã chuyển đổi số.",
        CT19_START,
        [],
        [],
        "",
    ),
    (
        "ct19-bkhcn-von-vay",
        "ct-19-2023",
        "Nhiệm vụ giao Bộ Khoa học và Công nghệ",
        "BKHCN",
        "Hướng dẫn tổ chức kinh tế hợp tác, hợp tác xã có dự án ứng dụng, nâng cao trình độ khoa học và công nghệ, "
        "đổi mới sáng tạo, chuyển đổi số vay vốn trung và dài hạn từ Quỹ Đổi mới công nghệ quốc gia, Quỹ Phát "
        "triển khoa học và công nghệ quốc gia và quỹ phát triển khoa học và công nghệ của các bộ, ngành, địa "
        "phương.",
        CT19_START,
        [],
        [],
        "",
    ),
    (
        "ct19-bnnptnt-truy-xuat",
        "ct-19-2023",
        "Nhiệm vụ giao Bộ Nông nghiệp và Phát triển nông thôn",
        "BNNPTNT",
        "Nghiên cứu, trình cấp có thẩm quyền ban hành cơ chế, chính sách và quy định về truy xuất nguồn gốc nông "
        "sản bằng công nghệ số.",
        CT19_START,
        [],
        ["traceability_pct"],
        "",
    ),
    (
        "ct19-btttt-nen-tang-so",
        "ct-19-2023",
        "Nhiệm vụ giao Bộ Thông tin và Truyền thông",
        "BTTTT",
        "Hỗ trợ Liên minh Hợp tác xã Việt Nam phát triển nền tảng quản trị số, hệ sinh thái số và sàn thương mại "
        "điện tử, thúc đẩy kinh tế số trong khu vực kinh tế hợp tác, hợp tác xã.",
        CT19_START,
        ["LMHTXVN"],
        ["ecommerce_pct"],
        "",
    ),
    (
        "ct19-lmhtx-doi-moi",
        "ct-19-2023",
        "Nhiệm vụ giao hệ thống Liên minh Hợp tác xã",
        "LMHTXVN",
        "Tiếp tục đổi mới hoạt động của hệ thống Liên minh Hợp tác xã, làm tốt vai trò cầu nối giữa Đảng, Nhà nước "
        "với khu vực kinh tế tập thể; hướng dẫn thủ tục để hợp tác xã dễ tiếp cận chính sách hỗ trợ của Nhà nước.",
        CT19_START,
        [],
        [],
        "",
    ),
    (
        "nq20-dd-csdl",
        "nq-20-2022",
        FORUM_CLAUSE,
        "BKHDT",
        "Xây dựng cơ sở dữ liệu chuyên ngành về hợp tác xã, liên thông với các ngành khác để chia sẻ, kết nối thông "
        "tin thị trường và xu hướng phát triển.",
        FORUM_DATE,
        [],
        [],
        FORUM_NOTE,
    ),
    (
        "nq20-dd-nen-tang-so",
        "nq-20-2022",
        FORUM_CLAUSE,
        "BTTTT",
        "Xây dựng một số nền tảng số hỗ trợ kinh tế hợp tác, hợp tác xã.",
        FORUM_DATE,
        ["LMHTXVN"],
        ["ecommerce_pct"],
        FORUM_NOTE,
    ),
    (
        "nq20-dd-truy-xuat",
        "nq-20-2022",
        FORUM_CLAUSE,
        "BNNPTNT",
        "Đẩy mạnh truy xuất nguồn gốc bằng công nghệ số và kết nối cung cầu cho sản phẩm của hợp tác xã.",
        FORUM_DATE,
        [],
        ["traceability_pct"],
        FORUM_NOTE,
    ),
    (
        "nq20-dd-dao-tao",
        "nq-20-2022",
        FORUM_CLAUSE,
        "LMHTXVN",
        "Đào tạo, tập huấn nâng cao năng lực cho đội ngũ cán bộ hợp tác xã về chuyển đổi số.",
        FORUM_DATE,
        [],
        [],
        FORUM_NOTE,
    ),
    (
        "nq20-dd-truyen-thong",
        "nq-20-2022",
        FORUM_CLAUSE,
        "BTTTT",
        "Tăng cường truyền thông về chính sách phát triển kinh tế tập thể và chuyển đổi số trong hợp tác xã.",
        FORUM_DATE,
        [],
        [],
        FORUM_NOTE,
    ),
    (
        "nq20-dd-ocop",
        "nq-20-2022",
        FORUM_CLAUSE,
        "BNNPTNT",
        "Thúc đẩy chuyển đổi số trong thực hiện Chương trình mỗi xã một sản phẩm (OCOP); các địa phương dùng nguồn "
        "lực của mình đầu tư cho khu vực kinh tế hợp tác, hợp tác xã.",
        FORUM_DATE,
        [],
        [],
        FORUM_NOTE,
    ),
    (
        "cv3734-phu-yen-qlnn",
        "cv-3734-2023-phu-yen",
        "Chỉ đạo chung của UBND tỉnh",
        "UBND-L54",
        "Lấy chuyển đổi số trong quản lý nhà nước về kinh tế hợp tác, hợp tác xã làm nhiệm vụ trọng tâm; đẩy mạnh "
        "ứng dụng chuyển đổi số trong khu vực kinh tế hợp tác và xây dựng hợp tác xã gắn với chuỗi giá trị hàng "
        "hóa, dịch vụ nông nghiệp trên địa bàn tỉnh.",
        D(2023, 7, 26),
        ["SNNPTNT-L54"],
        [],
        "",
    ),
    (
        "cv3734-phu-yen-san-tmdt",
        "cv-3734-2023-phu-yen",
        "Chỉ đạo chung của UBND tỉnh",
        "UBND-L54",
        "Giới thiệu và tiêu thụ sản phẩm của hợp tác xã qua Sàn thương mại điện tử của tỉnh (phuyentrade.gov.vn).",
        D(2023, 7, 26),
        [],
        ["ecommerce_pct"],
        "",
    ),
    (
        "cv3734-phu-yen-tap-huan",
        "cv-3734-2023-phu-yen",
        "Tập huấn, bồi dưỡng cho hợp tác xã nông nghiệp",
        "SNNPTNT-L54",
        "Tổ chức hội nghị tập huấn, bồi dưỡng chuyên đề triển khai chuyển đổi số trong kinh tế hợp tác, hợp tác xã "
        "nông nghiệp, phát triển liên kết sản xuất và tiêu thụ nông sản theo chuỗi giá trị, theo Nghị định "
        "98/2018/NĐ-CP và Nghị quyết 10/2020/NQ-HĐND của tỉnh.",
        D(2023, 7, 26),
        [],
        [],
        "",
    ),
]


def provincial_committee_code(province_code: str) -> str:
    return f"UBND-{province_code}"


@transaction.atomic
def directive_seed_load(apps: Any = global_apps) -> dict[str, int]:
    """Upsert the seeded agencies, documents and tasks by their codes; return the counts."""
    Province = apps.get_model("cooperatives", "Province")
    LegacyProvince = apps.get_model("cooperatives", "LegacyProvince")
    Agency = apps.get_model("directives", "Agency")
    Document = apps.get_model("directives", "Document")
    DirectiveTask = apps.get_model("directives", "DirectiveTask")

    agencies: dict[str, Any] = {}

    def upsert_agency(code: str, **fields: Any) -> None:
        agencies[code], _created = Agency.objects.update_or_create(code=code, defaults=fields)

    for code, name, short_name, kind, _successor, dissolved_on in NATIONAL_AGENCIES:
        upsert_agency(code, name=name, short_name=short_name, kind=kind, dissolved_on=dissolved_on)
    provinces = {p.code: p for p in Province.objects.all()}
    for province in provinces.values():
        kind = province.kind.lower()
        upsert_agency(
            provincial_committee_code(province.code),
            name=f"Ủy ban nhân dân {kind} {province.short_name}",
            short_name=f"UBND {kind} {province.short_name}",
            kind="provincial_committee",
            province=province,
        )
    phu_yen = LegacyProvince.objects.get(code=PHU_YEN_LEGACY_CODE)
    for code, name, short_name, kind, _successor, dissolved_on in PHU_YEN_AGENCIES:
        legacy = phu_yen if code.endswith("-L54") else None
        upsert_agency(
            code,
            name=name,
            short_name=short_name,
            kind=kind,
            province=provinces[DAK_LAK_CODE],
            legacy_province=legacy,
            dissolved_on=dissolved_on,
        )
    for code, *_rest, successor, _dissolved in [*NATIONAL_AGENCIES, *PHU_YEN_AGENCIES]:
        if successor:
            agency = agencies[code]
            agency.successor = agencies[successor]
            agency.save(update_fields=["successor"])

    documents: dict[str, Any] = {}
    for spec in DOCUMENTS:
        fields = {k: v for k, v in spec.items() if k not in ("code", "issuing_agency", "parent")}
        fields["issuing_agency"] = agencies[spec["issuing_agency"]]
        fields["parent"] = documents[spec["parent"]] if spec["parent"] else None
        documents[spec["code"]], _created = Document.objects.update_or_create(code=spec["code"], defaults=fields)

    task_specs = list(TASKS)
    for agency_code in MINISTRIES_2023 + [provincial_committee_code(code) for code in sorted(provinces)]:
        task_specs.append(
            (
                f"ct19-chung-{agency_code.lower()}",
                "ct-19-2023",
                "Nhiệm vụ chung của các bộ, ngành và UBND các tỉnh, thành phố",
                agency_code,
                CT19_COMMON,
                CT19_START,
                [],
                [],
                "",
            )
        )
    for code in sorted(provinces):
        task_specs.append(
            (
                f"ct19-tinh-{code}",
                "ct-19-2023",
                "Nhiệm vụ giao UBND các tỉnh, thành phố trực thuộc Trung ương",
                provincial_committee_code(code),
                CT19_PROVINCE,
                CT19_START,
                [],
                [],
                "",
            )
        )
    for code, document, clause, lead, content, starts_on, cooperating, indicators, note in task_specs:
        lead_agency = agencies[lead]
        task, _created = DirectiveTask.objects.update_or_create(
            code=code,
            defaults={
                "document": documents[document],
                "clause": clause,
                "content": content,
                "lead_agency": lead_agency,
                "province": lead_agency.province,
                "starts_on": starts_on,
                "deadline": None,
                "reporting_period": "yearly",
                "indicator_codes": indicators,
                "note": note,
            },
        )
        task.cooperating_agencies.set([agencies[c] for c in cooperating])
    return {"agencies": len(agencies), "documents": len(documents), "tasks": len(task_specs)}
