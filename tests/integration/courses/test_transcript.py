"""The customer's CE transcript: totals per renewal period, as a page and as a PDF."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from pypdf import PdfReader

from shop.courses import certificates, transcripts
from shop.extensions import db
from tests.factories import DEFAULT_PASSWORD, ApprovalFactory, ProductFactory, UserFactory
from tests.support.forms import log_in, main_of, text


def earn(user, hours, on, title):
    course = ProductFactory()
    ApprovalFactory(product_id=course.id, ce_hours=Decimal(hours), approved_title=title,
                    starts_on=on - timedelta(days=10), expires_on=on + timedelta(days=10))
    [certificate] = certificates.issue_for_pass(user, course, None, today=on)
    db.session.commit()
    return certificate


@pytest.fixture
def user(app):
    user = UserFactory(licence_name="Casey Transcript")
    earn(user, "6.00", date(2025, 8, 31), "Course A")
    earn(user, "1.50", date(2024, 1, 10), "Course B")
    earn(user, "3.00", date(2025, 9, 1), "Course C")
    earn(user, "12.00", date(2023, 8, 1), "Course D")
    return user


def test_the_transcript_totals_each_florida_period(user):
    found = transcripts.transcript(user, "FL", today=date(2025, 10, 1))
    assert [(p.period.start, p.period.end, p.hours) for p in found.periods] == [
        (date(2025, 9, 1), date(2027, 8, 31), Decimal("3.00")),
        (date(2023, 9, 1), date(2025, 8, 31), Decimal("7.50")),
        (date(2021, 9, 1), date(2023, 8, 31), Decimal("12.00"))]
    assert found.hours == Decimal("22.50")
    assert found.participant == "Casey Transcript"


def test_a_custom_range_totals_only_what_falls_inside(user):
    found = transcripts.transcript(user, (date(2024, 1, 1), date(2025, 8, 31)))
    assert [c.approved_title for c in found.certificates] == ["Course B", "Course A"]
    assert found.hours == Decimal("7.50")


def test_a_revoked_certificate_counts_nothing_in_the_transcript(user):
    revoked = certificates.for_user(user)[0]
    certificates.revoke(revoked, "Issued in error", actor=UserFactory(role="staff"))
    assert transcripts.transcript(user, (date(2020, 1, 1), date(2030, 1, 1))).hours == Decimal("22.50") - \
        revoked.ce_hours


def test_the_transcript_page_shows_the_periods_and_their_totals(client, user):
    log_in(client, user.email, DEFAULT_PASSWORD)
    response = client.get("/account/transcript", query_string={"cycle": "FL"})
    assert response.status_code == 200
    main = main_of(text(response))
    headings = [" ".join(h.get_text().split()) for h in main.find_all("h2")]
    assert "September 1, 2023 – August 31, 2025: 7.5 CE hours" in headings
    assert "September 1, 2021 – August 31, 2023: 12 CE hours" in headings
    assert "Total: 22.5 CE hours" in main.get_text()
    links = [a["href"] for a in main.find_all("a")]
    assert any(href.startswith("/account/certificates/STR-") and href.endswith(".pdf") for href in links)
    assert "/account/transcript.pdf?cycle=FL" in links


def test_the_transcript_page_takes_custom_dates(client, user):
    log_in(client, user.email, DEFAULT_PASSWORD)
    response = client.get("/account/transcript", query_string={"cycle": "custom", "start": "2024-01-01",
                                                               "end": "2024-12-31"})
    assert response.status_code == 200
    assert "Total: 1.5 CE hours" in main_of(text(response)).get_text()


@pytest.mark.parametrize("query", [{"cycle": "custom"}, {"cycle": "custom", "start": "2025-02-01", "end": "2025-01-01"},
                                   {"cycle": "custom", "start": "not a date", "end": "2025-01-01"}, {"cycle": "XX"}])
def test_a_bad_period_gives_the_form_back_with_a_message(client, user, query):
    log_in(client, user.email, DEFAULT_PASSWORD)
    response = client.get("/account/transcript", query_string=query)
    assert response.status_code == 422
    assert main_of(text(response)).find(class_="error-box") is not None
    assert client.get("/account/transcript.pdf", query_string=query).status_code == 422


def test_the_transcript_pdf_holds_the_certificates_and_totals(client, user):
    log_in(client, user.email, DEFAULT_PASSWORD)
    response = client.get("/account/transcript.pdf", query_string={"cycle": "FL"})
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    pdf_text = "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(response.data)).pages)
    for expected in ("Casey Transcript", "Course A", "Course D", "7.5 CE hours", "Total: 22.5 CE hours"):
        assert expected in pdf_text, expected
    assert "CEU" not in pdf_text


def test_the_transcript_needs_a_login(client, user):
    response = client.get("/account/transcript")
    assert response.status_code == 302
    assert "/account/login" in response.headers["Location"]
    assert client.get("/account/transcript.pdf").status_code == 302
