"""Read and write the response and resolution times written in escalation-matrix spreadsheets."""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from enum import Enum, auto
from fractions import Fraction

__all__ = [
    "BUSINESS_DAY_MINUTES",
    "BUSINESS_WEEK_DAYS",
    "Duration",
    "DurationError",
    "duration_from_day_fraction",
    "format_duration",
    "parse_duration",
    "try_parse_duration",
]

BUSINESS_DAY_MINUTES = 480  # one business day = 8 working hours
BUSINESS_WEEK_DAYS = 5

_HOUR_MINUTES = 60
_DAY_MINUTES = 24 * _HOUR_MINUTES
_WEEK_DAYS = 7

# Longer digit runs are ticket numbers or phone numbers rather than quantities; refusing them also
# keeps int() away from its digit limit.
_MAX_INTEGER_DIGITS = 9
_QUOTE_LIMIT = 60
_EXAMPLES = '"30 mins", "2 hrs" or "1 business day"'

_ZERO = Fraction(0)
_HALF = Fraction(1, 2)


class DurationError(ValueError):
    """A text that is not a duration; ``str(exc)`` is one sentence for the user that quotes it."""

    def __init__(self, message: str, *, text: str | None = None) -> None:
        super().__init__(message)
        self.text = text


@dataclass(frozen=True, slots=True)
class Duration:
    """A deadline length in minutes; business minutes only tick inside working hours."""

    minutes: int
    business: bool = False

    def __post_init__(self) -> None:
        if isinstance(self.minutes, bool) or not isinstance(self.minutes, int):
            raise TypeError(f"Duration minutes must be an int, not {type(self.minutes).__name__}")
        if self.minutes < 0:
            raise ValueError(f"Duration minutes cannot be negative, got {self.minutes}")

    def __str__(self) -> str:
        return format_duration(self)


def parse_duration(text: str) -> Duration:
    """Read one duration out of a spreadsheet cell, raising DurationError when there is none."""
    if not isinstance(text, str):
        raise TypeError(f"parse_duration expects a str, not {type(text).__name__}")
    try:
        minutes, business = _read(text)
    except _ReadError as rejection:
        raise DurationError(_message(text, rejection.reason), text=text) from None
    return Duration(minutes, business)


def try_parse_duration(text: str) -> Duration | None:
    """Like parse_duration, but None for a text that is not a duration."""
    try:
        return parse_duration(text)
    except DurationError:
        return None


def format_duration(duration: Duration) -> str:
    """The normalised text shown in the app; parse_duration reads it back to the same value."""
    if duration.minutes == 0:
        # A zero business deadline still has to read back as business, hence the suffix.
        return "immediately (business hours)" if duration.business else "immediately"
    day = BUSINESS_DAY_MINUTES if duration.business else _DAY_MINUTES
    days, rest = divmod(duration.minutes, day)
    hours, minutes = divmod(rest, _HOUR_MINUTES)
    parts: list[tuple[int, str]] = []
    if days:
        parts.append((days, "day" if days == 1 else "days"))
    if hours:
        parts.append((hours, "h"))
    if minutes:
        parts.append((minutes, "min"))
    words = [f"{count} {unit}" for count, unit in parts]
    if duration.business:
        count, unit = parts[0]
        words[0] = f"{count} business {unit}"
    return " ".join(words)


