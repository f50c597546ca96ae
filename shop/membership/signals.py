"""What the membership tells the domains above it.

`start_abandoned(membership)`: a membership whose first payment never succeeded has ended while it held a
first-month offer; the promotions side gives the use back (shop.checkout.membership_offer). Sent inside the
caller's transaction; receivers do not commit.
"""

from blinker import Namespace

_signals = Namespace()
start_abandoned = _signals.signal("membership-start-abandoned")
