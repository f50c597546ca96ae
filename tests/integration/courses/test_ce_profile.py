"""The customer's CE profile page: the name as on the licence, the NCBTMB number, licences by state."""

import pytest

from shop.accounts import licences
from shop.accounts.models import Licence, User
from shop.extensions import db
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.support.forms import csrf_token, label_texts, log_in, main_of, post_form, text

URL = "/account/ce-profile"


@pytest.fixture
def customer(app, client):
    user = UserFactory()
    log_in(client, user.email, DEFAULT_PASSWORD)
    return user


def test_the_profile_page_labels_every_field(client, customer):
    response = client.get(URL)
    assert response.status_code == 200
    labels = label_texts(text(response))
    assert "Your name exactly as on your licence" in labels
    assert "State" in labels and "Licence number" in labels


def test_saving_the_name_and_ncbtmb_number(client, customer):
    response = post_form(client, URL, {"licence_name": "  Jordan   Q. Whitfield ", "ncbtmb_number": "123456-00"})
    assert response.status_code == 302
    user = db.session.get(User, customer.id)
    assert (user.licence_name, user.ncbtmb_number) == ("Jordan Q. Whitfield", "123456-00")


def test_a_bad_ncbtmb_number_comes_back_with_a_message(client, customer):
    response = post_form(client, URL, {"licence_name": "Jo", "ncbtmb_number": "12;DROP"})
    assert response.status_code == 422
    assert "Enter the number as printed" in main_of(text(response)).get_text()
    assert db.session.get(User, customer.id).ncbtmb_number == ""


def test_adding_changing_and_removing_a_licence(client, customer):
    assert post_form(client, f"{URL}/licences", {"state": "FL", "number": "MA12345"}, page=URL).status_code == 302
    assert post_form(client, f"{URL}/licences", {"state": "FL", "number": "MA 54321"}, page=URL).status_code == 302
    assert [(lic.state, lic.number) for lic in db.session.query(Licence).filter_by(user_id=customer.id)] == [
        ("FL", "MA 54321")]
    page = client.get(URL)
    assert "Florida" in main_of(text(page)).get_text()
    response = client.post(f"{URL}/licences/FL/remove", data={"csrf_token": csrf_token(text(page))})
    assert response.status_code == 302
    assert db.session.query(Licence).filter_by(user_id=customer.id).count() == 0


@pytest.mark.parametrize(("state", "number"), [("ZZ", "MA1"), ("", "MA1"), ("FL", ""), ("FL", "MA<script>"),
                                               ("FL", "x" * 41)])
def test_a_bad_licence_is_refused_with_the_form_again(client, customer, state, number):
    response = post_form(client, f"{URL}/licences", {"state": state, "number": number}, page=URL)
    assert response.status_code == 422
    assert main_of(text(response)).find(class_="field-error") is not None
    assert db.session.query(Licence).count() == 0


def test_removing_a_licence_that_is_not_there_is_404(client, customer):
    page = client.get(URL)
    response = client.post(f"{URL}/licences/TX/remove", data={"csrf_token": csrf_token(text(page))})
    assert response.status_code == 404


def test_the_profile_needs_a_login(client, app):
    response = client.get(URL)
    assert response.status_code == 302 and "/account/login" in response.headers["Location"]


def test_the_service_refuses_an_unknown_state(app):
    user = UserFactory()
    with pytest.raises(licences.LicenceError) as refused:
        licences.set_licence(user, "XX", "123")
    assert refused.value.field == "state"
