"""Reading helpdesk ticket exports as the tools write them, problems pinned to their cells."""

from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest

from escalation_desk.spreadsheets.matrix_import import Problem
from escalation_desk.spreadsheets.reading import Sheet, read_sheets
from escalation_desk.spreadsheets.tickets import (
    ParsedTicket,
    TicketFormat,
    detect_format,
    map_priority,
    parse_tickets,
)
from tests.conftest import UCI_LOG

DATA = Path(__file__).parents[1] / "data" / "tickets"


def sheet(*rows: tuple[Any, ...]) -> Sheet:
    return Sheet("Tickets", tuple(rows))


def by_ref(tickets: list[ParsedTicket]) -> dict[str, ParsedTicket]:
    return {t.ref: t for t in tickets}


def test_the_servicenow_event_log_collapses_to_one_ticket_per_incident() -> None:
    (log,) = read_sheets(UCI_LOG)
    parsed = parse_tickets(log)
    assert parsed.format is TicketFormat.SERVICENOW
    assert parsed.ok, parsed.problems[:5]
    assert len(parsed.tickets) == 890
    assert parsed.priorities == ["3 - Moderate", "2 - High", "4 - Low", "1 - Critical"]
    tickets = by_ref(parsed.tickets)
    # Four events (New, Resolved, Resolved, Closed); the one with sys_mod_count 4 is the latest.
    assert tickets["INC0000045"] == ParsedTicket(
        ref="INC0000045",
        title="Category 55 / Subcategory 170 / Symptom 72",
        customer="Caller 2403",
        module="Category 55",
        issue_type="Incident",
        priority="3 - Moderate",
        status="Closed",
        created_at=dt.datetime(2016, 2, 29, 1, 16),
        resolved_at=dt.datetime(2016, 2, 29, 11, 29),
        closed_at=dt.datetime(2016, 3, 5, 12, 0),
        first_response_minutes=None,
        reassignments=0,
        reopens=0,
        made_sla=True,
        assignee="",  # "?" in the log
        group="Group 56",
    )
    # Its first event also says sys_mod_count 7; the later update of the two is the latest.
    assert tickets["INC0000135"].status == "Closed"
    assert tickets["INC0000135"].assignee == "Resolver 216"
    reopened = tickets["INC0000102"]
    assert (reopened.reassignments, reopened.reopens, reopened.made_sla) == (4, 1, False)
    assert reopened.resolved_at == dt.datetime(2016, 3, 17, 16, 28)
    assert list(tickets)[:3] == ["INC0000045", "INC0000047", "INC0000057"]


def test_a_servicenow_event_log_keeps_the_highest_sys_mod_count() -> None:
    header = ("number", "incident_state", "sys_mod_count", "sys_updated_at", "opened_at")
    parsed = parse_tickets(
        sheet(
            header,
            ("INC1", "Resolved", "2", "02-03-2016 10:00", "01-03-2016 09:00"),
            ("INC1", "New", "0", "01-03-2016 09:05", "01-03-2016 09:00"),
            ("INC2", "Active", "1", "?", "?"),
        )
    )
    assert parsed.format is TicketFormat.SERVICENOW
    assert [(t.ref, t.status) for t in parsed.tickets] == [("INC1", "Resolved"), ("INC2", "Active")]
    assert parsed.tickets[0].created_at == dt.datetime(2016, 3, 1, 9, 0)  # day-first
    assert parsed.tickets[1].created_at is None  # "?" is null
    assert parsed.ok


