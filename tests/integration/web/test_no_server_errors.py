"""Every route answers nonsense with a 4xx and a message, never a 500: walked from the URL map.

Every POST carries a valid CSRF token, taken from a page the same client fetched, so CSRFProtect lets it
through and the view itself meets the odd input (without one, every POST would be refused with a 400 before
any view ran, and the walk would prove nothing about the views).
"""

import pytest
from flask_wtf import FlaskForm
from wtforms.fields.core import UnboundField

from shop.catalogue import seeding
from shop.core import storage
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.support.forms import csrf_token, log_in
from tests.support.odd_input import ODD_VALUES

SKIP = {"static", "catalogue.media"}  # files: 404 when absent, covered elsewhere
TOKEN_PAGE = "/products/soft-tissue-release-book"  # a demo page with a form in <main> for everyone


def _urls(app, value):
    for rule in app.url_map.iter_rules():
        if rule.endpoint in SKIP:
            continue
        try:
            values = {arg: value for arg in rule.arguments}
            if any(conv.__class__.__name__ == "IntegerConverter" for conv in rule._converters.values()):
                values = {arg: (value if value.lstrip("-").isdigit() else "1") for arg in rule.arguments}
            url = rule.build(values, append_unknown=False)[1]
        except Exception:  # noqa: S112 (a value the converter cannot take: the router answers 404)
            continue
        yield rule, url


def _form_field_names():
    """The name of every field of every form in the shop (each form class the app has imported), so a POST
    fills in whatever form its view reads with the odd value."""
    names, classes = set(), [FlaskForm]
    while classes:
        form = classes.pop()
        classes.extend(form.__subclasses__())
        names.update(name for name in dir(form) if isinstance(getattr(form, name, None), UnboundField))
    return sorted(names - {"csrf_token", "submit"})


@pytest.fixture
def demo(app):
    seeding.load_demo(storage.public())


class Visitor:
    """A client that keeps a valid CSRF token and, for a customer, stays logged in (POST /account/logout
    with a valid token really logs out: the customer logs in again and takes a fresh token)."""

    def __init__(self, client, user=None):
        self.client, self.user = client, user
        if user is not None:
            assert log_in(client, user.email, DEFAULT_PASSWORD).status_code == 302
        self.token = self._fresh_token()

    def _fresh_token(self):
        for page in (TOKEN_PAGE, "/account/login"):  # a first visit's product page holds no token: no session yet
            response = self.client.get(page)
            assert response.status_code == 200, response.status_code
            token = csrf_token(response.get_data(as_text=True))
            if token:
                return token
        raise AssertionError("no page gave this visitor a CSRF token")

    def _session(self):
        with self.client.session_transaction() as session:
            return dict(session)

    def post_checked(self, url, method, data):
        response = self.client.open(url, method=method, data={**data, "csrf_token": self.token})
        assert not _refused_by_csrf(response), f"{method} {url}: the CSRF token was refused"
        session = self._session()
        if self.user is not None and "_user_id" not in session:
            assert log_in(self.client, self.user.email, DEFAULT_PASSWORD).status_code == 302
            session = {}
        if "csrf_token" not in session:
            self.token = self._fresh_token()
        return response


def _refused_by_csrf(response):
    """What shop.web.errors answers to a CSRFError."""
    return response.status_code == 400 and "Your form expired or came from another site" in response.get_data(
        as_text=True)


@pytest.mark.parametrize("who", ["anonymous", "customer"])
def test_no_route_answers_a_server_error_to_odd_input(app, client, demo, who):
    visitor = Visitor(client, UserFactory() if who == "customer" else None)
    fields = _form_field_names()
    assert {"email", "password", "product_id", "quantity", "ship_line1", "percent"} <= set(fields)
    failures = []
    posted = 0
    for value in ODD_VALUES:
        for rule, url in _urls(app, value):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS", "GET"}):
                response = visitor.post_checked(url, method, {name: value for name in [*fields, "q"]})
                posted += 1
                if response.status_code >= 500:
                    failures.append(f"{method} {url} -> {response.status_code}")
            if "GET" in rule.methods:
                response = client.get(url)
                if response.status_code >= 500:
                    failures.append(f"GET {url} -> {response.status_code}")
                response = client.get(url, query_string={"page": value, "q": value, "kind": value,
                                                         "sort": value, "category": value, "next": value})
                if response.status_code >= 500:
                    failures.append(f"GET {url}?... -> {response.status_code}")
    assert posted > 100  # the walk reached the views: every POST route, once per odd value
    assert failures == []
