"""The common-password list is a real one of 30,000 leaked passwords (zxcvbn's, shipped in the repo), loaded
once as a frozenset and compared case-insensitively; a long passphrase is still welcome."""

import pytest

from shop.accounts import passwords
from tests.support.forms import post_form


def test_the_common_password_list_holds_at_least_ten_thousand_passwords_loaded_once_as_a_frozenset():
    assert isinstance(passwords.COMMON_PASSWORDS, frozenset)
    assert len(passwords.COMMON_PASSWORDS) >= 10_000
    assert passwords._load_common_passwords() == passwords.COMMON_PASSWORDS  # the shipped file is what is loaded
    assert {"123456", "password", "qwerty", "dragon", "letmein"} <= passwords.COMMON_PASSWORDS


@pytest.mark.parametrize("password", ["1q2w3e4r5t6y", "Manchester", "TERMINATOR", "playstation", "qazwsxedcrfv",
                                      "1234567890", "Password123", "  TinkerBell  "])
def test_famous_common_passwords_are_refused_whatever_their_case(password):
    assert passwords.password_problem(password) == (
        "That password is one of the most common ones. Choose something less easy to guess.")


@pytest.mark.parametrize("password", ["blue kettle morning", "correct horse battery staple",
                                      "Myofascial release on a rainy Tuesday"])
def test_a_long_passphrase_is_accepted(password):
    assert passwords.password_problem(password, "pat@example.com") is None


def test_registering_with_a_listed_password_is_refused_with_the_reason(client):
    response = post_form(client, "/account/register", {"full_name": "Pat Lee", "email": "pat@example.com",
                                                       "password": "Sojdlg123aljg"})
    assert response.status_code == 422 and "most common" in response.get_data(as_text=True)
