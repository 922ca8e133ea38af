"""Tests for reading and writing escalation-matrix durations."""

from __future__ import annotations

import dataclasses

import pytest

from escalation_desk.domain.durations import (
    BUSINESS_DAY_MINUTES,
    BUSINESS_WEEK_DAYS,
    Duration,
    DurationError,
    duration_from_day_fraction,
    format_duration,
    parse_duration,
    try_parse_duration,
)

CAL = False
BIZ = True


def test_business_calendar_constants() -> None:
    assert BUSINESS_DAY_MINUTES == 480
    assert BUSINESS_WEEK_DAYS == 5


def test_duration_defaults_to_calendar_time() -> None:
    assert Duration(30) == Duration(30, business=False)


def test_duration_is_immutable() -> None:
    with pytest.raises(dataclasses.FrozenInstanceError):
        Duration(30).minutes = 5  # type: ignore[misc]


@pytest.mark.parametrize("minutes", [-1, -480])
def test_duration_refuses_negative_minutes(minutes: int) -> None:
    with pytest.raises(ValueError, match="negative"):
        Duration(minutes)


@pytest.mark.parametrize("minutes", [1.5, "30", True])
def test_duration_refuses_non_int_minutes(minutes: object) -> None:
    with pytest.raises(TypeError):
        Duration(minutes)  # type: ignore[arg-type]


def test_str_is_the_formatted_text() -> None:
    assert str(Duration(90)) == "1 h 30 min"
    assert str(Duration(480, business=True)) == "1 business day"


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("30 mins", 30),
        ("30 min", 30),
        ("30 minutes", 30),
        ("30 minute", 30),
        ("30m", 30),
        ("30 mn", 30),
        ("45 Minutes", 45),
        ("30 MINS", 30),
        ("15'", 15),
        ("15\u2019", 15),
        ("1 min", 1),
        ("90 min", 90),
        ("1.5 min", 2),
    ],
)
def test_minutes(text: str, minutes: int) -> None:
    assert parse_duration(text) == Duration(minutes, CAL)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("2 hrs", 120),
        ("2 hr", 120),
        ("2 hours", 120),
        ("1 hour", 60),
        ("2h", 120),
        ("4h", 240),
        ("4H", 240),
        ("24hrs", 1440),
        ("1.5 hours", 90),
        ("1,5 h", 90),
        ("0.25 h", 15),
        (".5 h", 30),
        ("1h30", 90),
        ("1h05", 65),
        ("1 h 30", 90),
        ("1 hr 30", 90),
        ("1 hour 30", 90),
        ("2 hours 15", 135),
        ("1hr30", 90),
        ("1h30m", 90),
        ("1h 30m", 90),
        ("1hr30min", 90),
        ("1 hr 30 mins", 90),
        ("2 hours 15 minutes", 135),
        ("1 hour and 30 minutes", 90),
        ("1 hour, 30 minutes", 90),
        ("1 h + 30 min", 90),
        ("1 hour & 30 minutes", 90),
        ("4-hour response", 240),
    ],
)
def test_hours_and_compounds(text: str, minutes: int) -> None:
    assert parse_duration(text) == Duration(minutes, CAL)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("48:00", 2880),
        ("1:30", 90),
        ("0:45", 45),
        ("0:00", 0),
        ("1:30:00", 90),
        ("0:00:40", 1),
        ("Resolve within 8:00", 480),
    ],
)
def test_clock_notation(text: str, minutes: int) -> None:
    assert parse_duration(text) == Duration(minutes, CAL)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("1 day", 1440),
        ("2 days", 2880),
        ("2d", 2880),
        ("1 week", 10080),
        ("2 weeks", 20160),
        ("1 wk", 10080),
        ("1 day 4 h", 1680),
        ("1d4h", 1680),
        ("2 calendar days", 2880),
        ("3 full days", 4320),
        ("next day", 1440),
    ],
)
def test_calendar_days_and_weeks(text: str, minutes: int) -> None:
    assert parse_duration(text) == Duration(minutes, CAL)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("1 business day", 480),
        ("2 business days", 960),
        ("2 working days", 960),
        ("2 work days", 960),
        ("2 workdays", 960),
        ("2 full business days", 960),
        ("4 business hours", 240),
        ("4 working hours", 240),
        ("1 business hour", 60),
        ("30 business min", 30),
        ("1 business week", 2400),
        ("next business day", 480),
        ("Next Working Day", 480),
        ("NBD", 480),
        ("2 BD", 960),
        ("2 bd", 960),
        ("2BD", 960),
        ("1 business day 1 h", 540),
        ("a business day", 480),
        ("half a business day", 240),
        ("4-business-hour target", 240),
        ("Respond within 4 business hours", 240),
        # The qualifier anywhere makes every unit count in business time.
        ("2 days (business hours)", 960),
        ("4 hrs during business hours", 240),
        ("1 week, working time", 2400),
    ],
)
def test_business_durations(text: str, minutes: int) -> None:
    assert parse_duration(text) == Duration(minutes, BIZ)


