"""Certificates issued on a pass: copied from the approval in force, once, reissued and revoked, drawn as a PDF."""

import io
from datetime import date, timedelta
from decimal import Decimal

import pytest
from PIL import Image
from pypdf import PdfReader

from shop.accounts.models import Licence
from shop.core import storage
from shop.core.models import AuditEntry
from shop.courses import approvals, certificates
from shop.courses.models import Certificate
from shop.extensions import db
from tests.factories import ApprovalFactory, ProductFactory, UserFactory

TODAY = date(2025, 6, 15)
pytestmark = pytest.mark.usefixtures("app")


def pdf_text(data):
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(data)).pages)


@pytest.fixture
def course():
    return ProductFactory(title="What the product page says", ce_hours=Decimal("8"))


@pytest.fixture
def approval(course):
    return ApprovalFactory(product_id=course.id, approved_title="Myofascial Release of the Low Back",
                           ce_hours=Decimal("6.00"), provider_number="DEMO-424242",
                           starts_on=TODAY - timedelta(days=300), expires_on=TODAY + timedelta(days=60))


@pytest.fixture
def staff():
    return UserFactory(role="staff")


def issue(user, course, today=TODAY):
    issued = certificates.issue_for_pass(user, course, None, today=today)
    db.session.commit()
    return issued


def test_a_pass_issues_a_certificate_copying_the_approval_and_the_name_on_the_licence(course, approval):
    user = UserFactory(full_name="Jo Whit", licence_name="Jordan Q. Whitfield")
    [certificate] = issue(user, course)
    assert certificate.participant_name == "Jordan Q. Whitfield"
    assert (certificate.approved_title, certificate.ce_hours, certificate.provider_number) == (
        "Myofascial Release of the Low Back", Decimal("6.00"), "DEMO-424242")
    assert certificate.body_statement == approval.body_statement
    assert certificate.provider_contact == approval.provider_contact
    assert certificate.completed_on == TODAY
    assert certificate.revision == 1
    assert certificates.normalise_number(certificate.number) == certificate.number


def test_the_full_name_is_printed_when_no_licence_name_is_given(course, approval):
    [certificate] = issue(UserFactory(full_name="Pat Example", licence_name=""), course)
    assert certificate.participant_name == "Pat Example"


def test_a_later_edit_of_the_approval_leaves_an_issued_certificate_as_it_was(course, approval, staff):
    [certificate] = issue(UserFactory(), course)
    approvals.update(approval, {"approved_title": "A new title"}, actor=staff)
    db.session.refresh(certificate)
    assert certificate.approved_title == "Myofascial Release of the Low Back"


def test_a_state_approval_prints_the_licence_of_that_state(course, approval):
    user = UserFactory()
    db.session.add_all([Licence(user_id=user.id, state="FL", number="MA99999"),
                        Licence(user_id=user.id, state="TX", number="TX111")])
    db.session.commit()
    ApprovalFactory(product_id=course.id, body="Florida Board of Massage Therapy", state="FL",
                    cebroker_tracking_number="20-999999", starts_on=TODAY, expires_on=TODAY + timedelta(days=5))
    issued = issue(user, course)
    by_state = {c.body: (c.licence_state, c.licence_number, c.cebroker_tracking_number) for c in issued}
    assert by_state == {"NCBTMB": ("", "", ""), "Florida Board of Massage Therapy": ("FL", "MA99999", "20-999999")}


def test_a_lapsed_approval_issues_nothing(course):
    ApprovalFactory(product_id=course.id, starts_on=TODAY - timedelta(days=800), expires_on=TODAY - timedelta(days=1))
    ApprovalFactory(product_id=course.id, starts_on=TODAY + timedelta(days=1), expires_on=TODAY + timedelta(days=900))
    assert issue(UserFactory(), course) == []
    assert db.session.query(Certificate).count() == 0


def test_an_approval_counts_on_its_first_and_last_day(course):
    ApprovalFactory(product_id=course.id, starts_on=TODAY, expires_on=TODAY + timedelta(days=10))
    assert len(issue(UserFactory(), course)) == 1
    assert len(issue(UserFactory(), course, today=TODAY + timedelta(days=10))) == 1


def test_issuing_twice_gives_the_same_certificates(course, approval):
    user = UserFactory()
    first = issue(user, course)
    second = issue(user, course, today=TODAY + timedelta(days=3))
    assert [c.id for c in second] == [c.id for c in first]
    assert second[0].completed_on == TODAY
    assert db.session.query(Certificate).count() == 1


def test_numbers_are_unique_per_certificate(course, approval):
    numbers = {issue(UserFactory(), course)[0].number for _ in range(5)}
    assert len(numbers) == 5


def test_by_number_reads_the_number_however_typed(course, approval):
    [certificate] = issue(UserFactory(), course)
    assert certificates.by_number(certificate.number.lower().replace("-", " ")) == certificate
    assert certificates.by_number("STR-2222-2222-22") is None


