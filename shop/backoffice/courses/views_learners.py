"""Learners (staff): find a customer, see their courses, progress, exam attempts and certificates, and act.

Every action is a POST with its CSRF token, calls one service (shop.courses.access, authoring,
certificates), is audited there, and comes back to the learner's page with a flash saying what happened.
"""

from flask import Response, abort, current_app, flash, redirect, render_template, url_for

from shop.accounts import admin as accounts_admin
from shop.backoffice.courses import EXPIRED, bp, certificate_of, confirmed, course_or_404, forms, user_or_404
from shop.core.errors import Refusal
from shop.core.forms import ConfirmForm, choices
from shop.courses import access, authoring, certificates
from shop.reports.courses import courses, learner
from shop.web.helpers import current_actor, page_arg, text_arg

PER_PAGE = 25


@bp.get("/learners")
def learners():
    q = text_arg("q")
    result = accounts_admin.search(q=q, page=page_arg(), per_page=PER_PAGE) if q else None
    return render_template("backoffice/courses/learners.html", q=q, result=result)


def _grant_form(record, posted=False):
    form = forms.GrantForm() if posted else forms.GrantForm(formdata=None)
    form.product_id.choices = choices([(0, "— choose a course —"), *(
        (p.id, p.title + ("" if p.is_active else " (retired)")) for p in courses() if p.id not in record.course_ids)])
    return form


def _learner_page(user, *, grant_form=None, status=200, error_message=None):
    record = learner(user)
    return render_template(
        "backoffice/courses/learner.html", record=record, user=user, grant_form=grant_form or _grant_form(record),
        reason_form=forms.ReasonForm(formdata=None), button_form=ConfirmForm(formdata=None),
        error_message=error_message,
    ), status


def _back(user, anchor=None):
    return redirect(url_for("courses_admin.learner", user_id=user.id, _anchor=anchor))


@bp.get("/learners/<int:user_id>", endpoint="learner")
def learner_page(user_id):
    return _learner_page(user_or_404(user_id))


def _refused(user, error, **kwargs):
    return _learner_page(user, status=error.status, error_message=error.message, **kwargs)


@bp.post("/learners/<int:user_id>/grant")
def grant(user_id):
    user = user_or_404(user_id)
    form = _grant_form(learner(user), posted=True)
    if not form.validate_on_submit():
        return _learner_page(user, grant_form=form, status=422, error_message="Please correct the grant form.")
    if not form.product_id.data:
        return _learner_page(user, grant_form=form, status=422, error_message="Choose the course to grant.")
    product = course_or_404(form.product_id.data)
    try:
        access.grant(user, product, actor=current_actor(), note=form.note.data or "")
    except Refusal as error:
        return _refused(user, error, grant_form=form)
    flash(f"{user.email} can now open “{product.title}”.", "success")
    return _back(user, "courses")


@bp.post("/learners/<int:user_id>/courses/<int:product_id>/revoke")
def revoke(user_id, product_id):
    user, product = user_or_404(user_id), course_or_404(product_id)
    form = forms.ReasonForm()
    if not form.validate_on_submit():
        abort(400, description=EXPIRED)
    try:
        access.revoke(user, product, actor=current_actor(), reason=form.reason.data or "")
    except Refusal as error:
        return _refused(user, error)
    flash(f"{user.email} can no longer open “{product.title}”. Certificates already earned stay.", "success")
    return _back(user, "courses")


@bp.post("/learners/<int:user_id>/courses/<int:product_id>/extra-attempt")
def extra_attempt(user_id, product_id):
    user, product = user_or_404(user_id), course_or_404(product_id)
    confirmed()
    extra = authoring.grant_extra_attempt(user, product, actor=current_actor())
    flash(f"{user.email} has one more attempt at the exam of “{product.title}” ({extra} extra in all).", "success")
    return _back(user, "courses")


@bp.post("/learners/<int:user_id>/courses/<int:product_id>/issue-certificate")
def issue_certificate(user_id, product_id):
    """A pass made while no approval was in force: its certificate, once an approval covers that day."""
    user, product = user_or_404(user_id), course_or_404(product_id)
    confirmed()
    try:
        issued = certificates.issue_waiting(user, product, actor=current_actor(),
                                            tz_name=current_app.config["SHOP_TIMEZONE"])
    except Refusal as error:
        return _refused(user, error)
    flash(f"Certificate {', '.join(c.number for c in issued)} issued to {user.email}.", "success")
    return _back(user, "certificates")


@bp.get("/learners/<int:user_id>/certificates/<int:certificate_id>.pdf")
def certificate_pdf(user_id, certificate_id):
    certificate = certificate_of(user_or_404(user_id), certificate_id)
    return Response(certificates.pdf(certificate), mimetype="application/pdf", headers={
        "Content-Disposition": f'inline; filename="{certificates.pdf_filename(certificate)}"'})


@bp.post("/learners/<int:user_id>/certificates/<int:certificate_id>/reissue")
def reissue_certificate(user_id, certificate_id):
    user = user_or_404(user_id)
    certificate = certificate_of(user, certificate_id)
    confirmed()
    try:
        certificates.reissue(certificate, actor=current_actor())
    except Refusal as error:
        return _refused(user, error)
    flash(f"Certificate {certificate.number} reissued (revision {certificate.revision}): same number, new PDF.",
          "success")
    return _back(user, "certificates")


@bp.post("/learners/<int:user_id>/certificates/<int:certificate_id>/revoke")
def revoke_certificate(user_id, certificate_id):
    user = user_or_404(user_id)
    certificate = certificate_of(user, certificate_id)
    form = forms.ReasonForm()
    if not form.validate_on_submit():
        abort(400, description=EXPIRED)
    try:
        certificates.revoke(certificate, form.reason.data or "", actor=current_actor())
    except Refusal as error:
        return _refused(user, error)
    flash(f"Certificate {certificate.number} revoked. It stays on record and verifies as revoked.", "success")
    return _back(user, "certificates")
