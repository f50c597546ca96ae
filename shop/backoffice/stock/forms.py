"""The stock room's form: a movement with its reason."""

from flask_wtf import FlaskForm
from wtforms import IntegerField, SelectField, StringField, SubmitField
from wtforms.validators import InputRequired, Length, NumberRange, Optional

from shop.catalogue.models import MOVEMENT_CORRECTION, MOVEMENT_DAMAGED, MOVEMENT_RECEIVED
from shop.core.forms import FREE_TEXT, choices

STOCK_REASONS = (
    (MOVEMENT_RECEIVED, "Received (adds copies)"),
    (MOVEMENT_DAMAGED, "Damaged or lost (removes copies)"),
    (MOVEMENT_CORRECTION, "Correction after a count (add or remove)"),
)


class StockForm(FlaskForm):
    reason = SelectField("Reason", choices=choices(STOCK_REASONS))
    quantity = IntegerField("Copies", description="For a correction, a negative number removes copies.",
                            validators=[InputRequired("Enter how many copies."),
                                        NumberRange(-100_000, 100_000, "Enter a number of copies.")])
    note = StringField("Note (optional)", filters=FREE_TEXT, validators=[Optional(), Length(max=500)])
    submit = SubmitField("Record movement")