def test_jira_csv_with_bom_crlf_repeated_columns_and_named_months() -> None:
    raw = (DATA / "jira_export.csv").read_bytes()
    assert raw.startswith(b"\xef\xbb\xbf")
    assert b"\r\n" in raw
    (export,) = read_sheets(DATA / "jira_export.csv")
    assert export.rows[0][0] == "Summary"  # no byte-order mark left on the first header
    parsed = parse_tickets(export)
    assert parsed.format is TicketFormat.JIRA
    assert parsed.ok, parsed.problems
    tickets = by_ref(parsed.tickets)
    first = tickets["SUP-101"]
    assert first.title == "Payment run fails for Quillpay EU"
    assert first.created_at == dt.datetime(2024, 3, 12, 9, 41)
    assert first.resolved_at == dt.datetime(2024, 3, 13, 15, 30)
    assert (first.module, first.customer, first.issue_type) == ("Payments", "Acme Ltd", "Bug")
    second = tickets["SUP-102"]
    assert second.module == "Reports"  # the first "Component/s" is empty, the second is not
    assert second.customer == "Cleo Park"  # no organisation: the reporter
    assert second.created_at == dt.datetime(2024, 3, 14, 12, 5)  # 12:05 PM
    assert second.resolved_at is None
    assert second.title == 'Export "CSV" button shows an empty file'
    assert tickets["SUP-103"].created_at == dt.datetime(2024, 4, 1, 0, 0)  # 12:00 AM
    assert parsed.priorities == ["Highest", "Medium", "Low"]


def test_zendesk_export_with_empty_first_replies() -> None:
    (export,) = read_sheets(DATA / "zendesk_export.csv")
    parsed = parse_tickets(export)
    assert parsed.format is TicketFormat.ZENDESK
    assert parsed.ok, parsed.problems
    tickets = by_ref(parsed.tickets)
    assert [t.first_response_minutes for t in parsed.tickets] == [19, None, 240]
    assert tickets["4502"].customer == "Finn Lee"  # no organisation: the requester
    assert tickets["4502"].created_at == dt.datetime(2024, 3, 13, 14, 5, tzinfo=dt.UTC)  # "Z" kept
    assert tickets["4503"].reopens == 2
    assert tickets["4503"].resolved_at == dt.datetime(2024, 3, 15, 17, 45)


def test_freshdesk_export_first_response_hours_become_minutes() -> None:
    (export,) = read_sheets(DATA / "freshdesk_export.csv")
    parsed = parse_tickets(export)
    assert parsed.format is TicketFormat.FRESHDESK
    assert parsed.ok, parsed.problems
    assert [t.first_response_minutes for t in parsed.tickets] == [30, None, 75]
    assert [t.made_sla for t in parsed.tickets] == [True, None, False]
    first = parsed.tickets[0]
    assert (first.customer, first.module, first.assignee) == ("Hooli", "Mobile app", "Hana Ito")
    assert first.closed_at == dt.datetime(2024, 3, 14, 12, 0)
    assert parsed.tickets[1].customer == "Jo March"


def test_day_first_is_read_from_the_data() -> None:
    (export,) = read_sheets(DATA / "generic_day_first.csv")
    parsed = parse_tickets(export)
    assert parsed.format is TicketFormat.GENERIC
    assert parsed.ok, parsed.problems
    # "Opened" alone is ambiguous (03/04, 05/04); "Resolved" has 13/04, so the sheet is day-first.
    assert [t.created_at for t in parsed.tickets] == [
        dt.datetime(2024, 4, 3, 9, 0),
        dt.datetime(2024, 4, 5, 14, 30),
    ]
    assert [t.resolved_at for t in parsed.tickets] == [dt.datetime(2024, 4, 13), None]


def test_month_first_is_read_from_the_data() -> None:
    (export,) = read_sheets(DATA / "generic_month_first.csv")
    parsed = parse_tickets(export)
    assert parsed.ok, parsed.problems
    assert [t.created_at for t in parsed.tickets] == [
        dt.datetime(2024, 3, 4, 9, 0),
        dt.datetime(2024, 5, 4, 14, 30),
    ]
    assert parsed.tickets[0].resolved_at == dt.datetime(2024, 4, 13)


def test_each_column_decides_its_own_order_when_it_can() -> None:
    parsed = parse_tickets(
        sheet(
            ("Ref", "Created", "Resolved"),
            ("A", "25/01/2024", "01/26/2024"),
            ("B", "02/03/2024", "02/03/2024"),
        )
    )
    assert parsed.ok, parsed.problems
    assert parsed.tickets[1].created_at == dt.datetime(2024, 3, 2)  # day-first column
    assert parsed.tickets[1].resolved_at == dt.datetime(2024, 2, 3)  # month-first column


