"""Form pieces every area shares: the text filter, the e-mail rule, dollar amounts, checkbox lists, a
confirm button. Forms check the shape of what was typed; services judge the rules."""

import math
from collections.abc import Iterable
from typing import Any

from flask_wtf import FlaskForm
from werkzeug.datastructures import FileStorage, MultiDict
from wtforms import Field, FileField, Form, MultipleFileField, SelectMultipleField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import NumberRange, ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from shop.core.emails import email_problem, normalize_email
from shop.core.text import clean_stripped, redact_card_numbers, refuse_card_numbers
from shop.money import MoneyError, format_cents, parse_money

# The filters of every structured typed field (SKUs, phone numbers, cities, postal codes, codes, tracking numbers):
# no control characters, no surrounding spaces, and a card number typed there refused with a message (rewriting
# it would spoil the field).
TEXT = [clean_stripped, refuse_card_numbers]
# ... and of free text (notes, reasons, comments, descriptions, names, address lines), where a card number read out
# by a caller or pasted by mistake may land: it is replaced before it is saved, and the rest of the text kept.
FREE_TEXT = [clean_stripped, redact_card_numbers]
MONEY_MESSAGE = "Enter an amount in dollars and cents, like 19.95."


def choices(pairs: Iterable[tuple[Any, str]]) -> list[SelectChoice]:
    """[(value, label)] -> SelectChoice objects (tuples are deprecated in WTForms 3.3)."""
    return [SelectChoice(value, label) for value, label in pairs]


class EmailAddress:
    """Validator: the shop's e-mail rule (shop.core.emails); the field's data becomes the stored form."""

    def __init__(self, message: str | None = None) -> None:
        self.message = message

    def __call__(self, form: Form, field: Field) -> None:
        if field.data in (None, ""):
            return
        problem = email_problem(field.data)
        if problem:
            raise ValidationError(self.message or problem)
        field.data = normalize_email(field.data)


class MoneyField(StringField):
    """Dollars and cents typed as text ("19.95", "$20"); `data` is integer cents, or None when left empty."""

    def __init__(self, label: str | None = None, validators: Any = None, message: str = MONEY_MESSAGE,
                 **kwargs: Any) -> None:
        super().__init__(label, validators, **kwargs)
        self.money_message = message

    def process_formdata(self, valuelist: list[Any]) -> None:
        text = str(valuelist[0] if valuelist else "").strip()
        self.data = None
        if not text:
            self.raw_data = []  # spaces are no amount: InputRequired refuses them as it refuses an empty field
        else:
            try:
                self.data = parse_money(text)
            except MoneyError:
                raise ValueError(self.money_message) from None

    def _value(self) -> str:
        if self.raw_data:
            return str(self.raw_data[0])
        return format_cents(self.data, "").replace(",", "") if isinstance(self.data, int) else ""


class MultiCheckboxField(SelectMultipleField):
    """A list of checkboxes for a multiple choice."""

    widget = ListWidget(prefix_label=False)
    option_widget = CheckboxInput()


class ConfirmForm(FlaskForm):
    """A button and a CSRF token: log out, delete an address, retire a product, deactivate a user..."""

    submit = SubmitField("Confirm")


_library_formdata = FlaskForm.Meta.wrap_formdata


def _browser_formdata(meta: Any, form: Form, formdata: Any) -> Any:
    """What the form reads of a post: text, as a browser sends it, and files only in file fields.

    Flask-WTF hands a form the uploaded files beside the text fields, and a JSON body's values as they
    are, so a file posted as an e-mail address or a number posted as a name met filters and validators
    made for text (a 500). Here a JSON number becomes its text, other values are left out as if not sent.
    """
    try:
        wrapped = _library_formdata(meta, form, formdata)
    except (TypeError, ValueError):  # a JSON body that is not an object
        return MultiDict()
    if wrapped is None or not hasattr(wrapped, "getlist"):
        return wrapped
    file_fields = {field.name for field in form if isinstance(field, FileField | MultipleFileField)}
    cleaned = MultiDict()
    for name, value in wrapped.items(multi=True):
        if isinstance(value, FileStorage):
            if name in file_fields:
                cleaned.add(name, value)
        elif isinstance(value, str):
            cleaned.add(name, value)
        elif isinstance(value, int | float) and not isinstance(value, bool):
            cleaned.add(name, str(value))
    return cleaned


FlaskForm.Meta.wrap_formdata = _browser_formdata  # every form of the shop (they all subclass FlaskForm)


_library_number_range = NumberRange.__call__


def _finite_number_range(validator: NumberRange, form: Form, field: Field) -> None:
    """NumberRange, but a number no float can hold (a 400-digit whole number, Decimal("sNaN")) is out of
    range: WTForms' own check turns it into a float first and fails with a 500."""
    if field.data is not None:
        try:
            finite = math.isfinite(field.data)
        except (OverflowError, ValueError, TypeError):
            finite = False
        if not finite:
            low, high = validator.min, validator.max
            raise ValidationError(validator.message or f"Enter a number from {low} to {high}.")
    _library_number_range(validator, form, field)


NumberRange.__call__ = _finite_number_range  # every NumberRange of the shop's forms
