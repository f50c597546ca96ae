"""The demo's people: one account for each kind of user, with a known password, made as `flask create-user`
makes accounts (shop.accounts.admin.create_user: the password rules, Argon2id, a verified address, audited).

An account that exists already is left as it is (its password too, if its owner changed it).
"""

from dataclasses import dataclass

from shop.accounts import addresses
from shop.accounts import admin as users_admin
from shop.accounts.models import ROLE_ADMIN, ROLE_CUSTOMER, ROLE_MARKETING, ROLE_STAFF, User
from shop.accounts.services import user_by_email


@dataclass(frozen=True)
class DemoAccount:
    role: str
    email: str
    password: str
    full_name: str
    start_at: str  # the page to open first after signing in


STAFF = DemoAccount(ROLE_STAFF, "staff@softtissuerelease.example", "try-the-phone-desk", "Sam Ortega",
                    "/backoffice/")
MARKETING = DemoAccount(ROLE_MARKETING, "marketing@softtissuerelease.example", "try-the-promotions",
                        "Morgan Lee", "/marketing/promotions")
ADMIN = DemoAccount(ROLE_ADMIN, "admin@softtissuerelease.example", "try-the-admin-room", "Alex Kim",
                    "/backoffice/users")
CUSTOMER = DemoAccount(ROLE_CUSTOMER, "customer@example.com", "try-the-courses", "Jamie Rivera", "/account")
ACCOUNTS = (STAFF, MARKETING, ADMIN, CUSTOMER)

# where the demo customer lives: the phone order ships the book here, and checkout offers it
CUSTOMER_ADDRESS = {"name": CUSTOMER.full_name, "line1": "48 Larkspur Lane", "line2": "Suite 2",
                    "city": "Asheville", "region": "NC", "postal_code": "28801", "country": "US",
                    "phone": "828 555 0147"}


@dataclass(frozen=True)
class SeededAccount:
    account: DemoAccount
    user: User
    created: bool  # False: it was there already, left as it was


def ensure_account(account: DemoAccount) -> SeededAccount:
    """The account with this address, created with its demo password and role if there is none."""
    user = user_by_email(account.email)
    if user is not None:
        return SeededAccount(account, user, created=False)
    user = users_admin.create_user(account.email, account.password, account.role, account.full_name)
    return SeededAccount(account, user, created=True)


def ensure_customer_address(user: User) -> None:
    """The demo customer's address, unless they have one (saved as on the account's address page)."""
    if not user.addresses:
        addresses.save_address(user, CUSTOMER_ADDRESS, make_default=True)


def ensure_accounts() -> dict[str, SeededAccount]:
    """{role: the seeded account} for staff, marketing, admin and the customer."""
    seeded = {account.role: ensure_account(account) for account in ACCOUNTS}
    ensure_customer_address(seeded[ROLE_CUSTOMER].user)
    return seeded
