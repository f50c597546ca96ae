"""A receipt's PDF with the shop's details from the settings, for the customer's and the desk's download."""

from flask import current_app

from shop.orders import receipt_pdf
from shop.orders.receipt import Receipt


def receipt_pdf_bytes(receipt: Receipt) -> bytes:
    config = current_app.config
    return receipt_pdf.render(
        receipt, shop_name=config["SHOP_NAME"],
        shop_address=[part.strip() for part in (config.get("SHOP_ADDRESS") or "").split("|") if part.strip()],
        tax_id=config.get("SHOP_TAX_ID") or "", contact=f"{config['ORDER_PHONE']} · {config['CONTACT_EMAIL']}",
        tz_name=config["SHOP_TIMEZONE"])


def filename(receipt: Receipt) -> str:
    return f"receipt-{receipt.order.number}.pdf"
