"""Writes the ticket-export fixtures of tests/data/tickets (run once; the files are committed).

They imitate what helpdesk tools really export: Jira's CSV with a byte-order mark, CRLF line
ends, repeated "Component/s" and "Labels" columns and "12/Mar/24 9:41 AM" dates; Zendesk and
Freshdesk with first-response columns left empty; a lead's own tables with day-first and
month-first dates; and a workbook whose dates came out as Excel serial numbers.
The output is the same on every run, byte for byte.
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
import zipfile
from pathlib import Path

from openpyxl import Workbook

HERE = Path(__file__).parent / "tickets"
FIXED = dt.datetime(2024, 3, 1, 9, 0)  # every timestamp the writer would take from the clock


def write_csv(name: str, rows: list[list[str]], *, bom: bool = False) -> None:
    buffer = io.StringIO(newline="")
    csv.writer(buffer, lineterminator="\r\n").writerows(rows)
    (HERE / name).write_bytes((b"\xef\xbb\xbf" if bom else b"") + buffer.getvalue().encode())


def jira_csv() -> None:
    header = [
        "Summary",
        "Issue key",
        "Issue id",
        "Issue Type",
        "Status",
        "Priority",
        "Assignee",
        "Reporter",
        "Created",
        "Updated",
        "Resolved",
        "Component/s",
        "Component/s",
        "Labels",
        "Labels",
        "Custom field (Organizations)",
    ]
    rows = [
        [
            "Payment run fails for Quillpay EU",
            "SUP-101",
            "10101",
            "Bug",
            "Done",
            "Highest",
            "Ana Costa",
            "Ben Ode",
            "12/Mar/24 9:41 AM",
            "13/Mar/24 4:02 PM",
            "13/Mar/24 3:30 PM",
            "Payments",
            "Billing",
            "outage",
            "customer-facing",
            "Acme Ltd",
        ],
        [
            'Export "CSV" button\nshows an empty file',
            "SUP-102",
            "10102",
            "Bug",
            "In Progress",
            "Medium",
            "",
            "Cleo Park",
            "14/Mar/24 12:05 PM",
            "14/Mar/24 12:30 PM",
            "",
            "",
            "Reports",
            "",
            "exports",
            "",
        ],
        [
            "Add SSO for the admin console",
            "SUP-103",
            "10103",
            "Story",
            "To Do",
            "Low",
            "Dev Rao",
            "Ben Ode",
            "01/Apr/24 12:00 AM",
            "01/Apr/24 8:15 AM",
            "",
            "",
            "",
            "",
            "",
            "Globex",
        ],
    ]
    write_csv("jira_export.csv", [header, *rows], bom=True)


def zendesk_csv() -> None:
    header = [
        "Id",
        "Subject",
        "Requester",
        "Organization",
        "Type",
        "Priority",
        "Status",
        "Group",
        "Assignee",
        "Created at",
        "Solved at",
        "First reply time in minutes",
        "Reopens",
    ]
    rows = [
        [
            "4501",
            "Cannot log in",
            "Dana Fox",
            "Initech",
            "incident",
            "Urgent",
            "solved",
            "Tier 2",
            "Eli Moss",
            "2024-03-12 09:41:00",
            "2024-03-12 11:00:00",
            "19",
            "0",
        ],
        [
            "4502",
            "Invoice shows the wrong VAT",
            "Finn Lee",
            "",
            "question",
            "Normal",
            "open",
            "Billing",
            "",
            "2024-03-13T14:05:00Z",
            "",
            "",
            "",
        ],
        [
            "4503",
            "Webhook retries forever",
            "Gia Ruiz",
            "Umbrella",
            "problem",
            "High",
            "solved",
            "Tier 2",
            "Eli Moss",
            "2024-03-14 08:00:00",
            "2024-03-15 17:45:00",
            "240",
            "2",
        ],
    ]
    write_csv("zendesk_export.csv", [header, *rows])


def freshdesk_csv() -> None:
    header = [
        "Ticket ID",
        "Subject",
        "Status",
        "Priority",
        "Source",
        "Type",
        "Agent",
        "Group",
        "Created time",
        "Due by Time",
        "Resolved time",
        "Closed time",
        "First response time (in hrs)",
        "Resolution status",
        "Product",
        "Full name",
        "Company Name",
    ]
    rows = [
        [
            "88",
            "Mobile app crashes on start",
            "Closed",
            "Urgent",
            "Email",
            "Incident",
            "Hana Ito",
            "Mobile",
            "2024-03-12 09:41:00",
            "2024-03-12 13:41:00",
            "2024-03-12 12:00:00",
            "2024-03-14 12:00:00",
            "0.5",
            "Within SLA",
            "Mobile app",
            "Ivan Petrov",
            "Hooli",
        ],
        [
            "89",
            "How do I export my data?",
            "Open",
            "Low",
            "Portal",
            "Question",
            "",
            "",
            "2024-03-13 10:00:00",
            "2024-03-16 10:00:00",
            "",
            "",
            "",
            "",
            "",
            "Jo March",
            "",
        ],
        [
            "90",
            "Report totals are off by one day",
            "Resolved",
            "Medium",
            "Phone",
            "Problem",
            "Hana Ito",
            "Reports",
            "2024-03-14 16:20:00",
            "2024-03-15 16:20:00",
            "2024-03-16 09:00:00",
            "",
            "1.25",
            "SLA Violated",
            "Web app",
            "Kai Dunn",
            "Hooli",
        ],
    ]
    write_csv("freshdesk_export.csv", [header, *rows])


def generic_csvs() -> None:
    header = ["Ref", "Title", "Customer", "Module", "Priority", "Status", "Opened", "Resolved"]
    day_first = [
        ["T-1", "Login loop", "Acme", "Auth", "P1", "Resolved", "03/04/2024 09:00", "13/04/2024"],
        ["T-2", "Slow search", "Globex", "Search", "P3", "Open", "05/04/2024 14:30", "?"],
    ]
    month_first = [
        ["T-1", "Login loop", "Acme", "Auth", "P1", "Resolved", "03/04/2024 09:00", "04/13/2024"],
        ["T-2", "Slow search", "Globex", "Search", "P3", "Open", "05/04/2024 14:30", ""],
    ]
    write_csv("generic_day_first.csv", [header, *day_first])
    write_csv("generic_month_first.csv", [header, *month_first])


def serial_workbook() -> None:
    workbook = Workbook()
    sheet = workbook.active
    sheet.title = "Tickets"
    sheet["A1"] = "Weekly ticket export (copied from the helpdesk)"
    sheet.merge_cells("A1:F1")
    sheet.append(["Ticket", "Subject", "Account", "Severity", "Created", "Closed", "SLA met"])
    # Dates pasted as values come out as plain serial numbers: 45363.40347... is 12/03/2024 09:41.
    sheet.append([1001, "Sync stalls", "Acme", "Sev 1", 45363 + 581 / 1440, None, "yes"])
    sheet.append(
        [1002, "Typo in invoice", "Globex", "Sev 3", 45364.5, dt.datetime(2024, 3, 14, 8, 30), "no"]
    )
    workbook.properties.creator = "make_ticket_exports.py"
    workbook.properties.created = FIXED
    target = HERE / "generic_serials.xlsx"
    workbook.save(target)
    _pin(target)


def _pin(path: Path) -> None:
    """Rewrite a workbook with fixed timestamps, so every run writes the same bytes."""
    with zipfile.ZipFile(path) as archive:
        parts = [(info.filename, archive.read(info)) for info in archive.infolist()]
    stamp = FIXED.strftime("%Y-%m-%dT%H:%M:%SZ").encode()
    with zipfile.ZipFile(path, "w", zipfile.ZIP_DEFLATED) as archive:
        for name, data in parts:
            if name == "docProps/core.xml":
                data = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>" + stamp, data)
            archive.writestr(
                zipfile.ZipInfo(name, FIXED.timetuple()[:6]), data, zipfile.ZIP_DEFLATED
            )


if __name__ == "__main__":
    HERE.mkdir(exist_ok=True)
    jira_csv()
    zendesk_csv()
    freshdesk_csv()
    generic_csvs()
    serial_workbook()
