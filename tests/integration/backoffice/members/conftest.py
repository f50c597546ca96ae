"""What the members room's tests share: a staff client, and the plan on sale."""

import pytest

from tests.factories import MembershipFactory
from tests.support.desk_helpers import logged_in


@pytest.fixture
def staff(app):
    """(client, user) for a member of staff, logged in."""
    return logged_in(app, role="staff", email="desk@example.com", name="Dana Desk")


@pytest.fixture
def plan(app):
    return MembershipFactory(sku="MEMBER-M", slug="all-access", price_cents=1995)
