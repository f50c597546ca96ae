"""Users and roles in the back office (admins only), and the `flask create-user` command."""

from sqlalchemy import select

from shop.accounts.models import User
from shop.core import audit
from shop.extensions import db
from tests.factories import DEFAULT_PASSWORD, UserFactory
from tests.support.forms import log_in, post_form, text


def _audit(entity_type, entity_id):
    return audit.entries_for(entity_type, entity_id)[::-1]  # oldest first


# ---- users and roles ---------------------------------------------------------------------------------

def test_a_role_change_is_audited_and_shown_on_the_user_page(client, admin):
    pat = UserFactory(email="pat@example.com")
    response = post_form(client, f"/backoffice/users/{pat.id}/role", {"role": "staff"},
                         page=f"/backoffice/users/{pat.id}")
    assert response.status_code == 302
    db.session.expire_all()
    assert db.session.get(User, pat.id).role == "staff"
    [entry] = _audit("user", pat.id)
    assert (entry.action, entry.actor_id) == ("role changed", admin.id)
    assert entry.summary == "pat@example.com: customer → staff"
    page = text(client.get(f"/backoffice/users/{pat.id}"))
    assert "role changed" in page and "admin@example.com" in page
    assert post_form(client, f"/backoffice/users/{pat.id}/role", {"role": "wizard"},
                     page=f"/backoffice/users/{pat.id}").status_code == 422


def test_admins_cannot_lock_themselves_or_the_shop_out(client, admin):
    response = post_form(client, f"/backoffice/users/{admin.id}/role", {"role": "customer"},
                         page=f"/backoffice/users/{admin.id}")
    assert response.status_code == 409 and "your own role" in text(response)
    response = post_form(client, f"/backoffice/users/{admin.id}/deactivate", page=f"/backoffice/users/{admin.id}")
    assert response.status_code == 409
    assert db.session.get(User, admin.id).role == "admin" and db.session.get(User, admin.id).is_active_account


def test_a_deactivated_user_is_logged_out_and_cannot_log_in(app, client, admin):
    staff = UserFactory(role="staff", email="leaver@example.com")
    other = app.test_client()
    log_in(other, staff.email, DEFAULT_PASSWORD)
    assert other.get("/backoffice/").status_code == 200
    response = post_form(client, f"/backoffice/users/{staff.id}/deactivate", page=f"/backoffice/users/{staff.id}")
    assert response.status_code == 302
    assert other.get("/backoffice/").status_code == 302  # the session no longer counts: to the login page
    assert log_in(other, staff.email, DEFAULT_PASSWORD).status_code != 302
    assert [e.action for e in _audit("user", staff.id)] == ["deactivated"]
    post_form(client, f"/backoffice/users/{staff.id}/reactivate", page=f"/backoffice/users/{staff.id}")
    assert log_in(app.test_client(), staff.email, DEFAULT_PASSWORD).status_code == 302


def test_users_are_listed_and_searched(client, admin):
    UserFactory(email="jo.physio@example.com", full_name="Jo Physio")
    UserFactory(email="sam@example.com", role="marketing")
    page = text(client.get("/backoffice/users?q=physio"))
    assert "jo.physio@example.com" in page and "sam@example.com" not in page
    page = text(client.get("/backoffice/users?role=marketing"))
    assert "sam@example.com" in page and "jo.physio@example.com" not in page


def test_only_admins_manage_users_settings_and_shipping(app):
    for role in ("staff", "marketing", "admin"):
        client = app.test_client()
        user = UserFactory(role=role)
        log_in(client, user.email, DEFAULT_PASSWORD)
        for url in ("/backoffice/users", f"/backoffice/users/{user.id}", "/backoffice/settings",
                    "/backoffice/settings/shipping/new"):
            assert client.get(url).status_code == (200 if role == "admin" else 403), (role, url)


# ---- flask create-user ---------------------------------------------------------------------------------

def test_create_user_prompts_for_a_confirmed_password(app):
    result = app.test_cli_runner().invoke(args=["create-user", "--role", "admin", "Boss@Example.com"],
                                          input="river stone lantern\nriver stone lantern\n")
    assert result.exit_code == 0, result.output
    assert "river stone lantern" not in result.output  # the prompt hides what is typed
    boss = db.session.scalar(select(User).filter_by(email="boss@example.com"))
    assert boss.role == "admin" and boss.email_verified_at is not None
    from shop.accounts.passwords import verify_password

    assert verify_password(boss.password_hash, "river stone lantern")
    assert _audit("user", boss.id)[0].action == "created"


def test_create_user_reads_stdin_and_refuses_weak_passwords_and_duplicates(app):
    runner = app.test_cli_runner()
    result = runner.invoke(args=["create-user", "--role", "staff", "--password-stdin", "s@example.com"],
                           input="quiet harbour evening\n")
    assert result.exit_code == 0 and db.session.scalar(select(User.role).filter_by(email="s@example.com")) == "staff"
    duplicate = runner.invoke(args=["create-user", "--password-stdin", "s@example.com"], input="another good one\n")
    assert duplicate.exit_code != 0 and "already exists" in duplicate.output
    weak = runner.invoke(args=["create-user", "--password-stdin", "w@example.com"], input="short\n")
    assert weak.exit_code != 0 and "at least 10 characters" in weak.output
    mismatch = runner.invoke(args=["create-user", "m@example.com"], input="first phrase here\nsecond phrase here\n")
    assert mismatch.exit_code != 0
    bad_role = runner.invoke(args=["create-user", "--role", "king", "--password-stdin", "k@example.com"],
                             input="royal decree today\n")
    assert bad_role.exit_code != 0
    assert db.session.scalar(select(User).filter(User.email.in_(["w@example.com", "m@example.com",
                                                                  "k@example.com"]))) is None
