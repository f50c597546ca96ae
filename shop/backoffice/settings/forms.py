"""The settings room's forms: the shop's settings, and a shipping method."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, NumberRange, Optional

from shop.core.forms import FREE_TEXT, TEXT, MoneyField, choices
from shop.shipping.countries import REGIONS

REGION_LABELS = {"domestic": "United States", "canada": "Canada", "international": "International"}


class SettingsForm(FlaskForm):
    staff_refund_limit = MoneyField("Largest refund staff may give (US dollars)", filters=TEXT,
                                    description="Refunds above this need an admin.",
                                    validators=[InputRequired("Enter an amount, like 100.00.")])
    low_stock_threshold = IntegerField("Default low-stock threshold (copies)",
                                       description="Books at or below this are flagged to reorder, "
                                                   "unless the book has its own threshold.",
                                       validators=[InputRequired("Enter a number of copies."),
                                                   NumberRange(0, 100_000, "From 0 to 100000.")])
    require_staff_two_factor = BooleanField("Require two-factor sign-in for staff")
    submit = SubmitField("Save settings")


class ShippingMethodForm(FlaskForm):
    code = StringField("Code", filters=TEXT, description="Lower-case letters, digits and dashes; fixed once saved.",
                       validators=[Optional(), Length(max=40)])
    name = StringField("Name", filters=FREE_TEXT, validators=[DataRequired("Enter a name."), Length(max=120)])
    region = SelectField("Region", choices=choices((r, REGION_LABELS[r]) for r in REGIONS))
    price = MoneyField("Price (US dollars)", filters=TEXT, validators=[InputRequired("Enter the price, like 5.95.")])
    free_over = MoneyField("Free for orders over (US dollars, optional)", filters=TEXT, validators=[Optional()])
    delivery_estimate = StringField("Delivery estimate", filters=TEXT, validators=[Optional(), Length(max=120)],
                                    description="e.g. 5–8 business days")
    position = IntegerField("Position", default=0, validators=[Optional(), NumberRange(-9999, 9999)])
    is_active = BooleanField("Offered at checkout", default=True)
    submit = SubmitField("Save shipping method")