def test_ambiguous_dates_follow_the_format() -> None:
    rows = (("Ref", "Created"), ("A", "02/03/2024 10:00"))
    assert parse_tickets(sheet(*rows)).tickets[0].created_at == dt.datetime(2024, 2, 3, 10, 0)
    servicenow = sheet(("number", "incident_state", "opened_at"), ("INC1", "New", "02/03/2024"))
    assert parse_tickets(servicenow).tickets[0].created_at == dt.datetime(2024, 3, 2)


def test_excel_serial_numbers_and_workbook_dates_below_a_title_row() -> None:
    (export,) = read_sheets(DATA / "generic_serials.xlsx")
    assert isinstance(export.rows[2][4], float)  # the serial arrives as a plain number
    parsed = parse_tickets(export)
    assert parsed.ok, parsed.problems
    assert parsed.header_row == 2
    assert [t.ref for t in parsed.tickets] == ["1001", "1002"]
    assert [t.created_at for t in parsed.tickets] == [
        dt.datetime(2024, 3, 12, 9, 41),
        dt.datetime(2024, 3, 13, 12, 0),
    ]
    assert [t.closed_at for t in parsed.tickets] == [None, dt.datetime(2024, 3, 14, 8, 30)]
    assert [t.made_sla for t in parsed.tickets] == [True, False]
    assert parsed.priorities == ["Sev 1", "Sev 3"]


def test_question_marks_and_empty_cells_are_null() -> None:
    parsed = parse_tickets(
        sheet(
            ("Ref", "Title", "Assignee", "Created", "Reopens"),
            ("A", "?", "?", "?", "?"),
            ("B", None, "", "", None),
        )
    )
    assert parsed.ok, parsed.problems
    for ticket in parsed.tickets:
        assert (ticket.title, ticket.assignee, ticket.created_at, ticket.reopens) == (
            "",
            "",
            None,
            0,
        )


def test_an_unreadable_date_is_an_error_at_its_row_and_column() -> None:
    parsed = parse_tickets(
        sheet(
            ("Ref", "Title", "Opened"),
            ("A", "Fine", "2024-03-12 09:41"),
            ("B", "Broken", "next Tuesday"),
        )
    )
    assert not parsed.ok
    (problem,) = parsed.problems
    assert (problem.row, problem.column, problem.severity) == (3, "Opened", "error")
    assert "next Tuesday" in problem.message
    assert parsed.tickets[1].created_at is None  # still previewable, not importable


def test_an_impossible_date_is_an_error() -> None:
    parsed = parse_tickets(sheet(("Ref", "Created"), ("A", "31/02/2024")))
    assert [(p.row, p.column, p.severity) for p in parsed.problems] == [(2, "Created", "error")]


def test_an_impossible_date_among_iso_dates_is_an_error_at_its_row() -> None:
    parsed = parse_tickets(
        sheet(
            ("Ref", "Created"),
            ("A", "2024-02-28 10:00"),
            ("B", "2024-02-30 10:00"),
            ("C", "2024-03-01T08:15"),
        )
    )
    assert [(p.row, p.column) for p in parsed.problems] == [(3, "Created")]
    assert [t.created_at for t in parsed.tickets] == [
        dt.datetime(2024, 2, 28, 10, 0),
        None,
        dt.datetime(2024, 3, 1, 8, 15),
    ]


def test_text_over_several_lines_or_with_runs_of_spaces_reads_as_one_line() -> None:
    parsed = parse_tickets(
        sheet(
            ("Ref", "Title", "Customer"),
            ("A", "Checkout fails", "Acme"),
            ("B", "Login\nloops  back", None),
            ("C", "Export\tstalls", 4711.0),
        )
    )
    assert [(t.title, t.customer) for t in parsed.tickets] == [
        ("Checkout fails", "Acme"),
        ("Login loops back", ""),
        ("Export stalls", "4711"),
    ]


def test_duplicate_refs_are_an_error() -> None:
    parsed = parse_tickets(
        sheet(("Ticket ID", "Subject"), ("7", "One"), ("8", "Two"), ("7", "Again"))
    )
    assert not parsed.ok
    assert parsed.problems == [
        Problem(4, "Ticket ID", "7 appears twice (rows 2 and 4); keep one row per ticket.", "error")
    ]
    assert [t.ref for t in parsed.tickets] == ["7", "8"]


