"""Below every domain: the audit log, settings admins change, shared form fields and validators, text
cleaning, the storefront stamp, time helpers and the refusal every service raises."""
