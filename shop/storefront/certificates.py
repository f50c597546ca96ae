"""CE records: the customer's licence profile, certificate downloads, the transcript, and public verification.

A certificate PDF is handed only to its holder: anyone else, signed in or not, gets 404 (the number's
existence is not confirmed). A revoked certificate still downloads, marked "REVOKED" across the page,
since records are kept and the holder may need them. The verification pages are public, show the
status (valid, or revoked with its date; never the reason) and are rate-limited per IP address.
"""

from datetime import timedelta

from flask import Blueprint, abort, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user
from flask_wtf import FlaskForm
from wtforms import DateField, SelectField, StringField, SubmitField
from wtforms.validators import Length, Optional

from shop.accounts import licences
from shop.accounts.access import ANY_ROLE, role_required
from shop.accounts.ratelimit import Limit, client_address, exceeded, hit
from shop.core.forms import TEXT, ConfirmForm, choices
from shop.core.timeutil import local_today
from shop.courses import certificates as records
from shop.courses import transcripts
from shop.courses.certificate_pdf import render_transcript
from shop.extensions import db
from shop.web.helpers import attach, current_actor

bp = Blueprint("certificates", __name__)
VERIFY_PER_IP = Limit("certificate-verify-ip", 20, timedelta(minutes=10))
NOT_FOUND = "No certificate with that number."
INVALID = 422


class ProfileForm(FlaskForm):
    licence_name = StringField("Your name exactly as on your licence", filters=TEXT,
                               validators=[Length(max=200)],
                               description="Printed on your certificates and reported to CE Broker.")
    ncbtmb_number = StringField("NCBTMB certification number (if you have one)", filters=TEXT,
                                validators=[Length(max=40)])
    submit = SubmitField("Save profile")


class LicenceForm(FlaskForm):
    state = SelectField("State", choices=choices([("", "Choose a state"), *licences.US_STATES.items()]))
    number = StringField("Licence number", filters=TEXT, validators=[Length(max=40)])
    submit = SubmitField("Save licence")


class TranscriptForm(FlaskForm):
    class Meta:
        csrf = False

    cycle = SelectField("Renewal period", choices=choices(transcripts.cycle_choices()),
                        default=transcripts.FLORIDA.code)
    start = DateField("First day", validators=[Optional()])
    end = DateField("Last day", validators=[Optional()])


class VerifyForm(FlaskForm):
    class Meta:
        csrf = False

    number = StringField("Certificate number", filters=TEXT, validators=[Length(max=40)],
                         description="Printed beside the QR code, like STR-7K3M-9QXP-2D.")


# ---- the CE profile ---------------------------------------------------------------------------

def _profile_page(profile_form=None, licence_form=None, message=None, status=200):
    me = current_actor()
    profile_form = profile_form or ProfileForm(formdata=None, licence_name=me.licence_name,
                                               ncbtmb_number=me.ncbtmb_number)
    return render_template("certificates/ce_profile.html", profile_form=profile_form,
                           licence_form=licence_form or LicenceForm(formdata=None), remove_form=ConfirmForm(),
                           licences=list(me.licences), state_name=licences.state_name,
                           error_message=message), status


@bp.route("/account/ce-profile", methods=["GET", "POST"])
@role_required(*ANY_ROLE)
def ce_profile():
    if request.method == "GET":
        return _profile_page()
    form = ProfileForm()
    if not form.validate_on_submit():
        return _profile_page(profile_form=form, status=INVALID)
    try:
        licences.update_profile(current_actor(), licence_name=form.licence_name.data or "",
                                ncbtmb_number=form.ncbtmb_number.data or "", actor=current_actor())
    except licences.LicenceError as error:
        return _profile_page(profile_form=form, message=attach(form, error), status=error.status)
    flash("Your CE profile is saved. New certificates will print it.", "success")
    return redirect(url_for(".ce_profile"))


@bp.post("/account/ce-profile/licences")
@role_required(*ANY_ROLE)
def add_licence():
    form = LicenceForm()
    if not form.validate_on_submit():
        return _profile_page(licence_form=form, status=INVALID)
    try:
        licence = licences.set_licence(current_actor(), form.state.data, form.number.data)
    except licences.LicenceError as error:
        return _profile_page(licence_form=form, message=attach(form, error), status=error.status)
    flash(f"Your {licences.state_name(licence.state)} licence is saved.", "success")
    return redirect(url_for(".ce_profile"))


