"""Renewal periods and their totals, as pure functions of dates and certificates (no app, no database)."""

from datetime import date, datetime
from decimal import Decimal
from types import SimpleNamespace

import pytest

from shop.courses import transcripts
from shop.courses.transcripts import CALENDAR_YEAR, FLORIDA, Period, TranscriptError, periods


def cert(day, hours="6.00", number=None, revoked=False):
    return SimpleNamespace(completed_on=day, ce_hours=Decimal(hours), number=number or f"STR-{day:%Y%m%d}-{hours}",
                           revoked_at=datetime(2025, 1, 1) if revoked else None)


@pytest.mark.parametrize(("day", "start", "end"), [
    (date(2025, 8, 31), date(2023, 9, 1), date(2025, 8, 31)),   # the last day of a cycle
    (date(2025, 9, 1), date(2025, 9, 1), date(2027, 8, 31)),    # the first day of the next
    (date(2023, 9, 1), date(2023, 9, 1), date(2025, 8, 31)),
    (date(2024, 2, 29), date(2023, 9, 1), date(2025, 8, 31)),   # an even year belongs to the cycle ending next year
    (date(2024, 12, 31), date(2023, 9, 1), date(2025, 8, 31)),
    (date(2025, 1, 1), date(2023, 9, 1), date(2025, 8, 31)),
])
def test_florida_periods_run_two_years_to_august_31_of_odd_years(day, start, end):
    assert FLORIDA.period_containing(day) == Period(start, end)


def test_calendar_year_periods_are_the_year():
    assert CALENDAR_YEAR.period_containing(date(2024, 6, 1)) == Period(date(2024, 1, 1), date(2024, 12, 31))


def test_certificates_are_grouped_by_florida_period_newest_first_with_decimal_totals():
    certificates = [cert(date(2025, 8, 31), "6.00"), cert(date(2023, 10, 2), "1.50"),
                    cert(date(2025, 9, 1), "3.00"), cert(date(2022, 5, 5), "12.00")]
    grouped = periods(FLORIDA, certificates)
    assert [(g.period.end, g.hours) for g in grouped] == [
        (date(2027, 8, 31), Decimal("3.00")), (date(2025, 8, 31), Decimal("7.50")),
        (date(2023, 8, 31), Decimal("12.00"))]
    assert [c.completed_on for c in grouped[1].certificates] == [date(2023, 10, 2), date(2025, 8, 31)]
    assert all(isinstance(g.hours, Decimal) for g in grouped)


def test_the_current_period_is_shown_even_without_certificates():
    grouped = periods(FLORIDA, [cert(date(2021, 1, 1))], today=date(2026, 3, 1))
    assert [(g.period.end, g.hours) for g in grouped] == [(date(2027, 8, 31), Decimal("0")),
                                                          (date(2021, 8, 31), Decimal("6.00"))]


def test_a_revoked_certificate_is_listed_but_counts_no_hours():
    grouped = periods(FLORIDA, [cert(date(2024, 1, 1), "6"), cert(date(2024, 2, 1), "2", revoked=True)])
    assert len(grouped[0].certificates) == 2
    assert grouped[0].hours == Decimal("6")
    assert grouped[0].counted == 1


def test_a_custom_range_is_one_period_holding_only_what_was_completed_inside_it():
    certificates = [cert(date(2024, 12, 31)), cert(date(2025, 1, 1), "2"), cert(date(2025, 6, 30), "1.25"),
                    cert(date(2025, 7, 1))]
    grouped = periods((date(2025, 1, 1), date(2025, 6, 30)), certificates)
    assert len(grouped) == 1
    assert [c.completed_on for c in grouped[0].certificates] == [date(2025, 1, 1), date(2025, 6, 30)]
    assert grouped[0].hours == Decimal("3.25")


@pytest.mark.parametrize("choice", ["NOPE", "", None, (date(2025, 2, 1), date(2025, 1, 1)), (None, date(2025, 1, 1)),
                                    (date(1990, 1, 1), date(2025, 1, 1))])
def test_an_unknown_cycle_or_a_backwards_or_missing_range_is_refused(choice):
    with pytest.raises(TranscriptError):
        transcripts.resolve(choice)


def test_a_cycle_code_is_read_whatever_its_case():
    assert transcripts.resolve("fl") is FLORIDA
