"""The courses room: every course at a glance, evaluations, the CE Broker export, the certificate signature.

Staff see the courses, the evaluations, the learners (views_learners) and the CE Broker export; admins also
edit content (views_content), the exam and approvals (views_exam) and the signature certificates print.
"""

from datetime import timedelta

from flask import Response, abort, current_app, flash, redirect, render_template, request, url_for

from shop.accounts.access import role_required
from shop.accounts.models import ROLE_ADMIN
from shop.backoffice.courses import bp, course_or_404, forms, views_content, views_exam, views_learners
from shop.core.errors import Refusal
from shop.core.timeutil import local_today
from shop.courses import cebroker, certificates
from shop.reports.courses import evaluations, evaluations_csv, overview
from shop.web.downloads import csv_download
from shop.web.helpers import attach, current_actor

ROUTES = (views_content, views_exam, views_learners)  # their routes join the blueprint with this module
INVALID = 422
SIGNATURE_UPLOAD = "courses_admin.signature"


def _today():
    return local_today(current_app.config["SHOP_TIMEZONE"])


@bp.get("/", endpoint="index")
def index():
    return render_template("backoffice/courses/index.html", rows=overview(_today()), today=_today())


# ---- evaluations --------------------------------------------------------------------------------------

@bp.get("/<int:product_id>/evaluations", endpoint="evaluations")
def evaluations_page(product_id):
    product = course_or_404(product_id)
    return render_template("backoffice/courses/evaluations.html", product=product, summary=evaluations(product))


@bp.get("/<int:product_id>/evaluations.csv")
def evaluations_download(product_id):
    product = course_or_404(product_id)
    return csv_download(evaluations_csv(evaluations(product)), f"evaluations-{product.sku}.csv")


# ---- CE Broker ----------------------------------------------------------------------------------------

def _range_form(posted):
    if posted:
        return forms.CeBrokerForm()
    form = forms.CeBrokerForm(request.args if request.args else None, meta={"csrf": False})
    if not request.args:
        form.start.data, form.end.data = _today() - timedelta(days=30), _today()
    return form


@bp.route("/ce-broker", methods=["GET", "POST"], endpoint="cebroker")
def cebroker_page():
    form = _range_form(request.method == "POST")
    valid = form.validate_on_submit() if request.method == "POST" else (not request.args or form.validate())
    if valid and form.start.data and form.end.data and form.start.data > form.end.data:
        form.end.errors = [*form.end.errors, "The last day comes after the first."]
        valid = False
    if request.method == "POST" and valid:
        text = cebroker.export(form.start.data, form.end.data, include_reported=form.include_reported.data,
                               actor=current_actor())
        name = f"cebroker-{form.start.data:%Y-%m-%d}-to-{form.end.data:%Y-%m-%d}.csv"
        return csv_download(text, name)
    rows = cebroker.completions(form.start.data, form.end.data, include_reported=True) if valid else []
    missing = cebroker.unreportable(form.start.data, form.end.data) if valid else []
    return render_template("backoffice/courses/cebroker.html", form=form, rows=rows, unreportable=missing,
                           status_ok=valid), 200 if valid else INVALID


# ---- the certificate signature ------------------------------------------------------------------------

@bp.url_value_preprocessor
def _limit_signature_size(endpoint, values):
    if endpoint == SIGNATURE_UPLOAD and request.method == "POST":
        request.max_content_length = certificates.SIGNATURE_MAX_BYTES + 64 * 1024


def _signature_page(form=None, status=200, error_message=None):
    image, name, title = certificates.signature()
    if form is None:
        form = forms.SignatureForm(formdata=None, data={"signatory_name": name, "signatory_title": title})
    return render_template("backoffice/courses/signature.html", form=form, has_image=image is not None, name=name,
                           title=title, error_message=error_message), status


@bp.route("/signature", methods=["GET", "POST"], endpoint="signature")
@role_required(ROLE_ADMIN)
def signature_page():
    if request.method == "GET":
        return _signature_page()
    form = forms.SignatureForm()
    if not form.validate_on_submit():
        return _signature_page(form, INVALID)
    upload = form.image.data
    data = upload.stream.read(certificates.SIGNATURE_MAX_BYTES + 1) if getattr(upload, "filename", "") else b""
    try:
        certificates.set_signature(data, form.signatory_name.data, form.signatory_title.data or "",
                                   actor=current_actor())
    except Refusal as error:
        return _signature_page(form, error.status, attach(form, error))
    flash("Signature saved: new and reissued certificates carry it.", "success")
    return redirect(url_for("courses_admin.signature"))


@bp.get("/signature.png")
def signature_image():
    image, _name, _title = certificates.signature()
    if image is None:
        abort(404)
    return Response(image, mimetype="image/png", headers={"Cache-Control": "private, no-store"})
