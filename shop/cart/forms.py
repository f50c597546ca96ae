"""Cart forms: product and quantity, and promo codes. Nothing price-like is ever read from a form."""

from flask_wtf import FlaskForm
from wtforms import HiddenField, IntegerField, StringField
from wtforms.validators import InputRequired, Length, NumberRange

MAX_ID = 2**31 - 1


def _product_field():
    return IntegerField("Product", validators=[
        InputRequired(message="Choose a product."),
        NumberRange(min=1, max=MAX_ID, message="That product does not exist."),
    ])


class AddToCartForm(FlaskForm):
    product_id = _product_field()
    quantity = IntegerField("Quantity", default=1,
                            validators=[NumberRange(min=1, max=99, message="Choose a quantity from 1 to 99.")])


class UpdateQuantityForm(FlaskForm):
    product_id = _product_field()
    quantity = IntegerField("Quantity", validators=[
        InputRequired(message="Enter a quantity."),
        NumberRange(min=0, max=99, message="Choose a quantity from 0 (remove) to 99."),
    ])


class RemoveForm(FlaskForm):
    product_id = _product_field()


class PromoCodeForm(FlaskForm):
    """A promo code to apply or remove; `next` says which page it came from (the cart or checkout)."""

    code = StringField("Promo code", validators=[Length(max=200, message="That code is too long.")])
    next = HiddenField()
