"""The demo that opens every door: what `flask seed-demo` adds in development after the demo catalogue.

- an account for each kind of user (staff, marketing, admin and a customer), each with a known password
  (shop.demo.people);
- live promotions: a seasonal sale on the special offers page, a code for the cart, a phone-only offer
  (shop.demo.offers);
- the demo customer's paid phone order and a course in progress (shop.demo.orders);
- a sales-tax rate for Ohio (shop.demo.taxes).

Everything goes through the shop's own services, and running it again adds nothing. Only in development:
the known passwords must never exist in production, nor in the test settings (`seed(development=False)` does
nothing and says so).
"""

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from flask import current_app

from shop.accounts.models import ROLE_ADMIN, ROLE_CUSTOMER, ROLE_STAFF
from shop.courses.progress import CourseProgress
from shop.demo import offers, orders, people, taxes
from shop.money import format_cents
from shop.orders.models import Order
from shop.promotions.admin import describe


@dataclass(frozen=True)
class Seeded:
    accounts: list[people.SeededAccount]
    promotions: list[offers.SeededPromotion]
    order: Order
    order_created: bool
    course_title: str
    course_progress: CourseProgress
    tax_rates: tuple[str, ...] = ()


def is_development(config: Mapping[str, Any]) -> bool:
    """Whether these settings are development's: DEV_MAILBOX is on only there (config.DevelopmentConfig; it is
    not read from the environment, so production cannot turn it on), and never under the test settings."""
    return bool(config.get("DEV_MAILBOX")) and not config.get("TESTING")


def seed(*, development: bool, timezone: str | None = None) -> Seeded | None:
    """Add the demo people, promotions, order and course progress (development only; None otherwise). Dates
    are in `timezone`, by default the shop's (SHOP_TIMEZONE)."""
    if not development:
        return None
    timezone = timezone or current_app.config["SHOP_TIMEZONE"]
    accounts = people.ensure_accounts()
    promotions = offers.ensure_promotions(timezone)
    tax_rates = tuple(taxes.ensure_rates(accounts[ROLE_ADMIN].user))
    customer = accounts[ROLE_CUSTOMER].user
    order, created = orders.ensure_paid_order(customer, accounts[ROLE_STAFF].user)
    course = orders.demo_course()
    return Seeded(accounts=list(accounts.values()), promotions=promotions, order=order, order_created=created,
                  course_title=course.title, course_progress=orders.ensure_course_progress(customer, course),
                  tax_rates=tax_rates)


def _table(rows: list[tuple[str, ...]]) -> list[str]:
    widths = [max(len(row[column]) for row in rows) for column in range(len(rows[0]))]
    lines = ["  " + "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip()
             for row in rows]
    lines.insert(1, "  " + "  ".join("-" * width for width in widths))
    return lines


def summary_lines(seeded: Seeded, base_url: str, timezone: str) -> list[str]:
    """What `flask seed-demo` prints: the accounts and the promotions as tables, the customer's order and course."""
    rows = [("Role", "E-mail", "Password", "Start at", "")]
    rows += [(entry.account.role, entry.account.email, entry.account.password, entry.account.start_at,
              "new" if entry.created else "already there") for entry in seeded.accounts]
    lines = ["", f"Demo accounts (development only): sign in at {base_url}/account/login", *_table(rows), ""]
    rows = [("Live promotion", "Gives", "Until", "Where", "")]
    rows += [(entry.promotion.name, describe(entry.promotion), offers.last_day(entry.promotion, timezone), entry.where,
              "new" if entry.created else "already there") for entry in seeded.promotions]
    lines += [*_table(rows), "", f"Promo code to type in the cart: {offers.CODE}", ""]
    order, done = seeded.order, seeded.course_progress
    lines += [f"Demo customer's order {order.number}: {order.status_label.lower()}, "
              f"{format_cents(order.total_cents)} by check ({'new' if seeded.order_created else 'already there'})",
              f"Demo customer's course in progress: {seeded.course_title}, {done.done} of {done.total} lessons done",
              f"Sales tax collected: {', '.join(seeded.tax_rates) or 'nowhere'} (other destinations: none)",
              ""]
    return lines
