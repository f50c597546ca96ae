"""Error pages: every error is a page with a clear message and the right status, never a trace."""

import logging

from flask import Flask, Response, render_template, request
from flask_wtf.csrf import CSRFError
from werkzeug.exceptions import HTTPException, InternalServerError, SecurityError

from shop.extensions import db

log = logging.getLogger(__name__)

TITLES = {
    400: "That request did not make sense",
    403: "You cannot open this page",
    404: "Page not found",
    405: "That action is not allowed here",
    413: "That upload is too large",
    429: "Too many attempts",
    500: "Something went wrong on our side",
}


def _render(code, message):
    title = TITLES.get(code, "Something went wrong")
    if request.accept_mimetypes.best == "application/json":
        return {"error": title, "message": message}, code
    return render_template("errors/error.html", code=code, title=title, message=message), code


def init_app(app: Flask) -> None:
    @app.errorhandler(SecurityError)
    def untrusted_host(error):
        """A request for a host the shop does not serve (TRUSTED_HOSTS): refused before anything runs, and
        answered as plain text, since no page or link can be built for that host."""
        return Response("Bad request: this shop does not answer to that host name.\n", status=400,
                        mimetype="text/plain")

    @app.errorhandler(CSRFError)
    def csrf_error(error):
        return _render(400, "Your form expired or came from another site. Go back, reload the page and try again.")

    @app.errorhandler(HTTPException)
    def http_error(error):
        message = error.description if error.description and error.code != 500 else ""
        return _render(error.code or 500, message)

    @app.errorhandler(Exception)
    def unexpected_error(error):
        log.exception("Unhandled error on %s %s", request.method, request.path)
        try:
            db.session.rollback()  # a failed flush would otherwise fail the error page too
        except Exception:  # a connection already lost: the page needs no database
            log.exception("Rolling back after the error failed")
        return _render(500, InternalServerError.description)
