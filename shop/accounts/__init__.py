"""Customer and staff accounts: registration, login, password reset, roles, "My account"."""
