"""The command's help in Vietnamese: argparse's texts and ours, by their English text.

:func:`localize_parser` walks a built parser and swaps each English help text for
its entry in :data:`HELP_VI`; a test checks every text has one, so a new option
cannot ship with English help only.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from typing import Any

from ..model.units import BUILTIN_LEVELS
from ..numbers import nfc

__all__ = ["HELP_VI", "english_texts", "localize_parser"]

HELP_VI: dict[str, str] = {
    # argparse's own
    "show this help message and exit": "in trợ giúp này rồi thoát",
    "show program's version number and exit": "in số phiên bản rồi thoát",
    # partydev
    "Track party-member development (phát triển đảng viên) against congress-term "
    "targets, exactly.": "Theo dõi phát triển đảng viên so với chỉ tiêu nhiệm kỳ đại hội, "
    "tính toán chính xác.",
    "Exit codes: 0 ok; 1 problems found; 2 usage; 3 invalid input; 4 export failed; "
    "5 plugin or format problem; 130 interrupted.": "Mã thoát: 0 thành công; 1 có vấn đề "
    "trong số liệu; 2 sai cách dùng; 3 dữ liệu vào không hợp lệ; 4 xuất tệp thất bại; "
    "5 lỗi plugin hoặc định dạng; 130 bị ngắt.",
    "show tracebacks on errors": "in toàn bộ vết lỗi (traceback) khi có lỗi",
    "print or export the progress report (default: the bundled Quảng Nam sample)": "in "
    "hoặc xuất báo cáo tiến độ (mặc định: số liệu mẫu Quảng Nam đi kèm)",
    "list export and import formats and the plugins providing them": "liệt kê các định dạng "
    "xuất, nhập và plugin cung cấp",
    "print installed plugins, hooks, versions, errors as JSON": "in các plugin đã cài, hook, "
    "phiên bản và lỗi dưới dạng JSON",
    "remove temporary files that interrupted or killed runs left behind": "xoá các tệp tạm "
    "mà những lần chạy bị ngắt để lại",
    "check a ledger file and print every problem": "kiểm tra một tệp sổ số liệu và in mọi lỗi",
    "write a ledger (default: the sample) as JSON, or with -f as XLSX": "ghi sổ số liệu "
    "(mặc định: sổ mẫu) dưới dạng JSON, hoặc với -f là XLSX",
    "write the blank ledger a clerk fills in (e.g. -o mau.xlsx)": "ghi sổ số liệu trống để "
    "cán bộ điền (ví dụ -o mau.xlsx)",
    "ledger format (default: from the output's suffix, else json)": "định dạng sổ số liệu "
    "(mặc định: theo đuôi tệp ghi ra, nếu không thì json)",
    "Write an empty ledger in a format partydev reads and writes: with partydev-xlsx "
    "installed, 'partydev template -o mau.xlsx' writes a workbook with a sheet per "
    "collection, bilingual headers, a notes row and drop-down lists.": "Ghi một sổ số liệu "
    "trống ở định dạng partydev đọc và ghi được: khi đã cài partydev-xlsx, 'partydev "
    "template -o mau.xlsx' ghi một bảng tính mỗi loại số liệu một trang, tiêu đề cột song "
    "ngữ, một dòng ghi chú và danh sách chọn.",
    "output file": "tệp ghi ra",
    "check a ledger's published figures and roll-ups (exit 1 if any is inconsistent)": "kiểm "
    "tra số liệu đã công bố và số cộng dồn của sổ (thoát với mã 1 nếu có số không khớp)",
    "Build the progress report of a ledger as of a date. Without LEDGER, the bundled Quảng "
    "Nam sample is reported as of 30/6/2023.": "Lập báo cáo tiến độ của một sổ số liệu tính "
    "đến một ngày. Không có LEDGER thì báo cáo số liệu mẫu Quảng Nam tính đến ngày 30/6/2023.",
    "a .toml or .json ledger file": "tệp sổ số liệu .toml hoặc .json",
    "refuse a ledger or CSV file larger than this, e.g. 500M or 2G (default: 1G)": "từ chối "
    "tệp sổ hoặc CSV lớn hơn mức này, ví dụ 500M hoặc 2G (mặc định: 1G)",
    "read CSV files the ledger lists outside its own folder (absolute paths, '..', symbolic "
    "links pointing out)": "cho phép đọc các tệp CSV mà sổ liệt kê nằm ngoài thư mục của sổ "
    "(đường dẫn tuyệt đối, '..', liên kết tượng trưng trỏ ra ngoài)",
    "report date, 2023-06-30 or 30/6/2023 (default: the last date the ledger's data covers: "
    "the latest tally end, admission or claim date)": "ngày báo cáo, 2023-06-30 hoặc "
    "30/6/2023 (mặc định: ngày cuối cùng sổ có số liệu: ngày cuối của kỳ tổng hợp, lần kết "
    "nạp hoặc số liệu công bố muộn nhất)",
    'the period reported, e.g. 2022, "6 tháng đầu năm 2022", "quý I/2024", "tháng 3/2020", '
    '2024-2025, "nhiệm kỳ" (default: the term to date); a period inside a year is compared '
    "with that year's target": 'kỳ báo cáo, ví dụ 2022, "6 tháng đầu năm 2022", '
    '"quý I/2024", "tháng 3/2020", 2024-2025, "nhiệm kỳ" (mặc định: từ đầu nhiệm kỳ đến '
    "nay); một kỳ trong năm được so với chỉ tiêu của năm đó",
    "term id (default: the term in force on the report date)": "mã nhiệm kỳ (mặc định: "
    "nhiệm kỳ đang diễn ra vào ngày báo cáo)",
    "export the report in this format (see 'partydev formats'); default: a terminal table": (
        "xuất báo cáo theo định dạng này (xem 'partydev formats'); mặc định: bảng trên màn hình"
    ),
    "export the verdicts in this format (see 'partydev formats'); default: a terminal table": (
        "xuất kết luận kiểm tra theo định dạng này (xem 'partydev formats'); mặc định: bảng "
        "trên màn hình"
    ),
    "write to PATH atomically, or '-' for standard output": "ghi vào PATH (trọn vẹn hoặc "
    "không ghi gì), hoặc '-' để ghi ra đầu ra chuẩn",
    "an exporter option, e.g. -O delimiter=';' (repeatable)": "một tuỳ chọn của định dạng "
    "xuất, ví dụ -O delimiter=';' (dùng được nhiều lần)",
    "language of messages, labels and numbers (default: from LANG, else vi)": "ngôn ngữ của "
    "thông báo, nhãn và cách viết số (mặc định: theo LANG, nếu không thì vi)",
    "show every column, however wide the terminal (default: fit its width)": "hiện mọi cột, "
    "dù màn hình rộng bao nhiêu (mặc định: vừa chiều rộng màn hình)",
    "do not page output taller than the terminal (default: $PAGER, else less)": "không "
    "phân trang khi kết quả dài hơn màn hình (mặc định: $PAGER, nếu không thì less)",
    "report only this unit and its sub-units (repeatable)": "chỉ báo cáo đơn vị này và các "
    "đơn vị trực thuộc (dùng được nhiều lần)",
    "each unit's own figure, without its sub-units (--rollup own)": "số liệu riêng của từng "
    "đơn vị, không cộng cấp dưới (--rollup own)",
    "roll-up mode (default: reported totals, else sum of sub-units)": "cách cộng dồn (mặc "
    "định: số cấp trên báo cáo, nếu không có thì tổng cấp dưới)",
    "granularity of the per-period table (default: year)": "độ chi tiết của bảng theo kỳ "
    "(mặc định: year, theo năm)",
    "decimal places of percentages (default: 1)": "số chữ số thập phân của tỷ lệ phần trăm "
    "(mặc định: 1)",
    "rounding of percentages: half-up, ceiling, down, floor, half-down, half-even, up "
    "(default: half-up)": "cách làm tròn tỷ lệ phần trăm: half-up (nửa lên), ceiling (về "
    "phía dương), down (cắt bỏ), floor (về phía âm), half-down (nửa xuống), half-even (nửa "
    "về chẵn), up (lên) (mặc định: half-up)",
    "the table's columns, e.g. achieved,percent,status (keys as in the CSV export; default: "
    "as many as fit the terminal)": "các cột của bảng, ví dụ achieved,percent,status (tên "
    "cột như trong tệp CSV xuất ra; mặc định: bao nhiêu cột vừa màn hình)",
    "elapsed-time convention (default: whole months)": "cách tính thời gian đã qua (mặc "
    "định: month, theo tháng tròn)",
    "compare against targets from this source only": "chỉ so với chỉ tiêu từ nguồn này",
    "the age bound of young members (default: the category's, 30)": "giới hạn tuổi của "
    "đảng viên trẻ (mặc định: theo nhóm, 30)",
    "print JSON instead of a table": "in JSON thay cho bảng",
    "Remove partydev's temporary files (*.partydev-tmp, also the XLSX plugin's "
    "partydev-xlsx-*.partydev-tmp folders) that nothing has changed for an hour. A write "
    "removes the stale temporary files of its own destination anyway; this cleans whole "
    "folders.": "Xoá các tệp tạm của partydev (*.partydev-tmp, cả các thư mục "
    "partydev-xlsx-*.partydev-tmp của plugin XLSX) không thay đổi trong một giờ. Mỗi lần "
    "ghi vẫn tự xoá tệp tạm cũ của chính tệp đích; lệnh này dọn cả thư mục.",
    "folders to clean (default: the current folder and the system's temporary folder)": "các "
    "thư mục cần dọn (mặc định: thư mục hiện tại và thư mục tạm của hệ thống)",
    "only files untouched this long (default: 3600)": "chỉ các tệp không thay đổi trong "
    "ngần này giây (mặc định: 3600)",
    "list, remove nothing": "chỉ liệt kê, không xoá gì",
    "output file (default: stdout)": "tệp ghi ra (mặc định: đầu ra chuẩn)",
    "Recompute every stated claim of a ledger (default: the bundled Quảng Nam sample, which "
    "exits 1: Tam Kỳ's 59,75% and 7,48% cannot be shares of its 335 admissions) and compare "
    "parents' totals with their sub-units. With --percent, answer directly: the targets a "
    "percent implies (--achieved N), whether it is possible for a group (--denominator N), "
    "or the smallest group several percents fit.": "Tính lại mọi số liệu công bố trong sổ "
    "(mặc định: sổ mẫu Quảng Nam, thoát với mã 1: 59,75% và 7,48% của Tam Kỳ không thể là "
    "tỷ lệ trong 335 người được kết nạp) và đối chiếu tổng của cấp trên với các cấp dưới. "
    "Với --percent, trả lời trực tiếp: các chỉ tiêu mà một tỷ lệ cho thấy (--achieved N), "
    "tỷ lệ đó có thể có với một nhóm N người không (--denominator N), hoặc nhóm nhỏ nhất "
    "khớp với nhiều tỷ lệ.",
    "date for claims that state none (default: each claim's own date)": "ngày cho các số "
    "liệu công bố không ghi ngày (mặc định: ngày của từng số liệu)",
    "decimal places of stated percents (default: as written)": "số chữ số thập phân của tỷ "
    "lệ công bố (mặc định: như khi viết)",
    "roll-up mode of achieved counts (default: reported)": "cách cộng dồn số kết nạp (mặc "
    "định: reported, số cấp trên báo cáo)",
    "sub-units cover all of a parent's admissions: their sum must equal its total": "các "
    "đơn vị cấp dưới gồm mọi người cấp trên kết nạp: tổng của chúng phải bằng số cấp trên",
    "a stated percent such as '76,57%%' to ask about directly (repeatable)": "một tỷ lệ "
    "công bố, ví dụ '76,57%%', để hỏi trực tiếp (dùng được nhiều lần)",
    "also list admissions the eligibility rules warn about (age, awareness class, "
    "education); warnings do not change the exit code": "liệt kê thêm các trường hợp kết "
    "nạp mà điều kiện kết nạp cảnh báo (tuổi, lớp bồi dưỡng nhận thức về Đảng, trình độ "
    "học vấn); cảnh báo không làm thay đổi mã thoát",
    "with --percent: the targets it implies": "cùng --percent: các chỉ tiêu mà tỷ lệ cho thấy",
    "with --percent: whether it is possible for a group of N": "cùng --percent: tỷ lệ có "
    "thể có với nhóm N người không",
}
"""English help text → Vietnamese."""

_LEVELS = ", ".join(level.value for level in BUILTIN_LEVELS)
HELP_VI[f"report down to this level: {_LEVELS}, or a level the ledger declares"] = (
    f"báo cáo đến cấp này: {_LEVELS}, hoặc một cấp mà sổ số liệu khai báo"
)
HELP_VI = {english: nfc(vietnamese) for english, vietnamese in HELP_VI.items()}


class _VietnameseFormatter(argparse.HelpFormatter):
    """argparse's layout with its own words in Vietnamese."""

    def add_usage(
        self,
        usage: str | None,
        actions: Any,
        groups: Any,
        prefix: str | None = None,
    ) -> None:
        super().add_usage(usage, actions, groups, "cách dùng: " if prefix is None else prefix)


