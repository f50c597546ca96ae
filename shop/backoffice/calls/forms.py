"""The call log's form: a call that made no order."""

from flask_wtf import FlaskForm
from wtforms import EmailField, SelectField, StringField, TelField, TextAreaField
from wtforms.validators import InputRequired, Length, Optional

from shop.core.forms import FREE_TEXT, TEXT, EmailAddress, choices
from shop.phone.calls import LOGGABLE, OUTCOME_LABELS


class CallForm(FlaskForm):
    outcome = SelectField("What was the call about?", choices=choices((o, OUTCOME_LABELS[o]) for o in LOGGABLE),
                          default=LOGGABLE[0])
    caller_name = StringField("Caller's name", validators=[Optional(), Length(max=200)], filters=FREE_TEXT)
    caller_phone = TelField("Phone", validators=[Optional(), Length(max=40)], filters=TEXT)
    caller_email = EmailField("E-mail", validators=[Optional(), Length(max=254), EmailAddress()], filters=TEXT)
    callback_due = StringField("Call back at (for a callback)", validators=[Optional(), Length(max=30)],
                               filters=TEXT)
    order_number = StringField("Order number (optional)", validators=[Optional(), Length(max=20)], filters=TEXT)
    notes = TextAreaField("Notes", validators=[InputRequired("Write a note about the call."), Length(max=4000)],
                          filters=FREE_TEXT)