def test_reissue_keeps_the_number_and_prints_the_current_name_as_a_new_revision(course, approval, staff):
    user = UserFactory(licence_name="Jordan Whitfeild")
    [certificate] = issue(user, course)
    first_pdf = certificates.pdf(certificate)
    old_key = certificate.pdf_key
    user.licence_name = "Jordan Whitfield"
    db.session.commit()
    certificates.reissue(certificate, actor=staff)
    assert certificate.number == issue(user, course)[0].number
    assert (certificate.revision, certificate.participant_name) == (2, "Jordan Whitfield")
    assert certificate.reissued_at is not None
    assert certificate.pdf_key != old_key and not storage.private().exists(old_key)
    text = pdf_text(certificates.pdf(certificate))
    assert "Jordan Whitfield" in text and "Revised" in text
    assert "Revised" not in pdf_text(first_pdf)
    assert db.session.query(AuditEntry).filter_by(action="certificate reissued").count() == 1


def test_revoke_needs_a_reason_and_keeps_the_certificate_marked(course, approval, staff):
    [certificate] = issue(UserFactory(), course)
    with pytest.raises(certificates.CertificateError):
        certificates.revoke(certificate, "  ", actor=staff)
    certificates.revoke(certificate, "Exam taken by someone else", actor=staff)
    kept = certificates.by_number(certificate.number)
    assert kept.is_revoked and kept.revoked_reason == "Exam taken by someone else"
    assert "REVOKED" in pdf_text(certificates.pdf(kept))
    with pytest.raises(certificates.CertificateError) as refused:
        certificates.reissue(kept, actor=staff)
    assert refused.value.status == 409
    assert db.session.query(AuditEntry).filter_by(action="certificate revoked").count() == 1


def test_the_pdf_prints_what_the_approval_says_and_never_ceus(course, approval):
    user = UserFactory(licence_name="Jordan Q. Whitfield")
    [certificate] = issue(user, course)
    text = pdf_text(certificates.pdf(certificate))
    for expected in ("Jordan Q. Whitfield", "Myofascial Release of the Low Back", "6 CE hours", "DEMO-424242",
                     certificate.number, "Certificate of Achievement", "Home study", "June 15, 2025",
                     approval.provider_contact, approval.provider_name, f"/certificates/{certificate.number}"):
        assert expected in text, expected
    assert "What the product page says" not in text
    assert "8 CE" not in text
    assert "CEU" not in text.upper()


def test_the_pdf_is_kept_in_private_storage_and_drawn_once(course, approval):
    [certificate] = issue(UserFactory(), course)
    data = certificates.pdf(certificate)
    assert data.startswith(b"%PDF")
    assert storage.private().read(certificate.pdf_key) == data
    assert certificates.pdf(certificate) == data
    assert certificates.pdf_filename(certificate) == f"certificate-{certificate.number}.pdf"


def _png(size=(300, 100)):
    out = io.BytesIO()
    Image.new("RGB", size, "white").save(out, format="JPEG")
    return out.getvalue()


def test_the_signature_is_stored_as_png_and_printed_with_the_signatory(course, approval):
    admin = UserFactory(role="admin")
    certificates.set_signature(_png(), "Mary Sanderson", "Education Director", actor=admin)
    image, name, title = certificates.signature()
    assert image.startswith(b"\x89PNG") and (name, title) == ("Mary Sanderson", "Education Director")
    [certificate] = issue(UserFactory(), course)
    text = pdf_text(certificates.pdf(certificate))
    assert "Mary Sanderson" in text and "Education Director" in text


def test_a_file_that_is_not_an_image_is_refused_as_a_signature():
    with pytest.raises(certificates.CertificateError) as refused:
        certificates.set_signature(b"%PDF-1.4 not an image", "Mary Sanderson", "", actor=UserFactory(role="admin"))
    assert refused.value.field == "image"
    assert certificates.signature() == (None, "", "")


def test_for_user_lists_the_customers_certificates_only(course, approval):
    user, other = UserFactory(), UserFactory()
    issue(user, course)
    issue(other, course)
    assert [c.user_id for c in certificates.for_user(user)] == [user.id]
    assert certificates.of_user(user, certificates.for_user(other)[0].number) is None


def test_a_reissue_from_the_approval_prints_the_corrected_title_and_hours_under_the_same_number(
        course, approval, staff):
    [certificate] = issue(UserFactory(), course)
    number = certificate.number
    approvals.update(approval, {"approved_title": "Myofascial Release of the Lumbar Region",
                                "ce_hours": Decimal("7")}, actor=staff)
    certificates.reissue(certificate, actor=staff)
    assert certificate.approved_title == "Myofascial Release of the Low Back"  # a plain reissue: the name only
    certificates.reissue(certificate, actor=staff, from_approval=True)
    assert (certificate.number, certificate.revision) == (number, 3)
    assert (certificate.approved_title, certificate.ce_hours) == ("Myofascial Release of the Lumbar Region",
                                                                  Decimal("7.00"))
    text = " ".join(pdf_text(certificates.pdf(certificate)).split())
    assert "Myofascial Release of the Lumbar Region" in text and "7 CE hours" in text
    summary = db.session.scalar(db.select(AuditEntry.summary).where(AuditEntry.action == "certificate reissued")
                                .order_by(AuditEntry.id.desc()))
    assert "from the approval: approved title, ce hours" in summary
