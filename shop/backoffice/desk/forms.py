"""Order desk forms. Each carries a CSRF token; the labels are what the page shows.

Forms check shape (lengths, whole numbers, a dollar amount); the services in shop.orders check the
rules (what is left to ship or refund, the staff refund limit, the order's version).
Per-line quantities (ship, refund) are inputs named `qty-<line id>` / `refund-qty-<line id>`, read by
`line_quantities`.
"""

import secrets

from flask_wtf import FlaskForm
from wtforms import HiddenField, RadioField, SelectField, StringField, SubmitField, TextAreaField
from wtforms.validators import DataRequired, InputRequired, Length, Optional, Regexp, ValidationError

from shop.core.forms import FREE_TEXT, TEXT, MoneyField, choices
from shop.core.text import is_whole_number
from shop.orders.editing import NOTE_MAX
from shop.orders.fulfilment import CARRIER_MAX, TRACKING_MAX
from shop.orders.refunds import REASON_MAX
from shop.shipping.countries import country_choices

MAX_UNITS = 100_000
AMOUNT_MESSAGE = "Enter the amount in dollars and cents, like 12.50."


def _version():
    return HiddenField(validators=[InputRequired("This form is incomplete: reload the page."),
                                   Regexp(r"^\d{1,9}$", message="This form is incomplete: reload the page.")])


class NoteForm(FlaskForm):
    note = TextAreaField("Add a note", validators=[DataRequired("Write the note first."), Length(max=NOTE_MAX)],
                         filters=FREE_TEXT, description="Seen by staff only. Saved on the timeline with your name.")
    submit = SubmitField("Add note")


class EditOrderForm(FlaskForm):
    version = _version()
    customer_name = StringField("Customer name", validators=[Length(max=200)], filters=FREE_TEXT)
    phone = StringField("Phone", validators=[Length(max=40)], filters=TEXT)
    ship_name = StringField("Ship to (name)", validators=[Length(max=200)], filters=FREE_TEXT)
    ship_line1 = StringField("Street address", validators=[Length(max=200)], filters=FREE_TEXT)
    ship_line2 = StringField("Apartment, suite, unit", validators=[Optional(), Length(max=200)], filters=FREE_TEXT)
    ship_city = StringField("City", validators=[Length(max=120)], filters=TEXT)
    ship_region = StringField("State, province or region", validators=[Optional(), Length(max=120)],
                              filters=TEXT)
    ship_postal_code = StringField("ZIP or postal code", validators=[Optional(), Length(max=20)], filters=TEXT)
    ship_country = SelectField("Country", choices=choices(country_choices()),
                               validate_choice=True)
    call_notes = TextAreaField("Call notes", validators=[Length(max=5000)], filters=FREE_TEXT)
    submit = SubmitField("Save changes")

    ADDRESS = ("ship_name", "ship_line1", "ship_line2", "ship_city", "ship_region", "ship_postal_code",
               "ship_country")

    def __init__(self, *args, with_address=True, **kwargs):
        super().__init__(*args, **kwargs)
        self.with_address = with_address
        if not with_address:  # nothing to ship: no address fields at all
            for name in self.ADDRESS:
                delattr(self, name)

    def changes(self):
        names = ["customer_name", "phone", "call_notes", *(self.ADDRESS if self.with_address else ())]
        return {name: getattr(self, name).data or "" for name in names}

    def validate_ship_line1(self, field):
        if not field.data:
            raise ValidationError("Enter the street address.")

    def validate_ship_city(self, field):
        if not field.data:
            raise ValidationError("Enter the city.")


class ShipForm(FlaskForm):
    version = _version()
    carrier = StringField("Carrier", validators=[DataRequired("Enter the carrier, for example USPS."),
                                                 Length(max=CARRIER_MAX)], filters=TEXT,
                          description="USPS, UPS, FedEx, DHL, Canada Post or another.")
    tracking_number = StringField("Tracking number", validators=[Optional(), Length(max=TRACKING_MAX)],
                                  filters=TEXT, description="Leave empty for an untracked parcel.")
    submit = SubmitField("Mark shipped and e-mail the customer")


class BulkForm(FlaskForm):
    """The order list's actions on the ticked orders (inputs named `order`, valued "<number>:<version>")."""

    carrier = StringField("Carrier for all of them", validators=[Optional(), Length(max=CARRIER_MAX)], filters=TEXT,
                          description="Everything still to ship on each ticked order is marked shipped, untracked.")


class CancelForm(FlaskForm):
    version = _version()
    reason = TextAreaField("Reason for cancelling", validators=[DataRequired("Give a reason for cancelling."),
                                                                Length(max=REASON_MAX)], filters=FREE_TEXT)
    submit = SubmitField("Cancel this order")


class RefundForm(FlaskForm):
    # checked by shop.orders.refunds.refund (a missing or odd key is refused there, with a message shown)
    refund_key = HiddenField(default=lambda: secrets.token_urlsafe(16))
    mode = RadioField("Refund", choices=choices([("amount", "An amount"), ("lines", "Items (what was paid for them)")]),
                      default="amount", validators=[InputRequired("Choose an amount or items.")])
    amount = MoneyField("Amount to refund", filters=TEXT, description="In dollars, like 12.50.", message=AMOUNT_MESSAGE)
    reason = TextAreaField("Reason", validators=[DataRequired("Give a reason for the refund."),
                                                 Length(max=REASON_MAX)], filters=FREE_TEXT)
    submit = SubmitField("Refund")

    def validate_amount(self, field):
        if self.mode.data == "amount" and field.data is None and not field.errors:
            raise ValidationError(AMOUNT_MESSAGE)


def line_quantities(form_data, prefix, line_ids):
    """({line id: units}, {field name: error}) from inputs named `<prefix><line id>`; empty means 0."""
    quantities, errors = {}, {}
    for line_id in line_ids:
        name = f"{prefix}{line_id}"
        text = (form_data.get(name) or "").strip()
        if not text:
            continue
        if not is_whole_number(text) or int(text) > MAX_UNITS:
            errors[name] = "Enter a whole number of copies, 0 or more."
            continue
        quantities[line_id] = int(text)
    return quantities, errors
