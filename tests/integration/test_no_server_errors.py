"""Every route answers nonsense with a 4xx and a message, never a 500: walked from the URL map."""

import pytest

from shop.catalogue import seeding
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.forms import log_in

ODD_VALUES = ["-1", "99999999999999999999", "x" * 300, "../../etc/passwd", "é"]
SKIP = {"static", "catalogue.media"}  # files: 404 when absent, covered elsewhere


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


@pytest.fixture
def demo(app):
    seeding.load_demo(app.config["MEDIA_ROOT"])


@pytest.mark.parametrize("who", ["anonymous", "customer"])
def test_no_route_answers_a_server_error_to_odd_input(app, client, demo, who):
    if who == "customer":
        user = UserFactory()
        log_in(client, user.email, DEFAULT_PASSWORD)
    failures = []
    for value in ODD_VALUES:
        for rule, url in _urls(app, value):
            for method in sorted(rule.methods - {"HEAD", "OPTIONS"}):
                response = client.open(url, method=method, data={"product_id": value, "quantity": value,
                                                                 "email": value, "q": value})
                if response.status_code >= 500:
                    failures.append(f"{method} {url} -> {response.status_code}")
            if "GET" in rule.methods:
                response = client.get(url, query_string={"page": value, "q": value, "kind": value,
                                                         "sort": value, "category": value, "next": value})
                if response.status_code >= 500:
                    failures.append(f"GET {url}?... -> {response.status_code}")
    assert failures == []