@pytest.mark.parametrize(
    "text",
    [
        "P1 (business critical): 4 hours",
        "Business impact high - 4 hours",
        "Work on it within 4 hours",
    ],
)
def test_business_as_a_plain_word_is_no_qualifier(text: str) -> None:
    assert parse_duration(text) == Duration(240, CAL)


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("one hour", 60),
        ("two hours", 120),
        ("an hour", 60),
        ("An Hour", 60),
        ("an hr", 60),
        ("a day", 1440),
        ("a week", 10080),
        ("a minute", 1),
        ("half an hour", 30),
        ("half hour", 30),
        ("half-hour", 30),
        ("half a day", 720),
        ("twelve hours", 720),
        ("fifteen minutes", 15),
        ("twenty-four hours", 1440),
        ("forty five minutes", 45),
        ("one and a half hours", 90),
        ("an hour and a half", 90),
        ("2 hours and a half", 150),
        ("1\u00bd hours", 90),
        ("three days", 4320),
        ("zero minutes", 0),
    ],
)
def test_spelled_out_numbers(text: str, minutes: int) -> None:
    assert parse_duration(text) == Duration(minutes, CAL)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("Within 30 minutes for P1", Duration(30)),
        ("Respond within 4 business hours", Duration(240, BIZ)),
        ("No resolution in 2 hrs", Duration(120)),
        ("<= 15 min", Duration(15)),
        ("\u2264 15 min", Duration(15)),
        ("< 1h", Duration(60)),
        ("~30 min", Duration(30)),
        ("approx. 2 hrs", Duration(120)),
        ("Approx 2h", Duration(120)),
        ("about 45 minutes", Duration(45)),
        ("max. 4 hours", Duration(240)),
        ("up to 4 hours", Duration(240)),
        ("Tier 2: 4 hours", Duration(240)),
        ("Sev 3 - 1 h", Duration(60)),
        ("P1 - 30 min", Duration(30)),
        ("4 hours 24/7", Duration(240)),
        ("2 hours 15 customers", Duration(120)),
        ("Respond in 1h30.", Duration(90)),
        ("  2 hrs  ", Duration(120)),
        ("Escalate to L2\nafter 2 hours", Duration(120)),
        # The same duration said twice is still one duration.
        ("1 day (24 h)", Duration(1440)),
        ("2 business days (16 business hours)", Duration(960, BIZ)),
    ],
)
def test_durations_inside_sentences(text: str, expected: Duration) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("immediately", Duration(0)),
        ("Immediately", Duration(0)),
        ("immediate", Duration(0)),
        ("asap", Duration(0)),
        ("ASAP", Duration(0)),
        ("Escalate immediately", Duration(0)),
        ("immediately (business hours)", Duration(0, BIZ)),
        ("0", Duration(0)),
        ("0 min", Duration(0)),
        ("0 business hours", Duration(0, BIZ)),
    ],
)
def test_immediate(text: str, expected: Duration) -> None:
    assert parse_duration(text) == expected


@pytest.mark.parametrize(
    ("text", "minutes"),
    [
        ("30", 30),
        ("0", 0),
        ("240", 240),
        ("30.0", 30),
        ("~30", 30),
        ("<= 15", 15),
        ("(45)", 45),
        ("within 30", 30),
    ],
)
def test_bare_number_is_minutes(text: str, minutes: int) -> None:
    assert parse_duration(text) == Duration(minutes, CAL)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("1-2 hours", Duration(120)),
        ("1 - 2 hours", Duration(120)),
        ("1\u20132 hours", Duration(120)),
        ("1 to 2 hours", Duration(120)),
        ("from 1 to 2 hours", Duration(120)),
        ("between 1 and 2 hours", Duration(120)),
        ("1 or 2 days", Duration(2880)),
        ("2-4h", Duration(240)),
        ("1h-2h", Duration(120)),
        ("30 min to 1 hour", Duration(60)),
        ("between 30 min and 1 hour", Duration(60)),
        ("1-2 business days", Duration(960, BIZ)),
    ],
)
def test_ranges_take_the_upper_bound(text: str, expected: Duration) -> None:
    assert parse_duration(text) == expected


GENERIC = 'write it like "30 mins", "2 hrs" or "1 business day".'


@pytest.mark.parametrize(
    "text",
    [
        "",
        "   ",
        "soon",
        "soon-ish",
        "tbd",
        "TBD",
        "n/a",
        "N/A",
        "-",
        "hours",
        "business hours",
        "a few hours",
        "several days",
        "30 sec",
        "30 seconds",
        "3 months",
        "Within 30 for P1",
        "P1",
        "24/7",
        "1 2",
        "2 business",
        "by 5:00 pm",
        "12345678901 hours",
        "same business day",
    ],
)
def test_rejects_text_without_a_duration(text: str) -> None:
    with pytest.raises(DurationError) as caught:
        parse_duration(text)
    message = str(caught.value)
    assert message == f'Could not read "{text}" as a duration; {GENERIC}'
    assert caught.value.text == text


