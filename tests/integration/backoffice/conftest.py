"""What the back-office rooms' tests share: an admin logged in."""

import pytest

from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.support.forms import log_in


@pytest.fixture
def admin(client):
    user = UserFactory(role="admin", email="admin@example.com", full_name="Ada Admin")
    log_in(client, user.email, DEFAULT_PASSWORD)
    return user
