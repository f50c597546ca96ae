"""The form for one state's or province's sales tax."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, StringField, SubmitField
from wtforms.validators import DataRequired, Length, Optional

from shop.core.forms import FREE_TEXT, TEXT
from shop.tax.rules import NAME_MAX


class TaxRateForm(FlaskForm):
    rate = StringField("Rate (%)", filters=TEXT,
                       validators=[DataRequired("Enter the rate as a percentage, like 7.25."), Length(max=12)],
                       description="Up to three decimals, like 6.875. The state's base rate the shop collects.")
    name = StringField("Name on receipts", filters=FREE_TEXT, validators=[Optional(), Length(max=NAME_MAX)],
                       description="For example “Ohio sales tax”. Left empty, the state's name is used.")
    taxes_shipping = BooleanField("Shipping is taxed")
    taxes_digital = BooleanField("Online courses and the membership are taxed")
    submit = SubmitField("Save rate")


class RemoveRateForm(FlaskForm):
    submit = SubmitField("Stop collecting tax here")
