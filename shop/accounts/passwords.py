"""Password hashing (Argon2id) and the password policy.

Hashes use argon2-cffi's defaults (RFC 9106 low-memory profile, Argon2id). With
PASSWORD_HASH_FAST (the test settings) they use the cheapest parameters instead; `needs_rehash`
then tells a login to re-hash with the current parameters, so a change of parameters upgrades
every account as its owner logs in.
"""

from pathlib import Path

from argon2 import PasswordHasher, Type
from argon2.exceptions import InvalidHashError, VerificationError
from flask import current_app, has_app_context

MIN_LENGTH = 10
MAX_LENGTH = 200  # long enough for any passphrase, short enough to keep hashing cheap to refuse

_STRONG = PasswordHasher(type=Type.ID)
_FAST = PasswordHasher(time_cost=1, memory_cost=8, parallelism=1, hash_len=16, salt_len=16, type=Type.ID)

COMMON_PASSWORDS_FILE = Path(__file__).with_name("common_passwords.txt")  # 30,000 leaked ones; source in its header
# on top of the list: words of this shop's trade a customer is likely to pick, and the shop's earlier short
# list's entries that the big one lacks (its entries are mostly under MIN_LENGTH, refused by length anyway)
SHOP_PASSWORDS = (
    "massage123", "massage1234", "therapist1", "therapy123", "softtissue", "softtissuerelease",
    "0123456789", "0987654321", "1111111111", "abcd123456", "abcdefghij", "administrator", "changeme123",
    "dragon1234", "letmein123", "monkey1234", "passw0rd123", "princess12", "sunshine12", "trustno1234",
    "welcome1234",
)


def _load_common_passwords(path: Path = COMMON_PASSWORDS_FILE) -> frozenset[str]:
    """The list, read once when the module loads: one password a line, casefolded; # lines are comments."""
    with path.open(encoding="utf-8") as lines:
        listed = {line.strip().casefold() for line in lines if line.strip() and not line.startswith("#")}
    return frozenset(listed | set(SHOP_PASSWORDS))


COMMON_PASSWORDS = _load_common_passwords()


def _hasher(fast: bool | None = None) -> PasswordHasher:
    if fast is None:
        fast = has_app_context() and bool(current_app.config.get("PASSWORD_HASH_FAST"))
    return _FAST if fast else _STRONG


def hash_password(password: str, *, fast: bool | None = None) -> str:
    return _hasher(fast).hash(password)


def verify_password(password_hash: str | None, password: str | None, *, fast: bool | None = None) -> bool:
    """True when `password` matches; False for a wrong password, an empty or a malformed hash."""
    if not password_hash or password is None:
        return False
    try:
        return _hasher(fast).verify(password_hash, password)
    except (VerificationError, InvalidHashError):
        return False


def needs_rehash(password_hash: str, *, fast: bool | None = None) -> bool:
    try:
        return _hasher(fast).check_needs_rehash(password_hash)
    except (InvalidHashError, ValueError):
        return True


_DUMMY_HASHES = {}


def burn_time(password: str | None, *, fast: bool | None = None) -> None:
    """Verify against a throwaway hash, so an unknown e-mail takes as long as a wrong password."""
    hasher = _hasher(fast)
    key = hasher is _FAST
    if key not in _DUMMY_HASHES:
        _DUMMY_HASHES[key] = hasher.hash("not a real password")
    verify_password(_DUMMY_HASHES[key], password or "", fast=key)


def password_problem(password: str | None, email: str = "") -> str | None:
    """Why this password is refused, in words for the customer; None when it is fine."""
    password = password or ""
    if len(password) < MIN_LENGTH:
        return f"Use at least {MIN_LENGTH} characters. A few words in a row are easy to remember."
    if len(password) > MAX_LENGTH:
        return f"Use at most {MAX_LENGTH} characters."
    folded = password.strip().casefold()
    if len(set(folded)) < 4:
        return "That password repeats the same few characters. Mix in a few more."
    if folded in COMMON_PASSWORDS:
        return "That password is one of the most common ones. Choose something less easy to guess."
    email = (email or "").strip().casefold()
    if email and (folded == email or folded == email.partition("@")[0]):
        return "Do not use your email address as your password."
    return None
