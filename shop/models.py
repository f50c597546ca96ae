"""Every model, imported in one place so that Alembic and the app see the whole schema."""

from shop.accounts.consent import MarketingConsent
from shop.accounts.models import Address, AuthAttempt, CustomerMerge, CustomerNote, Licence, User
from shop.cart.models import Cart, CartItem
from shop.catalogue.models import Category, ComboComponent, Product, ProductImage, StockMovement
from shop.content.models import Article, ArticleProduct, Listing, ListingModality
from shop.core.models import AuditEntry, ShopSetting
from shop.courses.models import (
    Approval,
    Certificate,
    CourseAccess,
    CourseEvaluation,
    CourseFile,
    CourseModule,
    Exam,
    ExamAllowance,
    ExamAttempt,
    ExamOption,
    ExamQuestion,
    Lesson,
    LessonProgress,
)
from shop.mail.models import OutboxMessage
from shop.membership.models import BillingCustomer, Membership, MembershipInvoice
from shop.orders.models import (
    Dispute,
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
from shop.payments.models import ProcessedEvent
from shop.phone.models import CallLogEntry
from shop.promotions.models import (
    CartCode,
    Promotion,
    PromotionCategory,
    PromotionCode,
    PromotionCustomer,
    PromotionProduct,
    PromotionRedemption,
)
from shop.shipping.models import ShippingMethod
from shop.tax.models import TaxRate

__all__ = [
    "Address", "Approval", "Certificate", "CourseEvaluation", "CourseFile", "CourseModule", "Exam",
    "ExamAllowance", "ExamAttempt", "ExamOption", "ExamQuestion", "Lesson", "LessonProgress", "Licence",
    "AuditEntry", "AuthAttempt", "CallLogEntry", "Cart", "CartCode", "CartItem", "Category",
    "ComboComponent", "CourseAccess", "Order", "OrderEvent", "OrderLine", "OutboxMessage", "Payment", "PaymentLink",
    "ProcessedEvent", "Product", "ProductImage", "Promotion", "PromotionCategory", "PromotionCode",
    "PromotionCustomer", "PromotionProduct", "PromotionRedemption", "Refund", "RefundLine", "Shipment",
    "ShipmentLine", "ShippingMethod", "ShopSetting", "StockMovement", "StockReservation", "User",
    "BillingCustomer", "Dispute", "Membership", "MembershipInvoice", "Article", "ArticleProduct",
    "Listing", "ListingModality", "MarketingConsent", "CustomerMerge", "CustomerNote", "TaxRate",
]