def _parsers(parser: argparse.ArgumentParser) -> Iterator[argparse.ArgumentParser]:
    yield parser
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            for sub in dict.fromkeys(action.choices.values()):
                yield from _parsers(sub)


def _texts(parser: argparse.ArgumentParser) -> Iterator[tuple[Any, str]]:
    """(owner, attribute) of every help text of *parser* and its sub-commands."""
    for each in _parsers(parser):
        for attribute in ("description", "epilog"):
            if getattr(each, attribute):
                yield each, attribute
        for action in each._actions:
            if action.help and action.help is not argparse.SUPPRESS:
                yield action, "help"
            if isinstance(action, argparse._SubParsersAction):
                for choice in action._choices_actions:
                    if choice.help:
                        yield choice, "help"


def english_texts(parser: argparse.ArgumentParser) -> list[str]:
    """Every help text of *parser* (built in English), once each, in order."""
    return list(dict.fromkeys(getattr(owner, name) for owner, name in _texts(parser)))


def localize_parser(parser: argparse.ArgumentParser, locale: str) -> argparse.ArgumentParser:
    """*parser* speaking *locale*: its help texts and every ``--locale`` default.

    A text without a translation stays English (the test suite forbids that).
    """
    for each in _parsers(parser):
        for action in each._actions:
            if action.dest == "locale":
                action.default = locale
    if locale != "vi":
        return parser
    for owner, name in list(_texts(parser)):
        text = getattr(owner, name)
        setattr(owner, name, HELP_VI.get(text, text))
    for each in _parsers(parser):
        each.formatter_class = _VietnameseFormatter
        each._positionals.title = "đối số"
        each._optionals.title = "tuỳ chọn"
    return parser
