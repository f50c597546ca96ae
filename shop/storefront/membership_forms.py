"""The membership's forms: join (with an account made on the same page), a new card, cancel, undo."""

from flask_wtf import FlaskForm
from wtforms import EmailField, HiddenField, PasswordField, StringField
from wtforms.validators import InputRequired, Length, Optional, Regexp

from shop.core.forms import FREE_TEXT, TEXT, EmailAddress
from shop.membership.signup import PAYMENT_METHOD_ID


class JoinForm(FlaskForm):
    """The card comes as the payment method Stripe.js made in the browser; the amount is never read here.
    A visitor who is not signed in fills in the account fields."""

    email = EmailField("Email", filters=TEXT, validators=[Optional(), Length(max=254), EmailAddress()])
    full_name = StringField("Full name", filters=FREE_TEXT, validators=[Optional(), Length(max=200)])
    password = PasswordField("Choose a password", validators=[Optional(), Length(max=200)])
    code = StringField("Offer code (optional)", filters=TEXT, validators=[Optional(), Length(max=40)])
    shown_cents = HiddenField(validators=[Optional(), Length(max=9)])  # the first month's price as shown
    payment_method_id = HiddenField(validators=[InputRequired(message="Enter your card details."),
                                                Regexp(PAYMENT_METHOD_ID, message="Enter your card details again.")])


class CardForm(FlaskForm):
    payment_method_id = HiddenField(validators=[InputRequired(message="Enter your card details."),
                                                Regexp(PAYMENT_METHOD_ID, message="Enter your card details again.")])


class ConfirmJoinForm(FlaskForm):
    membership_id = HiddenField(validators=[InputRequired(), Length(max=12)])
