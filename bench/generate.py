"""National-scale data set for the benchmarks, deterministic from a seed.

28,237 cooperatives (the 2022 national count) over the 34 provinces, with the published
sector counts, realistic names, codes, wards and dates, written as XLSX in the registry
import template, so that the benchmarks measure the real import path.

    python -m bench.generate [--scale 10] [--seed 2022] [--out var/bench]
"""

from __future__ import annotations

import argparse
import datetime
import json
import random
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from surveys.expressions import Expression

ROOT = Path(__file__).resolve().parent.parent
# Published national counts by sector (2022 forum; 28,237 in all).
SECTOR_COUNTS = {
    "Nông nghiệp": 18_785,
    "Công nghiệp - Tiểu thủ công nghiệp": 2_255,
    "Thương mại - Dịch vụ": 2_293,
    "Vận tải": 1_582,
    "Xây dựng": 905,
    "Môi trường": 542,
    "Quỹ tín dụng nhân dân": 1_181,
    "Khác": 694,
}
STEMS = {
    "Nông nghiệp": [
        "Nông nghiệp",
        "Dịch vụ nông nghiệp",
        "Rau an toàn",
        "Lúa gạo",
        "Cà phê",
        "Cây ăn trái",
        "Thủy sản",
        "Chăn nuôi",
        "Dược liệu",
        "Chè",
        "Hồ tiêu",
        "Nông nghiệp công nghệ cao",
    ],
    "Công nghiệp - Tiểu thủ công nghiệp": [
        "Mây tre đan",
        "Dệt thổ cẩm",
        "Gốm sứ",
        "Cơ khí",
        "Chế biến nông sản",
        "Mộc mỹ nghệ",
    ],
    "Thương mại - Dịch vụ": ["Thương mại dịch vụ", "Dịch vụ tổng hợp", "Du lịch cộng đồng", "Chợ"],
    "Vận tải": ["Vận tải", "Vận tải hành khách", "Vận tải hàng hóa", "Vận tải thủy"],
    "Xây dựng": ["Xây dựng", "Xây dựng và vật liệu"],
    "Môi trường": ["Vệ sinh môi trường", "Dịch vụ môi trường", "Thu gom rác thải"],
    "Quỹ tín dụng nhân dân": ["Quỹ tín dụng nhân dân"],
    "Khác": ["Dịch vụ", "Nước sạch", "Điện nông thôn"],
}
HEADERS = [
    "Mã số HTX",
    "Tên HTX",
    "Tỉnh/Thành phố",
    "Xã/Phường",
    "Lĩnh vực",
    "Trạng thái",
    "Số thành viên",
    "Ngày thành lập",
    "Địa chỉ",
    "Điện thoại",
    "Email",
    "Website",
]
SURNAMES = ["Nguyễn", "Trần", "Lê", "Phạm", "Hoàng", "Huỳnh", "Phan", "Vũ", "Võ", "Đặng", "Bùi", "Đỗ"]


def generate(*, scale: int = 1, seed: int = 2022, out: Path) -> Path:
    import openpyxl

    rng = random.Random(seed)
    units = json.loads((ROOT / "cooperatives" / "data" / "admin_units.json").read_text(encoding="utf-8"))
    provinces = units["provinces"]
    wards_of: dict[str, list[dict]] = {}
    for ward in units["wards"]:
        wards_of.setdefault(ward["province"], []).append(ward)
    # Provinces weighted by their number of wards: a fair stand-in for their size.
    weights = [len(wards_of[p["code"]]) for p in provinces]
    sectors = [name for name, count in SECTOR_COUNTS.items() for _ in range(count * scale)]
    rng.shuffle(sectors)
    sequence: dict[str, int] = {}
    out.mkdir(parents=True, exist_ok=True)
    path = out / f"registry_x{scale}.xlsx"
    workbook = openpyxl.Workbook(write_only=True)
    sheet = workbook.create_sheet("HTX")
    sheet.append(HEADERS)
    statuses = ["Đang hoạt động"] * 90 + ["Tạm ngừng hoạt động"] * 7 + ["Giải thể"] * 3
    for sector in sectors:
        province = rng.choices(provinces, weights=weights)[0]
        sequence[province["code"]] = sequence.get(province["code"], 0) + 1
        code = f"{province['code']}{sequence[province['code']]:08d}"
        ward = rng.choice(wards_of[province["code"]])
        place = ward["name"].split(" ", 1)[1]
        stem = rng.choice(STEMS[sector])
        name = f"{stem} {place}" if sector == "Quỹ tín dụng nhân dân" else f"Hợp tác xã {stem} {place}"
        founded = datetime.date(1997, 1, 1) + datetime.timedelta(days=rng.randrange(0, 10_400))
        sheet.append(
            [
                code,
                name,
                province["short_name"],
                ward["name"],
                sector,
                rng.choice(statuses),
                rng.randint(7, 600),
                founded.strftime("%d/%m/%Y"),
                f"{ward['name']}, {province['name']}",
                f"0{rng.randint(200, 299)}{rng.randint(1_000_000, 9_999_999)}",
                f"htx{code}@example.vn" if rng.random() < 0.3 else "",
                "",
            ]
        )
    workbook.save(path)
    return path


