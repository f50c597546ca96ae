"""Every POST route but Stripe's webhook refuses a missing or a wrong CSRF token, whoever posts it; a new
route is walked automatically."""

from werkzeug.routing import IntegerConverter

from shop.accounts.models import User
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.support.forms import log_in

SIGNED_NOT_TOKENED = {"webhooks.stripe"}  # verified by Stripe's signature instead


def _url(rule):
    values = {name: 1 if isinstance(rule._converters[name], IntegerConverter) else "x" for name in rule.arguments}
    return rule.build(values, append_unknown=False)[1]


def _post_routes(app):
    return sorted((rule.endpoint, _url(rule)) for rule in app.url_map.iter_rules()
                  if "POST" in rule.methods and rule.endpoint not in SIGNED_NOT_TOKENED)


def test_every_post_route_refuses_a_missing_or_wrong_csrf_token(app):
    admin = app.test_client()
    log_in(admin, UserFactory(role="admin").email, DEFAULT_PASSWORD)
    routes = _post_routes(app)
    assert len(routes) > 80  # the walk reaches the whole shop
    for endpoint, url in routes:
        for data in ({}, {"csrf_token": "forged"}):
            response = admin.post(url, data=data)
            assert response.status_code == 400, (endpoint, url, response.status_code)
            assert b"Your form expired or came from another site" in response.data, (endpoint, url)
    assert User.query.filter_by(role="admin").one().session_version == 1  # not even logout went through
