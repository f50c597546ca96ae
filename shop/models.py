"""Every model, imported in one place so that Alembic and the app see the whole schema."""

from shop.accounts.models import Address, AuthAttempt, User  # noqa: F401
from shop.backoffice.models import AuditEntry, CallLogEntry, ShopSetting  # noqa: F401
from shop.cart.models import Cart, CartItem  # noqa: F401
from shop.catalogue.models import Category, ComboComponent, Product, ProductImage, StockMovement  # noqa: F401
from shop.courses.models import CourseAccess  # noqa: F401
from shop.mail.models import OutboxMessage  # noqa: F401
from shop.orders.models import (  # noqa: F401
    Order,
    OrderEvent,
    OrderLine,
    Payment,
    PaymentLink,
    Refund,
    RefundLine,
    Shipment,
    ShipmentLine,
    StockReservation,
)
from shop.payments.models import ProcessedEvent  # noqa: F401
from shop.promotions.models import (  # noqa: F401
    CartCode,
    Promotion,
    PromotionCategory,
    PromotionCode,
    PromotionCustomer,
    PromotionProduct,
    PromotionRedemption,
)
from shop.shipping.models import ShippingMethod  # noqa: F401
