"""A generated helpdesk export for the spreadsheet benchmarks, and the export's peak memory.

Run as a process by the export benchmark, so that its memory is the export's alone:
  python spreadsheet_data.py WORKSPACE OUT NOW
opens WORKSPACE, writes the managers' workbook to OUT as of NOW (ISO 8601) and prints how many
bytes the peak resident memory (VmHWM) grew while it did.
"""

from __future__ import annotations

import csv
import resource
import sys
from datetime import datetime, timedelta
from pathlib import Path

import openpyxl

from escalation_desk.services.exporting import ExportService
from escalation_desk.store.db import open_workspace

HEADERS = ("Ref", "Title", "Customer", "Module", "Priority", "Status", "Created", "Resolved")
# Routed modules and ones only the catch-all rule takes; "Low" needs mapping to a level.
MODULES = ("Payments", "Billing", "API", "Database", "Reports", "Mobile app", "Login / SSO")
PRIORITIES = ("Highest", "High", "Medium", "Low")
# Four in six are still open on the board; the last two arrive resolved and closed.
STATUSES = ("Open", "In Progress", "New", "Waiting for customer", "Resolved", "Closed")
FIRST_CREATED = datetime(2024, 1, 1, 8, 0)


def write_ticket_export(path: Path, tickets: int) -> None:
    """A generic helpdesk CSV of ``tickets`` rows, refs LOAD-0 upwards, ISO dates."""
    with path.open("w", newline="", encoding="utf-8") as file:
        writer = csv.writer(file)
        writer.writerow(HEADERS)
        for n in range(tickets):
            created = FIRST_CREATED + timedelta(minutes=7 * n)
            resolved = created + timedelta(hours=5) if n % 6 >= 4 else None
            writer.writerow(
                (
                    f"LOAD-{n}",
                    f"Load test ticket {n}",
                    f"Customer {n % 400}",
                    MODULES[n % len(MODULES)],
                    PRIORITIES[n % len(PRIORITIES)],
                    STATUSES[n % len(STATUSES)],
                    f"{created:%Y-%m-%d %H:%M}",
                    f"{resolved:%Y-%m-%d %H:%M}" if resolved else "",
                )
            )


def peak_rss_bytes() -> int:
    """This process's peak resident memory so far: the kernel's high-water mark, VmHWM.

    ru_maxrss would not do: Linux carries the parent's peak over into a process it starts.
    """
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) * 1024
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # macOS: bytes, per process


def export_peak_growth(workspace_path: Path, out: Path, now: datetime) -> int:
    """How many bytes the peak resident memory grew while the workbook was exported."""
    workspace = open_workspace(workspace_path)
    assert openpyxl.__version__  # imported above, before the baseline, as a warm app has it
    before = peak_rss_bytes()
    ExportService(workspace).export(out, now)
    grown = peak_rss_bytes() - before
    workspace.close()
    return grown


if __name__ == "__main__":
    print(
        export_peak_growth(
            Path(sys.argv[1]), Path(sys.argv[2]), datetime.fromisoformat(sys.argv[3])
        )
    )
