"""What accounts tell the rest of the shop (blinker signals; receivers live with the data they change)."""

from blinker import Namespace

_signals = Namespace()

# sender: the User whose e-mail address is now verified (by the link, or by a password reset). Receivers
# attach what was bought as a guest with that address (shop.orders.customers, shop.courses.access), in
# the same transaction: the sender commits.
email_verified = _signals.signal("email-verified")