ROUND_CODES = ("BENCH2024", "BENCH2025", "BENCH2026")


def _answer(question: dict, propensity: float, rng: random.Random) -> object:
    options = sorted(question["options"], key=lambda o: o["score"])
    if question["kind"] in ("single", "yes_no"):
        index = min(len(options) - 1, max(0, int(rng.gauss(propensity, 0.25) * len(options))))
        return options[index]["code"]
    if question["kind"] == "multiple":
        chosen = [o["code"] for o in options if not o.get("exclusive") and o["score"] > 0 and rng.random() < propensity]
        if chosen:
            return ";".join(chosen)
        exclusive = [o["code"] for o in options if o.get("exclusive")]
        return exclusive[0] if exclusive else options[0]["code"]
    if question["kind"] == "number":
        return max(0, int(rng.gauss(propensity * 8, 2)))
    return rng.choice(["Thiếu vốn đầu tư", "Thiếu người có kỹ năng số", "Internet chưa ổn định"])


Rule = tuple["Expression | None", "Expression"]


def _error_rules(questionnaire: dict, questions: list[dict]) -> list[Rule]:
    """The questionnaire's error rules (``rules`` of its JSON), parsed as the application parses
    them: a generated form that breaks one is drawn again, as the import would refuse it."""
    from surveys.expressions import QuestionFacts, parse

    facts = {q["code"]: QuestionFacts(q["kind"], frozenset(o["code"] for o in q.get("options", []))) for q in questions}
    return [
        (parse(rule["when"], facts) if rule.get("when") else None, parse(rule["must"], facts))
        for rule in questionnaire.get("rules", [])
        if rule["severity"] == "error"
    ]


def _breaks(rules: list[Rule], questions: list[dict], row: list[object]) -> bool:
    from decimal import Decimal

    from surveys.scoring import AnswerValue

    values = {}
    for question, raw in zip(questions, row, strict=True):
        if question["kind"] == "number":
            values[question["code"]] = AnswerValue(number=Decimal(str(raw)))
        elif question["kind"] == "text":
            values[question["code"]] = AnswerValue(text=str(raw))
        else:
            values[question["code"]] = AnswerValue(options=str(raw).split(";"))
    return any((when is None or when.evaluate(values)) and not must.evaluate(values) for when, must in rules)


def _coherent(questions: list[dict], rules: list[Rule], level: float, rng: random.Random) -> list:
    for _attempt in range(20):
        row = [_answer(q, level, rng) for q in questions]
        if not _breaks(rules, questions, row):
            break
    return row


def generate_responses(*, scale: int = 1, seed: int = 2022, out: Path) -> list[Path]:
    """Three rounds of complete paper responses for every cooperative of the registry file."""
    import openpyxl

    questionnaire = json.loads((ROOT / "surveys" / "data" / "questionnaire_national_v1.json").read_text("utf-8"))
    questions = [q for pillar in questionnaire["pillars"] for q in pillar["questions"]]
    rules = _error_rules(questionnaire, questions)
    registry = openpyxl.load_workbook(out / f"registry_x{scale}.xlsx", read_only=True)
    codes = [row[0] for row in registry.worksheets[0].iter_rows(min_row=2, values_only=True)]
    registry.close()
    rng = random.Random(seed + 1)
    propensity = {code: min(0.95, max(0.05, rng.gauss(0.35, 0.18))) for code in codes}
    paths = []
    for year, round_code in enumerate(ROUND_CODES):
        path = out / f"responses_{round_code}_x{scale}.xlsx"
        workbook = openpyxl.Workbook(write_only=True)
        sheet = workbook.create_sheet("Phiếu")
        sheet.append(["Mã số HTX", *[q["code"] for q in questions]])
        for code in codes:
            level = propensity[code] + 0.08 * year
            sheet.append([code, *_coherent(questions, rules, level, rng)])
        workbook.save(path)
        paths.append(path)
    return paths


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=int, default=1)
    parser.add_argument("--seed", type=int, default=2022)
    parser.add_argument("--out", type=Path, default=ROOT / "var" / "bench")
    parser.add_argument("--responses", action="store_true", help="also write three rounds of responses")
    args = parser.parse_args()
    print(generate(scale=args.scale, seed=args.seed, out=args.out))
    if args.responses:
        for path in generate_responses(scale=args.scale, seed=args.seed, out=args.out):
            print(path)


if __name__ == "__main__":
    main()
