"""The hand-off message in each format: the ref first, every field present, nothing empty."""

from dataclasses import replace

import pytest

from escalation_desk.domain.handoff import Format, Handoff, handoff_summary

FULL = Handoff(
    ref="SUP-1234",
    title="Checkout fails for EU cards",
    customer="Acme Retail",
    module="Payments",
    severity="P1",
    severity_name="Critical",
    team="Payments team",
    role="Payments on-call lead",
    holder="Dana Reyes",
    liaison="Sam Okafor",
    method="Jira + Teams with link",
    respond_by="14:30 UTC (30 min)",
    customer_impact="No EU customer can pay; about 40 orders an hour lost.",
    tried="Cleared the card cache.\nRetried with a test card: same 502.",
    reproduce="Pay with any EU card.\nhttps://example.test/logs/42",
    customers_affected=12,
)

FIELDS = (
    "Checkout fails for EU cards",
    "Acme Retail",
    "12 customers affected",
    "Payments",
    "Payments team",
    "Payments on-call lead",
    "Dana Reyes",
    "Sam Okafor",
    "Jira + Teams with link",
    "14:30 UTC (30 min)",
    "No EU customer can pay; about 40 orders an hour lost.",
    "Retried with a test card: same 502.",
    "https://example.test/logs/42",
)


@pytest.mark.parametrize("fmt", list(Format))
def test_the_first_line_carries_ref_severity_and_title(fmt: Format) -> None:
    first = handoff_summary(FULL, fmt).splitlines()[0]
    assert "SUP-1234" in first
    assert "P1 Critical" in first
    assert "Checkout fails for EU cards" in first


@pytest.mark.parametrize("fmt", list(Format))
def test_every_field_is_in_the_message(fmt: Format) -> None:
    text = handoff_summary(FULL, fmt)
    for value in FIELDS:
        assert value in text, value
    for heading in ("Customer impact", "What was tried", "How to reproduce / links"):
        assert heading in text


@pytest.mark.parametrize("fmt", list(Format))
def test_missing_people_are_said_in_words_never_none(fmt: Format) -> None:
    text = handoff_summary(replace(FULL, holder=None, liaison=None, method="", tried=""), fmt)
    assert "None" not in text
    assert "()" not in text
    assert "nobody holds this role yet" in text
    assert "none assigned yet" in text
    assert "not set in the matrix" in text
    assert "Not given." in text


@pytest.mark.parametrize("fmt", list(Format))
def test_a_line_break_in_the_title_does_not_push_the_ref_down(fmt: Format) -> None:
    text = handoff_summary(replace(FULL, title="Checkout\nfails"), fmt)
    assert "SUP-1234" in text.splitlines()[0]
    assert "Checkout fails" in text.splitlines()[0]


@pytest.mark.parametrize(
    ("count", "words"),
    [
        (1, "1 customer affected"),
        (3, "3 customers affected"),
        (0, "number of customers affected not known yet"),
    ],
)
def test_customers_affected_reads_naturally(count: int, words: str) -> None:
    assert words in handoff_summary(replace(FULL, customers_affected=count), Format.EMAIL)


def test_jira_uses_wiki_markup() -> None:
    lines = handoff_summary(FULL, Format.JIRA).splitlines()
    assert lines[0] == "h3. [SUP-1234] P1 Critical: Checkout fails for EU cards"
    assert "* *Routed to:* Payments team / Payments on-call lead (Dana Reyes)" in lines
    assert "h4. What was tried" in lines
    assert not any("**" in line for line in lines)


def test_slack_uses_mrkdwn() -> None:
    lines = handoff_summary(FULL, Format.SLACK).splitlines()
    assert lines[0] == "*[SUP-1234] P1 Critical: Checkout fails for EU cards*"
    assert "• *Support liaison:* Sam Okafor" in lines
    assert "*Customer impact*" in lines
    assert not any("**" in line for line in lines)


def test_teams_uses_markdown() -> None:
    lines = handoff_summary(FULL, Format.TEAMS).splitlines()
    assert lines[0] == "**[SUP-1234] P1 Critical: Checkout fails for EU cards**"
    assert "- **How to escalate:** Jira + Teams with link" in lines
    assert "**How to reproduce / links**" in lines


def test_email_has_a_subject_line_then_plain_text() -> None:
    lines = handoff_summary(FULL, Format.EMAIL).splitlines()
    assert lines[0] == "Subject: [SUP-1234] P1 Critical: Checkout fails for EU cards"
    assert lines[1] == ""
    assert "Respond by: 14:30 UTC (30 min)" in lines
    assert "Customer: Acme Retail, 12 customers affected" in lines
    assert not any(mark in line for line in lines for mark in ("**", "h3.", "•"))


@pytest.mark.parametrize("fmt", list(Format))
def test_the_message_has_no_trailing_blank_line(fmt: Format) -> None:
    assert not handoff_summary(FULL, fmt).endswith("\n")
