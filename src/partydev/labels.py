"""Every user-facing word partydev writes into an export, in Vietnamese and English.

Codes (``"ahead"``, ``"province"``, ``"assigned"``) travel through reports and
JSON unchanged; exporters and the terminal table turn them into words with
:func:`label`.  One table, so that a translation is never missing in one place
and present in another: a test checks every entry has both languages.
"""

from __future__ import annotations

from .numbers import check_locale, nfc

__all__ = ["LABELS", "label"]

LABELS: dict[str, tuple[str, str]] = {
    # unit levels
    "nation": ("Trung ương", "Central"),
    "province": ("Tỉnh, thành phố", "Province"),
    "district": ("Huyện, thị xã, thành phố thuộc tỉnh", "District"),
    "city": ("Thành phố thuộc tỉnh", "City"),
    "bloc": ("Đảng bộ khối", "Bloc"),
    "grassroots": ("Đảng bộ cơ sở", "Grassroots organisation"),
    "cell": ("Chi bộ", "Cell"),
    # pace status
    "ahead": ("Vượt tiến độ", "Ahead"),
    "on_track": ("Đúng tiến độ", "On track"),
    "behind": ("Chậm tiến độ", "Behind"),
    "achieved": ("Đã đạt chỉ tiêu", "Target reached"),
    # target sources
    "resolution": ("Nghị quyết đại hội", "Congress resolution"),
    "internal": ("Chỉ tiêu phấn đấu", "Internal target"),
    "assigned": ("Cấp trên giao", "Assigned by higher level"),
    # target shapes
    "exact": ("Đúng", "Exactly"),
    "minimum": ("Từ … trở lên", "At least"),
    "range": ("Khoảng", "Range"),
    "share_of_members": ("Tỷ lệ trên tổng số đảng viên", "Share of members"),
    # claim kinds and wording
    "count": ("Số lượng kết nạp", "Admitted count"),
    "percent_of_target": ("Tỷ lệ đạt chỉ tiêu", "Percent of target"),
    "exceedance": ("Mức vượt chỉ tiêu", "Exceedance of target"),
    "share": ("Tỷ lệ trong số kết nạp", "Share of the intake"),
    "members": ("Tổng số đảng viên", "Total members"),
    "average_exceedance": ("Mức vượt bình quân mỗi năm", "Average yearly exceedance"),
    "target": ("Chỉ tiêu", "Target"),
    "members_balance": ("Tổng số đảng viên theo cân đối", "Members by the balance"),
    "more_than": ("Hơn", "More than"),
    "less_than": ("Dưới", "Less than"),
    "nearly": ("Gần đạt", "Nearly"),
    # booleans and misc
    "yes": ("Có", "Yes"),
    "no": ("Không", "No"),
    "derived": ("Suy ra từ số liệu", "Derived from the figures"),
    "stated": ("Nêu trong nguồn", "Stated in the source"),
    # the command line's own messages ({0}: a file, a signal)
    "cli_no_space": ("không còn chỗ trống trên {0}", "no space left on {0}"),
    "cli_stdout": ("đầu ra chuẩn", "standard output"),
    "cli_interrupted": ("đã dừng (Ctrl-C)", "interrupted (Ctrl-C)"),
    "cli_stopped": ("đã dừng do nhận tín hiệu {0}", "stopped by {0}"),
    "cli_removed": ("đã xoá {0}", "removed {0}"),
    "cli_would_remove": ("sẽ xoá {0}", "would remove {0}"),
    "cli_loading": ("Đang đọc sổ số liệu", "Reading the ledger"),
    "cli_building": ("Đang lập báo cáo", "Building the report"),
    "cli_checking": ("Đang kiểm tra số liệu công bố", "Checking the stated figures"),
    "cli_writing": ("Đang ghi {0}", "Writing {0}"),
    "cli_wrote": ("đã ghi {0} ({1} dòng, {2})", "wrote {0} ({1} rows, {2})"),
    "cli_wrote_size": ("đã ghi {0} ({1})", "wrote {0} ({1})"),
    "cli_binary_to_terminal": (
        "không ghi dữ liệu nhị phân ({0}) ra màn hình: thêm -o TỆP, hoặc -o - nếu vẫn muốn "
        "ghi ra đầu ra chuẩn",
        "refusing to write binary data ({0}) to the terminal: add -o FILE, or -o - to write "
        "it to standard output anyway",
    ),
    "cli_problems": ("{0} lỗi trong {1}", "{0} problem(s) in {1}"),
    "cli_valid": ("{0}: hợp lệ", "{0}: ok"),
    "cli_rule_warnings": (
        "{0} cảnh báo về điều kiện kết nạp trong {1}",
        "{0} eligibility warning(s) in {1}",
    ),
    # elapsed-share conventions
    "elapsed_day": ("Theo số ngày", "By days"),
    "elapsed_month": ("Theo tháng tròn", "By whole months"),
    "elapsed_quarter": ("Theo quý tròn", "By whole quarters"),
    "elapsed_half": ("Theo nửa năm tròn", "By whole half-years"),
    "elapsed_year": ("Theo năm tròn", "By whole years"),
    # roll-up choices
    "rollup_reported": (
        "Cộng dồn cấp dưới, ưu tiên số cấp trên báo cáo",
        "Roll-up, preferring reported totals",
    ),
    "rollup_sum": ("Cộng dồn cấp dưới", "Sum of sub-units"),
    "rollup_own": ("Chỉ số liệu của đơn vị", "Own records only"),
    # checking published figures (partydev.verdicts)
    "consistent": ("Khớp với số liệu", "Consistent"),
    "inconsistent": ("Không khớp với số liệu", "Inconsistent"),
    "unverifiable": ("Không kiểm tra được", "Unverifiable"),
    "admitted": ("Số đã kết nạp", "Admitted"),
    "annual_targets": (
        "Bình quân tỷ lệ vượt chỉ tiêu từng năm",
        "Mean of the yearly exceedances",
    ),
    "pooled_annual_targets": ("Tổng chỉ tiêu các năm", "Sum of the annual targets"),
    "uninformative": ("Kiểm tra không phân biệt được", "Uninformative check"),
    "derived_target": ("Chỉ tiêu suy ra từ số liệu", "Derived target"),
    "base_differs": ("Chỉ khớp với cơ sở khác", "Reproduced only against another base"),
    "partial": ("Thiếu số liệu một số đơn vị", "Some figures undetermined"),
    "nested_tallies": ("Số liệu kỳ lớn so với các kỳ nhỏ", "A tally against its finer tallies"),
    # after admission (partydev.lifecycle, partydev.membership)
    "official": ("Công nhận đảng viên chính thức", "Recognised as a full member"),
    "not_recognised": ("Không công nhận đảng viên chính thức", "Not recognised"),
    "death": ("Từ trần", "Deaths"),
    "expulsion": ("Khai trừ", "Expulsions"),
    "removal": ("Xóa tên", "Removals from the rolls"),
    "resignation": ("Xin ra khỏi Đảng", "Resignations"),
    "transfer_in": ("Chuyển đến", "Transfers in"),
    "transfer_out": ("Chuyển đi", "Transfers out"),
    "balance_gap": ("Số đảng viên không khớp biến động", "The membership balance does not close"),
    "figure_unknown": ("Chưa có số liệu", "Unknown"),
    "figure_unknown_also": ("cũng chưa có", "also unknown"),
    "figure_start": ("Tổng số đảng viên đầu kỳ", "Members at the start"),
    "figure_end": ("Tổng số đảng viên cuối kỳ", "Members at the end"),
    "figure_admitted": ("Số kết nạp", "Admissions"),
    "figure_death": ("Số từ trần", "Deaths"),
    "figure_expulsion": ("Số khai trừ", "Expulsions"),
    "figure_removal": ("Số xóa tên", "Removals"),
    "figure_resignation": ("Số xin ra khỏi Đảng", "Resignations"),
    "figure_transfer_in": ("Số chuyển đến", "Transfers in"),
    "figure_transfer_out": ("Số chuyển đi", "Transfers out"),
    "figure_probationary": ("Số đảng viên dự bị", "Probationary members"),
    "figure_recognised": ("Số công nhận chính thức", "Recognised"),
    "figure_recognised_on_time": ("Số công nhận đúng hạn", "Recognised on time"),
    "figure_not_recognised": ("Số không công nhận", "Not recognised"),
    "figure_overdue": ("Số quá hạn chưa xét", "Overdue"),
    "figure_source_pool": ("Số tạo nguồn", "Brought into the source pool"),
    "figure_awareness_class": ("Số học lớp nhận thức về Đảng", "Completed the awareness class"),
    "source_pool": ("Tạo nguồn (quần chúng ưu tú)", "Source pool"),
    "awareness_class": ("Lớp bồi dưỡng nhận thức về Đảng", "Awareness class"),
    # eligibility rules (partydev.eligibility)
    "under_age": ("Chưa đủ tuổi vào Đảng", "Under the minimum age"),
    "over_age": ("Quá tuổi vào Đảng, chưa ghi quyết định", "Over the maximum age, no decision"),
    "awareness_after_admission": (
        "Học lớp nhận thức về Đảng sau ngày kết nạp",
        "Awareness class after the admission",
    ),
    "education_below_minimum": (
        "Trình độ học vấn dưới mức tối thiểu",
        "Education below the minimum",
    ),
    # rounding
    "ROUND_HALF_UP": ("Làm tròn nửa lên", "Round half up"),
    "ROUND_DOWN": ("Cắt bỏ (không làm tròn)", "Truncate"),
    "ROUND_HALF_EVEN": ("Làm tròn nửa về chẵn", "Round half to even"),
    "ROUND_HALF_DOWN": ("Làm tròn nửa xuống", "Round half down"),
    "ROUND_UP": ("Làm tròn lên", "Round away from zero"),
    "ROUND_CEILING": ("Làm tròn về phía dương", "Round towards +∞"),
    "ROUND_FLOOR": ("Làm tròn về phía âm", "Round towards −∞"),
}
"""Code → (Vietnamese, English)."""

LABELS = {code: (nfc(vi), nfc(en)) for code, (vi, en) in LABELS.items()}


def label(code: str, locale: str = "vi") -> str:
    """The word for *code* in *locale*; an unknown code is returned unchanged.

    >>> label("ahead", "vi"), label("ahead", "en")
    ('Vượt tiến độ', 'Ahead')
    """
    pair = LABELS.get(code)
    if pair is None:
        return code
    return pair[0] if check_locale(locale) == "vi" else pair[1]