@pytest.mark.parametrize(
    "text",
    ["-5 min", "-5", "-1 h", "\u22125 min", "P1 -30min", "Respond in -2 business days"],
)
def test_rejects_negative_durations(text: str) -> None:
    with pytest.raises(DurationError) as caught:
        parse_duration(text)
    assert str(caught.value) == (
        f'Could not read "{text}" as a duration because durations cannot be negative.'
    )


@pytest.mark.parametrize(
    "text",
    [
        "P1: 30 min, P2: 2 hrs",
        "30 min, 2 hrs",
        "2 h - 30 min",
        "P1 30 min / P2 4 h",
        "1 hour 2 hours",
        "24 hours / 7 days",
        "immediately, within 15 min",
        "1 business day or 4 hours",
    ],
)
def test_rejects_several_durations(text: str) -> None:
    with pytest.raises(DurationError) as caught:
        parse_duration(text)
    message = str(caught.value)
    assert message.startswith(f'Could not read "{text}" as a duration because')
    assert "more than one duration" in message


def test_error_message_is_one_line_and_shortened_for_long_cells() -> None:
    text = "Escalate to the duty manager\nwhen it is a major incident " + "x" * 80
    with pytest.raises(DurationError) as caught:
        parse_duration(text)
    message = str(caught.value)
    assert "\n" not in message
    assert message.startswith('Could not read "Escalate to the duty manager when it is')
    assert '..." as a duration' in message


def test_duration_error_is_a_value_error() -> None:
    assert issubclass(DurationError, ValueError)


def test_parse_refuses_non_text() -> None:
    with pytest.raises(TypeError):
        parse_duration(30)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("2 hrs", Duration(120)),
        ("1 business day", Duration(480, BIZ)),
        ("soon", None),
        ("", None),
        ("-5 min", None),
        ("P1: 30 min, P2: 2 hrs", None),
    ],
)
def test_try_parse_duration(text: str, expected: Duration | None) -> None:
    assert try_parse_duration(text) == expected


@pytest.mark.parametrize(
    ("duration", "text"),
    [
        (Duration(0), "immediately"),
        (Duration(1), "1 min"),
        (Duration(30), "30 min"),
        (Duration(60), "1 h"),
        (Duration(90), "1 h 30 min"),
        (Duration(480), "8 h"),
        (Duration(1440), "1 day"),
        (Duration(1441), "1 day 1 min"),
        (Duration(1500), "1 day 1 h"),
        (Duration(2880), "2 days"),
        (Duration(2910), "2 days 30 min"),
        (Duration(10080), "7 days"),
        (Duration(0, BIZ), "immediately (business hours)"),
        (Duration(30, BIZ), "30 business min"),
        (Duration(90, BIZ), "1 business h 30 min"),
        (Duration(240, BIZ), "4 business h"),
        (Duration(480, BIZ), "1 business day"),
        (Duration(510, BIZ), "1 business day 30 min"),
        (Duration(540, BIZ), "1 business day 1 h"),
        (Duration(960, BIZ), "2 business days"),
        (Duration(2400, BIZ), "5 business days"),
    ],
)
def test_format_duration(duration: Duration, text: str) -> None:
    assert format_duration(duration) == text
    assert str(duration) == text


@pytest.mark.parametrize("business", [CAL, BIZ])
def test_format_then_parse_round_trips(business: bool) -> None:
    for minutes in [*range(0, 3001, 7), 10080, 20160, 100_000, 1_000_000]:
        duration = Duration(minutes, business)
        assert parse_duration(format_duration(duration)) == duration, duration


@pytest.mark.parametrize(
    ("value", "minutes"),
    [
        (0, 0),
        (0.0, 0),
        (-0.0, 0),
        (0.5, 720),
        (1 / 48, 30),
        (1 / 24, 60),
        (2.0, 2880),
        (2, 2880),
        (1.5, 2160),
        (0.0625, 90),
        (1 / 1440, 1),
        (0.4 / 1440, 0),
        (0.5 / 1440, 1),
        (0.041666666666666664, 60),
        # Excel arithmetic leaves float noise on what is really zero.
        (-1e-17, 0),
    ],
)
def test_duration_from_day_fraction(value: float, minutes: int) -> None:
    assert duration_from_day_fraction(value) == Duration(minutes, CAL)


@pytest.mark.parametrize("value", [-0.5, -1, -1 / 1440])
def test_duration_from_day_fraction_rejects_negative(value: float) -> None:
    with pytest.raises(DurationError) as caught:
        duration_from_day_fraction(value)
    assert str(caught.value) == (
        f'Could not read "{value!r}" as a duration because durations cannot be negative.'
    )


@pytest.mark.parametrize("value", [float("nan"), float("inf"), float("-inf")])
def test_duration_from_day_fraction_rejects_non_finite(value: float) -> None:
    with pytest.raises(DurationError, match="Could not read"):
        duration_from_day_fraction(value)


@pytest.mark.parametrize("value", [True, "0.5", None])
def test_duration_from_day_fraction_refuses_non_numbers(value: object) -> None:
    with pytest.raises(TypeError):
        duration_from_day_fraction(value)  # type: ignore[arg-type]