@bp.post("/account/ce-profile/licences/<state>/remove")
@role_required(*ANY_ROLE)
def remove_licence(state):
    if not ConfirmForm().validate_on_submit():
        return _profile_page(message="That request was not understood. Please try again.", status=400)
    try:
        licences.remove_licence(current_actor(), state)
    except licences.LicenceError as error:
        return _profile_page(message=error.message, status=error.status)
    flash(f"Your {licences.state_name(state)} licence is removed from your profile.", "info")
    return redirect(url_for(".ce_profile"))


# ---- the holder's downloads and transcript ----------------------------------------------------------

@bp.get("/account/certificates/<number>.pdf")
def download(number):
    """The holder's certificate; 404 for anyone else, signed in or not (no role_required on purpose)."""
    certificate = records.of_user(current_user, number)
    if certificate is None:
        abort(404, description="We could not find that certificate in your account.")
    response = current_app.response_class(records.pdf(certificate), mimetype="application/pdf")
    response.headers["Content-Disposition"] = f'attachment; filename="{records.pdf_filename(certificate)}"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


def _transcript_choice():
    """(form, transcript or None, message): the renewal period chosen in the query string."""
    form = TranscriptForm(request.args)
    today = local_today(current_app.config["SHOP_TIMEZONE"])
    if not form.validate():
        return form, None, "Enter dates like 2025-08-31."
    choice = (form.start.data, form.end.data) if form.cycle.data == transcripts.CUSTOM else form.cycle.data
    try:
        return form, transcripts.transcript(current_actor(), choice, today=today), None
    except transcripts.TranscriptError as error:
        return form, None, str(error)


@bp.get("/account/transcript")
@role_required(*ANY_ROLE)
def transcript():
    form, found, message = _transcript_choice()
    return render_template("certificates/transcript.html", form=form, transcript=found, error_message=message,
                           pdf_url=url_for(".transcript_pdf", **request.args.to_dict())), (INVALID if message else 200)


@bp.get("/account/transcript.pdf")
@role_required(*ANY_ROLE)
def transcript_pdf():
    _, found, message = _transcript_choice()
    if found is None:
        abort(INVALID, description=message)
    data = render_transcript(found, shop_name=current_app.config["SHOP_NAME"],
                             printed_on=local_today(current_app.config["SHOP_TIMEZONE"]))
    response = current_app.response_class(data, mimetype="application/pdf")
    response.headers["Content-Disposition"] = 'attachment; filename="ce-transcript.pdf"'
    response.headers["Cache-Control"] = "private, no-store"
    return response


# ---- public verification ------------------------------------------------------------------------

def _lookup(number):
    """(certificate or None, refused). Only a number that finds nothing counts against the visitor's IP
    address: guessing is limited, while a board checking real certificates (or QR scans) never is."""
    ip = client_address()
    if exceeded(VERIFY_PER_IP, ip):
        return None, True
    certificate = records.by_number(number)
    if certificate is None:
        hit(VERIFY_PER_IP, ip)
        db.session.commit()
    return certificate, False


def _too_many(form):
    return render_template("certificates/verify.html", form=form, searched=False, certificate=None,
                           error_message="Too many certificate lookups from your connection. Please wait ten "
                                         "minutes and try again."), 429


@bp.get("/certificates/verify")
def verify():
    form = VerifyForm(request.args)
    number = (form.number.data or "").strip()
    if not number:
        return render_template("certificates/verify.html", form=form, searched=False, certificate=None)
    certificate, refused = _lookup(number)
    if refused:
        return _too_many(form)
    return render_template("certificates/verify.html", form=form, searched=True,
                           certificate=certificate), (200 if certificate else 404)


@bp.get("/certificates/<number>")
def public_page(number):
    form = VerifyForm(formdata=None, number=number[:40])
    certificate, refused = _lookup(number)
    if refused:
        return _too_many(form)
    if certificate is None:
        return render_template("certificates/verify.html", form=form, searched=True, certificate=None), 404
    return render_template("certificates/verify.html", form=form, searched=True, certificate=certificate)
