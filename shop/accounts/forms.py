"""Account forms. Every one carries a CSRF token (Flask-WTF); labels are what the page shows."""

from flask_wtf import FlaskForm
from wtforms import BooleanField, EmailField, PasswordField, SelectField, StringField, SubmitField
from wtforms.validators import DataRequired, InputRequired, Length, Optional

from shop.accounts.addresses import ADDRESS_FIELDS
from shop.accounts.consent import BOX_LABEL
from shop.core.emails import normalize_email
from shop.core.forms import FREE_TEXT, TEXT, EmailAddress, choices
from shop.shipping.countries import country_choices


def _email_field(new=True):
    """The e-mail field: a new address (registering) must meet the shop's rule; one typed to log in or to
    reset a password is only normalised, so an account made before the rule can still get in."""
    validators = [InputRequired("Enter your email address."), Length(max=254)]
    return EmailField("Email", validators=[*validators, EmailAddress()] if new else validators,
                      filters=[*TEXT, normalize_email])


class LoginForm(FlaskForm):
    email = _email_field(new=False)
    password = PasswordField("Password", validators=[InputRequired("Enter your password."), Length(max=1000)])
    remember = BooleanField("Keep me logged in on this device")
    submit = SubmitField("Log in")


class RegisterForm(FlaskForm):
    full_name = StringField("Full name", filters=FREE_TEXT,
                            validators=[DataRequired("Enter your name."), Length(max=200)])
    email = _email_field()
    password = PasswordField("Password", description="At least 10 characters. A few words in a row work well.",
                             validators=[InputRequired("Choose a password."), Length(max=1000)])
    marketing_consent = BooleanField(BOX_LABEL, default=False)  # unticked unless the visitor ticks it
    submit = SubmitField("Register")


class ForgotPasswordForm(FlaskForm):
    email = _email_field(new=False)
    submit = SubmitField("Send me a reset link")


class ResetPasswordForm(FlaskForm):
    password = PasswordField("New password", description="At least 10 characters.",
                             validators=[InputRequired("Choose a new password."), Length(max=1000)])
    submit = SubmitField("Save my new password")


class ChangePasswordForm(FlaskForm):
    current_password = PasswordField("Current password", validators=[InputRequired("Enter your current password."),
                                                                     Length(max=1000)])
    password = PasswordField("New password", description="At least 10 characters. A few words in a row work well.",
                             validators=[InputRequired("Choose a new password."), Length(max=1000)])
    submit = SubmitField("Change my password")


class AddressForm(FlaskForm):
    name = StringField("Full name", filters=FREE_TEXT,
                       validators=[DataRequired("Enter the name to ship to."), Length(max=200)])
    line1 = StringField("Street address", filters=FREE_TEXT,
                        validators=[DataRequired("Enter the street address."), Length(max=200)])
    line2 = StringField("Apartment, suite, unit (optional)", filters=FREE_TEXT,
                        validators=[Optional(), Length(max=200)])
    city = StringField("City", filters=TEXT, validators=[DataRequired("Enter the city."), Length(max=120)])
    region = StringField("State, province or region", filters=TEXT, validators=[Optional(), Length(max=120)])
    postal_code = StringField("ZIP or postal code", filters=TEXT, validators=[Optional(), Length(max=20)])
    country = SelectField("Country", choices=choices(country_choices()),
                          default="US",
                          validators=[DataRequired("Choose a country.")])
    phone = StringField("Phone (optional)", filters=TEXT, validators=[Optional(), Length(max=40)])
    is_default = BooleanField("Make this my default address")
    submit = SubmitField("Save address")

    def data_for_service(self):
        return {name: getattr(self, name).data or "" for name in ADDRESS_FIELDS}


# ---- two-factor sign-in and asking for the password again -----------------------------------------

CODE_HINT = "The 6-digit code your authenticator app shows, or one of your recovery codes."


class TwoFactorCodeForm(FlaskForm):
    """The login's second step, and renewing the recovery codes."""

    code = StringField("Code", description=CODE_HINT, filters=TEXT,
                       validators=[InputRequired("Enter the code from your app, or a recovery code."),
                                   Length(max=40, message="A code is at most 40 characters.")])
    submit = SubmitField("Continue")


class TwoFactorSetupForm(FlaskForm):
    code = StringField("Code from the app", description="The 6 digits your app shows for this shop.", filters=TEXT,
                       validators=[InputRequired("Enter the 6-digit code your app shows."),
                                   Length(max=40, message="A code is at most 40 characters.")])
    submit = SubmitField("Turn on two-factor sign-in")


class TwoFactorDisableForm(FlaskForm):
    password = PasswordField("Your password", validators=[InputRequired("Enter your password."), Length(max=1000)])
    code = StringField("Code", description=CODE_HINT, filters=TEXT,
                       validators=[InputRequired("Enter the code from your app, or a recovery code."),
                                   Length(max=40, message="A code is at most 40 characters.")])
    submit = SubmitField("Turn off two-factor sign-in")


class ReauthForm(FlaskForm):
    """The password again, beside a sensitive action's own form (shop.accounts.reauth)."""

    reauth_password = PasswordField("Your password", validators=[Optional(), Length(max=1000)],
                                    description="Asked again for this action unless you gave it in the last "
                                                "5 minutes.")
