"""The suite's test client: each request in an app context of its own, posted as a browser posts a form."""

from flask import has_app_context
from flask.testing import FlaskClient
from werkzeug.datastructures import Headers

from shop.extensions import db


class FreshContextClient(FlaskClient):
    """Each request gets its own app context, as in production.

    Tests hold an app context to use the database; without this, every request in a test would
    reuse it, sharing `g` (CSRF tokens, the logged-in user) and the database session between
    requests and between clients. A POST carries the Origin and Sec-Fetch-Site a browser sends with a
    form posted from one of the shop's pages, unless the test gives its own.
    """

    def open(self, *args, **kwargs):
        if str(kwargs.get("method", "")).upper() == "POST":  # what a browser says of a form on the shop's page
            headers = Headers(kwargs.get("headers") or {})
            headers.setdefault("Origin", "http://localhost")
            headers.setdefault("Sec-Fetch-Site", "same-origin")
            kwargs["headers"] = headers
        with self.application.app_context():
            response = super().open(*args, **kwargs)
        if has_app_context():
            db.session.expire_all()  # the test's own session then reads what the request wrote
        return response