def duration_from_day_fraction(value: float) -> Duration:
    """Convert an Excel time or number cell (a fraction of a 24 h day) to calendar minutes."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"duration_from_day_fraction expects a number, not {type(value).__name__}")
    if not math.isfinite(value):
        raise DurationError(_message(repr(value), None), text=repr(value))
    minutes = _round_minutes(Fraction(value) * _DAY_MINUTES)
    # Judged after rounding: Excel subtraction leaves noise like -1e-17 on what is really zero.
    if minutes < 0:
        raise DurationError(_message(repr(value), _NEGATIVE), text=repr(value))
    return Duration(minutes)


# --- reading -------------------------------------------------------------------------------------

_NEGATIVE = "durations cannot be negative"
_SEVERAL = "it holds more than one duration; keep just one"


class _ReadError(Exception):
    def __init__(self, reason: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason


def _message(text: str, reason: str | None) -> str:
    shown = re.sub(r"[\r\n\t]+", " ", text)
    if len(shown) > _QUOTE_LIMIT:
        shown = shown[: _QUOTE_LIMIT - 3].rstrip() + "..."
    if reason is None:
        return f'Could not read "{shown}" as a duration; write it like {_EXAMPLES}.'
    return f'Could not read "{shown}" as a duration because {reason}.'


def _round_minutes(minutes: Fraction) -> int:
    # Half up rather than Python's half-to-even, so 0.5 min and 1.5 min both round away from zero.
    return math.floor(minutes + _HALF)


class _Unit(Enum):
    MINUTE = auto()
    HOUR = auto()
    DAY = auto()
    BUSINESS_DAY = auto()
    WEEK = auto()


_UNIT_WORDS: dict[str, _Unit] = {
    **dict.fromkeys(("m", "mn", "mns", "min", "mins", "minute", "minutes"), _Unit.MINUTE),
    **dict.fromkeys(("h", "hr", "hrs", "hour", "hours"), _Unit.HOUR),
    **dict.fromkeys(("d", "day", "days"), _Unit.DAY),
    **dict.fromkeys(("bd", "bds", "bday", "bdays", "workday", "workdays"), _Unit.BUSINESS_DAY),
    **dict.fromkeys(("w", "wk", "wks", "week", "weeks"), _Unit.WEEK),
}

# A compound such as "1 day 2 h 30 min" must get strictly finer from part to part.
_RANK = {
    _Unit.MINUTE: 1,
    _Unit.HOUR: 2,
    _Unit.DAY: 3,
    _Unit.BUSINESS_DAY: 3,
    _Unit.WEEK: 4,
}


def _unit_minutes(unit: _Unit, business: bool) -> int:
    if unit is _Unit.MINUTE:
        return 1
    if unit is _Unit.HOUR:
        return _HOUR_MINUTES
    if unit is _Unit.BUSINESS_DAY:
        return BUSINESS_DAY_MINUTES
    day = BUSINESS_DAY_MINUTES if business else _DAY_MINUTES
    if unit is _Unit.DAY:
        return day
    return day * (BUSINESS_WEEK_DAYS if business else _WEEK_DAYS)


_BUSINESS_QUALIFIERS = frozenset({"business", "working", "work"})
# Both may sit between a number and its unit ("2 calendar days", "3 full days") without meaning.
_NEUTRAL_QUALIFIERS = frozenset({"calendar", "full"})
_QUALIFIERS = _BUSINESS_QUALIFIERS | _NEUTRAL_QUALIFIERS
_IMMEDIATE_WORDS = frozenset({"immediately", "immediate", "asap"})
_JOINERS = frozenset({"and", "&", "+", ","})
_RANGE_LINKS = frozenset({"-", "to", "or"})
# What may surround a bare number ("~30", "<= 15", "within 30") for it to still count as minutes.
_FILLERS = frozenset(
    {"about", "approx", "approximately", "around", "ca", "circa", "max", "maximum", "within"}
    | {"under", "up", "to", "in", "less", "than", "at", "most"}
    | set("~<>=().,;:*")
)

_SMALL_NUMBERS = {
    word: number
    for number, word in enumerate(
        (
            "zero",
            "one",
            "two",
            "three",
            "four",
            "five",
            "six",
            "seven",
            "eight",
            "nine",
            "ten",
            "eleven",
            "twelve",
            "thirteen",
            "fourteen",
            "fifteen",
            "sixteen",
            "seventeen",
            "eighteen",
            "nineteen",
        )
    )
}
_TENS = {"twenty": 20, "thirty": 30, "forty": 40, "fifty": 50, "sixty": 60, "seventy": 70}


def _alternation(words: Iterable[str]) -> str:
    # Longest first, so "minutes" is not cut short to "m".
    return "|".join(sorted((re.escape(word) for word in words), key=len, reverse=True))


_UNIT_RE = rf"(?:{_alternation(_UNIT_WORDS)})(?![a-z])"
# "a m" or "a d" are too likely to be something else for "a" to mean one.
_SPELLED_UNIT_RE = rf"(?:{_alternation([w for w in _UNIT_WORDS if len(w) > 1])})(?![a-z])"
_QUALIFIERS_RE = rf"(?:(?:{_alternation(_QUALIFIERS)})\s+)*"

_CHARACTERS = str.maketrans(
    {
        "\u2010": "-",
        "\u2011": "-",
        "\u2012": "-",
        "\u2013": "-",
        "\u2014": "-",
        "\u2212": "-",
        "\u2018": "'",
        "\u2019": "'",
        "\u2032": "'",
        "\u2264": "<=",
        "\u2265": ">=",
        "\u00a0": " ",
        "\u202f": " ",
    }
)

_Replacement = str | Callable[[re.Match[str]], str]


def _spell_out(match: re.Match[str]) -> str:
    tens, units, small = match.group(1, 2, 3)
    if tens:
        return str(_TENS[tens] + (_SMALL_NUMBERS[units] if units else 0))
    return str(_SMALL_NUMBERS[small])


def _vulgar_half(match: re.Match[str]) -> str:
    return f"{match.group(1) or 0}.5"


_REWRITES: tuple[tuple[re.Pattern[str], _Replacement], ...] = (
    (re.compile(r"(?:([0-9]+)\s*)?\u00bd"), _vulgar_half),
    # "4-hour", "half-hour", "business-day": a hyphen before a word joins, it is no range.
    (re.compile(r"(?<=[0-9a-z])-(?=[a-z])"), " "),
    (
        re.compile(
            rf"\b(?:({'|'.join(_TENS)})(?:\s+"
            rf"({'|'.join(w for w in _SMALL_NUMBERS if 0 < _SMALL_NUMBERS[w] < 10)}))?"
            rf"|({'|'.join(_SMALL_NUMBERS)}))\b"
        ),
        _spell_out,
    ),
    (re.compile(r"(?<=[0-9]),(?=[0-9]{3}(?![0-9]))"), ""),
    (re.compile(r"(?<=[0-9]),(?=[0-9])"), "."),
    (re.compile(r"\bnext\s+(business|working|work)\s+day\b"), r"1 \1 day"),
    (re.compile(r"\bnbd\b"), "1 business day"),
    (re.compile(r"\bnext\s+day\b"), "1 day"),
    (re.compile(r"(?<![0-9.])([0-9]+)\s+and\s+a\s+half\b"), r"\1.5"),
    (re.compile(rf"\bhalf\s+(?:an?\s+)?(?={_QUALIFIERS_RE}{_UNIT_RE})"), "0.5 "),
    (re.compile(rf"\ban?\s+(?={_QUALIFIERS_RE}{_SPELLED_UNIT_RE})"), "1 "),
    (
        re.compile(rf"(?<![0-9.])([0-9]+)(\s*{_QUALIFIERS_RE}{_UNIT_RE})\s+and\s+a\s+half\b"),
        r"\1.5\2",
    ),
)


def _normalise(text: str) -> str:
    text = text.translate(_CHARACTERS).lower()
    for pattern, replacement in _REWRITES:
        text = pattern.sub(replacement, text)
    return text


class _Kind(Enum):
    NUMBER = auto()
    CLOCK = auto()
    UNIT = auto()
    QUALIFIER = auto()
    JOINER = auto()
    RANGE = auto()
    MINUS = auto()
    IMMEDIATE = auto()
    WORD = auto()
    SYMBOL = auto()


@dataclass(frozen=True, slots=True)
class _Token:
    kind: _Kind
    text: str
    value: Fraction = _ZERO
    unit: _Unit | None = None
    business: bool = False
    glued: bool = False  # written against the previous token, as the 30 in "1h30"


@dataclass(frozen=True, slots=True)
class _Lexeme:
    group: str
    text: str
    start: int
    end: int


_LEXEME = re.compile(
    r"(?P<clock>(?<![0-9.:])[0-9]+:[0-5][0-9](?::[0-5][0-9])?(?![0-9:]))"
    r"|(?P<number>[0-9]+(?:\.[0-9]+)?|(?<![a-z0-9.])\.[0-9]+)"
    r"|(?P<word>[a-z]+)"
    r"|(?P<symbol>\S)"
)


def _lex(text: str) -> list[_Lexeme]:
    return [
        _Lexeme(match.lastgroup or "symbol", match.group(), match.start(), match.end())
        for match in _LEXEME.finditer(text)
    ]


def _too_long(number: str) -> bool:
    return len(number.partition(".")[0]) > _MAX_INTEGER_DIGITS


def _qualifies_unit(lexemes: list[_Lexeme], index: int) -> bool:
    # "business" only qualifies when a unit follows, so "business critical" is no business flag.
    for lexeme in lexemes[index + 1 :]:
        if lexeme.text in _QUALIFIERS:
            continue
        return lexeme.text in _UNIT_WORDS or lexeme.text == "time"
    return False


def _classify(lexemes: list[_Lexeme], index: int, before: _Token | None) -> _Token:
    lexeme = lexemes[index]
    text = lexeme.text
    previous = lexemes[index - 1] if index else None
    following = lexemes[index + 1] if index + 1 < len(lexemes) else None
    touches_previous = previous is not None and previous.end == lexeme.start
    if lexeme.group == "clock":
        hours, minutes, *seconds = text.split(":")
        if _too_long(hours) or (following is not None and following.text in {"am", "pm"}):
            return _Token(_Kind.WORD, text)
        value = (
            int(hours) * _HOUR_MINUTES
            + int(minutes)
            + Fraction(int(seconds[0]) if seconds else 0, 60)
        )
        return _Token(_Kind.CLOCK, text, value=value)
    if lexeme.group == "number":
        if _too_long(text):
            return _Token(_Kind.WORD, text)
        glued = touches_previous and previous is not None and previous.group == "word"
        if glued and (before is None or before.kind is not _Kind.UNIT):
            # The digits of a label such as "P1" or "Sev2".
            return _Token(_Kind.WORD, text)
        return _Token(_Kind.NUMBER, text, value=Fraction(text), glued=glued)
    if lexeme.group == "word":
        unit = _UNIT_WORDS.get(text)
        if unit is not None:
            return _Token(_Kind.UNIT, text, unit=unit, business=unit is _Unit.BUSINESS_DAY)
        if text in _QUALIFIERS and _qualifies_unit(lexemes, index):
            return _Token(_Kind.QUALIFIER, text, business=text in _BUSINESS_QUALIFIERS)
        if text in _IMMEDIATE_WORDS:
            return _Token(_Kind.IMMEDIATE, text)
        if text in _JOINERS:
            return _Token(_Kind.JOINER, text)
        if text in _RANGE_LINKS:
            return _Token(_Kind.RANGE, text)
        return _Token(_Kind.WORD, text)
    after_quantity = before is not None and before.kind in {_Kind.NUMBER, _Kind.CLOCK, _Kind.UNIT}
    if text == "'" and touches_previous and before is not None and before.kind is _Kind.NUMBER:
        return _Token(_Kind.UNIT, text, unit=_Unit.MINUTE)
    if text == "-":
        if after_quantity:
            return _Token(_Kind.RANGE, text)
        if following is not None and following.group == "number" and following.start == lexeme.end:
            return _Token(_Kind.MINUS, text)
        return _Token(_Kind.SYMBOL, text)
    if text in _JOINERS:
        return _Token(_Kind.JOINER, text)
    return _Token(_Kind.SYMBOL, text)


def _tokenize(text: str) -> list[_Token]:
    lexemes = _lex(text)
    tokens: list[_Token] = []
    for index in range(len(lexemes)):
        tokens.append(_classify(lexemes, index, tokens[-1] if tokens else None))
    return tokens


@dataclass(frozen=True, slots=True)
class _Term:
    minutes: Fraction
    rank: int
    floor: int  # any further part of a compound must rank below this
    unit: _Unit | None
    unit_text: str
    next: int


def _term(tokens: list[_Token], index: int, business: bool) -> _Term | None:
    if index >= len(tokens):
        return None
    token = tokens[index]
    if token.kind is _Kind.CLOCK:
        # Nothing finer may follow "1:30": it already carries its minutes.
        return _Term(
            token.value, _RANK[_Unit.HOUR], _RANK[_Unit.MINUTE], None, token.text, index + 1
        )
    if token.kind is not _Kind.NUMBER:
        return None
    end = index + 1
    while end < len(tokens) and tokens[end].kind is _Kind.QUALIFIER:
        end += 1
    unit_token = tokens[end] if end < len(tokens) else None
    if unit_token is None or unit_token.unit is None:
        return None
    unit = unit_token.unit
    minutes = token.value * _unit_minutes(unit, business)
    return _Term(minutes, _RANK[unit], _RANK[unit], unit, unit_token.text, end + 1)


def _trailing_minutes(tokens: list[_Token], term: _Term) -> _Term | None:
    """The unlabelled minutes of "1h30"; only read after an "h" or glued on, so "4 hours 24/7"
    keeps its 24 out of the sum."""
    if term.unit is not _Unit.HOUR or term.next >= len(tokens):
        return None
    token = tokens[term.next]
    after = tokens[term.next + 1] if term.next + 1 < len(tokens) else None
    # "1 hr 30" and "1 hour 30" end the text with their minutes; elsewhere a spelled-out hour
    # unit keeps a following number out of the sum ("4 hours 24/7", "2 hours 15 customers").
    closes_text = after is None
    if token.kind is not _Kind.NUMBER or not (term.unit_text == "h" or token.glued or closes_text):
        return None
    if token.value.denominator != 1 or token.value >= _HOUR_MINUTES or len(token.text) > 2:
        return None
    if after is not None and after.text in {"/", ":", "%"}:
        return None
    return _Term(
        token.value, _RANK[_Unit.MINUTE], _RANK[_Unit.MINUTE], _Unit.MINUTE, "", term.next + 1
    )


def _compound(tokens: list[_Token], index: int, business: bool) -> tuple[Fraction, int] | None:
    """One duration starting at index, adding up finer parts ("1 hr 30 mins"), and where it ends."""
    term = _term(tokens, index, business)
    if term is None:
        return None
    total = term.minutes
    while True:
        start = term.next
        while start < len(tokens) and tokens[start].kind is _Kind.JOINER:
            start += 1
        part = _term(tokens, start, business)
        if part is None:
            part = _trailing_minutes(tokens, term)
        elif part.rank >= term.floor:
            part = None
        if part is None:
            return total, term.next
        total += part.minutes
        term = part


def _range_end(
    tokens: list[_Token], start: int, end: int, lower: Fraction, business: bool
) -> tuple[Fraction, int] | None:
    """The upper bound of "30 min to 1 h", the deadline that counts."""
    if end >= len(tokens):
        return None
    link = tokens[end]
    after_between = start > 0 and tokens[start - 1].text == "between"
    if not (link.kind is _Kind.RANGE or (after_between and link.text == "and")):
        return None
    upper = _compound(tokens, end + 1, business)
    # A falling pair ("2 h - 30 min") is two separate durations, not a range.
    if upper is None or upper[0] < lower:
        return None
    return upper


def _read(text: str) -> tuple[int, bool]:
    tokens = _tokenize(_normalise(text))
    business = any(token.business for token in tokens)
    readings: list[Fraction] = []
    bare: list[_Token] = []
    index = 0
    while index < len(tokens):
        token = tokens[index]
        if token.kind is _Kind.MINUS:
            raise _ReadError(_NEGATIVE)
        if token.kind is _Kind.IMMEDIATE:
            readings.append(_ZERO)
            index += 1
            continue
        found = _compound(tokens, index, business)
        if found is None:
            # Numbers without a unit are usually labels ("Tier 2: 4 hours"), so they are set aside.
            if token.kind is _Kind.NUMBER:
                bare.append(token)
            index += 1
            continue
        minutes, end = found
        upper = _range_end(tokens, index, end, minutes, business)
        if upper is not None:
            minutes, end = upper
        readings.append(minutes)
        index = end
    # A lone number is minutes, but only when nothing around it could make it something else.
    lone_number = len(bare) == 1 and all(t is bare[0] or t.text in _FILLERS for t in tokens)
    if not readings and lone_number:
        readings.append(bare[0].value)
    values = {_round_minutes(minutes) for minutes in readings}
    if not values:
        raise _ReadError()
    if len(values) > 1:
        raise _ReadError(_SEVERAL)
    return values.pop(), business
