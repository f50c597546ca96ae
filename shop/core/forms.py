"""Form pieces every area shares: the text filter, the e-mail rule, dollar amounts, checkbox lists, a
confirm button. Forms check the shape of what was typed; services judge the rules."""

from collections.abc import Iterable
from typing import Any

from flask_wtf import FlaskForm
from wtforms import Field, Form, SelectMultipleField, StringField, SubmitField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import ValidationError
from wtforms.widgets import CheckboxInput, ListWidget

from shop.core.emails import email_problem, normalize_email
from shop.core.text import clean_stripped
from shop.money import MoneyError, format_cents, parse_money

TEXT = [clean_stripped]  # the filters of every typed field: no control characters, no surrounding spaces
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
        if text:
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
