"""The checkout form. It carries who and where; what things cost is never read from it."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, HiddenField, PasswordField, RadioField, SelectField, StringField, TelField
from wtforms.validators import InputRequired, Length, Optional

from shop.accounts.consent import BOX_LABEL
from shop.core.forms import FREE_TEXT, TEXT, EmailAddress, choices
from shop.shipping.countries import country_choices


class CheckoutForm(FlaskForm):
    email = EmailField("Email", filters=TEXT, validators=[InputRequired(message="Enter your email address."),
                                                          Length(max=254), EmailAddress()])
    full_name = StringField("Full name", filters=FREE_TEXT,
                            validators=[InputRequired(message="Enter your name."), Length(max=200)])
    phone = TelField("Phone (optional)", filters=TEXT, validators=[Optional(), Length(max=40)])
    password = PasswordField("Password (optional: creates an account to find your courses later)",
                             validators=[Optional(), Length(max=200)])
    marketing_consent = BooleanField(BOX_LABEL, default=False)  # unticked unless the customer ticks it
    ship_line1 = StringField("Address", filters=FREE_TEXT, validators=[Optional(), Length(max=200)])
    ship_line2 = StringField("Apartment, suite, etc. (optional)", filters=FREE_TEXT,
                             validators=[Optional(), Length(max=200)])
    ship_city = StringField("City", filters=TEXT, validators=[Optional(), Length(max=120)])
    ship_region = StringField("State / province", filters=TEXT, validators=[Optional(), Length(max=120)])
    ship_postal_code = StringField("ZIP / postal code", filters=TEXT, validators=[Optional(), Length(max=20)])
    ship_country = SelectField("Country", choices=choices(country_choices()),
                               default="US")
    shipping_method = RadioField("Shipping method", choices=[], validate_choice=False)
    payment_method_id = HiddenField(validators=[Optional(), Length(max=120)])
    checkout_token = HiddenField(validators=[InputRequired(message="Please reload the checkout page."),
                                             Length(min=16, max=64)])

    def address(self):
        return {name: (getattr(self, f"ship_{name}").data or "").strip()
                for name in ("line1", "line2", "city", "region", "postal_code", "country")}
