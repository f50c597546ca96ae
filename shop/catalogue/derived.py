"""Fields derived from what editors type: sanitised HTML and search text, kept right on every flush."""

from typing import Any

from sqlalchemy import event
from sqlalchemy.orm import Session

from shop.catalogue.models import Product
from shop.catalogue.text import render_markdown, search_text_for


def refresh(product: Product) -> None:
    product.description_html = render_markdown(product.description_md)
    product.search_text = search_text_for(product)


@event.listens_for(Session, "before_flush")
def _refresh_products(session: Session, flush_context: Any, instances: Any) -> None:
    for obj in (*session.new, *session.dirty):
        if isinstance(obj, Product):
            refresh(obj)
