"""The members room's forms: a caller's new account, the card keyed by phone, ending a membership at once."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, StringField, SubmitField
from wtforms.validators import InputRequired, Length

from shop.core.forms import FREE_TEXT, TEXT, EmailAddress

STATE_LABELS = {"": "Every state", "active": "Active", "past_due": "Past due", "cancelling": "Cancelling",
                "ended": "Ended", "pending": "Starting"}


class CallerAccountForm(FlaskForm):
    """A customer account for a caller who has none (a random password: they set their own with
    "Forgot your password")."""

    email = EmailField("Caller's e-mail", filters=TEXT,
                       validators=[InputRequired(message="Enter the caller's e-mail address."), Length(max=254),
                                   EmailAddress()])
    full_name = StringField("Caller's full name", filters=FREE_TEXT,
                            validators=[InputRequired(message="Enter the caller's name."), Length(max=200)])
    submit = SubmitField("Create the account")


class PhoneStartForm(FlaskForm):
    """The caller's account and the card Stripe.js turned into a payment method; the price is never read."""

    user_id = HiddenField(validators=[InputRequired(message="Find the caller's account first."), Length(max=12)])
    payment_method_id = HiddenField(validators=[InputRequired(message="Enter the caller's card details."),
                                                Length(max=120)])


class PhoneConfirmForm(FlaskForm):
    """After 3-D Secure: which membership to ask Stripe about."""

    membership_id = HiddenField(validators=[InputRequired(message="Missing membership reference."), Length(max=12)])


class EndNowForm(FlaskForm):
    refund = BooleanField("Refund the unused days")
    submit = SubmitField("End now")
