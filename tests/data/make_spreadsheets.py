"""Writes the spreadsheet fixtures of tests/data (run once; the files are committed).

They imitate what leads really keep: a title row merged above the header, synonyms for the
column names, free-text durations, a merged method cell, several sheets, a CSV with a
byte-order mark and semicolons; and broken files a user might pick by mistake.
"""

from __future__ import annotations

import zipfile
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent


def matrix_workbook() -> None:
    workbook = Workbook()
    notes = workbook.active
    notes.title = "Read me"
    notes["A1"] = "Owner: Support leadership. Reviewed quarterly."
    sheet = workbook.create_sheet("Escalation matrix")
    sheet["A1"] = "Quillpay support escalation matrix (v7)"
    sheet.merge_cells("A1:G1")
    sheet.append([])
    sheet.append(
        [
            "Sev",
            "When to escalate",
            "Escalate to",
            "Channel",
            "Response SLA",
            "Owner",
            "Update cadence",
        ]
    )
    sheet.append(
        [
            "P1 - Critical",
            "System outage\nNo resolution in 2 hrs\n10+ customers affected",
            "Dev Lead, Product Manager",
            "Jira + Teams with link",
            "Within 30 minutes for P1",
            "Dev Lead + Support liaison",
            "1 hr",
        ]
    )
    sheet.append(
        [
            "P2 - High",
            "Several customers affected; Requires code-level investigation",
            "Dev Lead / Support manager",
            None,
            "2 hrs",
            "Dev Lead + Support liaison",
            "4h",
        ]
    )
    sheet.append(
        [
            "P3 - Normal",
            "Workaround available",
            "Tier 2 specialist and Team lead",
            "Jira ticket",
            "1 business day",
            "Tier 2 specialist",
            "1 business day",
        ]
    )
    sheet.merge_cells("D4:D5")  # P1 and P2 share the method, as leads often merge it
    workbook.save(HERE / "matrix_title_rows.xlsx")


def bad_duration_workbook() -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Priority", "Escalation contact", "Target response time"])
    sheet.append(["P1", "Dev Lead", "when someone is free"])
    sheet.append(["P1", "Dev Lead", "30 mins"])
    workbook.save(HERE / "matrix_bad_cells.xlsx")


def semicolon_csv() -> None:
    text = (
        "Severity Level;Trigger conditions;Escalation Contact;Escalation Method;"
        "Target Response Time;Post-Escalation Owner\r\n"
        "P1;System outage;Dev Lead + Product Manager;Phone + Teams;30 mins;Dev Lead\r\n"
        "P2;No progress after 4 hours;Dev Lead;Jira;2 hrs;Dev Lead\r\n"
    )
    (HERE / "matrix_semicolons.csv").write_bytes(b"\xef\xbb\xbf" + text.encode())


def broken_files() -> None:
    (HERE / "not_a_workbook.xlsx").write_text("This is a note someone renamed.\n")
    (HERE / "legacy.xls").write_bytes(b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + b"\0" * 504)
    with zipfile.ZipFile(HERE / "renamed.xlsb.xlsx", "w") as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.bin", b"\0" * 64)
    with zipfile.ZipFile(HERE / "zip_bomb.xlsx", "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("[Content_Types].xml", "<Types/>")
        archive.writestr("xl/workbook.xml", "<workbook/>")
        archive.writestr("xl/worksheets/sheet1.xml", b"0" * (20 * 1024 * 1024))
    whole = (HERE / "matrix_title_rows.xlsx").read_bytes()
    (HERE / "truncated.xlsx").write_bytes(whole[: len(whole) // 2])


if __name__ == "__main__":
    matrix_workbook()
    bad_duration_workbook()
    semicolon_csv()
    broken_files()
