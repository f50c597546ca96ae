"""CE approvals as data: in force between two dates, checked when staff add or change them, audited, kept."""

from datetime import date, timedelta
from decimal import Decimal

import pytest

from shop.core.models import AuditEntry
from shop.courses import approvals, certificates
from shop.courses.models import Approval
from shop.extensions import db
from tests.factories import ApprovalFactory, ProductFactory, UserFactory

TODAY = date(2025, 6, 1)
pytestmark = pytest.mark.usefixtures("app")


def fields(**changes):
    values = {"body": "NCBTMB", "state": "", "body_statement": "Approved by a fictional board.",
              "approved_title": "Approved Title", "ce_hours": Decimal("6"), "course_type": "Home study",
              "provider_name": "Soft Tissue Release Education", "provider_number": "DEMO-1",
              "provider_contact": "orders@example.com", "starts_on": TODAY, "expires_on": TODAY + timedelta(days=365),
              "cebroker_tracking_number": ""}
    values.update(changes)
    return values


def test_create_update_and_delete_are_audited_on_the_product():
    course, staff = ProductFactory(), UserFactory(role="admin")
    approval = approvals.create(course, fields(), actor=staff)
    assert approval.ce_hours == Decimal("6.00")
    approvals.update(approval, {"ce_hours": Decimal("7.5")}, actor=staff)
    assert db.session.get(Approval, approval.id).ce_hours == Decimal("7.50")
    approvals.delete(approval, actor=staff)
    assert db.session.get(Approval, approval.id) is None
    actions = [e.action for e in db.session.query(AuditEntry).filter_by(entity_type="product",
                                                                         entity_id=str(course.id))]
    assert sorted(actions) == ["approval added", "approval changed", "approval removed"]


@pytest.mark.parametrize(("changes", "field"), [
    ({"approved_title": ""}, "approved_title"), ({"provider_number": " "}, "provider_number"),
    ({"ce_hours": Decimal("0")}, "ce_hours"), ({"ce_hours": Decimal("1000")}, "ce_hours"),
    ({"ce_hours": "lots"}, "ce_hours"), ({"ce_hours": None}, "ce_hours"),
    ({"expires_on": TODAY}, "expires_on"), ({"starts_on": None}, "starts_on"),
    ({"state": "ZZ"}, "state"), ({"state": "FL"}, "cebroker_tracking_number"),
    ({"body_statement": ""}, "body_statement"),
])
def test_an_approval_that_boards_would_reject_is_refused(changes, field):
    with pytest.raises(approvals.ApprovalError) as refused:
        approvals.create(ProductFactory(), fields(**changes), actor=UserFactory(role="admin"))
    assert field in refused.value.field_errors()
    assert db.session.query(Approval).count() == 0


def test_a_florida_approval_with_its_tracking_number_is_accepted():
    approval = approvals.create(ProductFactory(), fields(state="fl", cebroker_tracking_number="20-1"),
                                actor=UserFactory(role="admin"))
    assert approval.state == "FL"


def test_an_approval_with_certificates_cannot_be_removed():
    course = ProductFactory()
    approval = ApprovalFactory(product_id=course.id)
    certificates.issue_for_pass(UserFactory(), course, None, today=date.today())
    db.session.commit()
    with pytest.raises(approvals.ApprovalError) as refused:
        approvals.delete(approval, actor=UserFactory(role="admin"))
    assert refused.value.status == 409
    assert db.session.get(Approval, approval.id) is not None


def test_valid_on_includes_the_first_and_last_day():
    course = ProductFactory()
    approval = ApprovalFactory(product_id=course.id, starts_on=TODAY, expires_on=TODAY + timedelta(days=30))
    for day, valid in ((TODAY - timedelta(days=1), False), (TODAY, True), (TODAY + timedelta(days=30), True),
                       (TODAY + timedelta(days=31), False)):
        assert (approvals.valid_on(course.id, day) == [approval]) is valid


def test_expiring_lists_approvals_lapsing_soon_soonest_first_with_their_course():
    course = ProductFactory()
    later = ApprovalFactory(product_id=course.id, expires_on=TODAY + timedelta(days=100))
    sooner = ApprovalFactory(product_id=course.id, expires_on=TODAY + timedelta(days=10))
    ApprovalFactory(product_id=course.id, expires_on=TODAY + timedelta(days=121))  # not yet
    ApprovalFactory(product_id=course.id, expires_on=TODAY - timedelta(days=1))  # already lapsed
    found = approvals.expiring(TODAY, 120)
    assert found == [sooner, later]
    assert found[0].product.title == course.title
