"""Every model, imported in one place so that Alembic and the app see the whole schema."""

from shop.accounts.models import Address, AuthAttempt, User  # noqa: F401
from shop.cart.models import Cart, CartItem  # noqa: F401
from shop.catalogue.models import Category, ComboComponent, Product, ProductImage  # noqa: F401
from shop.courses.models import CourseAccess  # noqa: F401
from shop.mail.models import OutboxMessage  # noqa: F401
from shop.orders.models import Order, OrderEvent, OrderLine, Payment, StockReservation  # noqa: F401
from shop.payments.models import ProcessedEvent  # noqa: F401
from shop.shipping.models import ShippingMethod  # noqa: F401
