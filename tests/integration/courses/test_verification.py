"""The public verification pages, their rate limit, and certificate downloads only for the holder."""

from datetime import date

import pytest

from shop.courses import certificates
from shop.extensions import db
from tests.factories import DEFAULT_PASSWORD, ApprovalFactory, ProductFactory, UserFactory
from tests.support.forms import log_in, main_of, text

TODAY = date.today()


@pytest.fixture
def certificate(app):
    course = ProductFactory()
    ApprovalFactory(product_id=course.id, approved_title="Approved Lymphatic Course", provider_number="DEMO-777777")
    user = UserFactory(licence_name="Robin Verified")
    [issued] = certificates.issue_for_pass(user, course, None, today=TODAY)
    db.session.commit()
    return issued


def page_text(response):
    return " ".join(main_of(text(response)).get_text(" ").split())


def test_a_valid_certificate_shows_what_it_certifies(client, certificate):
    response = client.get(f"/certificates/{certificate.number}")
    assert response.status_code == 200
    body = page_text(response)
    for expected in ("Valid", "Robin Verified", "Approved Lymphatic Course", "6 CE hours", "DEMO-777777", "NCBTMB",
                     f"{TODAY:%B} {TODAY.day}, {TODAY:%Y}"):
        assert expected in body, expected
    assert "Revoked" not in body


def test_the_verify_form_finds_a_number_typed_loosely(client, certificate):
    typed = certificate.number.lower().replace("-", " ")
    response = client.get("/certificates/verify", query_string={"number": typed})
    assert response.status_code == 200
    assert "Robin Verified" in page_text(response)


def test_the_verify_form_without_a_number_is_just_the_form(client):
    response = client.get("/certificates/verify")
    assert response.status_code == 200
    assert main_of(text(response)).find("label", attrs={"for": "number"}) is not None


def test_a_revoked_certificate_verifies_as_revoked_with_its_date_but_not_the_reason(client, certificate):
    certificates.revoke(certificate, "Secret reason for staff", actor=UserFactory(role="staff"))
    response = client.get(f"/certificates/{certificate.number}")
    assert response.status_code == 200
    body = page_text(response)
    assert "Revoked" in body and "revoked on" in body
    assert "Secret reason" not in body
    assert "Valid" not in body.replace("not valid", "")


@pytest.mark.parametrize("number", ["STR-2222-3333-44", "nonsense", "x" * 300])
def test_an_unknown_number_is_a_plain_404(client, certificate, number):
    for response in (client.get(f"/certificates/{number}"),
                     client.get("/certificates/verify", query_string={"number": number})):
        assert response.status_code == 404
        assert "No certificate with that number" in page_text(response)


def test_guessing_is_rate_limited_per_ip_address(client, certificate):
    for _ in range(30):  # a board checking real certificates (or QR scans) is never limited
        assert client.get(f"/certificates/{certificate.number}").status_code == 200
    for n in range(20):
        assert client.get(f"/certificates/STR-2222-2222-{n % 8 + 2}{n % 7 + 2}").status_code == 404
    refused = client.get(f"/certificates/{certificate.number}")
    assert refused.status_code == 429
    assert "Too many certificate lookups" in page_text(refused)
    assert client.get("/certificates/verify", query_string={"number": certificate.number}).status_code == 429
    other = client.get(f"/certificates/{certificate.number}", environ_base={"REMOTE_ADDR": "10.9.8.7"})
    assert other.status_code == 200


def test_the_holder_downloads_their_certificate(client, certificate):
    log_in(client, certificate.user.email, DEFAULT_PASSWORD)
    response = client.get(f"/account/certificates/{certificate.number}.pdf")
    assert response.status_code == 200
    assert response.mimetype == "application/pdf"
    assert response.data.startswith(b"%PDF")
    assert certificate.number in response.headers["Content-Disposition"]


def test_a_revoked_certificate_still_downloads_for_its_holder(client, certificate):
    certificates.revoke(certificate, "Wrong course", actor=UserFactory(role="staff"))
    log_in(client, certificate.user.email, DEFAULT_PASSWORD)
    assert client.get(f"/account/certificates/{certificate.number}.pdf").status_code == 200


def test_someone_elses_certificate_is_404(client, certificate):
    other = UserFactory()
    log_in(client, other.email, DEFAULT_PASSWORD)
    assert client.get(f"/account/certificates/{certificate.number}.pdf").status_code == 404


def test_an_anonymous_visitor_gets_404_for_a_certificate_pdf(client, certificate):
    response = client.get(f"/account/certificates/{certificate.number}.pdf")
    assert response.status_code == 404
    assert client.get("/account/certificates/STR-2222-3333-44.pdf").status_code == 404


def test_staff_get_404_for_a_customers_certificate_pdf_too(client, certificate):
    staff = UserFactory(role="admin")
    log_in(client, staff.email, DEFAULT_PASSWORD)
    assert client.get(f"/account/certificates/{certificate.number}.pdf").status_code == 404


def test_the_verification_page_quotes_the_approving_bodys_statement_as_printed(client, certificate):
    page = page_text(client.get(f"/certificates/{certificate.number}"))
    assert certificate.body_statement and f"As printed on the certificate: “{certificate.body_statement}”" in page


def test_an_unknown_number_says_whom_a_board_can_ask(client):
    page = page_text(client.get("/certificates/STR-2222-3333-44"))
    assert "No certificate with that number" in page and "1 800 741 5716" in page