def test_a_missing_ref_column_is_one_error_naming_the_header() -> None:
    parsed = parse_tickets(sheet(("Title", "Status"), ("Login loop", "Open")))
    assert not parsed.ok
    (problem,) = parsed.problems
    assert (problem.row, problem.severity) == (1, "error")
    assert '"Ref"' in problem.message
    assert parsed.tickets == []
    forced = parse_tickets(sheet(("Summary", "Status"), ("x", "y")), TicketFormat.JIRA)
    assert forced.format is TicketFormat.JIRA
    assert '"Issue key"' in forced.problems[0].message


def test_a_mapping_overrides_the_headers() -> None:
    rows = sheet(
        ("Col A", "Col B", "When", "Priority", "Urgency"),
        ("X-1", "Printer on fire", "2024-03-12 09:41", "Low", "Critical"),
    )
    assert not parse_tickets(rows).ok  # nothing names a reference column
    parsed = parse_tickets(rows, mapping={"ref": 0, "title": 1, "created": 2, "priority": 4})
    assert parsed.ok, parsed.problems
    (ticket,) = parsed.tickets
    assert (ticket.ref, ticket.title, ticket.priority) == ("X-1", "Printer on fire", "Critical")
    assert ticket.created_at == dt.datetime(2024, 3, 12, 9, 41)
    assert parsed.mapping["priority"] == 4
    with pytest.raises(ValueError, match="not a ticket field"):
        parse_tickets(rows, mapping={"severity": 3})


def test_an_unreadable_count_and_duration_are_errors_and_a_flag_a_warning() -> None:
    parsed = parse_tickets(
        sheet(
            ("Ref", "Reopens", "First response (hrs)", "SLA met"),
            ("A", "twice", "soon", "perhaps"),
            ("B", "1", "1:30", "TRUE"),
        )
    )
    assert [(p.row, p.column, p.severity) for p in parsed.problems] == [
        (2, "First response (hrs)", "error"),
        (2, "Reopens", "error"),
        (2, "SLA met", "warning"),
    ]
    assert (parsed.tickets[1].reopens, parsed.tickets[1].first_response_minutes) == (1, 90)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        (("number", "incident_state", "sys_mod_count", "opened_at"), TicketFormat.SERVICENOW),
        (("Summary", "Issue key", "Priority", "Created", "Labels", "Labels"), TicketFormat.JIRA),
        (("Id", "Subject", "Requester", "First reply time in minutes"), TicketFormat.ZENDESK),
        (
            ("Ticket ID", "Subject", "Created time", "First response time (in hrs)"),
            TicketFormat.FRESHDESK,
        ),
        (("Ref", "Title", "Opened"), TicketFormat.GENERIC),
        ((), TicketFormat.GENERIC),
    ],
)
def test_the_format_is_told_from_the_headers(
    headers: tuple[str, ...], expected: TicketFormat
) -> None:
    assert detect_format(headers) is expected


@pytest.mark.parametrize(
    ("raw", "codes", "expected"),
    [
        ("1 - Critical", ("P1", "P2", "P3", "P4"), "P1"),
        ("3 - Moderate", ("P1", "P2", "P3", "P4"), "P3"),
        ("P2", ("P1", "P2", "P3"), "P2"),
        ("Sev 2", ("P1", "P2", "P3"), "P2"),
        ("Severity 1", ("P1", "P2"), "P1"),
        ("High", ("P1", "P2", "P3"), "P2"),
        ("Urgent", ("P1", "P2", "P3"), "P1"),
        ("Normal", ("P1", "P2", "P3"), "P3"),
        ("Low", ("P1", "P2", "P3", "P4"), "P4"),
        ("Planning", ("P1", "P2", "P3", "P4", "P5"), "P5"),
        ("Low", ("P1", "P2", "P3"), None),  # no fourth level to put it in
        ("Whenever", ("P1", "P2", "P3"), None),
        ("", ("P1",), None),
        ("Gold", ("Gold", "Silver"), "Gold"),
    ],
)
def test_map_priority(raw: str, codes: tuple[str, ...], expected: str | None) -> None:
    assert map_priority(raw, codes) == expected
