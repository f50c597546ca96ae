"""Marketing's mailing list: the addresses that asked for news and offers (newest first, with when and where),
those that withdrew, and each list as CSV. Routes on the marketing room's blueprint (marketing role only)."""

from flask import current_app, render_template, request

from shop.accounts import consent
from shop.backoffice.marketing import bp
from shop.web.downloads import csv_download
from shop.web.helpers import page_arg

PER_PAGE = 50
SHOWS = (consent.SHOW_CURRENT, consent.SHOW_WITHDRAWN)


def _show():
    show = request.args.get("show", consent.SHOW_CURRENT)
    return show if show in SHOWS else consent.SHOW_CURRENT


@bp.get("/consents")
def consents():
    show = _show()
    return render_template("backoffice/marketing/consents.html", result=consent.page_of(show, page_arg(), PER_PAGE),
                           show=show, counts=consent.counts(), labels=consent.SOURCE_LABELS)


@bp.get("/consents.csv")
def consents_csv():
    show = _show()
    text = consent.csv_text(show, current_app.config["SHOP_TIMEZONE"])
    name = "mailing-list.csv" if show == consent.SHOW_CURRENT else "mailing-list-withdrawn.csv"
    return csv_download(text, name)
