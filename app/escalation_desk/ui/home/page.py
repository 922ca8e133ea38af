"""Home: what the workspace holds and what needs the lead's attention now."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import TYPE_CHECKING

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QScrollArea,
    QVBoxLayout,
    QWidget,
)

from escalation_desk.ui.widgets import Card, ElidedLabel, SeverityChip, StatTile

if TYPE_CHECKING:
    from escalation_desk.services.overview import ActivityLine, AttentionItem, HomeSummary
    from escalation_desk.services.session import AppSession

EVENT_WORDS = {
    "created": "created",
    "escalated": "escalated",
    "acknowledged": "acknowledged",
    "started": "work started",
    "reassigned": "reassigned",
    "update_logged": "update",
    "handed_back": "handed back",
    "resolved": "resolved",
    "closed": "closed",
    "reopened": "reopened",
    "checklist_item_done": "checklist item done",
    "checklist_item_waived": "checklist item waived",
}


class HomePage(QScrollArea):
    """Shows a ``HomeSummary``; it owns no data and is refilled by ``show_summary``."""

    #: Deadlines and ages move with the clock: the window re-reads this screen every minute.
    changes_with_time = True

    ATTENTION_LIMIT = 8

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("homePage")
        self.setWidgetResizable(True)
        self.setFrameShape(QScrollArea.Shape.NoFrame)
        content = QWidget()
        content.setObjectName("pageContent")
        self.setWidget(content)
        page = QVBoxLayout(content)
        page.setContentsMargins(24, 20, 24, 20)
        page.setSpacing(16)

        self.title = QLabel("Loading workspace…")
        self.title.setObjectName("pageTitle")
        self.subtitle = ElidedLabel("")
        self.subtitle.setObjectName("pageSubtitle")
        page.addWidget(self.title)
        page.addWidget(self.subtitle)

        tiles = QHBoxLayout()
        tiles.setSpacing(12)
        self.tile_open = StatTile("Open escalations")
        self.tile_breached = StatTile("Deadlines breached")
        self.tile_critical = StatTile("Critical, due soon")
        self.tile_no_liaison = StatTile("Without a liaison")
        self.tile_closure = StatTile("Awaiting closure")
        for tile in (
            self.tile_open,
            self.tile_breached,
            self.tile_critical,
            self.tile_no_liaison,
            self.tile_closure,
        ):
            tiles.addWidget(tile, 1)
        page.addLayout(tiles)

        grid = QGridLayout()
        grid.setHorizontalSpacing(16)
        grid.setVerticalSpacing(16)
        self.matrix_card = Card("Escalation matrix")
        self.directory_card = Card("Teams, roles and routing")
        self.attention_card = Card("Needs attention now")
        self.closure_card = Card("Resolved, awaiting the closure loop")
        self.activity_card = Card("Recent activity")
        grid.addWidget(self.matrix_card, 0, 0)
        grid.addWidget(self.directory_card, 1, 0)
        grid.addWidget(self.activity_card, 2, 0)
        grid.addWidget(self.attention_card, 0, 1, 2, 1)
        grid.addWidget(self.closure_card, 2, 1)
        grid.setColumnStretch(0, 1)
        grid.setColumnStretch(1, 1)
        page.addLayout(grid)
        page.addStretch(1)

    def refresh_from(self, session: AppSession, now: datetime) -> None:
        """Show the open workspace's summary as of ``now``."""
        self.show_summary(session.summary(now), now)

    def show_summary(self, summary: HomeSummary, now: datetime) -> None:
        """Refill every card from ``summary``."""
        self.title.setText(summary.name)
        self.subtitle.setText(
            f"As of {now.astimezone():%a %d %b, %H:%M} · deadlines are re-read every minute"
        )
        self.tile_open.set_value(summary.open_total)
        self.tile_breached.set_value(len(summary.breached), tone="bad")
        self.tile_critical.set_value(len(summary.critical), tone="warn")
        self.tile_no_liaison.set_value(len(summary.without_liaison), tone="warn")
        self.tile_closure.set_value(len(summary.awaiting_closure))
        self._fill_matrix(summary)
        self._fill_directory(summary)
        self._fill_items(
            self.attention_card,
            [*summary.breached, *summary.critical, *summary.without_liaison],
            empty=(
                "Nothing needs you right now: no deadline is breached or close, "
                "and every escalation has a liaison."
                if summary.open_total
                else "No open escalations."
            ),
            breached=len(summary.breached),
        )
        self._fill_items(
            self.closure_card,
            summary.awaiting_closure,
            empty="No resolved escalation is waiting for its closure loop.",
        )
        self._fill_activity(summary.recent, now)

    def _fill_matrix(self, summary: HomeSummary) -> None:
        card = self.matrix_card
        card.clear()
        if not summary.levels:
            card.body.addWidget(
                _muted(
                    "This workspace has no severity levels yet. File > New workspace… can "
                    "start one from the example P1-P3 matrix instead."
                )
            )
            return
        for level in summary.levels:
            row = QHBoxLayout()
            row.setSpacing(10)
            row.addWidget(SeverityChip(level.code, level.colour))
            name = QLabel(level.name)
            name.setObjectName("strong")
            row.addWidget(name)
            contacts = ", ".join(level.contacts) or "no contacts"
            target = (
                f"respond within {level.target_response}"
                if level.target_response is not None
                else "no response target set"
            )
            row.addWidget(ElidedLabel(f"{target} · {contacts}"), 1)
            count = QLabel(f"{level.open_count} open")
            count.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            row.addWidget(count)
            card.body.addLayout(row)

    def _fill_directory(self, summary: HomeSummary) -> None:
        card = self.directory_card
        card.clear()
        card.body.addWidget(
            QLabel(
                f"{summary.teams} teams · {summary.people} people · {summary.roles} roles · "
                f"{summary.routing_rules} routing rules"
            )
        )
        gaps = [
            *(f"{name} has no holder" for name in summary.roles_without_holder),
            *(f"{name} has no backup" for name in summary.roles_without_backup),
        ]
        if not summary.roles:
            card.body.addWidget(_muted("No named roles yet: routing sends escalations to roles."))
        elif not gaps:
            card.body.addWidget(_muted("Every role has a holder and a backup."))
        for gap in gaps[:4]:
            label = ElidedLabel(f"⚠ {gap}")
            label.setObjectName("warnText")
            card.body.addWidget(label)
        if len(gaps) > 4:
            card.body.addWidget(_muted(f"and {len(gaps) - 4} more"))

    def _fill_items(
        self, card: Card, items: Sequence[AttentionItem], *, empty: str, breached: int = 0
    ) -> None:
        card.clear()
        if not items:
            card.body.addWidget(_muted(empty))
            return
        for index, item in enumerate(items[: self.ATTENTION_LIMIT]):
            row = QHBoxLayout()
            row.setSpacing(10)
            row.addWidget(SeverityChip(item.severity, item.colour))
            ref = QLabel(item.ref)
            ref.setObjectName("ref")
            row.addWidget(ref)
            row.addWidget(ElidedLabel(item.title), 3)
            reason = ElidedLabel(item.reason)
            if item.detail:
                reason.setToolTip(item.detail)
            reason.setObjectName("badText" if index < breached else "reasonText")
            reason.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
            # Wide enough for the whole reason when the row allows; the title gives way first.
            # Measured after polishing, so that the style sheet's bold face is counted.
            reason.ensurePolished()
            wanted = reason.fontMetrics().horizontalAdvance(item.reason) + 6
            reason.setMinimumWidth(min(wanted, 260))
            row.addWidget(reason, 2)
            card.body.addLayout(row)
        if len(items) > self.ATTENTION_LIMIT:
            card.body.addWidget(_muted(f"and {len(items) - self.ATTENTION_LIMIT} more"))

    def _fill_activity(self, lines: Sequence[ActivityLine], now: datetime) -> None:
        card = self.activity_card
        card.clear()
        if not lines:
            card.body.addWidget(_muted("No escalation has any activity yet."))
            return
        for line in lines:
            row = QHBoxLayout()
            row.setSpacing(10)
            when = QLabel(_ago(line.at, now))
            when.setObjectName("muted")
            when.setFixedWidth(72)
            row.addWidget(when)
            ref = QLabel(line.ref)
            ref.setObjectName("ref")
            row.addWidget(ref)
            what = EVENT_WORDS.get(line.kind, line.kind)
            text = f"{what} by {line.actor}" if line.actor else what
            if line.detail:
                text += f": {line.detail}"
            row.addWidget(ElidedLabel(text), 1)
            card.body.addLayout(row)


def _muted(text: str) -> QLabel:
    label = QLabel(text)
    label.setObjectName("muted")
    label.setWordWrap(True)
    return label


def _ago(moment: datetime, now: datetime) -> str:
    minutes = max(0, int((now - moment).total_seconds() // 60))
    if minutes < 1:
        return "just now"
    if minutes < 60:
        return f"{minutes} min ago"
    if minutes < 48 * 60:
        return f"{minutes // 60} h ago"
    return f"{minutes // 1440} days ago"
