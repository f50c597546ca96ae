"""What the shop must never keep, looked for after every test that uses the `app` fixture (before its tables
are emptied): a card number in
any text column of any row or in any log line the test produced, and a password stored other than as an
Argon2id hash.

`LogLines` is a logging handler installed for the whole run (tests/conftest.py); `findings()` reads every
non-empty table's text and JSON columns and the lines logged since the last call, and returns what it found.
A test leaving one fails at teardown with the table, column and row (or the log line).
"""

import json
import logging

from sqlalchemy import JSON, String, Text, func, select

from shop.core.text import card_numbers_in
from shop.extensions import db

ARGON2ID = "$argon2id$"
PASSWORD_COLUMNS = {("users", "password_hash")}


class LogLines(logging.Handler):
    """Every log record's formatted message (with its traceback), kept until taken."""

    def __init__(self):
        super().__init__(level=logging.DEBUG)
        self.lines: list[str] = []

    def emit(self, record):
        try:
            self.lines.append(self.format(record))
        except Exception:  # a record that cannot be formatted is not ours to fail on
            self.lines.append(str(record.msg))

    def take(self) -> list[str]:
        lines, self.lines = self.lines, []
        return lines


LOG_LINES = LogLines()


def listen() -> None:
    """Start a test's log lines afresh, the handler on the root logger at INFO (a migration's logging set-up may
    have replaced the root's handlers)."""
    root = logging.getLogger()
    if LOG_LINES not in root.handlers:
        root.addHandler(LOG_LINES)
    if root.level == logging.NOTSET or root.level > logging.INFO:
        root.setLevel(logging.INFO)
    LOG_LINES.take()


def _text_columns(table):
    return [column for column in table.columns if isinstance(column.type, String | Text | JSON)]


def tables_with_rows():
    """The tables that hold a row now, in dependency order (one query)."""
    tables = db.metadata.sorted_tables
    counts = select(*(select(func.count()).select_from(table).scalar_subquery() for table in tables))
    return [table for table, rows in zip(tables, db.session.execute(counts).one(), strict=True) if rows]


def database_findings(tables) -> list[str]:
    found = []
    for table in tables:
        columns = _text_columns(table)
        if not columns:
            continue
        for row in db.session.execute(select(*table.primary_key.columns, *columns)).all():
            key = row[: len(table.primary_key.columns)]
            for column, value in zip(columns, row[len(key):], strict=True):
                text = value if isinstance(value, str) else json.dumps(value) if value is not None else ""
                if card_numbers_in(text):
                    found.append(f"card number in {table.name}.{column.name} (row {key}): {card_numbers_in(text)}")
                if (table.name, column.name) in PASSWORD_COLUMNS and value and not value.startswith(ARGON2ID):
                    found.append(f"password not hashed with Argon2id in {table.name} (row {key}): {value[:12]}…")
    return found


def log_findings(lines) -> list[str]:
    return [f"card number in a log line: {line[:200]}" for line in lines if card_numbers_in(line)]


def findings(tables=None) -> list[str]:
    """What the tables with rows (`tables`, default: read now) and the log lines since listen() hold that the
    shop must never keep."""
    db.session.rollback()
    return database_findings(tables_with_rows() if tables is None else tables) + log_findings(LOG_LINES.take())
