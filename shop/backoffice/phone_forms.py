"""Forms of the phone order page and the call log. Each carries a CSRF token (Flask-WTF) and labels.

They check the shape of what was typed; the rules (stock, courses owned, totals, callback times) are in
shop.backoffice.phone_orders, shop.payments.manual and shop.backoffice.calls.
"""

from flask_wtf import FlaskForm
from wtforms import (
    EmailField,
    HiddenField,
    IntegerField,
    RadioField,
    SelectField,
    StringField,
    TelField,
    TextAreaField,
)
from wtforms.fields.choices import SelectChoice
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from shop.backoffice.calls import LOGGABLE, OUTCOME_LABELS
from shop.backoffice.phone_orders import METHOD_LABELS
from shop.shipping.countries import country_choices

ADDRESS_KEYS = ("name", "line1", "line2", "city", "region", "postal_code", "country")


def _strip(value):
    """Typed text without control characters (PostgreSQL refuses NUL) and surrounding spaces."""
    if not isinstance(value, str):
        return value
    return "".join(ch for ch in value if ch.isprintable() or ch in "\n\t").strip()


def _countries():
    return [SelectChoice(code, name) for code, name in country_choices()]


class DraftForm(FlaskForm):
    """Every change to a draft names it; the draft is created by the first change when there is none."""

    draft = HiddenField(validators=[Optional(), Length(max=64)], filters=[_strip])


class UseCallerForm(DraftForm):
    key = HiddenField(validators=[InputRequired("Choose a caller."), Length(max=40)], filters=[_strip])


class NewCustomerForm(DraftForm):
    new_name = StringField("Full name", validators=[InputRequired("Enter the customer's name."), Length(max=200)],
                           filters=[_strip])
    new_email = EmailField("E-mail", validators=[InputRequired("Enter the customer's e-mail address."),
                                                 Length(max=254)], filters=[_strip])
    new_phone = TelField("Phone", validators=[Optional(), Length(max=40)], filters=[_strip])
    new_line1 = StringField("Address", validators=[Optional(), Length(max=200)], filters=[_strip])
    new_line2 = StringField("Apartment, suite (optional)", validators=[Optional(), Length(max=200)], filters=[_strip])
    new_city = StringField("City", validators=[Optional(), Length(max=120)], filters=[_strip])
    new_region = StringField("State / province", validators=[Optional(), Length(max=120)], filters=[_strip])
    new_postal_code = StringField("ZIP / postal code", validators=[Optional(), Length(max=20)], filters=[_strip])
    new_country = SelectField("Country", choices=_countries, default="US")

    def address(self):
        return {key: getattr(self, f"new_{key}").data or "" for key in ADDRESS_KEYS if key != "name"}


class AddItemForm(DraftForm):
    item = StringField("SKU or title", validators=[Optional(), Length(max=100)], filters=[_strip])
    quantity = IntegerField("Qty", default=1, validators=[
        InputRequired("Enter a quantity."), NumberRange(1, 99, "Enter a quantity from 1 to 99.")])
    product_id = IntegerField(validators=[Optional(), NumberRange(1, 2**31 - 1)])


class QuantityForm(DraftForm):
    quantity = IntegerField("Quantity", validators=[
        InputRequired("Enter a quantity."), NumberRange(0, 99, "Enter a quantity from 0 to 99.")])


class CodeForm(DraftForm):
    code = StringField("Promo code the caller quotes", validators=[Optional(), Length(max=60)], filters=[_strip])


class DetailsForm(DraftForm):
    ship_name = StringField("Ship to (name)", validators=[Optional(), Length(max=200)], filters=[_strip])
    ship_line1 = StringField("Address", validators=[Optional(), Length(max=200)], filters=[_strip])
    ship_line2 = StringField("Apartment, suite (optional)", validators=[Optional(), Length(max=200)], filters=[_strip])
    ship_city = StringField("City", validators=[Optional(), Length(max=120)], filters=[_strip])
    ship_region = StringField("State / province", validators=[Optional(), Length(max=120)], filters=[_strip])
    ship_postal_code = StringField("ZIP / postal code", validators=[Optional(), Length(max=20)], filters=[_strip])
    ship_country = SelectField("Country", choices=_countries, default="US")
    shipping_method = RadioField("Shipping method", choices=[], validate_choice=False, filters=[_strip])
    caller_phone = TelField("Caller's number", validators=[Optional(), Length(max=40)], filters=[_strip])
    call_notes = TextAreaField("Call notes", validators=[Optional(), Length(max=4000)], filters=[_strip])
    payment = RadioField("Payment", choices=[SelectChoice(k, v) for k, v in METHOD_LABELS.items()], default="card",
                         validators=[InputRequired("Choose how the caller pays.")])
    payment_method_id = HiddenField(validators=[Optional(), Length(max=120)], filters=[_strip])

    def address(self):
        return {key: getattr(self, f"ship_{key}").data or "" for key in ADDRESS_KEYS}


class RecordCheckForm(FlaskForm):
    amount = StringField("Amount received ($)", validators=[InputRequired("Enter the amount on the check."),
                                                           Length(max=20)], filters=[_strip])
    reference = StringField("Check or money order number", validators=[
        InputRequired("Enter the check or money order number."), Length(max=120)], filters=[_strip])


class CallForm(FlaskForm):
    outcome = SelectField("What was the call about?", choices=[SelectChoice(o, OUTCOME_LABELS[o]) for o in LOGGABLE],
                          default=LOGGABLE[0])
    caller_name = StringField("Caller's name", validators=[Optional(), Length(max=200)], filters=[_strip])
    caller_phone = TelField("Phone", validators=[Optional(), Length(max=40)], filters=[_strip])
    caller_email = EmailField("E-mail", validators=[Optional(), Length(max=254)], filters=[_strip])
    callback_due = StringField("Call back at (for a callback)", validators=[Optional(), Length(max=30)],
                               filters=[_strip])
    order_number = StringField("Order number (optional)", validators=[Optional(), Length(max=20)], filters=[_strip])
    notes = TextAreaField("Notes", validators=[InputRequired("Write a note about the call."), Length(max=4000)],
                          filters=[_strip])
