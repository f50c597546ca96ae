"""The one writer of an order's lines and totals: a pricing Breakdown, frozen onto the order.

Web checkout writes them once when the order is placed; a phone draft writes them again on every change
while the call lasts. Either way each line keeps its own snapshot of SKU, title and price, so editing a
product never alters an order.
"""

from typing import Any

from sqlalchemy import select

from shop.catalogue.signals import product_in_use
from shop.extensions import db
from shop.orders.models import FULFILMENT_NOT_NEEDED, FULFILMENT_UNFULFILLED, Order, OrderLine, StockReservation
from shop.pricing.types import Breakdown

TOTALS = ("subtotal_cents", "discount_cents", "shipping_cents", "tax_cents", "total_cents", "currency",
          "requires_shipping")


def write(order: Order, breakdown: Breakdown) -> Order:
    """Replace the order's lines, totals, shipping method and pricing snapshot with this breakdown's."""
    order.lines.clear()
    for priced in breakdown.lines:
        line = priced.line
        order.lines.append(OrderLine(
            product_id=line.product_id, sku=line.sku, title=line.title, kind=line.kind,
            is_physical=line.is_physical, unit_price_cents=line.unit_price_cents, quantity=line.quantity,
            subtotal_cents=priced.subtotal_cents, discount_cents=priced.discount_cents, tax_cents=priced.tax_cents,
            total_cents=priced.total_cents))
    for name in TOTALS:
        setattr(order, name, getattr(breakdown, name))
    order.shipping_tax_cents = breakdown.shipping_tax_cents
    order.tax_country = breakdown.tax.country if breakdown.tax else ""
    order.tax_region = breakdown.tax.region if breakdown.tax else ""
    order.fulfilment_status = FULFILMENT_UNFULFILLED if breakdown.requires_shipping else FULFILMENT_NOT_NEEDED
    rate = breakdown.shipping if breakdown.requires_shipping else None
    order.shipping_method_code = rate.code if rate else ""
    order.shipping_method_name = rate.name if rate else ""
    order.pricing_snapshot = dict(breakdown.snapshot())
    return order


@product_in_use.connect
def _orders_refer_to(product_id: int, **_: Any) -> bool:
    for model in (OrderLine, StockReservation):
        if db.session.scalar(select(model.id).where(model.product_id == product_id).limit(1)) is not None:
            return True
    return False
