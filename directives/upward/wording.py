"""The fixed wording of a report sent upward, in Vietnamese whatever the page's language.

An administrative report is a Vietnamese document by law (Decree 30/2020/NĐ-CP prescribes the
national motto, the heading and the recipients' block word for word); the pages around it speak
the user's language, the document itself does not change with it.
"""

from __future__ import annotations

import datetime
from decimal import Decimal

NATION = "CỘNG HÒA XÃ HỘI CHỦ NGHĨA VIỆT NAM"
MOTTO = "Độc lập - Tự do - Hạnh phúc"
TITLE = "BÁO CÁO"
NUMBER = "Số: %s"
SECTION_RESULTS = "I. KẾT QUẢ THỰC HIỆN"
SECTION_DIFFICULTIES = "II. KHÓ KHĂN, VƯỚNG MẮC"
SECTION_PROPOSALS = "III. ĐỀ XUẤT, KIẾN NGHỊ"
COUNTS_HEADING = "1. Tình hình thực hiện nhiệm vụ (số liệu tính đến ngày %s)"
COUNT_TOTAL = "Tổng số nhiệm vụ: %d"
TASKS_HEADING = "2. Kết quả thực hiện từng nhiệm vụ"
INDICATORS_HEADING = "3. Các chỉ tiêu liên quan"
NO_TASKS = "Không có nhiệm vụ nào trong phạm vi báo cáo."
NO_INDICATORS = "Các nhiệm vụ không gắn với chỉ tiêu nào."
TASK_FACTS = "Cơ quan chủ trì: %(agency)s. Tình trạng: %(status)s. Tiến độ: %(percent)s."
NOT_REPORTED = "chưa báo cáo"
INDICATOR_LINE = "%(label)s: %(value)s"
INDICATOR_SOURCE = " (số liệu ngày %(day)s, %(round)s)"
INDICATOR_TARGET = "; chỉ tiêu năm %(year)s: %(target)s"
NO_FIGURE = "chưa có số liệu"
TOO_FEW = "chưa đủ 5 hợp tác xã tự đánh giá, không công bố"
RECIPIENTS = "Nơi nhận:"
ANNEX = "PHỤ LỤC"
ANNEX_SUBTITLE = "Kết quả thực hiện nhiệm vụ, số liệu tính đến ngày %s"
ANNEX_OF = "(Kèm theo Báo cáo số %(number)s ngày %(date)s của %(agency)s)"
ANNEX_COLUMNS = ("STT", "Nhiệm vụ", "Cơ quan chủ trì", "Thời hạn / kỳ báo cáo", "Tình trạng", "% hoàn thành", "Ghi chú")


def day(value: datetime.date) -> str:
    return value.strftime("%d/%m/%Y")


def place_and_date(place: str, value: datetime.date) -> str:
    """ "Đồng Tháp, ngày 05 tháng 02 năm 2027": a day below 10 and the months 1 and 2 take a
    leading zero (Decree 30, Annex I), the other months do not."""
    month = f"{value.month:02d}" if value.month < 3 else str(value.month)
    return f"{place}, ngày {value.day:02d} tháng {month} năm {value.year}"


def number(value: Decimal | None, *, percent: bool) -> str:
    """A figure the Vietnamese way: one decimal, a comma before it, "%" for a share."""
    if value is None:
        return NO_FIGURE
    text = f"{value:.1f}".replace(".", ",")
    return f"{text}%" if percent else text
