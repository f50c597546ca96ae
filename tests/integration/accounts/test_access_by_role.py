"""Every registered route × every role answers as the access table says, so no route can be left open.

The table comes from the code itself: shop.accounts.access.endpoint_roles(app, endpoint) gives the
roles an endpoint needs (from role_required or its blueprint's protect_blueprint), or None for a
public page. A public endpoint must also be declared in PUBLIC below: a new route that is neither
protected nor declared makes test_every_route_is_protected_or_declared_public fail.

For each role (anonymous, customer, staff, marketing, admin) the test opens every rule with every
method, with dummy arguments (ints → 1, strings → "x") and a valid CSRF token in the X-CSRFToken
header, and checks:
- protected, anonymous            → a redirect to the login page;
- protected, logged in, no role   → 403;
- protected, has the role         → anything but 401/403 (200, 302, 400, 404, 405, 422 for missing data);
- public, anyone                  → anything but 401/403 and not sent to the login page;
and never a 5xx. An admin has every role.
"""

from urllib.parse import urlsplit

import pytest
from werkzeug.routing.converters import AnyConverter, IntegerConverter, NumberConverter, UUIDConverter

from shop import create_app
from shop.accounts.access import endpoint_roles, has_role
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.support.forms import csrf_token, log_in

# Endpoints anyone may open, logged in or not. Declare a new public page here, on purpose.
PUBLIC = frozenset({
    "static",
    # storefront
    "catalogue.home", "catalogue.catalogue", "catalogue.search", "catalogue.product", "catalogue.offers",
    "catalogue.media", "pages.page",
    # what search engines read: the sitemap and robots.txt
    "seo.sitemap", "seo.robots",
    # the publisher's articles and their feed (only published ones are shown)
    "articles.index", "articles.article", "articles.atom_feed",
    # "Find a professional": the search, approved listings, and their contact form
    "directory.search", "directory.listing", "directory.contact",
    # cart and checkout (guests may buy), the order confirmation and Stripe's webhook (signed, not logged in)
    "cart.view", "cart.add", "cart.update", "cart.remove", "cart.apply_code", "cart.remove_code",
    "checkout.checkout", "checkout.summary", "checkout.place", "checkout.confirm", "checkout.thanks",
    "webhooks.stripe",
    # the membership's page and joining (a visitor creates the account on the same page)
    "membership.join_page", "membership.join",
    # accounts: the pages before logging in, and logging out
    "accounts.register", "accounts.login", "accounts.logout", "accounts.forgot_password",
    "accounts.reset_password", "accounts.verify_email",
    # the login's second step: it serves only the login its session holds (password already right)
    "accounts.login_two_factor",
    # the unsubscribe link of every marketing e-mail: one click withdraws, no login; the signed token is the key
    "my_account.unsubscribe",
    # a phone order's payment link: the caller pays on our page; the signed, single-use token is the key
    "payment_links.page", "payment_links.pay", "payment_links.confirm",
    # a course's pages, lessons, files and exam, and a certificate's PDF: each checks that this signed-in
    # customer may open it and answers 404 to everyone else, anonymous visitors included (never a login page)
    "learning.course", "learning.resume", "learning.lesson", "learning.complete", "learning.file", "learning.exam",
    "learning.attempt", "learning.result", "learning.evaluation", "certificates.download",
    # anyone (a licensing board) may verify a certificate by its number
    "certificates.verify", "certificates.public_page",
    # the development mailbox (registered only when DEV_MAILBOX is on)
    "dev_mail.mailbox", "dev_mail.message",
})
ROLES = ("anonymous", "customer", "staff", "marketing", "admin")
SKIPPED_METHODS = {"HEAD", "OPTIONS"}
LAST = {"accounts.logout"}  # ends the session, so it is opened after every other route


