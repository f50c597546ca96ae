"""A customer's CE transcript: their certificates, with the hours totalled per licence renewal period.

Renewal cycles are data. A cycle ends on a fixed day of the year, every `years` years (optionally only
in odd or even years): Florida's massage licence runs two years to August 31 of odd years. A custom
date range is one period. The grouping and totals are pure functions of dates and certificates, so
they are unit-tested without a database; only `transcript` reads the customer's certificates.

Revoked certificates are listed (marked) but count no hours.
"""

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import date, timedelta
from decimal import Decimal
from typing import Any

from shop.courses import certificates as certificate_records

MAX_RANGE_DAYS = 366 * 20


class TranscriptError(ValueError):
    """A period that is not a known cycle or a sensible date range."""


@dataclass(frozen=True)
class Cycle:
    code: str
    label: str
    end_month: int
    end_day: int
    years: int = 1
    end_year_parity: int | None = None  # 1: ends in odd years only, 0: even years, None: every `years` years

    def _ends_in(self, year: int) -> bool:
        return self.end_year_parity is None or year % 2 == self.end_year_parity

    def end_on_or_after(self, day: date) -> date:
        year = day.year if date(day.year, self.end_month, self.end_day) >= day else day.year + 1
        while not self._ends_in(year):
            year += 1
        return date(year, self.end_month, self.end_day)

    def period_containing(self, day: date) -> "Period":
        end = self.end_on_or_after(day)
        start = date(end.year - self.years, self.end_month, self.end_day) + timedelta(days=1)
        return Period(start, end)


@dataclass(frozen=True)
class Period:
    start: date
    end: date

    def __contains__(self, day: object) -> bool:
        return isinstance(day, date) and self.start <= day <= self.end

    @property
    def label(self) -> str:
        return f"{self.start:%B} {self.start.day}, {self.start:%Y} – {self.end:%B} {self.end.day}, {self.end:%Y}"


@dataclass
class PeriodTotal:
    period: Period
    certificates: list[Any] = field(default_factory=list)

    @property
    def hours(self) -> Decimal:
        return sum((Decimal(str(c.ce_hours)) for c in self.certificates if getattr(c, "revoked_at", None) is None),
                   Decimal("0"))

    @property
    def counted(self) -> int:
        return sum(1 for c in self.certificates if getattr(c, "revoked_at", None) is None)


@dataclass
class Transcript:
    participant: str
    heading: str
    periods: list[PeriodTotal]

    @property
    def hours(self) -> Decimal:
        return sum((p.hours for p in self.periods), Decimal("0"))

    @property
    def certificates(self) -> list[Any]:
        return [c for p in self.periods for c in p.certificates]


FLORIDA = Cycle("FL", "Florida massage licence (two years to August 31 of odd years)", 8, 31, years=2,
                end_year_parity=1)
CALENDAR_YEAR = Cycle("YEAR", "Calendar years", 12, 31)
CYCLES = {cycle.code: cycle for cycle in (FLORIDA, CALENDAR_YEAR)}
CUSTOM = "custom"


def cycle_choices() -> list[tuple[str, str]]:
    return [(cycle.code, cycle.label) for cycle in CYCLES.values()] + [(CUSTOM, "Dates I choose")]


def _sorted(certificates: Iterable[Any]) -> list[Any]:
    return sorted(certificates, key=lambda c: (c.completed_on, c.number))


def periods(cycle: Cycle | tuple[date, date], certificates: Iterable[Any], *,
            today: date | None = None) -> list[PeriodTotal]:
    """The certificates grouped by renewal period, newest period first, each period's certificates by date.

    A cycle gives every period that holds a certificate, plus the current one (holding `today`) even when
    empty; a (start, end) range gives that one period, with only the certificates completed inside it.
    """
    if isinstance(cycle, tuple):
        start, end = check_range(*cycle)
        only = Period(start, end)
        return [PeriodTotal(only, [c for c in _sorted(certificates) if c.completed_on in only])]
    grouped: dict[Period, PeriodTotal] = {}
    if today is not None:
        current = cycle.period_containing(today)
        grouped[current] = PeriodTotal(current)
    for certificate in _sorted(certificates):
        period = cycle.period_containing(certificate.completed_on)
        grouped.setdefault(period, PeriodTotal(period)).certificates.append(certificate)
    return sorted(grouped.values(), key=lambda p: p.period.start, reverse=True)


def check_range(start: date | None, end: date | None) -> tuple[date, date]:
    if not isinstance(start, date) or not isinstance(end, date):
        raise TranscriptError("Choose both a first and a last day.")
    if end < start:
        raise TranscriptError("The last day must not be before the first day.")
    if (end - start).days > MAX_RANGE_DAYS:
        raise TranscriptError("Choose a range of at most twenty years.")
    return start, end


def resolve(choice: str | Sequence[date | None] | None) -> Cycle | tuple[date, date]:
    """A cycle code ("FL") or a (start, end) pair as what `periods` takes; TranscriptError otherwise."""
    if isinstance(choice, str) or choice is None:
        cycle = CYCLES.get((choice or "").upper())
        if cycle is None:
            raise TranscriptError("Choose a renewal period.")
        return cycle
    start, end = choice
    return check_range(start, end)


def heading_for(choice: Cycle | tuple[date, date]) -> str:
    if isinstance(choice, Cycle):
        return choice.label
    return f"Completed {Period(*choice).label}"


def transcript(user: Any, choice: str | Sequence[date | None] | None, *, today: date | None = None) -> Transcript:
    """The customer's transcript for a cycle code or a (start, end) range."""
    resolved = resolve(choice)
    grouped = periods(resolved, certificate_records.for_user(user), today=today)
    return Transcript(certificate_records.participant_name(user) or user.email, heading_for(resolved), grouped)
