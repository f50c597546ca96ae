"""The CE Broker export: Florida licensees' completions, in the upload's columns, marked reported."""

import csv
import io
from datetime import date, timedelta
from decimal import Decimal

import pytest

from shop.accounts.models import Licence
from shop.core.models import AuditEntry
from shop.courses import cebroker, certificates
from shop.extensions import db
from tests.factories import ApprovalFactory, ProductFactory, UserFactory

DAY = date(2025, 3, 14)


def licensee(name, number=None, state="FL"):
    user = UserFactory(licence_name=name)
    if number:
        db.session.add(Licence(user_id=user.id, state=state, number=number))
        db.session.commit()
    return user


@pytest.fixture
def florida_course(app):
    course = ProductFactory()
    ApprovalFactory(product_id=course.id, body="Florida Board of Massage Therapy", state="FL",
                    cebroker_tracking_number="20-123456", ce_hours=Decimal("2.50"),
                    starts_on=DAY - timedelta(days=100), expires_on=DAY + timedelta(days=100))
    return course


def issue(user, course, day=DAY):
    issued = certificates.issue_for_pass(user, course, None, today=day)
    db.session.commit()
    return issued


def rows(text):
    return list(csv.reader(io.StringIO(text)))


def test_the_export_lists_florida_licensees_in_the_upload_layout(florida_course):
    issue(licensee("Maria de la Cruz Lopez", "MA12345"), florida_course)
    issue(licensee("Lee, Sam Taylor", "MA 777"), florida_course, DAY + timedelta(days=1))
    text = cebroker.export(DAY, DAY + timedelta(days=1), include_reported=False, actor=UserFactory(role="staff"))
    assert rows(text)[0] == list(cebroker.HEADER)
    assert [r[:6] for r in rows(text)[1:]] == [
        ["MA12345", "Lopez", "Maria", "20-123456", "03/14/2025", "2.5"],
        ["MA 777", "Lee", "Sam", "20-123456", "03/15/2025", "2.5"]]
    assert all(r[6].startswith("STR-") for r in rows(text)[1:])


def test_only_florida_completions_of_florida_licensees_in_the_range_unrevoked_are_exported(florida_course):
    national = ProductFactory()
    ApprovalFactory(product_id=national.id, starts_on=DAY - timedelta(days=5), expires_on=DAY + timedelta(days=5))
    floridian = licensee("Ana Florida", "MA1")
    issue(floridian, national)  # an NCBTMB approval without a tracking number: not reported
    issue(licensee("Tex Nofl", "TX1", state="TX"), florida_course)  # no Florida licence
    issue(licensee("Late Pass", "MA2"), florida_course, DAY + timedelta(days=30))  # outside the range
    [revoked] = issue(licensee("Rev Oked", "MA3"), florida_course)
    certificates.revoke(revoked, "Issued in error", actor=UserFactory(role="staff"))
    issue(floridian, florida_course)
    found = cebroker.completions(DAY, DAY + timedelta(days=7), include_reported=False)
    assert [(c.licence_number, c.last_name) for c in found] == [("MA1", "Florida")]


def test_an_approval_with_a_tracking_number_is_reported_whatever_its_state(app):
    course = ProductFactory()
    ApprovalFactory(product_id=course.id, cebroker_tracking_number="20-555",
                    starts_on=DAY - timedelta(days=5), expires_on=DAY + timedelta(days=5))
    issue(licensee("Nat Ional", "MA9"), course)
    assert [c.licence_number for c in cebroker.completions(DAY, DAY, include_reported=False)] == ["MA9"]


def test_exported_completions_are_marked_and_left_out_next_time_unless_asked(florida_course):
    [first] = issue(licensee("Pat One", "MA10"), florida_course)
    staff = UserFactory(role="staff")
    cebroker.export(DAY, DAY, include_reported=False, actor=staff)
    db.session.refresh(first)
    reported_at = first.cebroker_reported_at
    assert reported_at is not None
    issue(licensee("Pat Two", "MA11"), florida_course)
    again = cebroker.export(DAY, DAY, include_reported=False, actor=staff)
    assert [r[0] for r in rows(again)[1:]] == ["MA11"]
    everything = cebroker.export(DAY, DAY, include_reported=True, actor=staff)
    assert [r[0] for r in rows(everything)[1:]] == ["MA10", "MA11"]
    db.session.refresh(first)
    assert first.cebroker_reported_at == reported_at  # re-exporting keeps the first report's date
    assert db.session.query(AuditEntry).filter_by(action="CE Broker export").count() == 3


def test_a_name_that_looks_like_a_formula_is_written_as_text(florida_course):
    issue(licensee("=cmd Evil", "MA12"), florida_course)
    text = cebroker.export(DAY, DAY, include_reported=False, actor=UserFactory(role="staff"))
    assert rows(text)[1][2] == "'=cmd"


@pytest.mark.parametrize(("name", "last", "first"), [
    ("Maria Lopez", "Lopez", "Maria"), ("Lee, Sam", "Lee", "Sam"), ("John A. Smith Jr.", "Smith Jr.", "John"),
    ("Cher", "Cher", ""), ("  Ana   Maria  Silva ", "Silva", "Ana")])
def test_split_name_reads_last_and_first_name(name, last, first):
    assert cebroker.split_name(name) == (last, first)


def test_florida_licensees_of_a_course_with_no_florida_approval_are_listed_as_unreportable(florida_course):
    national = ProductFactory(title="National only")
    ApprovalFactory(product_id=national.id, starts_on=DAY - timedelta(days=10), expires_on=DAY + timedelta(days=10))
    both = licensee("Ana Flores", "MA111")
    elsewhere = licensee("Bo Texan", "TX222", state="TX")
    issue(both, national)
    issue(elsewhere, national)
    issue(both, florida_course)  # reportable: not listed
    [missing] = cebroker.unreportable(DAY, DAY)
    assert (missing.user_id, missing.product_id) == (both.id, national.id)
    assert [c.certificate.product_id for c in cebroker.completions(DAY, DAY, include_reported=True)] == [
        florida_course.id]
