"""Forms of the phone order page. Each carries a CSRF token (Flask-WTF) and labels.

They check the shape of what was typed; the rules (stock, courses owned, totals, callback times) are in
shop.phone (drafts, changes, placing, calls) and shop.orders.checks.
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
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from shop.core.forms import FREE_TEXT, TEXT, EmailAddress, choices
from shop.phone.drafts import METHOD_LABELS
from shop.shipping.countries import country_choices

ADDRESS_KEYS = ("name", "line1", "line2", "city", "region", "postal_code", "country")


def _countries():
    return choices(country_choices())


class DraftForm(FlaskForm):
    """Every change to a draft names it; the draft is created by the first change when there is none."""

    draft = HiddenField(validators=[Optional(), Length(max=64)], filters=TEXT)


class UseCallerForm(DraftForm):
    key = HiddenField(validators=[InputRequired("Choose a caller."), Length(max=40)], filters=TEXT)


class NewCustomerForm(DraftForm):
    new_name = StringField("Full name", validators=[InputRequired("Enter the customer's name."), Length(max=200)],
                           filters=FREE_TEXT)
    new_email = EmailField("E-mail", validators=[InputRequired("Enter the customer's e-mail address."),
                                                 Length(max=254), EmailAddress()], filters=TEXT)
    new_phone = TelField("Phone", validators=[Optional(), Length(max=40)], filters=TEXT)
    new_line1 = StringField("Address", validators=[Optional(), Length(max=200)], filters=FREE_TEXT)
    new_line2 = StringField("Apartment, suite (optional)", validators=[Optional(), Length(max=200)], filters=FREE_TEXT)
    new_city = StringField("City", validators=[Optional(), Length(max=120)], filters=TEXT)
    new_region = StringField("State / province", validators=[Optional(), Length(max=120)], filters=TEXT)
    new_postal_code = StringField("ZIP / postal code", validators=[Optional(), Length(max=20)], filters=TEXT)
    new_country = SelectField("Country", choices=_countries, default="US")

    def address(self):
        return {key: getattr(self, f"new_{key}").data or "" for key in ADDRESS_KEYS if key != "name"}


class AddItemForm(DraftForm):
    item = StringField("SKU or title", validators=[Optional(), Length(max=100)], filters=TEXT)
    quantity = IntegerField("Qty", default=1, validators=[
        InputRequired("Enter a quantity."), NumberRange(1, 99, "Enter a quantity from 1 to 99.")])
    product_id = IntegerField(validators=[Optional(), NumberRange(1, 2**31 - 1)])


class QuantityForm(DraftForm):
    quantity = IntegerField("Quantity", validators=[
        InputRequired("Enter a quantity."), NumberRange(0, 99, "Enter a quantity from 0 to 99.")])


class CodeForm(DraftForm):
    code = StringField("Promo code the caller quotes", validators=[Optional(), Length(max=60)], filters=TEXT)


class DetailsForm(DraftForm):
    ship_name = StringField("Ship to (name)", validators=[Optional(), Length(max=200)], filters=FREE_TEXT)
    ship_line1 = StringField("Address", validators=[Optional(), Length(max=200)], filters=FREE_TEXT)
    ship_line2 = StringField("Apartment, suite (optional)", validators=[Optional(), Length(max=200)], filters=FREE_TEXT)
    ship_city = StringField("City", validators=[Optional(), Length(max=120)], filters=TEXT)
    ship_region = StringField("State / province", validators=[Optional(), Length(max=120)], filters=TEXT)
    ship_postal_code = StringField("ZIP / postal code", validators=[Optional(), Length(max=20)], filters=TEXT)
    ship_country = SelectField("Country", choices=_countries, default="US")
    shipping_method = RadioField("Shipping method", choices=[], validate_choice=False, filters=TEXT)
    caller_phone = TelField("Caller's number", validators=[Optional(), Length(max=40)], filters=TEXT)
    call_notes = TextAreaField("Call notes", validators=[Optional(), Length(max=4000)], filters=FREE_TEXT)
    payment = RadioField("Payment", choices=choices(METHOD_LABELS.items()), default="card",
                         validators=[InputRequired("Choose how the caller pays.")])
    payment_method_id = HiddenField(validators=[Optional(), Length(max=120)], filters=TEXT)

    def address(self):
        return {key: getattr(self, f"ship_{key}").data or "" for key in ADDRESS_KEYS}


class RecordCheckForm(FlaskForm):
    amount = StringField("Amount received ($)", validators=[InputRequired("Enter the amount on the check."),
                                                           Length(max=20)], filters=TEXT)
    reference = StringField("Check or money order number", validators=[
        InputRequired("Enter the check or money order number."), Length(max=120)], filters=TEXT)
