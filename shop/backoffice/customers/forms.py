"""The customer room's forms: a note, and the record to merge into."""

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, Length, Optional

from shop.core.forms import FREE_TEXT, TEXT
from shop.phone.customer_record import NOTE_MAX


class NoteForm(FlaskForm):
    body = TextAreaField("Add a note about this customer", filters=FREE_TEXT,
                         validators=[DataRequired("Write the note first."), Length(max=NOTE_MAX)],
                         description="Seen by staff only, with the date and your name.")
    submit = SubmitField("Add note")


class MergeForm(FlaskForm):
    target = EmailField("E-mail of the record to keep", filters=TEXT,
                        validators=[DataRequired("Enter the e-mail address of the record to keep."), Length(max=254)],
                        description="This record's orders, courses, calls and notes move there; this one closes.")
    confirmed = HiddenField(validators=[Optional(), Length(max=3)])
    submit = SubmitField("Merge")