def access_table(app):
    """{endpoint: frozenset of roles, or None for public} for every registered endpoint."""
    return {rule.endpoint: endpoint_roles(app, rule.endpoint) for rule in app.url_map.iter_rules()}


def undeclared_public(app):
    """Endpoints that are neither protected nor declared in PUBLIC."""
    return sorted(e for e, roles in access_table(app).items() if roles is None and e not in PUBLIC)


def test_every_route_is_protected_or_declared_public(app):
    problems = [f"new route {e} is neither protected nor declared public" for e in undeclared_public(app)]
    assert problems == [], (
        "\n".join(problems) + "\nProtect it with role_required / protect_blueprint, or add it to PUBLIC in "
        "tests/integration/accounts/test_access_by_role.py if anyone may open it."
    )


def test_nothing_declared_public_is_protected(app):
    table = access_table(app)
    assert sorted(e for e in PUBLIC if table.get(e) is not None) == []


def test_a_new_route_that_nobody_declared_fails_the_check(tmp_path):
    """The guard itself: add an open route to a fresh app and it is reported."""
    fresh = create_app("test", {"SQLALCHEMY_DATABASE_URI": f"sqlite:///{tmp_path}/x.db",
                                "MEDIA_ROOT": str(tmp_path / "media")})
    before = undeclared_public(fresh)
    fresh.add_url_rule("/backoffice/forgotten", "forgotten", lambda: "open to all")
    assert sorted(set(undeclared_public(fresh)) - set(before)) == ["forgotten"]


def _dummy(converter):
    if isinstance(converter, AnyConverter):
        return sorted(converter.items)[0]
    if isinstance(converter, IntegerConverter | NumberConverter):
        return 1
    if isinstance(converter, UUIDConverter):
        return "00000000-0000-0000-0000-000000000001"
    return "x"


def _requests(app):
    """(endpoint, method, url) for every rule and method, with the session-ending ones last."""
    found = []
    for rule in app.url_map.iter_rules():
        values = {name: _dummy(conv) for name, conv in rule._converters.items()}
        url = rule.build(values, append_unknown=False)[1]
        for method in sorted(rule.methods - SKIPPED_METHODS):
            found.append((rule.endpoint, method, url))
    return sorted(found, key=lambda r: (r[0] in LAST, r[0], r[1]))


def _expectation_failure(table, endpoint, who, user, response, login_path):
    roles = table[endpoint]
    status = response.status_code
    location = urlsplit(response.headers.get("Location", "")).path
    to_login = status in (301, 302, 303) and location == login_path
    if status >= 500:
        return f"answered {status}"
    if roles is None:
        if status in (401, 403) or to_login:
            return f"is public but answered {status} {location}".rstrip()
        return None
    if who == "anonymous":
        return None if to_login else f"should send anonymous visitors to log in, answered {status} {location}"
    if has_role(user, *roles):
        return f"should let {who} in, answered {status}" if status in (401, 403) else None
    return None if status == 403 else f"should refuse {who} with 403, answered {status} {location}"


@pytest.mark.parametrize("who", ROLES)
def test_every_route_answers_each_role_as_the_access_table_says(app, client, who):
    user = None
    if who != "anonymous":
        user = UserFactory(role=who, email=f"{who}@example.com")
        assert log_in(client, user.email, DEFAULT_PASSWORD).status_code == 302
    token = csrf_token(client.get("/account" if user else "/account/login").get_data(as_text=True))
    table = access_table(app)
    with app.test_request_context():
        from flask import url_for

        login_path = url_for("accounts.login")
    failures = []
    for endpoint, method, url in _requests(app):
        response = client.open(url, method=method, headers={"X-CSRFToken": token}, data={})
        problem = _expectation_failure(table, endpoint, who, user, response, login_path)
        if problem:
            needs = "needs " + "/".join(sorted(table[endpoint])) if table[endpoint] else "public"
            failures.append(f"{method} {url} ({endpoint}, {needs}): {problem}")
    assert failures == []
