"""A receipt as a one- or two-page PDF (portrait US Letter, fpdf2): what a therapist files for CE expenses and
taxes. It prints what the receipt page shows (shop.orders.receipt.Receipt): the shop's name, address and tax
registration, the order number and dates, the customer, the lines with discounts and tax, the totals, how it
was paid, and each refund with the net paid."""

from typing import Any

from shop.core.pdf import Document
from shop.core.timeutil import to_shop_time
from shop.money import format_cents
from shop.orders.receipt import Receipt

ACCENT = (22, 78, 99)
INK = (33, 37, 41)
MUTED = (90, 96, 102)
WIDTH = 179.8  # Letter (215.9 mm) less two 18 mm margins, rounded down


class _Receipt(Document):
    def __init__(self, footer_text: str) -> None:
        super().__init__()
        self.footer_text = footer_text
        self.set_margins(18, 16, 18)
        self.set_auto_page_break(True, margin=18)

    def footer(self) -> None:
        self.set_y(-14)
        self.set_font(self.family, "", 8)
        self.set_text_color(*MUTED)
        self.cell(0, 5, self.text_of(f"{self.footer_text} · page {self.page_no()}"), align="C")

    def words(self, text: str, size: float = 10, style: str = "", color: tuple[int, int, int] = INK,
              align: str = "L") -> None:
        self.set_font(self.family, style, size)
        self.set_text_color(*color)
        self.multi_cell(0, size * 0.48, self.text_of(text), align=align, new_x="LMARGIN", new_y="NEXT")

    def heading(self, text: str) -> None:
        self.ln(3)
        self.words(text, 11.5, "B", ACCENT)
        self.ln(1)

    def rows(self, widths: tuple[float, ...], header: tuple[str, ...] | None, rows: list[tuple[str, ...]],
             right: tuple[int, ...] = ()) -> None:
        self.set_font(self.family, "", 9)
        self.set_text_color(*INK)
        aligns = tuple("RIGHT" if i in right else "LEFT" for i in range(len(widths)))
        with self.table(col_widths=widths, width=WIDTH, text_align=aligns, line_height=4.6, padding=1,
                        borders_layout="HORIZONTAL_LINES", first_row_as_headings=header is not None) as table:
            for row in ((header,) if header else ()) + tuple(rows):
                cells = table.row()
                for value in row:
                    cells.cell(self.text_of(value))


def _when(value: Any, tz_name: str) -> str:
    local = to_shop_time(value, tz_name)
    return f"{local:%B} {local.day}, {local.year}" if local else ""


def render(receipt: Receipt, *, shop_name: str, shop_address: list[str], tax_id: str, contact: str,
           tz_name: str) -> bytes:
    order = receipt.order
    pdf = _Receipt(f"{shop_name} · receipt for order {order.number}")
    pdf.set_title(pdf.text_of(f"Receipt for order {order.number}"))
    pdf.set_author(pdf.text_of(shop_name))
    pdf.add_page()
    pdf.words(shop_name, 15, "B", ACCENT)
    for line in shop_address:
        pdf.words(line, 9.5, color=MUTED)
    pdf.words(contact, 9.5, color=MUTED)
    if tax_id:
        pdf.words(f"Sales tax registration: {tax_id}", 9.5, color=MUTED)
    pdf.ln(4)
    pdf.words("Receipt" if receipt.is_receipt else "Order summary (not a receipt: not paid)", 20, "B")
    pdf.words(f"Order {order.number} · placed {_when(order.placed_at, tz_name)}"
              + (f" · paid {_when(order.paid_at, tz_name)}" if order.paid_at else ""), 10)
    pdf.words(f"Status: {order.status_label}", 10, color=MUTED)

    pdf.heading("Customer")
    pdf.words(" · ".join(p for p in (order.customer_name, order.email, order.phone) if p), 10)
    if order.requires_shipping:
        pdf.words("Shipped to: " + ", ".join(order.shipping_address_lines), 10)

    pdf.heading("Items")
    pdf.rows((84, 14, 27, 27, 27.8), ("Item", "Qty", "Price", "Discount", "Total"),
             [(f"{line.title}{' (online)' if line.online else ''}", str(line.quantity),
               format_cents(line.unit_price_cents), format_cents(-line.discount_cents) if line.discount_cents else "",
               format_cents(line.total_cents)) for line in receipt.lines], right=(1, 2, 3, 4))
    pdf.ln(2)
    totals = [("Subtotal", format_cents(order.subtotal_cents))]
    totals += [(name, format_cents(-cents)) for name, cents in receipt.discounts]
    if order.requires_shipping:
        totals.append((f"Shipping ({order.shipping_method_name})", format_cents(order.shipping_before_offers_cents)))
    if order.tax_cents:
        totals.append((receipt.tax_label, format_cents(order.tax_cents)))
    totals.append(("Total", format_cents(order.total_cents)))
    pdf.rows((140, 39.8), None, totals, right=(1,))

    if receipt.payments:
        pdf.heading("Paid")
        pdf.rows((50, 90, 39.8), ("Date", "How", "Amount"),
                 [(_when(p.at, tz_name), p.how, format_cents(p.amount_cents)) for p in receipt.payments], right=(2,))
    if receipt.refunds:
        pdf.heading("Refunds")
        pdf.rows((40, 100, 39.8), ("Date", "What and why", "Amount"),
                 [(_when(r.at, tz_name),
                   f"{r.how}: {r.reason}" + (f" ({', '.join(f'{n} × {t}' for t, n in r.items)})" if r.items else "")
                   + (f"; tax {format_cents(r.tax_cents)}" if r.tax_cents else ""),
                   format_cents(-r.amount_cents)) for r in receipt.refunds], right=(2,))
        pdf.ln(2)
        pdf.words(f"Net paid: {format_cents(receipt.net_cents)}", 11, "B", align="R")
    if receipt.shipments:
        pdf.heading("Shipped")
        pdf.rows((40, 60, 79.8), ("Date", "Carrier and tracking", "Items"),
                 [(_when(s.at, tz_name), f"{s.carrier} {s.tracking_number}".strip(),
                   ", ".join(f"{n} × {t}" for t, n in s.items)) for s in receipt.shipments])
    pdf.ln(4)
    pdf.words("Keep this receipt for your records: continuing education is often a deductible professional "
              "expense.", 8.5, color=MUTED)
    return bytes(pdf.output())
