"""The directory's forms: a therapist's listing, its photo, the search, and contacting a professional."""

from flask_wtf import FlaskForm
from flask_wtf.file import FileField
from wtforms import BooleanField, Form, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from shop.content.directory import RADII, US_STATES, ListingInput
from shop.content.models import MODALITIES
from shop.core.forms import FREE_TEXT, TEXT, EmailAddress, MultiCheckboxField, choices

STATE_CHOICES = choices([("", "Choose the state"), *sorted(US_STATES.items(), key=lambda kv: kv[1])])


class ListingForm(FlaskForm):
    practice_name = StringField("Practice name", filters=FREE_TEXT, validators=[Length(max=160)])
    full_name = StringField("Your name, as clients know you", filters=FREE_TEXT, validators=[Length(max=160)])
    modalities = MultiCheckboxField("What you do", choices=choices(MODALITIES.items()), validate_choice=False)
    street = StringField("Street address (optional)", filters=FREE_TEXT, validators=[Length(max=200)])
    show_street = BooleanField("Show the street address on the listing")
    city = StringField("City", filters=FREE_TEXT, validators=[Length(max=120)])
    state = SelectField("State", choices=STATE_CHOICES, validate_choice=False)
    zip_code = StringField("ZIP code", filters=TEXT, validators=[Length(max=10)])
    phone = StringField("Phone (optional)", filters=TEXT, validators=[Length(max=40)])
    website = StringField("Website (optional)", filters=TEXT, validators=[Length(max=300)])
    bio = TextAreaField("About your practice (optional)", filters=FREE_TEXT, validators=[Length(max=2000)])
    submit = SubmitField("Send for review")

    def to_input(self) -> ListingInput:
        return ListingInput(
            practice_name=self.practice_name.data or "", full_name=self.full_name.data or "",
            city=self.city.data or "", state=self.state.data or "", zip_code=self.zip_code.data or "",
            modalities=tuple(str(m) for m in self.modalities.data or ()), street=self.street.data or "",
            show_street=bool(self.show_street.data), phone=self.phone.data or "", website=self.website.data or "",
            bio=self.bio.data or "")


class PhotoForm(FlaskForm):
    photo = FileField("Photo (JPEG, PNG or WebP, up to 5 MB)")
    submit = SubmitField("Upload the photo")


class SearchForm(Form):
    """GET: no CSRF token. Bad values are dropped, never a server error."""

    zip = StringField("ZIP code", filters=TEXT, validators=[Optional(), Length(max=10)])
    radius = SelectField("Within", choices=choices((str(r), f"{r} miles") for r in RADII), default="25",
                         validate_choice=False)
    place = StringField("or city or state", filters=TEXT, validators=[Optional(), Length(max=80)])
    modality = SelectField("Kind of work", choices=choices([("", "Any"), *MODALITIES.items()]),
                           validate_choice=False)
    name = StringField("Name", filters=TEXT, validators=[Optional(), Length(max=80)])


class ContactForm(FlaskForm):
    name = StringField("Your name", filters=FREE_TEXT, validators=[InputRequired("Enter your name."),
                                                                   Length(max=120)])
    email = StringField("Your e-mail", filters=TEXT, validators=[InputRequired("Enter your e-mail address, so "
                                                                              "they can answer."),
                                                                 Length(max=254), EmailAddress()])
    phone = StringField("Your phone (optional)", filters=TEXT, validators=[Optional(), Length(max=40)])
    message = TextAreaField("Message", filters=FREE_TEXT, validators=[InputRequired("Write your message."),
                                                                      Length(max=3000)])
    homepage = StringField("Leave this empty", validators=[Optional()])  # a honeypot: robots fill it
    submit = SubmitField("Send the message")
