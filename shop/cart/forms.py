"""Cart forms: product and quantity only. Nothing price-like is ever read from a form."""

from flask_wtf import FlaskForm
from wtforms import IntegerField
from wtforms.validators import InputRequired, NumberRange


class AddToCartForm(FlaskForm):
    product_id = IntegerField("Product", validators=[InputRequired(message="Choose a product.")])
    quantity = IntegerField("Quantity", default=1,
                            validators=[NumberRange(min=1, max=99, message="Choose a quantity from 1 to 99.")])


class UpdateQuantityForm(FlaskForm):
    product_id = IntegerField("Product", validators=[InputRequired(message="Choose a product.")])
    quantity = IntegerField("Quantity", validators=[
        InputRequired(message="Enter a quantity."),
        NumberRange(min=0, max=99, message="Choose a quantity from 0 (remove) to 99."),
    ])


class RemoveForm(FlaskForm):
    product_id = IntegerField("Product", validators=[InputRequired(message="Choose a product.")])
