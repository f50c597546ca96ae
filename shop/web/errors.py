"""Error pages: every error is a page with a clear message and the right status, never a trace."""

import logging

from botocore.exceptions import BotoCoreError, ClientError
from flask import Flask, Response, render_template, request
from flask_wtf.csrf import CSRFError
from sqlalchemy.exc import DBAPIError, OperationalError
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
    503: "The shop is briefly unavailable",
}
UNAVAILABLE = ("We cannot reach our records for a moment. Nothing you sent was saved in part: your cart is kept, "
               "and you can try again in a minute.")
FILES_UNAVAILABLE = ("We cannot reach our file store for a moment, so this file or upload could not be handled. "
                     "Nothing was saved in part: try again in a minute.")
RETRY_AFTER_SECONDS = 30


def _render(code, message):
    title = TITLES.get(code, "Something went wrong")
    if request.accept_mimetypes.best == "application/json":
        return {"error": title, "message": message}, code
    return render_template("errors/error.html", code=code, title=title, message=message), code


def _unavailable(error, what="Database", message=UNAVAILABLE):
    log.error("%s unavailable on %s %s: %s", what, request.method, request.path, " ".join(str(error).split())[:300])
    try:
        db.session.rollback()
    except Exception:  # the connection is gone: nothing to roll back
        log.debug("No rollback possible", exc_info=True)
    if request.accept_mimetypes.best == "application/json":
        body, status = {"error": TITLES[503], "message": message, "status": "error"}, 503
    else:
        body, status = render_template("errors/unavailable.html", code=503, title=TITLES[503], message=message), 503
    return body, status, {"Retry-After": str(RETRY_AFTER_SECONDS), "Cache-Control": "no-store"}


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

    @app.errorhandler(OperationalError)
    def database_unavailable(error):
        """The database went away (restarted, failed over, out of connections): 503 with a page that needs no
        database. Each request is one transaction, so what it had not committed is gone, not half-written;
        the pool checks connections before use (pool_pre_ping), so the shop recovers by itself."""
        return _unavailable(error)

    @app.errorhandler(DBAPIError)
    def database_error(error):
        if error.connection_invalidated:  # the connection dropped mid-query
            return _unavailable(error)
        return unexpected_error(error)

    @app.errorhandler(BotoCoreError)
    def file_store_unreachable(error):
        """The object store (STORAGE_URL) did not answer: 503, and the request's transaction is rolled back, so
        a row is never left pointing at a file that was not stored."""
        return _unavailable(error, "File store", FILES_UNAVAILABLE)

    @app.errorhandler(ClientError)
    def file_store_error(error):
        if error.response.get("ResponseMetadata", {}).get("HTTPStatusCode", 0) >= 500:  # the store's own fault
            return _unavailable(error, "File store", FILES_UNAVAILABLE)
        return unexpected_error(error)

    @app.errorhandler(Exception)
    def unexpected_error(error):
        log.exception("Unhandled error on %s %s", request.method, request.path)
        try:
            db.session.rollback()  # a failed flush would otherwise fail the error page too
        except Exception:  # a connection already lost: the page needs no database
            log.exception("Rolling back after the error failed")
        return _render(500, InternalServerError.description)
