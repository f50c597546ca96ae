"""What staff change on a phone draft while the caller waits: who is calling, the items, the address and
shipping, the code the caller quotes. Each change is one transaction (shop.phone.drafts.change)."""

from typing import Any

from shop.accounts.models import ROLE_CUSTOMER, Address, User
from shop.accounts.services import user_by_email
from shop.cart import services as cart_services
from shop.core import audit
from shop.core.emails import email_problem, normalize_email
from shop.extensions import db
from shop.orders.models import CHANNEL_PHONE, Order
from shop.phone.drafts import WHERE, Draft, ManyMatches, PhoneOrderError, change
from shop.phone.lookup import Caller, caller_by_key, find_products
from shop.promotions import codes as promo_codes
from shop.quote import ADDRESS_NEEDED
from shop.quote import apply_code as quote_apply_code
from shop.shipping.countries import COUNTRIES

ADDRESS_KEYS = ("name", "line1", "line2", "city", "region", "postal_code")
NEEDED_FOR_ADDRESS = tuple(need for need in ADDRESS_NEEDED if need[0] != "country")  # the country has a default


# ---- the caller --------------------------------------------------------------------------------------

def use_caller(draft: Draft, caller: Caller) -> Draft:
    """Put a found caller (shop.phone.lookup.Caller) on the order, with their address."""
    order = draft.order

    def work() -> None:
        order.user_id = caller.user_id
        order.email = (caller.email or "").strip().lower()
        order.customer_name = caller.name or ""
        order.phone = caller.phone or ""
        order.caller_phone = order.caller_phone or caller.phone or ""
        if caller.address:
            _set_address(order, caller.address)
        if not order.email:
            raise PhoneOrderError("This caller has no e-mail address: create them as a new customer.", "q")

    change(draft, work)
    draft.notice = " ".join(cart_services.problems(draft.cart, draft.owned, draft.held))
    return draft


def _set_address(order: Order, address: dict[str, str]) -> None:
    for name in ADDRESS_KEYS:
        setattr(order, f"ship_{name}", (address.get(name) or "").strip())
    country = (address.get("country") or "US").upper()
    order.ship_country = country if country in COUNTRIES else "US"
    if not order.ship_name:
        order.ship_name = order.customer_name


def create_customer(draft: Draft, staff: Any, *, name: str, email: str, phone: str,
                    address: dict[str, str]) -> Draft:
    """A new customer account (no password: they can set one with "forgot password"), used for this order."""
    email = normalize_email(email)
    problem = email_problem(email)
    if problem:
        raise PhoneOrderError(problem, "new_email")
    if user_by_email(email) is not None:
        raise PhoneOrderError("A customer with this e-mail exists already: find them by e-mail instead.",
                              "new_email", status=409)
    if not (name or "").strip():
        raise PhoneOrderError("Enter the customer's name.", "new_name")
    if any((address.get(k) or "").strip() for k, _ in NEEDED_FOR_ADDRESS):
        for key, label in NEEDED_FOR_ADDRESS:
            if not (address.get(key) or "").strip():
                raise PhoneOrderError(f"{label} is needed for the address (or leave the address empty).",
                                      f"new_{key}")
    user = User(email=email, password_hash=None, full_name=name.strip()[:200], phone=(phone or "").strip()[:40],
                role=ROLE_CUSTOMER)
    if (address.get("line1") or "").strip():
        user.addresses.append(Address(name=user.full_name, is_default=True, phone=user.phone,
                                      **{k: (address.get(k) or "").strip() for k in
                                         ("line1", "line2", "city", "region", "postal_code")},
                                      country=(address.get("country") or "US").upper()))
    db.session.add(user)
    db.session.flush()
    audit.record("customer_created", "user", user.id, f"Created by phone for order {draft.order.number}.",
                 actor=staff)
    caller = caller_by_key(f"user:{user.id}")
    assert caller is not None
    return use_caller(draft, caller)


# ---- items -------------------------------------------------------------------------------------------

def add_item(draft: Draft, quantity: int, product_id: int | None = None, text: str = "") -> Any:
    """Add by product id, or by an exact SKU or the only product matching `text`; ManyMatches otherwise."""
    if product_id is None:
        matches = find_products(text)
        if not matches:
            raise PhoneOrderError(f"No product has the SKU or title “{text.strip()[:100]}”.", "item", status=404)
        if len(matches) > 1:
            raise ManyMatches(text.strip(), matches)
        product_id = matches[0].id
    chosen = product_id
    return change(draft, lambda: cart_services.add(draft.cart, chosen, quantity, draft.owned, draft.held,
                                                   where=WHERE))


def set_quantity(draft: Draft, product_id: int, quantity: int) -> Any:
    return change(draft, lambda: cart_services.set_quantity(draft.cart, product_id, quantity, draft.owned,
                                                            draft.held, where=WHERE))


def remove_item(draft: Draft, product_id: int) -> Any:
    return change(draft, lambda: cart_services.remove(draft.cart, product_id))


# ---- shipping, code, notes ---------------------------------------------------------------------------

def update_details(draft: Draft, *, address: dict[str, str], shipping_code: str | None, caller_phone: str | None,
                   call_notes: str | None) -> Draft:
    order = draft.order

    def work() -> None:
        _set_address(order, address)
        order.shipping_method_code = (shipping_code or "")[:40]
        order.caller_phone = (caller_phone or "").strip()[:40]
        order.call_notes = (call_notes or "").strip()[:4000]

    change(draft, work)
    return draft


def apply_code(draft: Draft, staff: Any, text: str) -> str:
    """The promo code the caller quotes, checked as on the web (rate-limited per staff member); a message."""
    order = draft.order
    try:
        message = quote_apply_code(draft.cart, text, channel=CHANNEL_PHONE, email=order.email, user=draft.customer,
                                   visitor=f"staff-{staff.id}", country=order.ship_country or "US")
    except promo_codes.CodeError as error:
        raise PhoneOrderError(error.message, "code", status=error.status) from error
    change(draft, lambda: None)
    return message


def remove_code(draft: Draft, text: str) -> str | None:
    code = promo_codes.remove_code(draft.cart, text)
    change(draft, lambda: None)
    return code
